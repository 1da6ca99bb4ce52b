// A local order book kept in sync from a REST snapshot plus the diff-depth stream, following
// Binance's "How to manage a local order book correctly" (Spot web-socket-streams.md):
//
//   1. Open a WebSocket connection to <symbol>@depth.
//   2. Buffer the events received from the stream. Note the U of the first event you received.
//   3. Get a depth snapshot from /api/v3/depth?symbol=...&limit=5000.
//   4. If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back to step 3.
//   5. In the buffered events, discard any event where u is <= lastUpdateId of the snapshot.
//      The first buffered event should now have lastUpdateId within its [U;u] range.
//   6. Set your local order book to the snapshot. Its update ID is lastUpdateId.
//   7. Update the local order book by applying all buffered events, and all subsequent events.
//   To apply an event: if u < the book's update ID, ignore it; if U > the book's update ID + 1,
//   something went wrong: discard the local book and restart from the beginning; otherwise set
//   each level (quantity 0 removes it) and set the book's update ID to u.
//
// Two states: UNSYNCED (buffering, waiting for a snapshot) and SYNCED (applying). In SYNCED a diff
// is applied straight from the receive buffer without allocating; buffering (UNSYNCED only)
// copies the levels into one growable Float64Array.

import { BookSide } from './book-side.js';

/** What a book reads levels from: LevelIterator (src/market-json/levels.ts) in production. */
export interface LevelSource {
  next(): boolean;
  price(): number;
  quantity(): number;
}

export const BOOK_UNSYNCED = 0;
export const BOOK_SYNCED = 1;

/** onDiff() results. */
export const DIFF_APPLIED = 0;
/** u <= the book's update id: already contained in the book (step 5 / "ignore the event"). */
export const DIFF_STALE = 1;
/** No snapshot yet: the event was buffered. */
export const DIFF_BUFFERED = 2;
/** U > update id + 1: updates were missed; the book was discarded and this event starts a new buffer. */
export const DIFF_GAP = 3;

/** applySnapshot() results. */
export const SNAPSHOT_APPLIED = 0;
/** Step 4: lastUpdateId < U of the first buffered event; fetch another snapshot. */
export const SNAPSHOT_TOO_OLD = 1;
/** A buffered event did not follow on from the snapshot: back to UNSYNCED, fetch another snapshot. */
export const SNAPSHOT_GAP = 2;

/** Event record header in the pending buffer: U, u, bid count, ask count. */
const RECORD_HEADER = 4;
/** Pending buffer start size in float64s (grows by doubling while unsynced). */
const INITIAL_PENDING_CAPACITY = 4096;
/**
 * Events buffered while waiting for a snapshot. At Binance's 10 events/s (depth@100ms) this is
 * over three minutes; past it the buffer restarts (its first U moves on) rather than growing forever.
 */
