// A minimal order book for the tickwire consumer while the library's own book (src/book) has not
// landed: each side is a pair of sorted Float64Arrays with the best level last, so the common
// changes (near the top) move few entries, the best level is one read, and an update allocates
// nothing (the arrays only grow, by doubling).

const INITIAL_LEVELS = 1024;

export class SortedSide {
  /** Prices in storage order: ascending for bids, descending for asks, so the best is last. */
  private prices = new Float64Array(INITIAL_LEVELS);
  private quantities = new Float64Array(INITIAL_LEVELS);
  length = 0;

  constructor(private readonly isBid: boolean) {}

  get bestPrice(): number {
    return this.length === 0 ? NaN : this.prices[this.length - 1]!;
  }

  clear(): void {
    this.length = 0;
  }

  /** Sets a level's quantity; 0 removes it ("Receiving an event that removes a price level that is not in your local order book can happen and is normal"). */
  set(price: number, quantity: number): void {
    const at = this.search(price);
    const prices = this.prices;
    const quantities = this.quantities;
    const found = at < this.length && prices[at] === price;
    if (quantity === 0) {
      if (!found) return;
      prices.copyWithin(at, at + 1, this.length);
      quantities.copyWithin(at, at + 1, this.length);
      this.length--;
      return;
    }
    if (found) {
      quantities[at] = quantity;
      return;
    }
    if (this.length === prices.length) this.grow();
    this.prices.copyWithin(at + 1, at, this.length);
    this.quantities.copyWithin(at + 1, at, this.length);
    this.prices[at] = price;
    this.quantities[at] = quantity;
    this.length++;
  }

  /** Levels best first, as [price, quantity] (allocates: for the end-of-run comparison only). */
  levels(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let index = this.length - 1; index >= 0; index--) out.push([this.prices[index]!, this.quantities[index]!]);
    return out;
  }

  /** First storage index whose price is not before `price` in storage order (binary search). */
  private search(price: number): number {
    const prices = this.prices;
    let low = 0;
    let high = this.length;
    if (this.isBid) {
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (prices[middle]! < price) low = middle + 1;
        else high = middle;
      }
    } else {
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (prices[middle]! > price) low = middle + 1;
        else high = middle;
      }
    }
    return low;
  }

  private grow(): void {
    const prices = new Float64Array(this.prices.length * 2);
    const quantities = new Float64Array(this.prices.length * 2);
    prices.set(this.prices);
    quantities.set(this.quantities);
    this.prices = prices;
    this.quantities = quantities;
  }
}
