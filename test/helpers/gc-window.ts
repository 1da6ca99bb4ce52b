// Counts garbage collections inside a measured window, for allocation tests.
//
// A GC entry reaches a PerformanceObserver through a native immediate, after the code that
// caused it has moved on, so counting "while a flag is set" misses the last collections of a
// run. Entries are kept with their start time instead, and counted against the window's bounds
// once the pending immediates have run.
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';

export interface GcCounts {
  /** Young-generation collections (scavenges): what per-message allocation causes. */
  scavenges: number;
  /** Mark-sweep-compact, incremental marking and weak-callback passes. */
  others: number;
}

export class GcWindow {
  private readonly entries: PerformanceEntry[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.entries.push(entry);
  });
  private windowStart = Number.POSITIVE_INFINITY;
  private windowEnd = Number.POSITIVE_INFINITY;

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Opens the window (call at the start of the measured part). */
  begin(): void {
    this.windowStart = performance.now();
  }

  /** Closes the window (call at the end of the measured part, before any teardown). */
  end(): void {
    this.windowEnd = performance.now();
  }

  /** Waits for pending entries, stops observing and counts the collections that started inside the window. */
  async collect(): Promise<GcCounts> {
    await new Promise((resolve) => setImmediate(resolve));
    for (const entry of this.observer.takeRecords()) this.entries.push(entry);
    this.observer.disconnect();
    const counts: GcCounts = { scavenges: 0, others: 0 };
    for (const entry of this.entries) {
      if (entry.startTime < this.windowStart || entry.startTime > this.windowEnd) continue;
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.scavenges++;
      else counts.others++;
    }
    return counts;
  }
}
