// A local order book kept in sync from a REST snapshot plus the diff stream, the way Binance's
// "How to manage a local order book correctly" describes (web-socket-streams.md):
//
//   2. Buffer the events received from the stream. Note the U of the first event you received.
//   3. Get a depth snapshot.
//   4. If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back to step 3.
//   5. In the buffered events, discard any event where u is <= lastUpdateId of the snapshot.
//   6. Set your local order book to the snapshot. Its update ID is lastUpdateId.
//   7. Apply the update procedure to all buffered events, and then to all subsequent events.
//   "If the event first update ID (U) is greater than the update ID of your local order book + 1,
//    you have missed some events. Discard your local order book and restart the process."
//
// Two states, numeric: BOOK_SYNCING (diffs are buffered, a snapshot is requested, paced by a
// SnapshotPacer) and BOOK_IN_SYNC (diffs are applied straight from the decoder's DepthDiff: no
// allocation, no copy). BOOK_CLOSED is final. Every change is reported to the listener with its
// reason, every gap with the range of update ids that went missing. The venue's parts are
// plugged in: how to fetch and decode a snapshot, and its SequenceRule.
//
// Venues that push their snapshots in the stream (Bybit: "If you receive a new snapshot message,
// you will have to reset your local orderbook"; OKX: the first `books` message after subscribing
// is the snapshot) give `requestInBandSnapshot` instead of a REST source: a DEPTH_SNAPSHOT passed
// to onDiff loads the book in any state (it supersedes the diffs before it, which are dropped),
// and a resync asks the stream for a new one (the neutral layer resubscribes the book's stream).

import { BookError } from './book-error.js';
import { DEPTH_SNAPSHOT, DepthDiff } from './depth-diff.js';
import { OrderBook } from './order-book.js';
import { PendingDiffs } from './pending-diffs.js';
import { binanceSpotSequence, SEQUENCE_APPLY, SEQUENCE_GAP, SEQUENCE_STALE, type SequenceRule } from './sequence.js';
import { SnapshotPacer, type SnapshotPacing } from './snapshot-pacer.js';
import type { BookSide } from './book-side.js';

/** `state`: diffs are buffered while a snapshot is requested; the book is incomplete. */
export const BOOK_SYNCING = 0;
/** `state`: the book follows the stream; every diff is applied as it arrives. */
export const BOOK_IN_SYNC = 1;
/** `state`: close() was called; diffs are ignored and no snapshot is requested. */
export const BOOK_CLOSED = 2;

/** Why the state changed (listener `onStateChange` reason). */
export const REASON_STARTED = 0;
/** A snapshot was loaded and the buffered diffs applied: in sync. */
export const REASON_SNAPSHOT_LOADED = 1;
/** Update ids are missing between the book and a diff: resync (onGap has the range). */
export const REASON_GAP = 2;
/** A diff overlapped the book without continuing it: resync. */
export const REASON_SEQUENCE_BROKEN = 3;
/** reset() was called (e.g. the stream reconnected without de-duplicating): resync. */
export const REASON_RESET = 4;
/** The book failed the venue's verifier (e.g. OKX checksum): resync. */
export const REASON_CHECKSUM = 5;
/** close() was called. */
export const REASON_CLOSED = 6;

/** onDiff() results. */
export const DIFF_APPLIED = 0;
/** Already contained in the book (or in the snapshot to come): skipped. */
export const DIFF_STALE = 1;
/** Kept until the snapshot arrives. */
export const DIFF_BUFFERED = 2;
/** Started a resync (a gap, a broken sequence or a failed verification); the diff is buffered. */
export const DIFF_RESYNC = 3;
/** The book is closed. */
export const DIFF_IGNORED = 4;
/** In-band snapshot mode: an in-band snapshot loaded the book (in sync unless the verifier failed it). */
export const DIFF_SNAPSHOT_LOADED = 5;
/** In-band snapshot mode: dropped while the book waits for its snapshot (which supersedes it). */
export const DIFF_AWAITING_SNAPSHOT = 6;

/** Default wait for an in-band snapshot after asking for one, before asking again (with backoff). */
export const DEFAULT_IN_BAND_SNAPSHOT_TIMEOUT_MS = 5_000;

