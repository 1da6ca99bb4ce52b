import { UNIT } from './decimal.js';
import type { BookLevels } from './options.js';
import { Prng } from './prng.js';

export const SIDE_BID = 0;
export const SIDE_ASK = 1;

// Shape of the random walk. Chosen so that bookTicker changes every step (the top of the book
// always moves) and the diff stream carries one to three level changes per step.
/** Probability that a step moves the mid price by one tick. */
const MOVE_PROBABILITY = 0.04;
/** Probability that a step is a trade against the best level (else a best-level size change). */
const TRADE_PROBABILITY = 0.3;
/** Probability that a step also changes a level below the top. */
const DEEP_CHANGE_PROBABILITY = 0.5;
/** Probability that a deep change empties the level (quantity 0, "remove the price level"). */
const DEEP_REMOVE_PROBABILITY = 0.2;
/** Probability that a tick inside the book's range holds a level when first filled. */
const FILL_PROBABILITY = 0.8;
/** Mean distance (in ticks below the top) of a deep change: most activity is near the top. */
const DEEP_CHANGE_MEAN_TICKS = 8;

/** One simulated symbol: its name, where its price starts, and the tick and lot sizes of its book. */
export interface SymbolConfig {
  /** Lower-case stream symbol, e.g. "btcusdt". */
  symbol: string;
  /** Starting mid price (whole units, e.g. 65000.5). */
  price: number;
  /** Price tick (e.g. 0.01). */
  tickSize: number;
  /** Quantity step (e.g. 0.00001). */
  lotSize: number;
  /** Largest quantity of a level, in lots. */
  maxLots: number;
}

/** Receives what the market model did in a step. */
export interface MarketListener {
  /** The best bid or ask (price or quantity) changed: every step does this. */
  onTop(market: SymbolMarket): void;
  /** A trade: the taker hit the best bid (buyerIsMaker) or lifted the best ask. */
  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void;
}

/**
 * Collects the level changes between two diff-depth events (Binance `depthUpdate`): the final
 * quantity of each level that changed, and the range of update ids they came from.
 */
export class DepthDiff {
  /** First update id recorded since the last take(), 0 when nothing is pending. */
  firstUpdateId = 0;
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();

  record(side: number, tick: number, quantityUnits: number, updateId: number): void {
    if (this.firstUpdateId === 0) this.firstUpdateId = updateId;
    (side === SIDE_BID ? this.bids : this.asks).set(tick, quantityUnits);
  }

  get pending(): boolean {
    return this.firstUpdateId !== 0;
  }

  clear(): void {
    this.firstUpdateId = 0;
    this.bids.clear();
    this.asks.clear();
  }
}

/**
 * One symbol's market: a random-walk mid price and an order book on a tick grid. Bids live on
 * ticks [mid - depth, mid - 1] and asks on [mid + 1, mid + depth], so bid < ask always.
 * Every step is one engine update with the next update id; ids never skip unless
 * skipUpdateIds() is called.
 */
export class SymbolMarket {
  readonly symbol: string;
  /** Upper-case symbol as it appears in payloads ("BTCUSDT"). */
  readonly upperSymbol: string;
  /** Price of one tick in 1e-8 units. */
  readonly tickUnits: number;
  readonly lotUnits: number;
  readonly maxLots: number;
  /** Ticks per side of the book. */
  readonly depth: number;

  updateId: number;
  tradeId: number;
  aggTradeId: number;
  midTick: number;
  bestBidTick: number;
  bestAskTick: number;
  /** Quantity (1e-8 units) per tick. */
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  /** Diff accumulators currently fed (one per diff cadence with subscribers). */
  readonly diffs: DepthDiff[] = [];

  private readonly random: Prng;
  private readonly listener: MarketListener;

