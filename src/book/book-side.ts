// One side of a local order book: price levels as fixed-point integers in two parallel
// Float64Arrays, sorted WORST first, so the best level is the last one, with free room at both
// ends of the occupied range [start, start + count). A change moves only the levels between it
// and the nearer end of the range: near the top (most changes) the few better levels, at the far
// edge of the book (the level that drops out of the depth as the price walks, a new deepest
// level) the few worse ones. A layout anchored at index 0 moved the whole side for every change
// at the far edge, and in the pipeline bench, with 100 books out of cache between two events of
// a symbol, those moves were most of the time spent on the book. The best level is one indexed load.
// A whole diff or snapshot (setLevels) is merged from the top in one pass rather than searched
// and moved level by level.
//
// Market-data books are small (Binance snapshots hold at most 5000 levels per side), so a sorted
// array with a search from the top beats a tree, and updates allocate nothing once the arrays
// have grown. A side holds at most `maxLevels` levels; when a new level would exceed that, the
// worst level goes (the levels farthest from the top are the ones a snapshot never covered
// anyway) and `truncated` counts it.

import { warmUpSides } from './side-warm-up.js';

/** Starting capacity in levels; doubles up to maxLevels (allocation only then). */
const INITIAL_CAPACITY = 256;
/** Default bound per side: twice Binance's largest snapshot (5000), room for levels added by diffs. */
export const DEFAULT_MAX_LEVELS = 10_000;
/**
 * Levels compared one by one from the top before the search turns binary. Most diff levels sit in
 * the top few ranks (bench/book.ts: 20+20-level diffs on a 1000-level book).
 */
const LINEAR_PROBES = 8;

/**
 * One side of a book: levels as fixed-point integers (value × 10^scale) in two parallel Float64Arrays, sorted worst first
 * so the best level is the last one (O(1) best, cheap changes near the top). Bounded by `maxLevels`.
 */
export class BookSide {
  /** True for bids (best = highest price), false for asks (best = lowest). */
  readonly isBid: boolean;
  /** Levels kept at most; past it the worst level is dropped (counted in `truncated`). */
  readonly maxLevels: number;
  /** Number of levels. */
  count = 0;
  /** Levels dropped because the side was full (the worst level makes room for a better one). */
  truncated = 0;
  /**
   * Index of the worst level in `prices` / `quantities`; the best is at start + count - 1. It
   * moves with every change at the far edge of the book: re-read it with the arrays.
   */
  start = 0;
  /**
   * The live arrays, worst level at index `start` and best at start + count - 1 (see price(rank)
   * for best-first access). They are replaced when the side grows, so re-read them after an
   * update, never keep them.
   */
  prices: Float64Array;
  /** Quantity of the level at the same index of `prices` (units); worst first, like `prices`. */
  quantities: Float64Array;
  /**
   * [best price, best quantity] (units; NaN, NaN when empty), kept current by every change. The
   * allocation-free way to read the top of the book in a hot loop: a typed-array load never boxes,
   * whereas a getter that V8 does not inline returns its double as a new HeapNumber.
   */
  readonly best = new Float64Array([NaN, NaN]);
  /** Scratch for set(price, quantity) and quantityAt(price). */
  private readonly probe = new Float64Array(2);
  constructor(isBid: boolean, maxLevels: number = DEFAULT_MAX_LEVELS) {
    if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new RangeError(`maxLevels must be a positive integer, got ${maxLevels}`);
    this.isBid = isBid;
    this.maxLevels = maxLevels;
    const capacity = Math.min(INITIAL_CAPACITY, maxLevels);
    this.prices = new Float64Array(capacity);
    this.quantities = new Float64Array(capacity);
    this.start = capacity >> 1;
    if (!sidesWarmedUp) {
      sidesWarmedUp = true;
      warmUpSides((bid, bound) => new BookSide(bid, bound), INITIAL_CAPACITY);
    }
  }

  /** Best price (units), NaN when the side is empty. O(1). (In a hot loop prefer `best[0]`: see there.) */
  get bestPrice(): number {
    return this.best[0]!;
  }

  /** Quantity at the best price (units), NaN when the side is empty. O(1). */
  get bestQuantity(): number {
    return this.best[1]!;
  }

  /** Index in `prices` / `quantities` of the level at `rank` (0 = best); meaningful for rank < count. */
  indexOfRank(rank: number): number {
    return this.start + this.count - 1 - rank;
  }