/**
 * What a LocalOrderBook reports (all optional). Called synchronously from onDiff() or from the snapshot's callback;
 * rare events, so objects and strings are fine here.
 */
export interface BookListener {
  /** The book went to `state` (BOOK_*) for `reason` (REASON_*). */
  onStateChange?(book: LocalOrderBook, state: number, reason: number): void;
  /** Updates firstMissing..lastMissing (inclusive) never reached the book; it resyncs. */
  onGap?(book: LocalOrderBook, firstMissing: number, lastMissing: number): void;
  /** A snapshot request failed (it is retried with backoff). */
  onSnapshotError?(book: LocalOrderBook, error: unknown): void;
}

/** Options of `new LocalOrderBook()`: the venue's parts (snapshot source and decoder, sequence rule, verifier) and the bounds. */
export interface LocalOrderBookOptions {
  /** The venue's symbol, passed to fetchSnapshot (Binance: upper case, "BTCUSDT"). */
  symbol: string;
  /** Returns the bytes of a REST snapshot (src/venues/binance: GET /api/v3/depth). Required unless requestInBandSnapshot is given. */
  fetchSnapshot?: (symbol: string) => Promise<Uint8Array>;
  /** Decodes snapshot bytes into `out` (kind DEPTH_SNAPSHOT, finalUpdateId = its update id); false if unreadable. */
  decodeSnapshot?: (body: Uint8Array, out: DepthDiff) => boolean;
  /**
   * In-band snapshot mode (Bybit, OKX), in place of fetchSnapshot/decodeSnapshot: called to ask
   * the stream for a fresh snapshot (resubscribe the book's stream), which then arrives through
   * onDiff as a DEPTH_SNAPSHOT. Paced like REST requests (`pacing`).
   */
  requestInBandSnapshot?: (symbol: string) => void;
  /** In-band mode: no snapshot this long after asking, ask again (with the pacer's backoff). Default 5 000 ms. */
  inBandSnapshotTimeoutMs?: number;
  /** Default: Binance Spot's rule. */
  sequence?: SequenceRule;
  /** Checks the book after a diff (e.g. a venue checksum); false triggers a resync. Default: none. */
  verify?: (book: OrderBook, diff: DepthDiff) => boolean;
  /** Fixed-point decimals; must equal the decoder's. Default 8. */
  scale?: number;
  /** Levels per side at most (the worst go first). Default 10,000. */
  maxLevels?: number;
  /** Diffs buffered while syncing at most (then the buffer restarts). Default 8192. */
  maxBufferedEvents?: number;
  /** Snapshot request pacing (interval, backoff, shared weight budget). */
  pacing?: SnapshotPacing;
  /** State changes, gaps and snapshot errors. Default: none. */
  listener?: BookListener;
}

/** An error from fetchSnapshot may carry the venue's Retry-After (HTTP 429/418) in milliseconds. */
export interface RetryAfterError {
  /** How long to wait before the next request, in ms (from the venue's Retry-After). */
  retryAfterMs?: number;
}

/**
 * A book kept in sync from snapshots plus the diff stream, the way Binance documents it: BOOK_SYNCING buffers diffs and
 * asks for a snapshot (paced), BOOK_IN_SYNC applies each diff without allocating, a gap is reported with its missing ids and
 * makes the book resync. The venue's parts (snapshot source, sequence rule, verifier) are plugged in through the options.
 */
export class LocalOrderBook {
  /** The venue's symbol, as passed to fetchSnapshot (Binance: "BTCUSDT"). */
  readonly symbol: string;
  /** The book: read it any time; it is complete only in BOOK_IN_SYNC. */
  readonly book: OrderBook;
  /** The bid side of `book` (best = highest price). */
  readonly bids: BookSide;
  /** The ask side of `book` (best = lowest price). */
  readonly asks: BookSide;
  /** BOOK_SYNCING, BOOK_IN_SYNC or BOOK_CLOSED; every change goes to the listener with its reason. */
  state = BOOK_SYNCING;
  /** Counters (never reset). */
  gaps = 0;
  /** Times the book was discarded and rebuilt from a new snapshot (gap, broken sequence, failed verification). */
  resyncs = 0;
  /** Diffs skipped in sync because the book already contained them (u at or below its update id). */
  staleDiffs = 0;
  /** Snapshot requests sent. */
  snapshotRequests = 0;
  /** Snapshots loaded into the book (each followed by the replay of the buffered diffs). */
  snapshotsLoaded = 0;
  /** Snapshots refused because they ended before the first buffered diff (asked for again). */
  snapshotsTooOld = 0;
  /** Snapshot requests that failed or answered something unreadable (retried with backoff). */
  snapshotFailures = 0;

