// Per-stream silence: the data path only bumps a counter per stream; the timer compares counts,
// so no clock is read per message.

import { grownArray } from '../memory/growth.js';

export class StreamWatchdog {
  private readonly thresholdMs: number;
  private counts = new Uint32Array(64);
  private seenCounts = new Uint32Array(64);
  private quietSince = new Float64Array(64);

  constructor(thresholdMs: number) {
    this.thresholdMs = thresholdMs;
  }

  ensure(count: number): void {
    if (count <= this.counts.length) return;
    this.counts = grownArray(this.counts, count);
    this.seenCounts = grownArray(this.seenCounts, count);
    this.quietSince = grownArray(this.quietSince, count);
  }

  /** Hot path: a message of `stream` arrived (on any connection). */
  seen(stream: number): void {
    this.counts[stream] = (this.counts[stream]! + 1) >>> 0;
  }

  /** Starts (or restarts) the silence clock of `stream` at `now`. */
  watch(stream: number, now: number): void {
    this.seenCounts[stream] = this.counts[stream]!;
    this.quietSince[stream] = now;
  }

  unwatch(stream: number): void {
    this.quietSince[stream] = Number.POSITIVE_INFINITY;
  }

  /** How long `stream` has been quiet at `now` (0 when it sent something since the last look). */
  silentFor(stream: number, now: number): number {
    if (this.thresholdMs === 0) return 0;
    if (this.counts[stream] !== this.seenCounts[stream]) {
      this.watch(stream, now);
      return 0;
    }
    return Math.max(0, now - this.quietSince[stream]!);
  }
}