  /** Price of the level at `rank` (0 = best), NaN past the end. No copy: reads the live array. */
  price(rank: number): number {
    return rank >= 0 && rank < this.count ? this.prices[this.start + this.count - 1 - rank]! : NaN;
  }

  /** Quantity of the level at `rank` (0 = best), NaN past the end. */
  quantity(rank: number): number {
    return rank >= 0 && rank < this.count ? this.quantities[this.start + this.count - 1 - rank]! : NaN;
  }

  /** Quantity at exactly `price` (units), 0 when there is no such level. */
  quantityAt(price: number): number {
    this.probe[0] = price;
    const index = this.search(this.probe, 0);
    return index >= 0 ? this.quantities[index]! : 0;
  }

  /** Sum of the quantities of the best `levels` levels (units; exact while below 2^53). */
  depth(levels: number): number {
    let sum = 0;
    const top = this.start + this.count - 1;
    const stop = this.start + Math.max(0, this.count - levels);
    for (let i = top; i >= stop; i--) sum += this.quantities[i]!;
    return sum;
  }

  /** Copies the best `levels` levels best first as [price, quantity] pairs into `out`; returns how many. */
  copyTop(out: Float64Array, levels: number): number {
    const n = Math.min(levels, this.count, out.length >> 1);
    for (let rank = 0; rank < n; rank++) {
      const index = this.start + this.count - 1 - rank;
      out[2 * rank] = this.prices[index]!;
      out[2 * rank + 1] = this.quantities[index]!;
    }
    return n;
  }

  /**
   * Reads the lines of the arrays a diff most likely changes (the top 40 levels and the 16 worst)
   * and returns a meaningless integer. Between two events of a symbol a process with many books
   * has evicted them from the caches; these loads do not depend on each other, so the CPU fetches
   * them all at once instead of one miss after another as the search walks down (bench/book-cold.ts:
   * with the top 24 and worst 8 levels ~20-35% off a 100-book replay with cold caches, to the top 40
   * another ~17%).
   */
  prefetch(): number {
    const start = this.start;
    const top = start + this.count - 1;
    if (top < start) return 0;
    const prices = this.prices;
    const quantities = this.quantities;
    const top8 = Math.max(start, top - 8);
    const top16 = Math.max(start, top - 16);
    const top24 = Math.max(start, top - 24);
    const top32 = Math.max(start, top - 32);
    const edge = Math.min(top, start + 8);
    const sum =
      prices[top]! + prices[top8]! + prices[top16]! + prices[top24]! + prices[top32]! +
      quantities[top]! + quantities[top8]! + quantities[top16]! + quantities[top24]! + quantities[top32]! +
      prices[start]! + quantities[start]! + prices[edge]! + quantities[edge]! +
      this.best[0]!; // written after every change
    return sum > 0 ? 1 : 0;
  }

  /** Removes every level (the arrays keep their capacity: no allocation). */
  clear(): void {
    this.count = 0;
    this.start = this.prices.length >> 1;
    this.best[0] = NaN;
    this.best[1] = NaN;
  }

  /** Sets one level (see setLevel). Convenience: hot paths use setLevel, which takes no doubles as arguments. */
  set(price: number, quantity: number): void {
    this.probe[0] = price;
    this.probe[1] = quantity;
    this.setLevel(this.probe, 0);
  }

  /**
   * Sets the level levels[at] = price, levels[at + 1] = quantity (units). Binance: "If the price
   * level does not exist in the order book, insert it with new quantity. If the quantity is zero,
   * remove the price level from the order book."
   *
   * Prices and quantities travel in the typed array, never as arguments: a double passed to a
   * call V8 does not inline is boxed (a HeapNumber per level), and these calls are not inlined.
   */
  setLevel(levels: Float64Array, at: number): void {
    const quantity = levels[at + 1]!;
    const index = this.search(levels, at);
    if (index >= 0) {
      if (quantity !== 0) {
        this.quantities[index] = quantity;
      } else {
        // Removal: the levels between it and the nearer end of the range close the hole.
        const start = this.start;
        const end = start + this.count;
        if (index - start < end - 1 - index) {
          shiftLevels(this.prices, this.quantities, start, index, 1);
          this.start = start + 1;
        } else {
          shiftLevels(this.prices, this.quantities, index + 1, end, -1);
        }
        this.count--;
      }
    } else if (quantity !== 0) {
      this.insert(-1 - index, levels, at);
    } else {
      return; // removing a level we do not hold: nothing to do
    }
    this.refreshBest();
  }

