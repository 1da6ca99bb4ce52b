// The local order book against Binance's documented procedure: buffered events before the
// snapshot, stale ones discarded, the straddling one applied, a snapshot that is too old, a gap
// that forces a resync from a new snapshot. Levels come from real JSON through market-json,
// as in the ticker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonFields } from '../../../src/market-json/index.js';
import { BookSide } from '../../../apps/binance-ticker/book-side.js';
import {
  BOOK_SYNCED,
  BOOK_UNSYNCED,
  DIFF_APPLIED,
  DIFF_BUFFERED,
  DIFF_GAP,
  DIFF_STALE,
  OrderBook,
  SNAPSHOT_APPLIED,
  SNAPSHOT_GAP,
  SNAPSHOT_TOO_OLD,
} from '../../../apps/binance-ticker/order-book.js';

const encoder = new TextEncoder();
const diffFields = jsonFields(['U', 'u', 'b', 'a']);
const snapshotFields = jsonFields(['lastUpdateId', 'bids', 'asks']);

type Levels = Array<[number, number]>;

function levelsJson(levels: Levels): string {
  return JSON.stringify(levels.map(([price, quantity]) => [price.toFixed(2), quantity.toFixed(4)]));
}

function diff(book: OrderBook, firstId: number, lastId: number, bids: Levels, asks: Levels): number {
  const bytes = encoder.encode(`{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":${firstId},"u":${lastId},"b":${levelsJson(bids)},"a":${levelsJson(asks)}}`);
  assert.ok(diffFields.scan(bytes));
  return book.onDiff(diffFields.integer(0), diffFields.integer(1), diffFields.levels(2), diffFields.levels(3));
}

function snapshot(book: OrderBook, lastUpdateId: number, bids: Levels, asks: Levels): number {
  const bytes = encoder.encode(`{"lastUpdateId":${lastUpdateId},"bids":${levelsJson(bids)},"asks":${levelsJson(asks)}}`);
  assert.ok(snapshotFields.scan(bytes));
  return book.applySnapshot(snapshotFields.integer(0), snapshotFields.levels(1), snapshotFields.levels(2));
}

function sideLevels(side: BookSide): Levels {
  const levels: Levels = [];
  for (let rank = 0; rank < side.count; rank++) levels.push([side.price(rank), side.quantity(rank)]);
  return levels;
}

test('buffered events: stale ones dropped, the straddling one and later ones applied in order', () => {
  const book = new OrderBook();
  assert.equal(book.state, BOOK_UNSYNCED);
  assert.equal(book.needsSnapshot, false, 'no snapshot before the first event (its U is needed)');
  assert.equal(diff(book, 95, 99, [[10, 5]], []), DIFF_BUFFERED); // entirely before the snapshot
  assert.equal(book.needsSnapshot, true);
  assert.equal(book.firstBufferedId, 95);
  assert.equal(diff(book, 100, 102, [[10, 3], [9.5, 1]], [[11, 0]]), DIFF_BUFFERED); // straddles 100
  assert.equal(diff(book, 103, 104, [[9, 0]], [[12.5, 7]]), DIFF_BUFFERED);
  assert.equal(book.bufferedEvents, 3);

  const result = snapshot(book, 100, [[10, 1], [9, 2]], [[11, 1], [12, 2]]);
  assert.equal(result, SNAPSHOT_APPLIED);
  assert.equal(book.state, BOOK_SYNCED);
  assert.equal(book.updateId, 104);
  assert.equal(book.bufferedEvents, 0);
  // 95..99 would have set 10 -> 5; it was discarded, then 100..102 set it to 3.
  assert.deepEqual(sideLevels(book.bids), [[10, 3], [9.5, 1]]);
  assert.deepEqual(sideLevels(book.asks), [[12, 2], [12.5, 7]]);

  assert.equal(diff(book, 100, 104, [[10, 99]], []), DIFF_STALE, 'u <= update id: ignored');
  assert.equal(book.bids.quantityAt(10), 3);
  assert.equal(diff(book, 105, 106, [[10.5, 1]], [[12, 0]]), DIFF_APPLIED);
  assert.equal(book.bids.price(0), 10.5);
  assert.equal(book.asks.price(0), 12.5);
  assert.equal(book.updateId, 106);
});

