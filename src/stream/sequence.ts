// Per-stream id bookkeeping: gap detection and de-duplication across connections.
//
// Each stream remembers the last id delivered and the connection that delivered it (its
// "primary"). While two connections carry one stream (make-before-break), both deliver the same
// events: an event is delivered once, from whichever connection brings the next one first. An
// event that skips ahead from a connection that is not the primary is held back (not delivered,
// not reported) because the primary, still open, will bring the events in between; when the
// primary closes, the next event is judged alone and a real hole becomes a gap.
import { SEQUENCE_CHAINED, SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC } from './venue.js';
import { grownArray } from '../memory/growth.js';

export const ADMIT_DELIVER = 0;
/** Deliver, after reporting the gap [gapFrom, gapTo]. */
export const ADMIT_GAP = 1;
/** Already delivered (an overlap or a venue resend): drop. */
export const ADMIT_DUPLICATE = 2;
/** Ahead of the primary connection, which will bring the events in between: drop. */
export const ADMIT_HELD = 3;
/** A growing id went backwards on the primary connection: report, drop. */
export const ADMIT_BACKWARDS = 4;
/** The event has no readable ids: report, drop. */
export const ADMIT_UNREADABLE = 5;
/** The venue's ids restarted below the last one (a fresh connection after a restart): report, deliver. */
export const ADMIT_RESET = 6;

const NO_CONNECTION = -1;

export class SequenceTracker {
  /** Last id delivered per stream (NaN: none yet). */
  lastId = new Float64Array(64).fill(NaN);
  /** Connection that delivered the last event per stream (-1: none open). */
  primary = new Int32Array(64).fill(NO_CONNECTION);
  /** Set by admit() on ADMIT_GAP. */
  gapFrom = 0;
  gapTo = 0;
  /** Set by admit() on ADMIT_RESET: the last id before the restart. */
  resetFrom = 0;
  /** Connection that delivered the last event per stream (kept after it closes). */
  lastConnection = new Int32Array(64).fill(NO_CONNECTION);
  /** Set with gapFrom/gapTo: the gap lies between two connections (the previous one closed). */
  gapAcrossConnections = false;

  /** Makes room for `count` streams. */
  ensure(count: number): void {
    if (count <= this.lastId.length) return;
    this.lastId = grownArray(this.lastId, count, NaN);
    this.primary = grownArray(this.primary, count, NO_CONNECTION);
    this.lastConnection = grownArray(this.lastConnection, count, NO_CONNECTION);
  }

  /**
   * Judges one event of `stream` from `connection` covering ids [first, last] under `rule`.
   * `fresh`: the connection was opened after the previous one closed (not a rollover successor),
   * so an id below the last one on its first event means the venue's ids restarted.
   */
  admit(stream: number, rule: number, connection: number, fresh: boolean, first: number, last: number): number {
    if (last !== last || first !== first) return ADMIT_UNREADABLE; // NaN: no ids
    const previous = this.lastId[stream]!;
    const primary = this.primary[stream]!;
    const otherPrimary = primary !== NO_CONNECTION && primary !== connection;
    if (previous !== previous) {
      // The first event ever: nothing to compare with.
      this.accept(stream, connection, last);
      return ADMIT_DELIVER;
    }
    if (rule === SEQUENCE_CHAINED) return this.admitChained(stream, connection, fresh, primary, previous, first, last);
    if (rule === SEQUENCE_CONTIGUOUS) {
      if (last <= previous) return this.behind(stream, connection, fresh, primary, previous, last);
      if (first <= previous + 1) {
        this.accept(stream, connection, last);
        return ADMIT_DELIVER;
      }
      if (otherPrimary) return ADMIT_HELD;
      return this.gap(stream, connection, primary, previous + 1, first - 1, last);
    }
    // SEQUENCE_MONOTONIC: larger is newer; equal is the same event again.
    if (last > previous) {
      this.accept(stream, connection, last);
      return ADMIT_DELIVER;
    }
    if (last === previous) {
      return ADMIT_DUPLICATE;
    }
    if (primary === connection) {
      return ADMIT_BACKWARDS;
    }
    return this.behind(stream, connection, fresh, primary, previous, last);
  }

