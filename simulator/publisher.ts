// Turns what the market engine does into stream events: real-time events (bookTicker, trade,
// aggTrade) as the engine steps, and timed events (depth streams) on their update speed.
import type { Fanout } from './fanout.js';
import { TO_ALL, TO_MICROSECONDS, TO_MILLISECONDS } from './fanout.js';
import type { TradeLedger } from './ledger.js';
import type { MarketListener, SymbolMarket } from './market.js';
import type { StreamEntry, StreamRegistry } from './registry.js';
import { writeBlockTrade } from './statistics-payloads.js';
import { StatisticsPublisher } from './statistics-publisher.js';
import { KIND_DEPTH_DIFF, KIND_DEPTH_PARTIAL, writeAggTrade, writeBookSnapshot, writeBookTicker, writeDepthUpdate, writeTrade } from './streams.js';

/** One trade in this many is also reported as a block trade (`<symbol>@blockTrade`). */
const BLOCK_TRADE_EVERY = 1000;

/** The real-time streams of one symbol, looked up once per engine event. */
interface SymbolStreams {
  trade: StreamEntry;
  aggTrade: StreamEntry;
  bookTicker: StreamEntry;
  blockTrade: StreamEntry;
  ledger: TradeLedger;
}

export class EventPublisher implements MarketListener {
  /** Event time of the current batch in milliseconds (the default time unit). */
  eventTime = 0;
  /** The same instant in microseconds (timeUnit=MICROSECOND). */
  eventTimeMicros = 0;
  private registry: StreamRegistry | null = null;
  private statistics: StatisticsPublisher | null = null;
  private readonly bySymbol = new Map<string, SymbolStreams>();
  private readonly fanout: Fanout;

  constructor(fanout: Fanout) {
    this.fanout = fanout;
    this.readClock();
  }

  /** The registry is built from the markets, which are built with this listener: set it after. */
  attach(registry: StreamRegistry): void {
    this.registry = registry;
    this.statistics = new StatisticsPublisher(this.fanout, registry);
    for (const market of registry.markets) {
      this.bySymbol.set(market.symbol, {
        trade: registry.get(`${market.symbol}@trade`)!,
        aggTrade: registry.get(`${market.symbol}@aggTrade`)!,
        bookTicker: registry.get(`${market.symbol}@bookTicker`)!,
        blockTrade: registry.get(`${market.symbol}@blockTrade`)!,
        ledger: registry.ledgerOf(market),
      });
    }
  }

  /** Reads the wall clock once per batch: every event of the batch carries the same time. */
  readClock(): void {
    this.eventTimeMicros = Math.round((performance.timeOrigin + performance.now()) * 1000);
    this.eventTime = Math.floor(this.eventTimeMicros / 1000);
  }

  onTop(market: SymbolMarket): void {
    const entry = this.bySymbol.get(market.symbol)!.bookTicker;
    if (entry.subscribers.length === 0) return;
    writeBookTicker(this.fanout.begin(entry), market);
    this.fanout.publish(entry, TO_ALL);
  }

  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    const streams = this.bySymbol.get(market.symbol)!;
    const fanout = this.fanout;
    streams.ledger.record(this.eventTime, priceUnits, quantityUnits, buyerIsMaker, market.tradeId);
    if (market.tradeId % BLOCK_TRADE_EVERY === 0 && streams.blockTrade.subscribers.length !== 0) {
      this.publishBlockTrade(streams.blockTrade, market, priceUnits, quantityUnits, buyerIsMaker);
    }
    const trade = streams.trade;
    if (trade.subscribers.length > trade.microSubscribers) {
      writeTrade(fanout.begin(trade), market, this.eventTime, priceUnits, quantityUnits, buyerIsMaker);
      fanout.publish(trade, TO_MILLISECONDS);
    }
    if (trade.microSubscribers !== 0) {
      writeTrade(fanout.begin(trade), market, this.eventTimeMicros, priceUnits, quantityUnits, buyerIsMaker);
      fanout.publish(trade, TO_MICROSECONDS);
    }
    const aggTrade = streams.aggTrade;
    if (aggTrade.subscribers.length > aggTrade.microSubscribers) {
      writeAggTrade(fanout.begin(aggTrade), market, this.eventTime, priceUnits, quantityUnits, buyerIsMaker);
      fanout.publish(aggTrade, TO_MILLISECONDS);
    }
    if (aggTrade.microSubscribers !== 0) {
      writeAggTrade(fanout.begin(aggTrade), market, this.eventTimeMicros, priceUnits, quantityUnits, buyerIsMaker);
      fanout.publish(aggTrade, TO_MICROSECONDS);
    }
  }

  private publishBlockTrade(entry: StreamEntry, market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    const blockTradeId = market.tradeId / BLOCK_TRADE_EVERY;
    if (entry.subscribers.length > entry.microSubscribers) {
      writeBlockTrade(this.fanout.begin(entry), this.eventTime, market.upperSymbol, blockTradeId, priceUnits, quantityUnits, this.eventTime, buyerIsMaker);
      this.fanout.publish(entry, TO_MILLISECONDS);
    }
    if (entry.microSubscribers !== 0) {
      writeBlockTrade(this.fanout.begin(entry), this.eventTimeMicros, market.upperSymbol, blockTradeId, priceUnits, quantityUnits, this.eventTimeMicros, buyerIsMaker);
      this.fanout.publish(entry, TO_MICROSECONDS);
    }
  }

  /** Sends every stream of one update speed (a timer tick). */
  emitTimed(intervalMs: number): void {
    this.readClock();
    const entries = this.registry!.timed.get(intervalMs);
    if (entries === undefined) return;
    for (const entry of entries) this.emit(entry);
  }

  /** Sends the pending diff-depth events now (pause(): clients then catch up with book()). */
  flushDiffs(): void {
    this.readClock();
    for (const entry of this.registry!.diffStreams()) this.emit(entry);
  }

  private emit(entry: StreamEntry): void {
    // The all-market streams track which symbols changed even while nobody listens.
    if (entry.subscribers.length === 0 && entry.market !== null) return;
    const fanout = this.fanout;
    if (entry.spec.kind === KIND_DEPTH_PARTIAL) {
      writeBookSnapshot(fanout.begin(entry), entry.market!, entry.spec.levels);
      fanout.publish(entry, TO_ALL);
      return;
    }
    if (entry.spec.kind !== KIND_DEPTH_DIFF) {
      this.statistics!.emit(entry, this.eventTime, this.eventTimeMicros);
      return;
    }
    const diff = entry.diff!;
    // A silenced diff stream keeps collecting: its first event after resumeStream covers the
    // silent time, so U/u continue without a gap.
    if (!diff.pending || entry.silenced) return;
    if (entry.dropEvents > 0) {
      entry.dropEvents--;
    } else {
      if (entry.subscribers.length > entry.microSubscribers) {
        writeDepthUpdate(fanout.begin(entry), entry.market!, diff, this.eventTime);
        fanout.publish(entry, TO_MILLISECONDS);
      }
      if (entry.microSubscribers !== 0) {
        writeDepthUpdate(fanout.begin(entry), entry.market!, diff, this.eventTimeMicros);
        fanout.publish(entry, TO_MICROSECONDS);
      }
    }
    diff.clear();
  }
}