  /** Snapshots come in the stream (requestInBandSnapshot) rather than over REST. */
  readonly inBand: boolean;
  private readonly fetchSnapshot: (symbol: string) => Promise<Uint8Array>;
  private readonly decodeSnapshot: (body: Uint8Array, out: DepthDiff) => boolean;
  private readonly requestInBandSnapshot: ((symbol: string) => void) | undefined;
  private readonly inBandTimeoutMs: number;
  private readonly sequence: SequenceRule;
  private readonly verify: ((book: OrderBook, diff: DepthDiff) => boolean) | undefined;
  private readonly listener: BookListener;
  private readonly pending: PendingDiffs;
  private readonly pacer: SnapshotPacer;
  /** Scratch diffs for the (rare) snapshot and replay paths. */
  private readonly snapshot: DepthDiff;
  private readonly replayed: DepthDiff;
  /** True until the first diff after a snapshot was applied (some rules let it overlap). */
  private firstAfterSnapshot = true;
  /** A request is in flight or scheduled. */
  private snapshotBusy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by reset() and close(): answers to older requests are dropped. */
  private generation = 0;

  constructor(options: LocalOrderBookOptions) {
    this.symbol = options.symbol;
    this.book = new OrderBook(options.scale, options.maxLevels);
    this.bids = this.book.bids;
    this.asks = this.book.asks;
    this.requestInBandSnapshot = options.requestInBandSnapshot;
    this.inBand = options.requestInBandSnapshot !== undefined;
    if (this.inBand === (options.fetchSnapshot !== undefined || options.decodeSnapshot !== undefined)) {
      throw new TypeError('LocalOrderBook: give either fetchSnapshot and decodeSnapshot (REST) or requestInBandSnapshot (in-band)');
    }
    if (!this.inBand && (options.fetchSnapshot === undefined || options.decodeSnapshot === undefined)) {
      throw new TypeError('LocalOrderBook: fetchSnapshot and decodeSnapshot go together');
    }
    this.fetchSnapshot = options.fetchSnapshot ?? noRestSource;
    this.decodeSnapshot = options.decodeSnapshot ?? noSnapshotDecoder;
    this.inBandTimeoutMs = options.inBandSnapshotTimeoutMs ?? DEFAULT_IN_BAND_SNAPSHOT_TIMEOUT_MS;
    this.sequence = options.sequence ?? binanceSpotSequence;
    this.verify = options.verify;
    this.listener = options.listener ?? {};
    this.pending = new PendingDiffs(options.maxBufferedEvents);
    this.pacer = new SnapshotPacer(options.pacing);
    this.snapshot = new DepthDiff(this.book.scale);
    this.replayed = new DepthDiff(this.book.scale);
  }

  /** Decimal places of the book's fixed-point prices and quantities (value × 10^scale). */
  get scale(): number {
    return this.book.scale;
  }

  /** The book's update id (meaningful in BOOK_IN_SYNC; in a hot loop read `book.updateId`, a field). */
  get updateId(): number {
    return this.book.updateId;
  }

  /** Diffs waiting for a snapshot. */
  get bufferedDiffs(): number {
    return this.pending.count;
  }

  /** Times the wait buffer was full and restarted. */
  get bufferOverflows(): number {
    return this.pending.overflows;
  }