const MAX_PENDING_EVENTS = 2048;

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  state = BOOK_UNSYNCED;
  /** The book's update id (lastUpdateId of the snapshot, then u of the last applied event). */
  updateId = 0;
  /** Times a gap in update ids forced a resync. */
  gaps = 0;
  /** Snapshots applied. */
  snapshots = 0;

  private pending = new Float64Array(INITIAL_PENDING_CAPACITY);
  private pendingLength = 0;
  private pendingEvents = 0;

  /** Events buffered while UNSYNCED. */
  get bufferedEvents(): number {
    return this.pendingEvents;
  }

  /** U of the first buffered event (step 2), or NaN when nothing is buffered. */
  get firstBufferedId(): number {
    return this.pendingEvents > 0 ? this.pending[0]! : NaN;
  }

  /** Step 3 is due: unsynced and at least one event buffered (so its U is known). */
  get needsSnapshot(): boolean {
    return this.state === BOOK_UNSYNCED && this.pendingEvents > 0;
  }

  /** Forgets everything (e.g. after a reconnect: the new stream starts a new buffer). */
  reset(): void {
    this.state = BOOK_UNSYNCED;
    this.updateId = 0;
    this.bids.clear();
    this.asks.clear();
    this.pendingLength = 0;
    this.pendingEvents = 0;
  }

  /** One diff-depth event: U = first update id, u = final update id, b and a levels. */
  onDiff(firstId: number, lastId: number, bids: LevelSource, asks: LevelSource): number {
    if (this.state === BOOK_UNSYNCED) {
      this.buffer(firstId, lastId, bids, asks);
      return DIFF_BUFFERED;
    }
    if (lastId <= this.updateId) return DIFF_STALE;
    if (firstId > this.updateId + 1) {
      this.discard();
      this.buffer(firstId, lastId, bids, asks);
      return DIFF_GAP;
    }
    while (bids.next()) this.bids.set(bids.price(), bids.quantity());
    while (asks.next()) this.asks.set(asks.price(), asks.quantity());
    this.updateId = lastId;
    return DIFF_APPLIED;
  }

  /** Steps 4 to 7 with a snapshot `{"lastUpdateId":..,"bids":[..],"asks":[..]}`. */
  applySnapshot(lastUpdateId: number, bids: LevelSource, asks: LevelSource): number {
    if (this.pendingEvents > 0 && lastUpdateId < this.pending[0]!) return SNAPSHOT_TOO_OLD;
    this.bids.clear();
    this.asks.clear();
    while (bids.next()) this.bids.set(bids.price(), bids.quantity());
    while (asks.next()) this.asks.set(asks.price(), asks.quantity());
    this.updateId = lastUpdateId;
    this.state = BOOK_SYNCED;
    this.snapshots++;
    return this.replay();
  }

  /** Applies the buffered events in order; on a gap, keeps the rest buffered and goes back to UNSYNCED. */
  private replay(): number {
    const pending = this.pending;
    const length = this.pendingLength;
    let at = 0;
    while (at < length) {
      const firstId = pending[at]!;
      const lastId = pending[at + 1]!;
      const bidCount = pending[at + 2]!;
      const askCount = pending[at + 3]!;
      const next = at + RECORD_HEADER + 2 * (bidCount + askCount);
      if (lastId > this.updateId) {
        if (firstId > this.updateId + 1) {
          // Keep this event and those after it as the new buffer: its U is the new step-2 U.
          const events = this.countRecords(at);
          pending.copyWithin(0, at, length);
          this.pendingLength = length - at;
          this.pendingEvents = events;
          this.discard();
          return SNAPSHOT_GAP;
        }
        let level = at + RECORD_HEADER;
        for (let k = 0; k < bidCount; k++, level += 2) this.bids.set(pending[level]!, pending[level + 1]!);
        for (let k = 0; k < askCount; k++, level += 2) this.asks.set(pending[level]!, pending[level + 1]!);
        this.updateId = lastId;
      }
      at = next;
    }
    this.pendingLength = 0;
    this.pendingEvents = 0;
    return SNAPSHOT_APPLIED;
  }

  private countRecords(from: number): number {
    const pending = this.pending;
    let events = 0;
    for (let at = from; at < this.pendingLength; events++) at += RECORD_HEADER + 2 * (pending[at + 2]! + pending[at + 3]!);
    return events;
  }

  /** "Discard your local order book and restart the process from the beginning." */
  private discard(): void {
    this.state = BOOK_UNSYNCED;
    this.gaps++;
    this.bids.clear();
    this.asks.clear();
  }

  private buffer(firstId: number, lastId: number, bids: LevelSource, asks: LevelSource): void {
    if (this.pendingEvents >= MAX_PENDING_EVENTS) {
      this.pendingLength = 0;
      this.pendingEvents = 0;
    }
    const header = this.pendingLength;
    this.ensure(header + RECORD_HEADER);
    this.pending[header] = firstId;
    this.pending[header + 1] = lastId;
    let at = header + RECORD_HEADER;
    let bidCount = 0;
    while (bids.next()) {
      this.ensure(at + 2);
      this.pending[at++] = bids.price();
      this.pending[at++] = bids.quantity();
      bidCount++;
    }
    let askCount = 0;
    while (asks.next()) {
      this.ensure(at + 2);
      this.pending[at++] = asks.price();
      this.pending[at++] = asks.quantity();
      askCount++;
    }
    this.pending[header + 2] = bidCount;
    this.pending[header + 3] = askCount;
    this.pendingLength = at;
    this.pendingEvents++;
  }

  private ensure(length: number): void {
    if (length <= this.pending.length) return;
    const grown = new Float64Array(Math.max(length, this.pending.length * 2));
    grown.set(this.pending); // the record being written lies past pendingLength
    this.pending = grown;
  }
}
