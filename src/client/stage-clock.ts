import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Opt-in latency stages, after the original design's t0..t3: t1 when a socket read completes
 * (TLS already decrypted), t2 when its first message is parsed and about to be delivered, t3
 * when the last onMessage of that read returns. The sender's own stamp stands in for t0.
 *
 * Reading a clock allocates in Node 20 (a heap number or a BigInt), so stamps are taken once
 * per socket read, not per message; the histograms hold nanoseconds.
 */
export class StageClock {
  /** t1 -> t2: from the read's completion to its first parsed message. */
  readonly readToParsed: RecordableHistogram = createHistogram();
  /** t2 -> t3: from the first parsed message to the return of the read's last onMessage. */
  readonly parsedToDelivered: RecordableHistogram = createHistogram();
  /** t1 -> t3: the whole read, socket to callback return. */
  readonly readToDelivered: RecordableHistogram = createHistogram();
  /**
   * t1 of the current read on process.hrtime's clock in nanoseconds, for comparison with a
   * sender's `process.hrtime.bigint()` stamp (CLOCK_MONOTONIC, shared across processes on Linux).
   */
  readTimeNs = 0n;

  private readStart = 0;
  private parsedAt = 0;
  private messagesInRead = 0;

  /** t1 */
  markRead(): void {
    this.readTimeNs = process.hrtime.bigint();
    this.readStart = performance.now();
    this.messagesInRead = 0;
  }

  /** Called before each delivery; only the first of a read takes the clock (t2). */
  markParsed(): void {
    if (this.messagesInRead++ === 0) this.parsedAt = performance.now();
  }

  /** t3, after the read's last message. */
  markDelivered(): void {
    if (this.messagesInRead === 0) return;
    const now = performance.now();
    record(this.readToParsed, this.parsedAt - this.readStart);
    record(this.parsedToDelivered, now - this.parsedAt);
    record(this.readToDelivered, now - this.readStart);
  }

  /** Empties the three histograms (e.g. after a warm-up). */
  reset(): void {
    this.readToParsed.reset();
    this.parsedToDelivered.reset();
    this.readToDelivered.reset();
  }
}

function record(histogram: RecordableHistogram, milliseconds: number): void {
  // Histograms take positive integers; sub-nanosecond spans count as 1 ns.
  const nanoseconds = Math.round(milliseconds * 1e6);
  histogram.record(nanoseconds > 0 ? nanoseconds : 1);
}