  /**
   * Sets `count` levels, levels[2k] = price and levels[2k + 1] = quantity (units): the same result
   * as setLevel on each in turn. A diff or snapshot as venues send it (best first: Binance, OKX and
   * Bybit all do) is merged with the side in one pass from the top: each level's search goes on
   * from where the previous one stopped instead of probing again from the best level, and the
   * levels it passes move at most once or twice whatever the number of inserts and removals
   * (level by level, each insert or removal near the top moved every better level one step). In
   * the pipeline bench the book was ~40% of tickwire's CPU and its searches most of that.
   *
   * The merge is a gap moving down the side: passed levels are copied from `read` up to `write`,
   * a removal widens the gap, an insert fills it; when an insert finds no gap the merged levels
   * [write + 1, mergeTop] move up into the free room above the best level (once, by as many places
   * as levels remain). Levels deeper than the top MERGE_WINDOW ranks, or out of order, end the
   * merge and go through setLevel, which also handles growth and maxLevels.
   *
   * One loop with the cursor in locals. A call per level that kept the cursor in fields (loaded and
   * stored for every level) cost 100 books replaying the simulator's diffs round-robin 1.55 us per
   * diff against 1.34 now in cache, 3.15 against 2.59 with the caches thrashed between diffs (Node 22).
   */
  setLevels(levels: Float64Array, count: number): void {
    if (this.count === 0) this.makeRoom(count);
    const prices = this.prices;
    const quantities = this.quantities;
    const isBid = this.isBid;
    const start = this.start;
    const top = start + this.count - 1;
    // The side's levels not passed yet are [start, read]; the next merged level goes to `write`.
    let read = top;
    let write = top;
    // The best merged level (above the old best once an insert made room).
    let mergeTop = top;
    // The level MERGE_WINDOW ranks below the best when the merge began; -1: no window.
    const limit = this.count > MERGE_WINDOW ? top - MERGE_WINDOW + 1 : -1;
    let k = 0;
    for (; k < count; k++) {
      const price = levels[2 * k]!;
      const quantity = levels[2 * k + 1]!;
      if (write < mergeTop) {
        // The worst merged level: a repeated price changes it, a better price is out of order.
        const last = prices[write + 1]!;
        if (last === price) {
          if (quantity !== 0) quantities[write + 1] = quantity;
          else write++;
          continue;
        }
        if (isBid ? last < price : last > price) break;
      }
      // Deeper than the window: the far edge of the book, where setLevel moves the few worse levels.
      if (limit >= start && (read < limit || (isBid ? price < prices[limit]! : price > prices[limit]!))) break;
      // Pass the levels better than `price`, closing up the gap behind them.
      while (read >= start) {
        const value = prices[read]!;
        if (isBid ? value <= price : value >= price) break;
        if (write !== read) {
          prices[write] = value;
          quantities[write] = quantities[read]!;
        }
        write--;
        read--;
      }
      if (read >= start && prices[read] === price) {
        // The level exists: a new quantity, or its removal (the gap widens by one).
        if (quantity !== 0) {
          prices[write] = price;
          quantities[write] = quantity;
          write--;
        }
        read--;
      } else if (quantity !== 0) {
        if (write === read) {
          // No gap for a new level: the merged levels move up into the room above the best, by as
          // many places as levels remain. Without room setLevel takes over: it grows the arrays, or
          // at maxLevels (the arrays never outgrow it) drops the worst level.
          const room = prices.length - 1 - mergeTop;
          if (room === 0) break;
          const shift = Math.min(room, count - k);
          shiftLevels(prices, quantities, write + 1, mergeTop + 1, shift);
          mergeTop += shift;
          write += shift;
        }
        prices[write] = price;
        quantities[write] = quantity;
        write--;
      }
    }
    this.endMerge(read, write, mergeTop);
    for (; k < count; k++) this.setLevel(levels, 2 * k);
  }

  /**
   * Before levels go into an empty side (a snapshot): arrays grown to hold `count` levels (doubling,
   * up to maxLevels) and the empty range placed so that they all fit above it, so that the whole
   * snapshot is merged. Besides saving the moves, that makes every snapshot level an iteration of
   * setLevels's loop, so V8 optimizes it while the book loads rather than during the first diffs.
   */
  private makeRoom(count: number): void {
    const capacity = this.capacityFor(count);
    if (capacity !== this.prices.length) {
      this.prices = new Float64Array(capacity);
      this.quantities = new Float64Array(capacity);
    }
    this.start = (capacity - Math.min(count, capacity)) >> 1;
  }