test('a snapshot older than the first buffered event is refused (step 4)', () => {
  const book = new OrderBook();
  diff(book, 200, 205, [[10, 1]], []);
  assert.equal(snapshot(book, 150, [[10, 9]], [[11, 9]]), SNAPSHOT_TOO_OLD);
  assert.equal(book.state, BOOK_UNSYNCED);
  assert.equal(book.bufferedEvents, 1, 'the buffer is kept for the next snapshot');
  assert.equal(snapshot(book, 202, [[10, 9]], [[11, 9]]), SNAPSHOT_APPLIED);
  assert.equal(book.updateId, 205);
  assert.equal(book.bids.quantityAt(10), 1);
});

test('a gap in the live stream discards the book and resyncs from a new snapshot', () => {
  const book = new OrderBook();
  diff(book, 10, 12, [[100, 1]], [[101, 1]]);
  assert.equal(snapshot(book, 11, [[100, 4], [99, 4]], [[101, 4], [102, 4]]), SNAPSHOT_APPLIED);
  assert.equal(diff(book, 13, 15, [[99, 0]], []), DIFF_APPLIED);
  assert.equal(book.updateId, 15);

  // Events 16..19 are lost: the next one starts at 20.
  assert.equal(diff(book, 20, 22, [[100, 7]], []), DIFF_GAP);
  assert.equal(book.state, BOOK_UNSYNCED);
  assert.equal(book.gaps, 1);
  assert.equal(book.bids.count, 0, 'the broken book is discarded');
  assert.equal(book.firstBufferedId, 20, 'the gapping event starts the new buffer');
  assert.equal(book.needsSnapshot, true);
  assert.equal(diff(book, 23, 23, [], [[101, 0]]), DIFF_BUFFERED);

  // The resync snapshot (lastUpdateId 21) already holds 20..21; 20..22 straddles it.
  assert.equal(snapshot(book, 21, [[100, 6], [98, 1]], [[101, 5], [103, 1]]), SNAPSHOT_APPLIED);
  assert.equal(book.state, BOOK_SYNCED);
  assert.equal(book.updateId, 23);
  assert.deepEqual(sideLevels(book.bids), [[100, 7], [98, 1]]);
  assert.deepEqual(sideLevels(book.asks), [[103, 1]]);
  assert.equal(book.snapshots, 2);
});

test('a gap inside the buffered events (after the snapshot) goes back to unsynced', () => {
  const book = new OrderBook();
  diff(book, 50, 52, [[1, 1]], []);
  diff(book, 56, 57, [[2, 1]], []); // 53..55 missing
  diff(book, 58, 58, [[3, 1]], []);
  assert.equal(snapshot(book, 51, [], []), SNAPSHOT_GAP);
  assert.equal(book.state, BOOK_UNSYNCED);
  assert.equal(book.gaps, 1);
  assert.equal(book.bufferedEvents, 2, 'events from the gap on stay buffered');
  assert.equal(book.firstBufferedId, 56);
  assert.equal(snapshot(book, 56, [[2, 9]], []), SNAPSHOT_APPLIED);
  assert.equal(book.updateId, 58);
  assert.deepEqual(sideLevels(book.bids), [[3, 1], [2, 1]]);
});

test('book sides match a reference map over random updates (bids descending, asks ascending)', () => {
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const descending of [true, false]) {
    const side = new BookSide(descending, 4); // small capacity: growth is exercised
    const reference = new Map<number, number>();
    for (let step = 0; step < 5000; step++) {
      const price = Math.floor(random() * 300) / 4;
      const quantity = random() < 0.3 ? 0 : Math.floor(random() * 100) / 10;
      side.set(price, quantity);
      if (quantity === 0) reference.delete(price);
      else reference.set(price, quantity);
    }
    const expected = [...reference.entries()].sort((x, y) => (descending ? y[0] - x[0] : x[0] - y[0]));
    assert.deepEqual(sideLevels(side), expected);
  }
});

test('NaN levels are ignored, removing an absent level is a no-op', () => {
  const side = new BookSide(true);
  side.set(NaN, 1);
  side.set(1, NaN);
  side.set(5, 0);
  assert.equal(side.count, 0);
  assert.ok(Number.isNaN(side.price(0)));
});