  constructor(config: SymbolConfig, seed: number, depth: number, listener: MarketListener) {
    this.symbol = config.symbol;
    this.upperSymbol = config.symbol.toUpperCase();
    this.tickUnits = Math.round(config.tickSize * UNIT);
    this.lotUnits = Math.round(config.lotSize * UNIT);
    this.maxLots = config.maxLots;
    this.depth = depth;
    this.listener = listener;
    this.random = new Prng((seed ^ Prng.hash(config.symbol)) >>> 0);
    // Ids start high like a real book's and differ per symbol (same for a given seed).
    this.updateId = 1_000_000 + this.random.int(1_000_000);
    this.tradeId = 100_000 + this.random.int(100_000);
    this.aggTradeId = 50_000 + this.random.int(50_000);
    this.midTick = Math.round(config.price / config.tickSize);
    if (this.midTick <= depth + 1) {
      throw new RangeError(`${config.symbol}: the price must be more than ${depth + 1} ticks (book depth) above zero`);
    }
    for (let offset = 1; offset <= depth; offset++) {
      if (offset === 1 || this.random.next() < FILL_PROBABILITY) this.bids.set(this.midTick - offset, this.randomQuantity());
      if (offset === 1 || this.random.next() < FILL_PROBABILITY) this.asks.set(this.midTick + offset, this.randomQuantity());
    }
    this.bestBidTick = this.midTick - 1;
    this.bestAskTick = this.midTick + 1;
  }

  get bestBidQuantity(): number {
    return this.bids.get(this.bestBidTick) ?? 0;
  }

  get bestAskQuantity(): number {
    return this.asks.get(this.bestAskTick) ?? 0;
  }

  /** One engine update: moves the top of the book, sometimes trades, sometimes changes depth. */
  step(): void {
    const id = ++this.updateId;
    const random = this.random;
    const roll = random.next();
    if (roll < MOVE_PROBABILITY) {
      // The walk reflects off the floor where the lowest bid would reach price zero.
      const down = random.next() < 0.5 && this.midTick > this.depth + 2;
      this.moveMid(down ? -1 : 1, id);
    } else if (roll < MOVE_PROBABILITY + TRADE_PROBABILITY) {
      this.trade(random.next() < 0.5, id);
    } else if (random.next() < 0.5) {
      this.setLevel(SIDE_BID, this.bestBidTick, this.randomQuantity(), id);
    } else {
      this.setLevel(SIDE_ASK, this.bestAskTick, this.randomQuantity(), id);
    }
    if (random.next() < DEEP_CHANGE_PROBABILITY) {
      const side = random.next() < 0.5 ? SIDE_BID : SIDE_ASK;
      const offset = 1 + Math.min(this.depth - 2, Math.floor(-Math.log(1 - random.next()) * DEEP_CHANGE_MEAN_TICKS));
      const tick = side === SIDE_BID ? this.midTick - 1 - offset : this.midTick + 1 + offset;
      const quantity = random.next() < DEEP_REMOVE_PROBABILITY ? 0 : this.randomQuantity();
      this.setLevel(side, tick, quantity, id);
    }
    this.listener.onTop(this);
  }

  /** Fault injection: the next update ids are never used, so the diff stream shows a gap. */
  skipUpdateIds(count: number): void {
    this.updateId += count;
  }

  /** Best `limit` levels of a side, best first, as [tick, quantity] pairs. */
  topLevels(side: number, limit: number): Array<[number, number]> {
    const levels: Array<[number, number]> = [];
    const book = side === SIDE_BID ? this.bids : this.asks;
    const direction = side === SIDE_BID ? -1 : 1;
    let tick = side === SIDE_BID ? this.bestBidTick : this.bestAskTick;
    for (let scanned = 0; scanned <= this.depth + 1 && levels.length < limit; scanned++, tick += direction) {
      const quantity = book.get(tick);
      if (quantity !== undefined) levels.push([tick, quantity]);
    }
    return levels;
  }

  private randomQuantity(): number {
    return (1 + this.random.int(this.maxLots)) * this.lotUnits;
  }

