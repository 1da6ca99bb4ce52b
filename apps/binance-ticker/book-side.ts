// One side of a local order book: price levels kept sorted best first in two parallel typed
// arrays. Market-data books are small (Binance snapshots hold at most 5000 levels) and almost
// every change lands near the top, so a sorted array with binary search and a short memmove
// (copyWithin) beats a tree, and updates allocate nothing once the arrays have grown.

/** Starting capacity; doubles when a side outgrows it (allocation only then). */
const INITIAL_CAPACITY = 1024;

export class BookSide {
  /** True for bids (best = highest price), false for asks (best = lowest). */
  readonly descending: boolean;
  /** Number of levels. */
  count = 0;
  private prices: Float64Array;
  private quantities: Float64Array;

  constructor(descending: boolean, capacity = INITIAL_CAPACITY) {
    this.descending = descending;
    this.prices = new Float64Array(capacity);
    this.quantities = new Float64Array(capacity);
  }

  /** Price of the level at `rank` (0 = best); NaN past the end. */
  price(rank: number): number {
    return rank < this.count ? this.prices[rank]! : NaN;
  }

  /** Quantity of the level at `rank` (0 = best); NaN past the end. */
  quantity(rank: number): number {
    return rank < this.count ? this.quantities[rank]! : NaN;
  }

  /** Quantity at exactly `price`, 0 when there is no such level. */
  quantityAt(price: number): number {
    const index = this.search(price);
    return index >= 0 ? this.quantities[index]! : 0;
  }

  clear(): void {
    this.count = 0;
  }

  /**
   * Binance: "If the quantity is 0, remove the price level"; otherwise insert the level or
   * replace its quantity. NaN prices or quantities are ignored (they never come from valid data).
   */
  set(price: number, quantity: number): void {
    if (price !== price || quantity !== quantity) return;
    const index = this.search(price);
    if (index >= 0) {
      if (quantity === 0) {
        this.prices.copyWithin(index, index + 1, this.count);
        this.quantities.copyWithin(index, index + 1, this.count);
        this.count--;
      } else {
        this.quantities[index] = quantity;
      }
      return;
    }
    if (quantity === 0) return; // removing a level we do not have: nothing to do
    const at = -index - 1;
    if (this.count === this.prices.length) this.grow();
    this.prices.copyWithin(at + 1, at, this.count);
    this.quantities.copyWithin(at + 1, at, this.count);
    this.prices[at] = price;
    this.quantities[at] = quantity;
    this.count++;
  }

  /**
   * Index of `price` if present, else -(insertion point) - 1. Levels are ordered best first:
   * descending prices for bids, ascending for asks.
   */
  private search(price: number): number {
    const prices = this.prices;
    const descending = this.descending;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = prices[middle]!;
      if (value === price) return middle;
      // "value comes before price" in best-first order
      if (descending ? value > price : value < price) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }

  private grow(): void {
    const capacity = this.prices.length * 2;
    const prices = new Float64Array(capacity);
    const quantities = new Float64Array(capacity);
    prices.set(this.prices);
    quantities.set(this.quantities);
    this.prices = prices;
    this.quantities = quantities;
  }
}
