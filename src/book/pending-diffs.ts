// Diffs kept while a book waits for its snapshot (Binance step 2: "Buffer the events received
// from the stream"). A decoded diff lives in a buffer the next message overwrites, so its ids and
// levels are copied here, record after record, into one growable Float64Array:
//   [firstId, finalId, previousId, bidCount, askCount, bid pairs..., ask pairs...]
//
// Bounded: at most `maxEvents` diffs and `maxValues` float64s (levels * 2 + 5 per diff). When a
// diff does not fit, the buffer restarts with that diff (`overflows` counts it): the snapshot
// that will be applied must then be newer than this diff's first id anyway (SequenceRule
// snapshotTooOld), so nothing that was dropped is needed.

import type { DepthDiff } from './depth-diff.js';
import { grownArray } from '../memory/growth.js';

const HEADER = 5;
const INITIAL_VALUES = 4096;
/** Default bounds: over 10 minutes of Binance depth@100ms, and 64 MiB of levels at most. */
export const DEFAULT_MAX_BUFFERED_EVENTS = 8192;
export const DEFAULT_MAX_BUFFERED_VALUES = 8 * 1024 * 1024;

export class PendingDiffs {
  readonly maxEvents: number;
  readonly maxValues: number;
  /** Diffs held. */
  count = 0;
  /** Times the buffer was full and restarted. */
  overflows = 0;
  private values = new Float64Array(INITIAL_VALUES);
  private length = 0;

  constructor(maxEvents: number = DEFAULT_MAX_BUFFERED_EVENTS, maxValues: number = DEFAULT_MAX_BUFFERED_VALUES) {
    this.maxEvents = maxEvents;
    this.maxValues = maxValues;
  }

  /** First update id of the oldest diff held (NaN when empty). */
  get firstId(): number {
    return this.count > 0 ? this.values[0]! : NaN;
  }

  clear(): void {
    this.count = 0;
    this.length = 0;
  }

  /** Copies `diff` in; false when it alone is larger than maxValues (it is then not kept). */
  push(diff: DepthDiff): boolean {
    const size = HEADER + 2 * (diff.bidCount + diff.askCount);
    if (size > this.maxValues) return false;
    if (this.count >= this.maxEvents || this.length + size > this.maxValues) {
      this.overflows++;
      this.clear();
    }
    this.ensure(this.length + size);
    const values = this.values;
    let at = this.length;
    values[at] = diff.firstUpdateId;
    values[at + 1] = diff.finalUpdateId;
    values[at + 2] = diff.previousUpdateId;
    values[at + 3] = diff.bidCount;
    values[at + 4] = diff.askCount;
    at += HEADER;
    values.set(diff.bids.subarray(0, 2 * diff.bidCount), at);
    at += 2 * diff.bidCount;
    values.set(diff.asks.subarray(0, 2 * diff.askCount), at);
    this.length = at + 2 * diff.askCount;
    this.count++;
    return true;
  }

  /**
   * Reads record `cursor` (a value offset, 0 for the first) into `out` and returns the offset of
   * the next record, or -1 past the last one.
   */
  read(cursor: number, out: DepthDiff): number {
    if (cursor >= this.length) return -1;
    const values = this.values;
    const bidCount = values[cursor + 3]!;
    const askCount = values[cursor + 4]!;
    out.firstUpdateId = values[cursor]!;
    out.finalUpdateId = values[cursor + 1]!;
    out.previousUpdateId = values[cursor + 2]!;
    out.bidCount = bidCount;
    out.askCount = askCount;
    let at = cursor + HEADER;
    out.growBids(bidCount).set(values.subarray(at, at + 2 * bidCount));
    at += 2 * bidCount;
    out.growAsks(askCount).set(values.subarray(at, at + 2 * askCount));
    return at + 2 * askCount;
  }

  /** Drops the records before `cursor` (they were applied or skipped); the rest stay in order. */
  dropBefore(cursor: number): void {
    if (cursor <= 0) return;
    let events = 0;
    for (let at = cursor; at < this.length; events++) at += HEADER + 2 * (this.values[at + 3]! + this.values[at + 4]!);
    this.values.copyWithin(0, cursor, this.length);
    this.length -= cursor;
    this.count = events;
  }

  private ensure(length: number): void {
    if (length <= this.values.length) return;
    this.values = grownArray(this.values, length, 0, this.length);
  }
}
