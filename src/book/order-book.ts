// The book itself: two sides and the update id they reflect. It applies levels and nothing
// else; whether a diff may be applied (sequence rules, snapshots, resync) is decided by
// LocalOrderBook (local-order-book.ts), so this stays a plain data structure other venues reuse.

import { checkScale, DEFAULT_SCALE, formatUnits, unitsToNumber } from '../market-json/fixed-point.js';
import { BookSide, DEFAULT_MAX_LEVELS } from './book-side.js';
import type { DepthDiff } from './depth-diff.js';

/**
 * The book as data: two sides and the update id they reflect. It applies levels and nothing else; whether a diff
 * may be applied is LocalOrderBook's decision, so other venues reuse it as it is.
 */
export class OrderBook {
  /** Decimal places of prices and quantities (values are integers: decimal * 10^scale). */
  readonly scale: number;
  /** Bids, best (highest) price first by rank. */
  readonly bids: BookSide;
  /** Asks, best (lowest) price first by rank. */
  readonly asks: BookSide;
  /**
   * Update id the book reflects (the snapshot's lastUpdateId, then `u` of the last applied diff);
   * NaN before the first snapshot. (NaN, not 0, so the field is a double from the start: see DepthDiff.)
   */
  updateId = NaN;
  /** What the last prefetch read (kept so the loads are not optimised away; meaningless). */
  private prefetched = 0;

  constructor(scale: number = DEFAULT_SCALE, maxLevels: number = DEFAULT_MAX_LEVELS) {
    this.scale = checkScale(scale);
    this.bids = new BookSide(true, maxLevels);
    this.asks = new BookSide(false, maxLevels);
  }

  /** Best bid price as a float64 (display; the exact value is bids.bestPrice in units). NaN when empty. */
  get bestBid(): number {
    return unitsToNumber(this.bids.bestPrice, this.scale);
  }

  /** Best ask price as a float64. NaN when empty. */
  get bestAsk(): number {
    return unitsToNumber(this.asks.bestPrice, this.scale);
  }

  /** Empties both sides and forgets the update id (NaN). */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.updateId = NaN;
  }

  /** Sets every level of `diff` (quantity 0 removes) and takes its final update id. */
  apply(diff: DepthDiff): void {
    this.prefetch();
    this.applyPrefetched(diff);
  }

  /**
   * apply() for a caller that called prefetch() since the book last changed (LocalOrderBook does,
   * before its sequence check): the same, without loading those lines a second time.
   */
  applyPrefetched(diff: DepthDiff): void {
    this.bids.setLevels(diff.bids, diff.bidCount);
    this.asks.setLevels(diff.asks, diff.askCount);
    this.updateId = diff.finalUpdateId;
  }

  /**
   * Starts loading the memory the next diff will most likely change (see BookSide.prefetch); apply()
   * does it first, and LocalOrderBook before its sequence check, so those misses overlap too.
   */
  prefetch(): void {
    this.prefetched = this.bids.prefetch() + this.asks.prefetch();
  }

  /** Replaces the whole book with a snapshot (its levels; zero quantities skipped) at `updateId`. */
  load(snapshot: DepthDiff, updateId: number): void {
    this.bids.clear();
    this.asks.clear();
    this.bids.setLevels(snapshot.bids, snapshot.bidCount);
    this.asks.setLevels(snapshot.asks, snapshot.askCount);
    this.updateId = updateId;
  }

  /** The book as text pairs, best first, like a Binance snapshot (allocates: tests and display). */
  toLevels(): {
    /** The book's update id. */
    lastUpdateId: number;
    /** Bids best first, as [price, quantity] decimal strings at the book's scale. */
    bids: Array<[string, string]>;
    /** Asks best first, as [price, quantity] decimal strings. */
    asks: Array<[string, string]>;
  } {
    const text = (side: BookSide): Array<[string, string]> => {
      const levels: Array<[string, string]> = [];
      for (let rank = 0; rank < side.count; rank++) levels.push([formatUnits(side.price(rank), this.scale), formatUnits(side.quantity(rank), this.scale)]);
      return levels;
    };
    return { lastUpdateId: this.updateId, bids: text(this.bids), asks: text(this.asks) };
  }
}
