// LocalOrderBook's procedure (Binance "How to manage a local order book correctly") with a
// snapshot source function the test controls: buffering, the too-old snapshot, stale events,
// the first event's bridge, gaps with their missing range, broken sequences, paced resyncs,
// Retry-After, reset and close. (Over real sockets against the simulator: test/property/book-simulator.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BookError,
  BOOK_CLOSED,
  BOOK_IN_SYNC,
  BOOK_SYNCING,
  binanceFuturesSequence,
  DepthDiff,
  DIFF_APPLIED,
  DIFF_AWAITING_SNAPSHOT,
  DIFF_BUFFERED,
  DIFF_SNAPSHOT_LOADED,
  DEPTH_SNAPSHOT,
  DIFF_IGNORED,
  DIFF_RESYNC,
  DIFF_STALE,
  LocalOrderBook,
  REASON_CHECKSUM,
  REASON_GAP,
  REASON_RESET,
  REASON_SEQUENCE_BROKEN,
  REASON_SNAPSHOT_LOADED,
  RequestBudget,
  type LocalOrderBookOptions,
} from '../../src/book/index.js';
import { binanceSnapshotDecoder } from '../../src/venues/binance/index.js';

const encoder = new TextEncoder();

/** A diff at scale 8 with one bid level (price, quantity in whole units). */
function diff(first: number, final: number, bid: [number, number] = [first, 1], previous = NaN): DepthDiff {
  const out = new DepthDiff(8);
  out.firstUpdateId = first;
  out.finalUpdateId = final;
  out.previousUpdateId = previous;
  out.bids[0] = bid[0] * 1e8;
  out.bids[1] = bid[1] * 1e8;
  out.bidCount = 1;
  return out;
}

function snapshotBody(lastUpdateId: number, bids: Array<[number, number]> = []): Uint8Array {
  return encoder.encode(JSON.stringify({ lastUpdateId, bids: bids.map(([p, q]) => [p.toFixed(8), q.toFixed(8)]), asks: [] }));
}

/** A snapshot source whose answers the test hands out one by one. */
class Snapshots {
  readonly requests: string[] = [];
  private readonly waiting: Array<{ resolve: (body: Uint8Array) => void; reject: (error: unknown) => void }> = [];
  readonly fetch = (symbol: string): Promise<Uint8Array> => {
    this.requests.push(symbol);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  };
  async answer(body: Uint8Array): Promise<void> {
    const next = this.waiting.shift();
    assert.ok(next, 'a snapshot request is pending');
    next.resolve(body);
    await new Promise((resolve) => setImmediate(resolve));
  }
  async fail(error: unknown): Promise<void> {
    const next = this.waiting.shift();
    assert.ok(next, 'a snapshot request is pending');
    next.reject(error);
    await new Promise((resolve) => setImmediate(resolve));
  }
  get pending(): number {
    return this.waiting.length;
  }
}

function makeBook(snapshots: Snapshots, extra: Partial<LocalOrderBookOptions> = {}) {
  const events: string[] = [];
  let clock = 0;
  const book = new LocalOrderBook({
    symbol: 'BTCUSDT',
    fetchSnapshot: snapshots.fetch,
    decodeSnapshot: binanceSnapshotDecoder(),
    pacing: { minIntervalMs: 0, now: () => clock },
    listener: {
      onStateChange: (_book, state, reason) => events.push(`state ${state} ${reason}`),
      onGap: (_book, from, to) => events.push(`gap ${from}-${to}`),
      onSnapshotError: (_book, error) => events.push(`error ${(error as Error).message}`),
    },
    ...extra,
  });
  return { book, events, advance: (ms: number) => (clock += ms) };
}

