// LocalOrderBook against a reference model, without sockets and with many runs: a server book
// makes random diffs (ids advance by 1-3 per event); the client receives them, misses some (a gap),
// is reset (a reconnect), and gets snapshot answers taken at any earlier or current server state
// (too old, stale or current). Whenever the book says BOOK_IN_SYNC it must equal the server's
// book as of the book's update id; every missed event must be reported as a gap or lie before
// the snapshot the book loaded next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BOOK_IN_SYNC, DepthDiff, LocalOrderBook } from '../../src/book/index.js';
import { binanceSnapshotDecoder } from '../../src/venues/binance/index.js';

const encoder = new TextEncoder();

type Step =
  | { type: 'event'; changes: Array<[boolean, number, number]>; span: number }
  | { type: 'miss'; changes: Array<[boolean, number, number]>; span: number }
  | { type: 'reset' }
  | { type: 'answer'; age: number };

const change = fc.tuple(fc.boolean(), fc.integer({ min: 90, max: 110 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ type: fc.constant('event' as const), changes: fc.array(change, { minLength: 1, maxLength: 4 }), span: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('miss' as const), changes: fc.array(change, { minLength: 1, maxLength: 4 }), span: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'reset' }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('answer' as const), age: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })) }) },
);

/** The server: the book after each update id, as [bids, asks] maps of whole units. */
class Server {
  updateId = 1000;
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  /** Snapshot bodies by the update id they reflect, newest last. */
  readonly history: Array<{ id: number; body: Uint8Array; levels: string }> = [];

  constructor() {
    this.record();
  }

  /** Applies changes as one event and returns it as a DepthDiff (scale 8). */
  event(changes: Array<[boolean, number, number]>, span: number): DepthDiff {
    const diff = new DepthDiff(8);
    diff.firstUpdateId = this.updateId + 1;
    this.updateId += span;
    diff.finalUpdateId = this.updateId;
    for (const [isBid, price, quantity] of changes) {
      const side = isBid ? this.bids : this.asks;
      if (quantity === 0) side.delete(price);
      else side.set(price, quantity);
      const out = isBid ? diff.growBids(diff.bidCount + 1) : diff.growAsks(diff.askCount + 1);
      const at = 2 * (isBid ? diff.bidCount++ : diff.askCount++);
      out[at] = price * 1e8;
      out[at + 1] = quantity * 1e8;
    }
    this.record();
    return diff;
  }

  private record(): void {
    const sorted = (side: Map<number, number>, descending: boolean): Array<[string, string]> =>
      [...side.entries()].sort((x, y) => (descending ? y[0] - x[0] : x[0] - y[0])).map(([p, q]) => [`${p}.00000000`, `${q}.00000000`]);
    const snapshot = { lastUpdateId: this.updateId, bids: sorted(this.bids, true), asks: sorted(this.asks, false) };
    this.history.push({ id: this.updateId, body: encoder.encode(JSON.stringify(snapshot)), levels: JSON.stringify(snapshot) });
  }

  levelsAt(id: number): string | undefined {
    return this.history.find((entry) => entry.id === id)?.levels;
  }
}

test('in sync means equal to the server book at the same update id (random gaps, resets, snapshot ages)', async () => {
  let inSyncChecks = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 60 }), async (steps) => {
      const server = new Server();
      const requests: Array<(body: Uint8Array) => void> = [];
      let reported = 0;
      let missedSinceSync = 0;
      const book = new LocalOrderBook({
        symbol: 'X',
        fetchSnapshot: () => new Promise((resolve) => requests.push(resolve)),
        decodeSnapshot: binanceSnapshotDecoder(),
        pacing: { minIntervalMs: 0 },
        listener: {
          onGap: () => {
            reported++;
            missedSinceSync = 0;
          },
        },
      });
      for (const current of steps) {
        if (current.type === 'event') {
          book.onDiff(server.event(current.changes, current.span));
        } else if (current.type === 'miss') {
          server.event(current.changes, current.span);
          if (book.state === BOOK_IN_SYNC) missedSinceSync++;
        } else if (current.type === 'reset') {
          book.reset();
          missedSinceSync = 0;
        } else {
          const answer = requests.shift();
          if (answer !== undefined) {
            const entry = server.history[Math.max(0, server.history.length - 1 - current.age)]!;
            answer(entry.body);
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        if (book.state === BOOK_IN_SYNC) {
          inSyncChecks++;
          assert.equal(JSON.stringify(book.book.toLevels()), server.levelsAt(book.updateId), `book at ${book.updateId}`);
        }
      }
      // A missed event while in sync is noticed by the next event that arrives.
      if (missedSinceSync > 0) {
        const before = reported;
        book.onDiff(server.event([[true, 100, 1]], 1));
        assert.ok(reported > before || book.state !== BOOK_IN_SYNC, 'a miss in sync is reported as a gap');
      }
      book.close();
    }),
    { numRuns: 400 },
  );
  assert.ok(inSyncChecks > 1000, `in-sync states checked: ${inSyncChecks}`);
});
