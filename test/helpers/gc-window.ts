// Counts garbage collections inside a measured window, for allocation tests.
//
// A GC entry reaches a PerformanceObserver through a native immediate, after the code that
// caused it has moved on, so counting "while a flag is set" misses the last collections of a
// run. Entries are kept with their start time instead, and counted against the window's bounds
// once the pending immediates have run.
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';

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

/** Heap growth of a round below which it counts as flat (lazy feedback and IC state, not per-message garbage). */
export const FLAT_ROUND_SLACK_BYTES = 64 * 1024;

export interface WarmUpOptions {
  /** Rounds always run first: unoptimized and mid-tier (Maglev) code can run flat before the optimizing compiler has even started. Default 5. */
  minRounds?: number;
  /** Give up (the measured window then fails if the code really allocates) after this many rounds. Default 40. */
  maxRounds?: number;
  /** Consecutive flat rounds required at the end. Default 2. */
  flatRounds?: number;
}

/**
 * Warm-up that adapts to the machine: calls `round` at least `minRounds` times, then until
 * `flatRounds` calls in a row leave the heap flat (no collection during the call, and the heap
 * grew by less than FLAT_ROUND_SLACK_BYTES; it may shrink, as the sweeper frees what an earlier
 * collection found), at most `maxRounds` times. On a loaded or fresh machine the optimizing compiler, a background thread, can finish
 * late; installing its code allocates on the heap, and code not optimized yet may box doubles.
 * A fixed warm-up then measures the JIT instead of the code under test. Bounded: a real
 * per-message allocation never runs flat, and the measured window that follows still fails.
 * Returns the rounds run.
 */
export function warmUntilFlat(round: () => void, options: WarmUpOptions = {}): number {
  const minRounds = options.minRounds ?? 5;
  const maxRounds = options.maxRounds ?? 40;
  const flatRounds = options.flatRounds ?? 2;
  let flatInARow = 0;
  for (let rounds = 1; rounds <= maxRounds; rounds++) {
    // GCProfiler reports synchronously (a PerformanceObserver would report after the round).
    const profiler = new GCProfiler();
    profiler.start();
    const before = process.memoryUsage().heapUsed;
    round();
    const growth = process.memoryUsage().heapUsed - before;
    const collections = profiler.stop()?.statistics.length ?? 0;
    flatInARow = collections === 0 && growth < FLAT_ROUND_SLACK_BYTES ? flatInARow + 1 : 0;
    if (rounds >= minRounds && flatInARow >= flatRounds) return rounds;
  }
  return maxRounds;
}

export interface RoundsMeasure extends GcCounts {
  /** heapUsed after the rounds minus before (read outside the window). */
  growth: number;
}

/** Runs `round` `rounds` times inside a GcWindow: the collections that started in it and the heap's growth. */
export async function measureRounds(rounds: number, round: () => void): Promise<RoundsMeasure> {
  const window = new GcWindow();
  const heapBefore = process.memoryUsage().heapUsed;
  window.begin();
  for (let r = 0; r < rounds; r++) round();
  window.end();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  return { ...(await window.collect()), growth };
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * A full collection, warm-up until flat (warmUntilFlat), then `rounds` rounds inside a GcWindow.
 * With `isFlat`, a window it rejects is measured once more after more warm-up: background
 * compilation finishing inside the window (a loaded machine, Node 26) shows as heap growth or a
 * collection once, whereas a per-message allocation shows in both windows.
 */
export async function measureSettled(round: () => void, rounds: number, isFlat?: (counts: RoundsMeasure) => boolean): Promise<RoundsMeasure> {
  gc?.();
  warmUntilFlat(round);
  const counts = await measureRounds(rounds, round);
  if (isFlat === undefined || isFlat(counts)) return counts;
  console.log(`measured again after ${counts.scavenges} scavenges, ${counts.others} other GCs, heap growth ${counts.growth} bytes`);
  gc?.();
  warmUntilFlat(round);
  return measureRounds(rounds, round);
}

/**
 * The clean window (measureSettled, without a retry) and a control window whose round allocates
 * one object per message, measured alike: the control must show collections, so a clean window
 * without any is a real result and not a window that cannot see them.
 */
export async function measureWithControl(round: () => void, allocatingRound: () => void, rounds: number): Promise<{ clean: RoundsMeasure; control: RoundsMeasure }> {
  const clean = await measureSettled(round, rounds);
  allocatingRound();
  const control = await measureRounds(rounds, allocatingRound);
  return { clean, control };
}