  /** The arrays' length for `levels` levels: the current one doubled until they fit, never past maxLevels. */
  private capacityFor(levels: number): number {
    let capacity = this.prices.length;
    while (capacity < levels && capacity < this.maxLevels) capacity *= 2;
    return Math.min(capacity, this.maxLevels);
  }

  /**
   * Ends a merge with the side's levels not passed in [start, read] and the merged ones in
   * [write + 1, mergeTop]: closes the gap between them by moving the smaller part (through
   * shiftLevels, optimized early by setLevel's use), sets count and best.
   */
  private endMerge(read: number, write: number, mergeTop: number): void {
    const start = this.start;
    const gap = write - read;
    const below = read - start + 1;
    const above = mergeTop - write;
    if (gap > 0) {
      if (above <= below) {
        shiftLevels(this.prices, this.quantities, write + 1, mergeTop + 1, -gap);
      } else {
        shiftLevels(this.prices, this.quantities, start, read + 1, gap);
        this.start = start + gap;
      }
    }
    this.count = below + above;
    this.refreshBest();
  }

  /**
   * Copies the top level into `best`. Written as if/else on purpose: `cond ? price : NaN` makes
   * V8 merge a raw double with the NaN constant as a tagged value, boxing the price (a HeapNumber
   * per level set; test/book/allocation.test.ts).
   */
  private refreshBest(): void {
    const top = this.start + this.count - 1;
    const best = this.best;
    if (this.count > 0) {
      best[0] = this.prices[top]!;
      best[1] = this.quantities[top]!;
    } else {
      best[0] = NaN;
      best[1] = NaN;
    }
  }

  /**
   * Inserts levels[from], levels[from + 1] so that it sits just below the level now at index `at`
   * (`at` = start + count: above the best). The levels between it and the nearer end of the range
   * move one step outwards; a range that reaches the end of the array on that side is re-centred
   * first, and a full array grows, or at maxLevels gives up its worst level.
   */
  private insert(at: number, levels: Float64Array, from: number): void {
    if (this.count === this.prices.length) {
      if (this.count < this.maxLevels) {
        at = this.grow(at);
      } else {
        // Full: drop the worst level; a level worse than all we hold is the one dropped.
        this.truncated++;
        if (at === this.start) return;
        this.start++;
        this.count--;
      }
    }
    let start = this.start;
    let end = start + this.count;
    const towardsWorst = at - start < end - at;
    if (towardsWorst ? start === 0 : end === this.prices.length) {
      at = this.recentre(at);
      start = this.start;
      end = start + this.count;
    }
    const prices = this.prices;
    const quantities = this.quantities;
    if (towardsWorst && start > 0) {
      // The worse levels [start, at) move down one; the new level takes at - 1.
      shiftLevels(prices, quantities, start, at, -1);
      this.start = start - 1;
      at--;
    } else {
      shiftLevels(prices, quantities, at, end, 1);
    }
    prices[at] = levels[from]!;
    quantities[at] = levels[from + 1]!;
    this.count++;
  }

  /**
   * Moves the range to the middle of the arrays (free room on both sides); returns where index
   * `at` went. Called only when one side has no room left, so it runs once per many changes.
   */
  private recentre(at: number): number {
    const target = (this.prices.length - this.count) >> 1;
    const start = this.start;
    if (target !== start) {
      this.prices.copyWithin(target, start, start + this.count);
      this.quantities.copyWithin(target, start, start + this.count);
      this.start = target;
    }
    return at - start + target;
  }