describe('LocalOrderBook', () => {
  it('buffers, drops u <= lastUpdateId, bridges lastUpdateId + 1, then applies in order', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots);
    assert.equal(book.onDiff(diff(101, 105, [100, 1])), DIFF_BUFFERED);
    assert.equal(snapshots.requests.length, 1, 'the first event asks for a snapshot');
    assert.equal(book.onDiff(diff(106, 110, [101, 2])), DIFF_BUFFERED);
    assert.equal(book.onDiff(diff(111, 112, [102, 3])), DIFF_BUFFERED);
    assert.equal(snapshots.requests.length, 1, 'one request at a time');
    await snapshots.answer(snapshotBody(108, [[99, 9], [101, 7]]));
    assert.equal(book.state, BOOK_IN_SYNC);
    // 101-105 dropped (u <= 108), 106-110 bridges 109, 111-112 follows.
    assert.equal(book.updateId, 112);
    assert.deepEqual(book.book.toLevels().bids, [
      ['102.00000000', '3.00000000'],
      ['101.00000000', '2.00000000'],
      ['99.00000000', '9.00000000'],
    ]);
    assert.equal(book.onDiff(diff(110, 112)), DIFF_STALE);
    assert.equal(book.onDiff(diff(113, 113, [99, 0])), DIFF_APPLIED);
    assert.equal(book.bids.bestPrice, 102e8);
    assert.equal(book.bids.count, 2);
    assert.deepEqual(events, [`state ${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`]);
  });

  it('a snapshot older than the first buffered U is asked for again', async () => {
    const snapshots = new Snapshots();
    const { book } = makeBook(snapshots);
    book.onDiff(diff(200, 201));
    await snapshots.answer(snapshotBody(150));
    assert.equal(book.state, BOOK_SYNCING);
    assert.equal(book.snapshotsTooOld, 1);
    assert.equal(snapshots.requests.length, 2);
    await snapshots.answer(snapshotBody(200));
    assert.equal(book.state, BOOK_IN_SYNC);
    assert.equal(book.updateId, 201);
  });

  it('a gap in sync: reported with the missing range, book discarded, resync from a new snapshot', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots);
    book.onDiff(diff(10, 10));
    await snapshots.answer(snapshotBody(10));
    assert.equal(book.state, BOOK_IN_SYNC);
    assert.equal(book.onDiff(diff(11, 12)), DIFF_APPLIED);
    assert.equal(book.onDiff(diff(16, 17, [5, 5])), DIFF_RESYNC);
    assert.equal(book.state, BOOK_SYNCING);
    assert.equal(book.bids.count, 0, 'the book is discarded');
    assert.equal(book.bufferedDiffs, 1, 'the diff after the gap starts the new buffer');
    assert.equal(book.gaps, 1);
    assert.equal(snapshots.requests.length, 2);
    assert.equal(book.onDiff(diff(18, 18)), DIFF_BUFFERED);
    await snapshots.answer(snapshotBody(16, [[4, 4]]));
    assert.equal(book.state, BOOK_IN_SYNC);
    assert.equal(book.updateId, 18);
    assert.deepEqual(events, [
      `state ${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`,
      'gap 13-15',
      `state ${BOOK_SYNCING} ${REASON_GAP}`,
      `state ${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`,
    ]);
  });

  it('a gap among the buffered events keeps the rest as the new buffer', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots);
    book.onDiff(diff(10, 11));
    book.onDiff(diff(12, 13));
    book.onDiff(diff(20, 21)); // 14-19 missing
    book.onDiff(diff(22, 22));
    await snapshots.answer(snapshotBody(10));
    assert.equal(book.state, BOOK_SYNCING);
    assert.equal(book.bufferedDiffs, 2);
    assert.deepEqual(events.slice(0, 2), ['gap 14-19', `state ${BOOK_SYNCING} ${REASON_GAP}`]);
    await snapshots.answer(snapshotBody(20));
    assert.equal(book.state, BOOK_IN_SYNC);
    assert.equal(book.updateId, 22);
  });

  it('an overlapping event after the first is a broken sequence (no missing ids to name)', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots);
    book.onDiff(diff(1, 5));
    await snapshots.answer(snapshotBody(3));
    assert.equal(book.updateId, 5, 'the first event may overlap the snapshot');
    assert.equal(book.onDiff(diff(4, 8)), DIFF_RESYNC);
    assert.deepEqual(events.slice(1), ['gap 6-5', `state ${BOOK_SYNCING} ${REASON_SEQUENCE_BROKEN}`]);
  });

  it('paces resyncs: backoff on failure, Retry-After honoured (never earlier)', async () => {
    const snapshots = new Snapshots();
    const book = new LocalOrderBook({
      symbol: 'BTCUSDT',
      fetchSnapshot: snapshots.fetch,
      decodeSnapshot: binanceSnapshotDecoder(),
      pacing: { minIntervalMs: 20, maxBackoffMs: 1000 },
    });
    book.onDiff(diff(1, 1));
    assert.equal(snapshots.requests.length, 1);
    const failedAt = Date.now();
    await snapshots.fail(new BookError('TW_ERR_SNAPSHOT_HTTP', 'HTTP 429', { status: 429, retryAfterMs: 300 }));
    assert.equal(book.snapshotFailures, 1);
    assert.equal(snapshots.requests.length, 1, 'no immediate retry after a 429');
    while (snapshots.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    // A lower bound only (timers never fire early; a busy machine only makes it later).
    assert.ok(Date.now() - failedAt >= 290, `retried after ${Date.now() - failedAt} ms, Retry-After was 300 ms`);
    await snapshots.answer(encoder.encode('not json'));
    assert.equal(book.snapshotFailures, 2, 'an unreadable snapshot counts as a failure');
    assert.equal(snapshots.pending, 0, 'the next try is scheduled, not sent at once');
    book.close();
    assert.equal(book.state, BOOK_CLOSED);
    assert.equal(book.onDiff(diff(2, 2)), DIFF_IGNORED);
  });

  it('a shared RequestBudget spaces requests by weight', () => {
    let clock = 0;
    const budget = new RequestBudget(100, 1000, () => clock);
    assert.equal(budget.delayFor(60), 0);
    budget.take(60);
    assert.equal(budget.delayFor(60), 200);
    clock += 200;
    assert.equal(budget.delayFor(60), 0);
  });

  it('reset() forgets the book; answers to earlier requests are dropped', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots);
    book.onDiff(diff(1, 1));
    book.reset();
    assert.deepEqual(events, [`state ${BOOK_SYNCING} ${REASON_RESET}`]);
    await snapshots.answer(snapshotBody(1));
    assert.equal(book.state, BOOK_SYNCING, 'the old answer is ignored');
    book.onDiff(diff(50, 50));
    await snapshots.answer(snapshotBody(50));
    assert.equal(book.state, BOOK_IN_SYNC);
  });

  it('a verifier that fails triggers a resync (the hook for OKX-style checksums)', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots, { verify: (_book, d) => d.checksum !== 0 });
    book.onDiff(diff(1, 1));
    await snapshots.answer(snapshotBody(1));
    const bad = diff(2, 2);
    bad.checksum = 0;
    assert.equal(book.onDiff(bad), DIFF_RESYNC);
    assert.equal(events.at(-1), `state ${BOOK_SYNCING} ${REASON_CHECKSUM}`);
  });

  it('Binance USD-M rule: pu must equal the previous u', async () => {
    const snapshots = new Snapshots();
    const { book, events } = makeBook(snapshots, { sequence: binanceFuturesSequence });
    book.onDiff(diff(95, 100, [1, 1], 94));
    book.onDiff(diff(101, 104, [2, 2], 100));
    await snapshots.answer(snapshotBody(98));
    assert.equal(book.state, BOOK_IN_SYNC);
    assert.equal(book.updateId, 104);
    assert.equal(book.onDiff(diff(110, 112, [3, 3], 104)), DIFF_APPLIED, 'U may jump; pu links');
    assert.equal(book.onDiff(diff(120, 121, [3, 3], 115)), DIFF_RESYNC);
    assert.equal(events.at(-2), 'gap 113-119');
  });
});