  /** One decoded diff (its levels at this book's scale). The hot path: nothing allocated in sync. */
  onDiff(diff: DepthDiff): number {
    if (this.inBand && diff.kind === DEPTH_SNAPSHOT) return this.loadInBand(diff);
    if (this.state === BOOK_IN_SYNC) {
      const book = this.book;
      book.prefetch();
      const verdict = this.sequence.check(book, this.firstAfterSnapshot, diff);
      if (verdict === SEQUENCE_APPLY) {
        book.applyPrefetched(diff);
        this.firstAfterSnapshot = false;
        if (this.verify !== undefined && !this.verify(book, diff)) {
          this.startResync(REASON_CHECKSUM, diff, false);
          return DIFF_RESYNC;
        }
        return DIFF_APPLIED;
      }
      if (verdict === SEQUENCE_STALE) {
        this.staleDiffs++;
        return DIFF_STALE;
      }
      this.reportSequenceFault(verdict, diff.firstUpdateId);
      this.startResync(verdict === SEQUENCE_GAP ? REASON_GAP : REASON_SEQUENCE_BROKEN, diff, true);
      return DIFF_RESYNC;
    }
    if (this.state === BOOK_CLOSED) return DIFF_IGNORED;
    if (this.inBand) {
      // The snapshot to come is newer than anything before it in the stream: nothing to keep.
      this.wantSnapshot();
      return DIFF_AWAITING_SNAPSHOT;
    }
    this.pending.push(diff);
    this.wantSnapshot();
    return DIFF_BUFFERED;
  }

  /**
   * An in-band snapshot (any state but closed): replaces the book, which is in sync from its id on
   * (the verifier, e.g. OKX's checksum, checks it first). A request still waiting is answered.
   */
  private loadInBand(snapshot: DepthDiff): number {
    if (this.state === BOOK_CLOSED) return DIFF_IGNORED;
    this.cancelTimer();
    this.snapshotBusy = false;
    this.pacer.succeeded();
    this.pending.clear();
    this.book.load(snapshot, snapshot.finalUpdateId);
    this.snapshotsLoaded++;
    this.firstAfterSnapshot = true;
    if (this.verify !== undefined && !this.verify(this.book, snapshot)) {
      if (this.state === BOOK_IN_SYNC) this.startResync(REASON_CHECKSUM, snapshot, false);
      else {
        this.book.clear();
        this.gapResync(REASON_CHECKSUM);
      }
      return DIFF_RESYNC;
    }
    this.setState(BOOK_IN_SYNC, REASON_SNAPSHOT_LOADED);
    return DIFF_SNAPSHOT_LOADED;
  }

  /** Snapshot bytes that arrived another way (the venue pushes them, or the caller fetched them). */
  onSnapshotBody(body: Uint8Array): boolean {
    if (this.state === BOOK_CLOSED) return false;
    if (!this.decodeSnapshot(body, this.snapshot)) return false;
    this.applySnapshot(this.snapshot);
    return true;
  }

  /**
   * Steps 4 to 7 with a decoded snapshot: too old -> ask again; else load it, replay the
   * buffered diffs (stale ones skipped) and go in sync, or resync if one of them does not follow.
   */
  applySnapshot(snapshot: DepthDiff): void {
    if (this.state === BOOK_CLOSED) return;
    const snapshotId = snapshot.finalUpdateId;
    if (this.pending.count > 0 && this.sequence.snapshotTooOld(snapshotId, this.pending.firstId)) {
      this.snapshotsTooOld++;
      this.wantSnapshot();
      return;
    }
    const book = this.book;
    book.load(snapshot, snapshotId);
    this.snapshotsLoaded++;
    let first = true;
    let cursor = 0;
    for (let next = 0; (next = this.pending.read(cursor, this.replayed)) >= 0; cursor = next) {
      const diff = this.replayed;
      const verdict = this.sequence.check(book, first, diff);
      if (verdict === SEQUENCE_STALE) continue;
      if (verdict === SEQUENCE_APPLY) {
        book.apply(diff);
        first = false;
        continue;
      }
      // This diff does not follow on: it and those after it become the new buffer (step 2 again).
      this.reportSequenceFault(verdict, diff.firstUpdateId);
      this.pending.dropBefore(cursor);
      book.clear();
      this.gapResync(verdict === SEQUENCE_GAP ? REASON_GAP : REASON_SEQUENCE_BROKEN);
      return;
    }
    this.pending.clear();
    this.firstAfterSnapshot = first;
    this.setState(BOOK_IN_SYNC, REASON_SNAPSHOT_LOADED);
  }

  /**
   * Asks for a snapshot now, before any diff arrived (a quiet market sends none). Safe: the first
   * diff after it must still span the snapshot's id + 1, or the book resyncs. No-op unless syncing.
   */
  requestSnapshot(): void {
    this.wantSnapshot();
  }