  /**
   * Index of the price source[at] if present, else -1 - (insertion index). Index order is worst
   * first: ascending prices for bids, descending for asks. Probes the top levels linearly first.
   * Written -1 - index, never -index - 1: with index 0 the latter makes a -0 first, which
   * optimized code does not hold as an integer and deoptimizes on ("minus zero").
   */
  private search(source: Float64Array, at: number): number {
    const price = source[at]!;
    const prices = this.prices;
    const start = this.start;
    const isBid = this.isBid;
    // Linear probe from the best level down: stop at the first level not better than `price`.
    const probeStop = this.count > LINEAR_PROBES ? start + this.count - LINEAR_PROBES : start;
    let i = start + this.count - 1;
    for (; i >= probeStop; i--) {
      const value = prices[i]!;
      if (value === price) return i;
      if (isBid ? value < price : value > price) return -2 - i; // price goes just above i
    }
    if (probeStop === start) return -1 - start; // worse than every level we hold: at the start
    // The far edge: a depth-limited book gains and loses levels at its worst end as the price walks
    // (a tenth of the simulator's changes). The 8 worst levels share a cache line or two, where
    // galloping from the top to there would touch a line per step.
    const edge = Math.min(probeStop, start + LINEAR_PROBES);
    const edgeValue = prices[edge - 1]!;
    if (edgeValue === price) return edge - 1;
    if (isBid ? edgeValue > price : edgeValue < price) {
      // price lies in [start, edge - 1): stop at the first level better than it
      for (let j = start; j < edge - 1; j++) {
        const value = prices[j]!;
        if (value === price) return j;
        if (isBid ? value > price : value < price) return -1 - j;
      }
      return -edge;
    }
    // Galloping down from the probed window (8, 16, 32, ... levels below it), then a binary search
    // inside the bracket found. Changes cluster near the top, and a binary search over the whole
    // side would first touch the middle of the book, memory no nearby change needs: with many
    // books, cold between two events of a symbol, those reads were cache misses.
    let high = probeStop - 1;
    let low = start;
    for (let step = LINEAR_PROBES; ; step *= 2) {
      const probe = high - step + 1;
      if (probe <= start) break;
      const value = prices[probe]!;
      if (value === price) return probe;
      if (isBid ? value < price : value > price) {
        low = probe + 1; // price lies above probe, within [probe + 1, high]
        break;
      }
      high = probe - 1;
    }
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = prices[middle]!;
      if (value === price) return middle;
      // value is worse than price: price lies above middle
      if (isBid ? value < price : value > price) low = middle + 1;
      else high = middle - 1;
    }
    return -1 - low;
  }

  /** Doubles the arrays (up to maxLevels), the range centred in them; returns where index `at` went. */
  private grow(at: number): number {
    const capacity = this.capacityFor(this.count + 1);
    const prices = new Float64Array(capacity);
    const quantities = new Float64Array(capacity);
    const start = this.start;
    const target = (capacity - this.count) >> 1;
    prices.set(this.prices.subarray(start, start + this.count), target);
    quantities.set(this.quantities.subarray(start, start + this.count), target);
    this.prices = prices;
    this.quantities = quantities;
    this.start = target;
    return at - start + target;
  }
}

/**
 * Up to this many levels a move is an element loop: most changes land within a few dozen levels of
 * the nearer end, and a copyWithin call (a C++ builtin call per array) costs more than moving them
 * one by one. A 200-level side with the simulator's kind of traffic (changes a few levels from the
 * top, 30% removals) went from 25-30 to 12.5-13 ns a level on Node 20 with 16; 64 took another ~15%
 * off a 100-book replay with cold caches (the moves of 17 to 64 levels, ~14% of the changes there).
 */
const LOOP_MOVE_MAX = 64;

/**
 * Levels [from, to) move by `distance` places (up when positive). Shared by setLevel's one-place
 * moves, the merge's longer ones and endMerge's closing of the gap, so all of them run the code
 * setLevel's frequent calls have V8 optimize first (an interpreted loop would box every double it
 * copies).
 */
function shiftLevels(prices: Float64Array, quantities: Float64Array, from: number, to: number, distance: number): void {
  if (to - from > LOOP_MOVE_MAX) {
    prices.copyWithin(from + distance, from, to);
    quantities.copyWithin(from + distance, from, to);
    return;
  }
  if (distance > 0) {
    for (let i = to - 1; i >= from; i--) {
      prices[i + distance] = prices[i]!;
      quantities[i + distance] = quantities[i]!;
    }
  } else {
    for (let i = from; i < to; i++) {
      prices[i + distance] = prices[i]!;
      quantities[i + distance] = quantities[i]!;
    }
  }
}

/**
 * Diff levels within this many ranks of the best level are merged (setLevels). The simulator's
 * traffic, like a live top-of-book stream, changes 88% of its levels within the top 32 ranks and
 * ~11% at the far edge, where setLevel moves only the few worse levels.
 */
const MERGE_WINDOW = 32;

/** Set by the first BookSide constructed, before it runs warmUpSides (whose sides must not run it again). */
let sidesWarmedUp = false;