describe('LocalOrderBook with in-band snapshots (Bybit, OKX)', () => {
  const snapshotDiff = (id: number, bid: [number, number]): DepthDiff => {
    const out = diff(id, id, bid);
    out.kind = DEPTH_SNAPSHOT;
    return out;
  };

  it('takes either a REST source or an in-band request, not both, not neither', () => {
    const decodeSnapshot = binanceSnapshotDecoder();
    const fetchSnapshot = (): Promise<Uint8Array> => Promise.reject(new Error('unused'));
    assert.throws(() => new LocalOrderBook({ symbol: 'X' }), TypeError);
    assert.throws(() => new LocalOrderBook({ symbol: 'X', fetchSnapshot }), TypeError);
    assert.throws(() => new LocalOrderBook({ symbol: 'X', fetchSnapshot, decodeSnapshot, requestInBandSnapshot: () => undefined }), TypeError);
    const book = new LocalOrderBook({ symbol: 'X', requestInBandSnapshot: () => undefined });
    assert.equal(book.inBand, true);
    book.close();
  });

  it('a snapshot loads the book in any state; diffs while syncing ask for one and are dropped; a gap asks again', () => {
    const asked: string[] = [];
    const states: string[] = [];
    const book = new LocalOrderBook({
      symbol: 'ETH-USDT',
      requestInBandSnapshot: (symbol) => asked.push(symbol),
      pacing: { minIntervalMs: 0 },
      listener: { onStateChange: (_book, state, reason) => states.push(`${state} ${reason}`) },
    });
    try {
      assert.equal(book.onDiff(diff(5, 5)), DIFF_AWAITING_SNAPSHOT, 'a diff before any snapshot');
      assert.deepEqual(asked, ['ETH-USDT']);
      assert.equal(book.onDiff(diff(6, 6)), DIFF_AWAITING_SNAPSHOT);
      assert.deepEqual(asked, ['ETH-USDT'], 'one request waits at a time');
      assert.equal(book.onDiff(snapshotDiff(6, [100, 2])), DIFF_SNAPSHOT_LOADED);
      assert.equal(book.state, BOOK_IN_SYNC);
      assert.equal(book.updateId, 6);
      assert.equal(book.onDiff(diff(7, 7, [101, 1])), DIFF_APPLIED);
      assert.equal(book.bids.bestPrice, 101e8);
      // Bybit re-sends a snapshot at any time: it replaces the book.
      assert.equal(book.onDiff(snapshotDiff(9, [99, 3])), DIFF_SNAPSHOT_LOADED);
      assert.deepEqual([book.bids.count, book.bids.bestPrice, book.updateId], [1, 99e8, 9]);
      assert.equal(book.onDiff(diff(12, 12)), DIFF_RESYNC, 'ids 10-11 missing');
      assert.deepEqual(asked, ['ETH-USDT', 'ETH-USDT']);
      assert.equal(book.bufferedDiffs, 0);
      assert.equal(book.onDiff(snapshotDiff(12, [98, 1])), DIFF_SNAPSHOT_LOADED);
      assert.deepEqual(states, [`${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`, `${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`, `${BOOK_SYNCING} ${REASON_GAP}`, `${BOOK_IN_SYNC} ${REASON_SNAPSHOT_LOADED}`]);
      assert.equal(book.snapshotRequests, 2);
      assert.equal(book.snapshotsLoaded, 3);
    } finally {
      book.close();
    }
    assert.equal(book.onDiff(snapshotDiff(20, [1, 1])), DIFF_IGNORED, 'closed');
  });

  it('a snapshot failing the verifier (checksum) resyncs', () => {
    let asked = 0;
    const book = new LocalOrderBook({ symbol: 'X', requestInBandSnapshot: () => asked++, verify: (_book, d) => d.checksum !== 0, pacing: { minIntervalMs: 0 } });
    try {
      const bad = snapshotDiff(3, [1, 1]);
      bad.checksum = 0;
      assert.equal(book.onDiff(bad), DIFF_RESYNC);
      assert.equal(book.state, BOOK_SYNCING);
      assert.equal(book.bids.count, 0, 'the unverified book is not kept');
      assert.equal(asked, 1);
    } finally {
      book.close();
    }
  });

  it('no snapshot in time: reported (TW_ERR_SNAPSHOT_TIMEOUT) and asked again; a throwing request is reported too', async () => {
    const errors: unknown[] = [];
    let asked = 0;
    const book = new LocalOrderBook({
      symbol: 'X',
      requestInBandSnapshot: () => {
        asked++;
        if (asked === 1) throw new Error('stream gone');
      },
      inBandSnapshotTimeoutMs: 20,
      pacing: { minIntervalMs: 0, maxBackoffMs: 10 },
      listener: { onSnapshotError: (_book, error) => errors.push(error) },
    });
    try {
      book.requestSnapshot();
      for (let round = 0; round < 500 && asked < 3; round++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(asked >= 3, `asked ${asked} times`);
      assert.match(String(errors[0]), /stream gone/);
      assert.ok(errors.slice(1).every((error) => error instanceof BookError && error.code === 'TW_ERR_SNAPSHOT_TIMEOUT'));
      assert.ok(book.snapshotFailures >= 2);
      book.onDiff(snapshotDiff(1, [1, 1]));
      assert.equal(book.state, BOOK_IN_SYNC);
      const askedAtLoad = asked;
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(asked, askedAtLoad, 'in sync: nothing more asked');
    } finally {
      book.close();
    }
  });
});
