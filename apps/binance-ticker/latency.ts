// Send -> socket-read latency from a stamp the sender writes into each event. The embedded
// simulator (`startExchange({ stamp: true })`) appends `"T_ns":<process.hrtime.bigint()>` as the
// payload's last field, so the stamp is read backwards from the payload's closing brace: no scan
// of the event, no string, no BigInt per message. The read time comes from the connection's
// StageClock (t1 of the socket read that carried the message: one clock read per read).

import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { StageClock } from 'tickwire';

/** The simulator's stamp field (`stamp: true`). */
export const DEFAULT_STAMP_FIELD = 'T_ns';

const NS_PER_SECOND = 1e9;
/** Digits of the nanoseconds-within-second part of a stamp. */
const NS_DIGITS = 9;
/** process.hrtime.bigint() fits 20 digits (2^64); a longer run of digits is not a stamp. */
const MAX_STAMP_DIGITS = 20;
const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CLOSE_BRACE = 0x7d;

const encoder = new TextEncoder();

export class WireLatency {
  /** Sender stamp -> socket read, in ns, for messages that carry a stamp. */
  readonly histogram: RecordableHistogram = createHistogram();
  /** Messages with a readable send stamp. */
  stamped = 0;
  /** `"T_ns":` as bytes: what must precede the stamp's digits. */
  private readonly key: Uint8Array;
  /** The StageClock's last read stamp, as seconds and nanoseconds (split once per socket read). */
  private lastReadTime = -1n;
  private readonly readTime = new Float64Array(2);

  constructor(stampField: string = DEFAULT_STAMP_FIELD) {
    this.key = encoder.encode(`"${stampField}":`);
  }

  /**
   * Records the latency of the event data[start, end) if it ends with the stamp field. Exact:
   * read time and stamp are both split into whole seconds and nanoseconds, so no float64 ever
   * holds a 16+ digit nanosecond count (hrtime counts from boot: 10^15 ns is 11.6 days).
   */
  record(data: Uint8Array, start: number, end: number, stages: StageClock): void {
    if (end - start < this.key.length + 2 || data[end - 1] !== CLOSE_BRACE) return;
    let digitsStart = end - 1;
    while (digitsStart > start && data[digitsStart - 1]! >= CHAR_0 && data[digitsStart - 1]! <= CHAR_9) digitsStart--;
    const digits = end - 1 - digitsStart;
    if (digits === 0 || digits > MAX_STAMP_DIGITS || !this.keyEndsAt(data, start, digitsStart)) return;
    const readTimeNs = stages.readTimeNs;
    if (readTimeNs !== this.lastReadTime) {
      // Once per socket read: the bigint divisions allocate, like the clock read that made it.
      this.lastReadTime = readTimeNs;
      this.readTime[0] = Number(readTimeNs / 1_000_000_000n);
      this.readTime[1] = Number(readTimeNs % 1_000_000_000n);
    }
    const split = end - 1 - NS_DIGITS;
    let seconds = 0;
    let nanoseconds = 0;
    for (let i = digitsStart; i < end - 1; i++) {
      const digit = data[i]! - CHAR_0;
      if (i < split) seconds = seconds * 10 + digit;
      else nanoseconds = nanoseconds * 10 + digit;
    }
    const latency = (this.readTime[0]! - seconds) * NS_PER_SECOND + (this.readTime[1]! - nanoseconds);
    // A stamp taken after the read (clock skew between processes on other OSes) counts as 1 ns.
    this.histogram.record(latency >= 1 ? latency : 1);
    this.stamped++;
  }

  private keyEndsAt(data: Uint8Array, start: number, at: number): boolean {
    const key = this.key;
    const from = at - key.length;
    if (from < start) return false;
    for (let k = 0; k < key.length; k++) if (data[from + k] !== key[k]) return false;
    return true;
  }
}
