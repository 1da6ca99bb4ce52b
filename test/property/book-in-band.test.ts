// LocalOrderBook in in-band snapshot mode (Bybit, OKX) against a reference model, many runs: a
// venue book makes random diffs; the stream delivers them, loses some (a gap), corrupts some (the
// venue's checksum then fails), pushes snapshots (asked for or not) and restarts its ids (Bybit's
// u = 1). Whenever the book says BOOK_IN_SYNC it must equal the venue's book at the book's update
// id; whenever it is out of sync it must have asked for a snapshot since it last loaded one; and
// REST is never touched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  BOOK_IN_SYNC,
  BOOK_SYNCING,
  DEPTH_SNAPSHOT,
  DepthDiff,
  DIFF_AWAITING_SNAPSHOT,
  DIFF_SNAPSHOT_LOADED,
  LocalOrderBook,
  REASON_CHECKSUM,
  type OrderBook,
} from '../../src/book/index.js';

type Change = [boolean, number, number];
type Step =
  | { type: 'event' | 'miss' | 'corrupt'; changes: Change[] }
  | { type: 'snapshot' }
  | { type: 'restart' };

const change = fc.tuple(fc.boolean(), fc.integer({ min: 90, max: 110 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })));
const changes = fc.array(change, { minLength: 1, maxLength: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ type: fc.constant('event' as const), changes }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('miss' as const), changes }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('corrupt' as const), changes }) },
  { weight: 3, arbitrary: fc.constant<Step>({ type: 'snapshot' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'restart' }) },
);

const levelsText = (bids: Map<number, number>, asks: Map<number, number>): string =>
  JSON.stringify([[...bids].sort((x, y) => y[0] - x[0]), [...asks].sort((x, y) => x[0] - y[0])]);

function bookText(book: OrderBook): string {
  const side = (levels: { count: number; price(rank: number): number; quantity(rank: number): number }): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let rank = 0; rank < levels.count; rank++) out.push([levels.price(rank) / 1e8, levels.quantity(rank) / 1e8]);
    return out;
  };
  return JSON.stringify([side(book.bids), side(book.asks)]);
}

/** The venue: its book, its update id (u, one per message), and the book as of every id of this epoch. */
class Venue {
  updateId = 1;
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  history = new Map<number, string>([[1, levelsText(this.bids, this.asks)]]);

  /** Applies changes as the next message; returns it as delivered (levels altered when `corrupt`). */
  event(list: Change[], corrupt: boolean): DepthDiff {
    const diff = new DepthDiff(8);
    this.updateId++;
    diff.firstUpdateId = diff.finalUpdateId = this.updateId;
    for (const [isBid, price, quantity] of list) {
      const side = isBid ? this.bids : this.asks;
      if (quantity === 0) side.delete(price);
      else side.set(price, quantity);
      const out = isBid ? diff.growBids(diff.bidCount + 1) : diff.growAsks(diff.askCount + 1);
      const at = 2 * (isBid ? diff.bidCount++ : diff.askCount++);
      out[at] = price * 1e8;
      // A corrupted message: one quantity off by one unit, which the venue's checksum does not match.
      out[at + 1] = (corrupt && at === 0 ? quantity + 1 : quantity) * 1e8;
    }
    this.history.set(this.updateId, levelsText(this.bids, this.asks));
    return diff;
  }

  snapshot(): DepthDiff {
    const diff = new DepthDiff(8);
    diff.kind = DEPTH_SNAPSHOT;
    diff.firstUpdateId = diff.finalUpdateId = this.updateId;
    for (const [price, quantity] of [...this.bids].sort((x, y) => y[0] - x[0])) {
      const out = diff.growBids(diff.bidCount + 1);
      out[2 * diff.bidCount] = price * 1e8;
      out[2 * diff.bidCount++ + 1] = quantity * 1e8;
    }
    for (const [price, quantity] of [...this.asks].sort((x, y) => x[0] - y[0])) {
      const out = diff.growAsks(diff.askCount + 1);
      out[2 * diff.askCount] = price * 1e8;
      out[2 * diff.askCount++ + 1] = quantity * 1e8;
    }
    return diff;
  }

  /** "u = 1 ... due to the restart of the service": ids start over, on a book that keeps its levels. */
  restart(): void {
    this.updateId = 1;
    this.history = new Map([[1, levelsText(this.bids, this.asks)]]);
  }
}

test('in-band snapshots: in sync means equal to the venue at the same id (gaps, corrupt messages, pushed snapshots, restarts)', async () => {
  let inSyncChecks = 0;
  let checksumResyncs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 80 }), async (steps) => {
      const venue = new Venue();
      let requests = 0;
      let requestsAtLoad = 0;
      const book = new LocalOrderBook({
        symbol: 'BTCUSDT',
        requestInBandSnapshot: (symbol) => {
          assert.equal(symbol, 'BTCUSDT');
          requests++;
        },
        // The venue's checksum: the book must equal the venue's at the id it reached.
        verify: (current, diff) => bookText(current) === venue.history.get(diff.finalUpdateId),
        pacing: { minIntervalMs: 0 },
        listener: {
          onStateChange: (_book, state, reason) => {
            if (state === BOOK_IN_SYNC) requestsAtLoad = requests;
            if (reason === REASON_CHECKSUM) checksumResyncs++;
          },
        },
      });
      try {
        // Subscribing: the venue's first message is the snapshot.
        assert.equal(book.onDiff(venue.snapshot()), DIFF_SNAPSHOT_LOADED);
        for (const next of steps) {
          if (next.type === 'snapshot') {
            assert.equal(book.onDiff(venue.snapshot()), DIFF_SNAPSHOT_LOADED, 'a snapshot always loads');
          } else if (next.type === 'restart') {
            venue.restart();
            book.onDiff(venue.snapshot());
          } else {
            const diff = venue.event(next.changes, next.type === 'corrupt');
            if (next.type === 'miss') continue;
            const wasSyncing = book.state === BOOK_SYNCING;
            const verdict = book.onDiff(diff);
            if (wasSyncing) assert.equal(verdict, DIFF_AWAITING_SNAPSHOT);
          }
          if (book.state === BOOK_IN_SYNC) {
            inSyncChecks++;
            assert.equal(bookText(book.book), venue.history.get(book.updateId), `book at ${book.updateId} equals the venue's`);
          } else {
            assert.equal(book.state, BOOK_SYNCING);
            assert.ok(requests > requestsAtLoad, 'out of sync: a snapshot was asked for');
          }
        }
        assert.equal(book.bufferedDiffs, 0, 'in-band mode buffers nothing');
      } finally {
        book.close();
      }
    }),
    { numRuns: 300 },
  );
  assert.ok(inSyncChecks > 1000, `in-sync states checked: ${inSyncChecks}`);
  assert.ok(checksumResyncs > 10, `checksum resyncs: ${checksumResyncs}`);
});