  /** Forgets the book and the buffer (e.g. a new connection whose first events do not continue the old one). */
  reset(): void {
    if (this.state === BOOK_CLOSED) return;
    this.generation++;
    this.cancelTimer();
    this.snapshotBusy = false;
    this.pending.clear();
    this.book.clear();
    this.setState(BOOK_SYNCING, REASON_RESET);
  }

  /** Stops requests for good; late snapshot answers are dropped. */
  close(): void {
    if (this.state === BOOK_CLOSED) return;
    this.generation++;
    this.cancelTimer();
    this.pending.clear();
    this.setState(BOOK_CLOSED, REASON_CLOSED);
  }

  private reportSequenceFault(verdict: number, firstId: number): void {
    this.gaps++;
    // A broken sequence has no missing ids to name (firstMissing > lastMissing tells it apart).
    if (verdict === SEQUENCE_GAP) this.listener.onGap?.(this, this.book.updateId + 1, firstId - 1);
    else this.listener.onGap?.(this, this.book.updateId + 1, this.book.updateId);
  }

  /** In sync -> syncing: discard the book, keep `diff` as the first buffered one unless it was applied. */
  private startResync(reason: number, diff: DepthDiff, keepDiff: boolean): void {
    this.book.clear();
    this.pending.clear();
    if (keepDiff && !this.inBand) this.pending.push(diff);
    this.gapResync(reason);
  }

  private gapResync(reason: number): void {
    this.resyncs++;
    this.setState(BOOK_SYNCING, reason);
    this.wantSnapshot();
  }

  private setState(state: number, reason: number): void {
    this.state = state;
    this.listener.onStateChange?.(this, state, reason);
  }

  /** Requests a snapshot unless one is in flight or scheduled; paced by the SnapshotPacer. */
  private wantSnapshot(): void {
    if (this.snapshotBusy || this.state !== BOOK_SYNCING) return;
    this.snapshotBusy = true;
    const delay = this.pacer.delay();
    if (delay <= 0) this.sendSnapshotRequest();
    else this.timer = setTimeout(() => this.sendSnapshotRequest(), delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sendSnapshotRequest(): void {
    this.timer = undefined;
    const generation = this.generation;
    this.pacer.sent();
    this.snapshotRequests++;
    if (this.requestInBandSnapshot !== undefined) {
      this.sendInBandRequest(this.requestInBandSnapshot);
      return;
    }
    let request: Promise<Uint8Array>;
    try {
      request = this.fetchSnapshot(this.symbol);
    } catch (error) {
      request = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    request.then(
      (body) => {
        if (generation !== this.generation) return;
        this.snapshotBusy = false;
        if (this.state !== BOOK_SYNCING) return;
        if (!this.decodeSnapshot(body, this.snapshot)) {
          this.snapshotFailed(new BookError('TW_ERR_SNAPSHOT_INVALID', `snapshot of ${this.symbol}: not a depth snapshot`));
          return;
        }
        this.pacer.succeeded();
        this.applySnapshot(this.snapshot);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.snapshotBusy = false;
        this.snapshotFailed(error);
      },
    );
  }

  /** Asks the stream; no snapshot within the timeout counts as a failure (backoff) and asks again while syncing. */
  private sendInBandRequest(request: (symbol: string) => void): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.snapshotBusy = false;
      if (this.state !== BOOK_SYNCING) return;
      this.snapshotFailed(new BookError('TW_ERR_SNAPSHOT_TIMEOUT', `in-band snapshot of ${this.symbol}: none within ${this.inBandTimeoutMs} ms`));
    }, this.inBandTimeoutMs);
    try {
      request(this.symbol);
    } catch (error) {
      this.listener.onSnapshotError?.(this, error);
    }
  }

  private snapshotFailed(error: unknown): void {
    this.snapshotFailures++;
    const retryAfter = (error as RetryAfterError | null)?.retryAfterMs;
    this.pacer.failed(typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 0);
    try {
      this.listener.onSnapshotError?.(this, error);
    } finally {
      if (this.state === BOOK_SYNCING && (this.pending.count > 0 || this.inBand)) this.wantSnapshot();
    }
  }
}

function noRestSource(): Promise<Uint8Array> {
  return Promise.reject(new BookError('TW_ERR_SNAPSHOT_FETCH', 'in-band book: no REST snapshot source'));
}

function noSnapshotDecoder(): boolean {
  return false;
}
