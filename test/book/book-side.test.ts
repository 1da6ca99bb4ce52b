// BookSide and OrderBook against a Map model: any sequence of sets gives the same levels, best
// first, and the bound on levels drops the worst ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BookSide, DepthDiff, OrderBook } from '../../src/book/index.js';

function modelLevels(model: Map<number, number>, isBid: boolean): number[][] {
  return [...model.entries()].sort((x, y) => (isBid ? y[0] - x[0] : x[0] - y[0]));
}

function sideLevels(side: BookSide): number[][] {
  const out: number[][] = [];
  for (let rank = 0; rank < side.count; rank++) out.push([side.price(rank), side.quantity(rank)]);
  return out;
}

describe('BookSide', () => {
  it('equals a Map model after random sets (bids and asks, clustered near the top)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: 990, max: 1010 }), fc.integer({ min: 1, max: 5000 })), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e12 }))), {
          maxLength: 400,
        }),
        (isBid, sets) => {
          const side = new BookSide(isBid);
          const model = new Map<number, number>();
          for (const [price, quantity] of sets) {
            side.set(price, quantity);
            if (quantity === 0) model.delete(price);
            else model.set(price, quantity);
          }
          const expected = modelLevels(model, isBid);
          assert.deepEqual(sideLevels(side), expected);
          assert.equal(side.count, model.size);
          if (expected.length > 0) {
            assert.equal(side.bestPrice, expected[0]![0]);
            assert.equal(side.bestQuantity, expected[0]![1]);
          } else {
            assert.ok(Number.isNaN(side.bestPrice));
          }
          for (const [price, quantity] of expected) assert.equal(side.quantityAt(price!), quantity);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps at most maxLevels: the worst level makes room, a worse one is dropped', () => {
    const bids = new BookSide(true, 3);
    for (const price of [10, 20, 30]) bids.set(price, 1);
    bids.set(5, 1); // worse than all: dropped
    assert.deepEqual(sideLevels(bids), [[30, 1], [20, 1], [10, 1]]);
    bids.set(25, 2); // better than the worst: 10 goes
    assert.deepEqual(sideLevels(bids), [[30, 1], [25, 2], [20, 1]]);
    assert.equal(bids.truncated, 2);
    const asks = new BookSide(false, 2);
    asks.set(10, 1);
    asks.set(11, 1);
    asks.set(9, 1);
    assert.deepEqual(sideLevels(asks), [[9, 1], [10, 1]]);
  });

  it('equals a bounded Map model under a moving window: levels enter and leave at both ends, growth, truncation, clear', () => {
    // A depth-limited book as exchanges keep one: the mid walks, a level leaves at the far end as
    // one enters at the top (and the reverse); plus random sets anywhere, a bound small enough to
    // truncate, and clears (a snapshot reload, levels then inserted best first).
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constant('walk' as const), fc.integer({ min: -1, max: 1 }), fc.integer({ min: 1, max: 9 })) },
      { weight: 3, arbitrary: fc.tuple(fc.constant('set' as const), fc.integer({ min: -60, max: 60 }), fc.integer({ min: 0, max: 9 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('reload' as const), fc.integer({ min: 0, max: 320 }), fc.integer({ min: 1, max: 9 })) },
    );
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 600 }), fc.array(step, { maxLength: 600 }), (isBid, maxLevels, steps) => {
        const side = new BookSide(isBid, maxLevels);
        let model = new Map<number, number>();
        let truncated = 0;
        /** The model's bounded set: keeps the best maxLevels, as the side does. */
        const setModel = (price: number, quantity: number): void => {
          if (quantity === 0) {
            model.delete(price);
            return;
          }
          if (!model.has(price) && model.size === maxLevels) {
            truncated++;
            const worst = modelLevels(model, isBid).at(-1)![0]!;
            const better = isBid ? price > worst : price < worst;
            if (!better) return;
            model.delete(worst);
          }
          model.set(price, quantity);
        };
        let mid = 1000;
        const depth = 40;
        const apply = (price: number, quantity: number): void => {
          side.set(price, quantity);
          setModel(price, quantity);
        };
        for (const [kind, a, b] of steps) {
          if (kind === 'walk') {
            // the best moves by `a`; the level `depth` away from the new best leaves, the new best enters
            mid += a;
            apply(isBid ? mid - depth - 1 : mid + depth + 1, 0);
            apply(mid, b);
          } else if (kind === 'set') {
            apply(mid + a, b);
          } else {
            side.clear();
            model = new Map();
            for (let k = 0; k < a; k++) apply(isBid ? mid - k : mid + k, b); // best first
          }
        }
        assert.deepEqual(sideLevels(side), modelLevels(model, isBid));
        assert.equal(side.truncated, truncated);
        assert.ok(side.start >= 0 && side.start + side.count <= side.prices.length);
        if (side.count > 0) assert.equal(side.best[0], side.price(0));
      }),
      { numRuns: 300 },
    );
  });

  it('setLevels (the merge cursor) equals setLevel level by level: best-first, reversed and repeated prices, deep levels, growth, the bound', () => {
    // A diff: prices near a moving mid (so they hit the top, the window edge at rank 32 and the far
    // end); best first as venues send them, or reversed, or with a repeated price; quantity 0 removes.
    const diffArbitrary = fc.record({
      shift: fc.integer({ min: -20, max: 20 }),
      order: fc.constantFrom('best first', 'reversed', 'repeat'),
      levels: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e12 }))), {
        selector: ([price]) => price,
        maxLength: 80,
      }),
      repeatAt: fc.nat(),
      repeatQuantity: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e12 })),
    });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.oneof(fc.constant(10_000), fc.integer({ min: 1, max: 120 })),
        fc.array(diffArbitrary, { maxLength: 30 }),
        (isBid, maxLevels, diffs) => {
          const merged = new BookSide(isBid, maxLevels);
          const oneByOne = new BookSide(isBid, maxLevels);
          let mid = 1000;
          for (const diff of diffs) {
            mid += diff.shift;
            const pairs: Array<readonly [number, number]> = diff.levels.map(([offset, quantity]) => [isBid ? mid - offset : mid + offset, quantity] as const);
            pairs.sort((x, y) => (isBid ? y[0] - x[0] : x[0] - y[0]));
            if (diff.order === 'reversed') pairs.reverse();
            if (diff.order === 'repeat' && pairs.length > 0) {
              const at = diff.repeatAt % pairs.length;
              pairs.splice(at + 1, 0, [pairs[at]![0], diff.repeatQuantity]);
            }
            const levels = new Float64Array(pairs.flat());
            merged.setLevels(levels, pairs.length);
            for (let k = 0; k < pairs.length; k++) oneByOne.setLevel(levels, 2 * k);
            assert.deepEqual(sideLevels(merged), sideLevels(oneByOne));
            assert.equal(merged.truncated, oneByOne.truncated);
            assert.deepEqual(Array.from(merged.best), Array.from(oneByOne.best));
            assert.ok(merged.start >= 0 && merged.start + merged.count <= merged.prices.length);
            assert.ok(merged.count <= maxLevels);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('setLevels loads a 5000-level best-first snapshot into an empty side and merges the next diff at the top', () => {
    for (const isBid of [true, false]) {
      const side = new BookSide(isBid);
      const count = 5000;
      const levels = new Float64Array(2 * count);
      for (let k = 0; k < count; k++) {
        levels[2 * k] = isBid ? 100_000 - k : 100_000 + k;
        levels[2 * k + 1] = k + 1;
      }
      side.setLevels(levels, count);
      assert.equal(side.count, count);
      assert.equal(side.price(0), 100_000);
      assert.equal(side.price(count - 1), isBid ? 100_000 - count + 1 : 100_000 + count - 1);
      assert.equal(side.quantity(count - 1), count);
      assert.ok(side.prices.length >= count && side.prices.length <= side.maxLevels);
      // A better level, the removal of the old best, a change at rank 3: one diff.
      const better = isBid ? 100_001 : 99_999;
      const third = isBid ? 99_997 : 100_003;
      side.setLevels(new Float64Array([better, 7, 100_000, 0, third, 9]), 3);
      assert.deepEqual([side.price(0), side.quantity(0), side.price(1), side.quantity(3), side.count], [better, 7, isBid ? 99_999 : 100_001, 9, count]);
      assert.deepEqual(Array.from(side.best), [better, 7]);
    }
  });

  it('views without copies: price(rank) past the end is NaN; copyTop and depth', () => {
    const asks = new BookSide(false);
    for (let k = 0; k < 10; k++) asks.set(100 + k, k + 1);
    assert.ok(Number.isNaN(asks.price(10)));
    assert.ok(Number.isNaN(asks.price(-1)));
    assert.equal(asks.depth(3), 1 + 2 + 3);
    const out = new Float64Array(8);
    assert.equal(asks.copyTop(out, 5), 4);
    assert.deepEqual(Array.from(out), [100, 1, 101, 2, 102, 3, 103, 4]);
  });
});

describe('OrderBook', () => {
  it('apply / load / toLevels with fixed-point text', () => {
    const book = new OrderBook(8);
    const diff = new DepthDiff(8);
    diff.bids.set([6700012345678, 150000000, 6700000000000, 1]);
    diff.bidCount = 2;
    diff.asks.set([6700100000000, 0]);
    diff.askCount = 1;
    diff.finalUpdateId = 42;
    book.apply(diff);
    assert.deepEqual(book.toLevels(), {
      lastUpdateId: 42,
      bids: [
        ['67000.12345678', '1.50000000'],
        ['67000.00000000', '0.00000001'],
      ],
      asks: [],
    });
    assert.equal(book.bestBid, 67000.12345678);
    assert.ok(Number.isNaN(book.bestAsk));
    book.load(diff, 7);
    assert.equal(book.updateId, 7);
    assert.equal(book.bids.count, 2);
    assert.throws(() => new OrderBook(16), RangeError);
  });
});