  /** SEQUENCE_CHAINED: `first - 1` is the id of the event before this one (OKX prevSeqId). */
  private admitChained(stream: number, connection: number, fresh: boolean, primary: number, previous: number, first: number, last: number): number {
    const otherPrimary = primary !== NO_CONNECTION && primary !== connection;
    if (first === 0) {
      // An in-band snapshot starts a new chain. While another connection carries the chain this
      // one's snapshot is not needed (the venue's ids are the same on every connection, so its
      // updates line up with the primary's and are dropped as copies until the handover).
      if (otherPrimary) return ADMIT_HELD;
      if (last > previous) {
        // The updates after the last one delivered never reached us (a resubscribe, or a new
        // connection after a drop): the snapshot stands in for them.
        return this.gap(stream, connection, primary, previous + 1, last, last);
      }
      if (last < previous) this.resetFrom = previous;
      this.accept(stream, connection, last);
      return last < previous ? ADMIT_RESET : ADMIT_DELIVER;
    }
    if (first - 1 === previous) {
      // Follows on. A keep-alive (own id = previous) from a second connection is a copy.
      if (last === previous && otherPrimary) return ADMIT_DUPLICATE;
      this.accept(stream, connection, last);
      return ADMIT_DELIVER;
    }
    if (last <= previous) return this.behind(stream, connection, fresh, primary, previous, last);
    if (first - 1 < previous) {
      // Names an older predecessor yet goes past the last id: no valid chain does this; the
      // book's own rule (which sees the chain break) resyncs. Delivered, like an overlap.
      this.accept(stream, connection, last);
      return ADMIT_DELIVER;
    }
    if (otherPrimary) return ADMIT_HELD;
    return this.gap(stream, connection, primary, previous + 1, first - 1, last);
  }

  /** Records the gap [from, to] before the event ending at `last`, which is delivered. */
  private gap(stream: number, connection: number, primary: number, from: number, to: number, last: number): number {
    this.gapFrom = from;
    this.gapTo = to;
    this.gapAcrossConnections = primary === NO_CONNECTION;
    this.accept(stream, connection, last);
    return ADMIT_GAP;
  }

  /** An event at or below the last id delivered, from a connection that did not deliver it. */
  private behind(stream: number, connection: number, fresh: boolean, primary: number, previous: number, last: number): number {
    if (primary === NO_CONNECTION && fresh && this.lastConnection[stream] !== connection) {
      // A new connection, the old one gone, and its first event is older than what we had: not
      // an overlap copy but the venue counting again (a restart). Deliver it as the new baseline.
      this.resetFrom = previous;
      this.accept(stream, connection, last);
      return ADMIT_RESET;
    }
    return ADMIT_DUPLICATE;
  }

  /**
   * Judges an event that starts the stream's id chain afresh (an in-band snapshot) holding the
   * venue's state up to id `last`. It replaces everything before it, so it is delivered without
   * a gap report when it is not older than the last id delivered; the connection in charge of
   * the stream may repeat the last id (a resubscribe on a quiet market must reach the book). An
   * older one from that connection (or from any, once it has closed) is the venue counting again
   * (Bybit's u = 1 after a restart): ADMIT_RESET. From a connection not in charge, not newer: a copy.
   */
  admitStart(stream: number, connection: number, last: number): number {
    if (last !== last) return ADMIT_UNREADABLE;
    const previous = this.lastId[stream]!;
    const primary = this.primary[stream]!;
    // With the connection that was in charge gone, whichever one brings the stream now is.
    const inCharge = primary === connection || primary === NO_CONNECTION;
    if (previous !== previous || last > previous || (last === previous && inCharge)) {
      this.accept(stream, connection, last);
      return ADMIT_DELIVER;
    }
    if (last < previous && inCharge) {
      this.resetFrom = previous;
      this.accept(stream, connection, last);
      return ADMIT_RESET;
    }
    return ADMIT_DUPLICATE;
  }

  /** A connection closed: the streams it was primary for wait for whichever connection comes next. */
  connectionClosed(connection: number, streamCount: number): void {
    const primary = this.primary;
    for (let stream = 0; stream < streamCount; stream++) if (primary[stream] === connection) primary[stream] = NO_CONNECTION;
  }

  /** For streams without ids: `connection` becomes the one source (switched at subscription). */
  setPrimary(stream: number, connection: number): void {
    this.primary[stream] = connection;
  }

  private accept(stream: number, connection: number, last: number): void {
    this.lastId[stream] = last;
    this.primary[stream] = connection;
    this.lastConnection[stream] = connection;
  }
}

export { SEQUENCE_CHAINED, SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC };
