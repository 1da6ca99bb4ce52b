// One side of a local order book: price levels as fixed-point integers in two parallel
// Float64Arrays, sorted WORST first, so the best level is the last one. Almost every change lands
// near the top of the book, and an insert or removal there moves only the few levels above it
// (copyWithin of the tail) instead of the whole side; the best level is one indexed load.
//
// Market-data books are small (Binance snapshots hold at most 5000 levels per side), so a sorted
// array with a search from the top beats a tree, and updates allocate nothing once the arrays
// have grown. A side holds at most `maxLevels` levels; when a new level would exceed that, the
// worst level goes (the levels farthest from the top are the ones a snapshot never covered
// anyway) and `truncated` counts it.

/** Starting capacity in levels; doubles up to maxLevels (allocation only then). */
const INITIAL_CAPACITY = 256;
/** Default bound per side: twice Binance's largest snapshot (5000), room for levels added by diffs. */
export const DEFAULT_MAX_LEVELS = 10_000;
/**
 * Levels compared one by one from the top before the search turns binary. Most diff levels sit in
 * the top few ranks (bench/book.ts: 20+20-level diffs on a 1000-level book).
 */
const LINEAR_PROBES = 8;

export class BookSide {
  /** True for bids (best = highest price), false for asks (best = lowest). */
  readonly isBid: boolean;
  readonly maxLevels: number;
  /** Number of levels. */
  count = 0;
  /** Levels dropped because the side was full (the worst level makes room for a better one). */
  truncated = 0;
  /**
   * The live arrays, worst level at index 0 and best at count - 1 (see price(rank) for best-first
   * access). They are replaced when the side grows, so re-read them after an update, never keep them.
   */
  prices: Float64Array;
  quantities: Float64Array;

  constructor(isBid: boolean, maxLevels: number = DEFAULT_MAX_LEVELS) {
    if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new RangeError(`maxLevels must be a positive integer, got ${maxLevels}`);
    this.isBid = isBid;
    this.maxLevels = maxLevels;
    const capacity = Math.min(INITIAL_CAPACITY, maxLevels);
    this.prices = new Float64Array(capacity);
    this.quantities = new Float64Array(capacity);
  }

  /** Best price (units), NaN when the side is empty. O(1). */
  get bestPrice(): number {
    return this.count > 0 ? this.prices[this.count - 1]! : NaN;
  }

  /** Quantity at the best price (units), NaN when the side is empty. O(1). */
  get bestQuantity(): number {
    return this.count > 0 ? this.quantities[this.count - 1]! : NaN;
  }

  /** Price of the level at `rank` (0 = best), NaN past the end. No copy: reads the live array. */
  price(rank: number): number {
    return rank >= 0 && rank < this.count ? this.prices[this.count - 1 - rank]! : NaN;
  }

  /** Quantity of the level at `rank` (0 = best), NaN past the end. */
  quantity(rank: number): number {
    return rank >= 0 && rank < this.count ? this.quantities[this.count - 1 - rank]! : NaN;
  }

  /** Quantity at exactly `price` (units), 0 when there is no such level. */
  quantityAt(price: number): number {
    const index = this.search(price);
    return index >= 0 ? this.quantities[index]! : 0;
  }

  /** Sum of the quantities of the best `levels` levels (units; exact while below 2^53). */
  depth(levels: number): number {
    let sum = 0;
    const stop = Math.max(0, this.count - levels);
    for (let i = this.count - 1; i >= stop; i--) sum += this.quantities[i]!;
    return sum;
  }

  /** Copies the best `levels` levels best first as [price, quantity] pairs into `out`; returns how many. */
  copyTop(out: Float64Array, levels: number): number {
    const n = Math.min(levels, this.count, out.length >> 1);
    for (let rank = 0; rank < n; rank++) {
      const index = this.count - 1 - rank;
      out[2 * rank] = this.prices[index]!;
      out[2 * rank + 1] = this.quantities[index]!;
    }
    return n;
  }

  clear(): void {
    this.count = 0;
  }

  /**
   * Binance: "If the price level does not exist in the order book, insert it with new quantity.
   * If the quantity is zero, remove the price level from the order book."
   */
  set(price: number, quantity: number): void {
    const index = this.search(price);
    const count = this.count;
    if (index >= 0) {
      if (quantity !== 0) {
        this.quantities[index] = quantity;
        return;
      }
      // Removal: the levels above it (better ones, fewer near the top) move down one.
      this.prices.copyWithin(index, index + 1, count);
      this.quantities.copyWithin(index, index + 1, count);
      this.count = count - 1;
      return;
    }
    if (quantity === 0) return; // removing a level we do not hold: nothing to do
    this.insert(-index - 1, price, quantity);
  }

  /** Inserts at `at` (levels at and above it move up one). */
  private insert(at: number, price: number, quantity: number): void {
    let count = this.count;
    if (count === this.prices.length) {
      if (count < this.maxLevels) {
        this.grow();
      } else {
        // Full: drop the worst level; a level worse than all we hold is the one dropped.
        this.truncated++;
        if (at === 0) return;
        this.prices.copyWithin(0, 1, count);
        this.quantities.copyWithin(0, 1, count);
        count--;
        at--;
      }
    }
    const prices = this.prices;
    const quantities = this.quantities;
    if (at < count) {
      prices.copyWithin(at + 1, at, count);
      quantities.copyWithin(at + 1, at, count);
    }
    prices[at] = price;
    quantities[at] = quantity;
    this.count = count + 1;
  }

  /**
   * Index of `price` if present, else -(insertion index) - 1. Index order is worst first:
   * ascending prices for bids, descending for asks. Probes the top levels linearly first.
   */
  private search(price: number): number {
    const prices = this.prices;
    const count = this.count;
    const isBid = this.isBid;
    // Linear probe from the best level down: stop at the first level not better than `price`.
    const probeStop = count > LINEAR_PROBES ? count - LINEAR_PROBES : 0;
    let i = count - 1;
    for (; i >= probeStop; i--) {
      const value = prices[i]!;
      if (value === price) return i;
      if (isBid ? value < price : value > price) return -(i + 1) - 1; // price goes just above i
    }
    if (probeStop === 0) return -1; // better than nothing we hold: worse than everything: index 0
    // Binary search over [0, probeStop).
    let low = 0;
    let high = probeStop - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = prices[middle]!;
      if (value === price) return middle;
      // value is worse than price: price lies above middle
      if (isBid ? value < price : value > price) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }

  private grow(): void {
    const capacity = Math.min(this.prices.length * 2, this.maxLevels);
    const prices = new Float64Array(capacity);
    const quantities = new Float64Array(capacity);
    prices.set(this.prices);
    quantities.set(this.quantities);
    this.prices = prices;
    this.quantities = quantities;
  }
}