  private trade(buyerIsMaker: boolean, id: number): void {
    // The buyer is the maker when a sell order hits the best bid.
    const side = buyerIsMaker ? SIDE_BID : SIDE_ASK;
    const tick = buyerIsMaker ? this.bestBidTick : this.bestAskTick;
    const book = buyerIsMaker ? this.bids : this.asks;
    const available = book.get(tick)!;
    const quantity = Math.min(available, (1 + this.random.int(Math.max(1, this.maxLots >> 2))) * this.lotUnits);
    this.tradeId++;
    this.aggTradeId++;
    this.setLevel(side, tick, available - quantity, id);
    this.listener.onTrade(this, tick * this.tickUnits, quantity, buyerIsMaker);
  }

  private moveMid(direction: number, id: number): void {
    const oldMid = this.midTick;
    const newMid = oldMid + direction;
    const depth = this.depth;
    this.midTick = newMid;
    if (direction > 0) {
      // The ask at the new mid and the bid that fell out of range go; the old mid becomes a bid.
      if (this.asks.has(newMid)) this.setLevel(SIDE_ASK, newMid, 0, id);
      if (this.bids.has(oldMid - depth)) this.setLevel(SIDE_BID, oldMid - depth, 0, id);
      this.setLevel(SIDE_BID, oldMid, this.randomQuantity(), id);
      if (this.random.next() < FILL_PROBABILITY) this.setLevel(SIDE_ASK, newMid + depth, this.randomQuantity(), id);
    } else {
      if (this.bids.has(newMid)) this.setLevel(SIDE_BID, newMid, 0, id);
      if (this.asks.has(oldMid + depth)) this.setLevel(SIDE_ASK, oldMid + depth, 0, id);
      this.setLevel(SIDE_ASK, oldMid, this.randomQuantity(), id);
      if (this.random.next() < FILL_PROBABILITY) this.setLevel(SIDE_BID, newMid - depth, this.randomQuantity(), id);
    }
  }

  /** Sets a level's absolute quantity (0 removes it) and keeps the best prices current. */
  private setLevel(side: number, tick: number, quantity: number, id: number): void {
    const book = side === SIDE_BID ? this.bids : this.asks;
    if (quantity === 0) {
      if (!book.has(tick)) return;
      // Never empty a side: a removal of the last level becomes a refill.
      if (book.size === 1) quantity = this.randomQuantity();
    }
    if (quantity === 0) book.delete(tick);
    else book.set(tick, quantity);
    const diffs = this.diffs;
    for (let index = 0; index < diffs.length; index++) diffs[index]!.record(side, tick, quantity, id);
    if (side === SIDE_BID) {
      if (quantity !== 0 && tick > this.bestBidTick) this.bestBidTick = tick;
      else if (quantity === 0 && tick === this.bestBidTick) this.bestBidTick = this.scan(book, tick - 1, -1);
      // A mid move up can leave the best bid below range only through removal; the scan handles it.
      if (this.bestBidTick >= this.midTick) this.bestBidTick = this.scan(book, this.midTick - 1, -1);
    } else {
      if (quantity !== 0 && tick < this.bestAskTick) this.bestAskTick = tick;
      else if (quantity === 0 && tick === this.bestAskTick) this.bestAskTick = this.scan(book, tick + 1, 1);
      if (this.bestAskTick <= this.midTick) this.bestAskTick = this.scan(book, this.midTick + 1, 1);
    }
  }

  private scan(book: Map<number, number>, from: number, direction: number): number {
    let tick = from;
    for (let scanned = 0; scanned <= this.depth + 1; scanned++, tick += direction) {
      if (book.has(tick)) return tick;
    }
    return from;
  }
}

/**
 * Exchange.book() in a venue's terms: the whole book best first, each [price, quantity] as
 * `format` spells 1e-8 units, numbered with the venue's book sequence `lastUpdateId`.
 */
export function bookLevels(market: SymbolMarket, lastUpdateId: number, format: (units: number) => string): BookLevels {
  const text = (levels: Array<[number, number]>): Array<[string, string]> => levels.map(([tick, quantity]) => [format(tick * market.tickUnits), format(quantity)]);
  return { lastUpdateId, bids: text(market.topLevels(SIDE_BID, Infinity)), asks: text(market.topLevels(SIDE_ASK, Infinity)) };
}
