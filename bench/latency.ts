// Latency recording (perf_hooks' HDR histogram: record() is a native call that allocates
// nothing) and the quantile grid a run reports, plus merging the grids of several interleaved
// rounds into one distribution.
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** 3 significant figures: 0.1% resolution, e.g. 12.3 us at 12 us. */
const HISTOGRAM_FIGURES = 3;
/** Anything above 60 s is a hung run, not a latency. */
const HISTOGRAM_HIGHEST_NS = 60e9;

/**
 * Percentiles reported per run: p0, p50 and ten points per decade of "nines" from p0 to
 * p99.99 (p90, p99, p99.9 and p99.99 among them), the x axis of the percentile plot.
 */
export const PERCENTILE_GRID: readonly number[] = (() => {
  const grid = [0, 50];
  for (let k = 1; k <= 40; k++) grid.push(roundPercentile(100 * (1 - Math.pow(10, -k / 10))));
  return grid.sort((a, b) => a - b);
})();

function roundPercentile(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

export interface LatencySummary {
  count: number;
  minNs: number;
  maxNs: number;
  meanNs: number;
  /** [percentile, nanoseconds] for every PERCENTILE_GRID point. */
  grid: Array<[number, number]>;
}

export class LatencyRecorder {
  private readonly histogram: RecordableHistogram = createHistogram({
    lowest: 1,
    highest: HISTOGRAM_HIGHEST_NS,
    figures: HISTOGRAM_FIGURES,
  });

  record(ns: number): void {
    // The histogram takes integers >= 1; a sub-nanosecond or skewed difference counts as 1 ns.
    this.histogram.record(ns >= 1 ? Math.round(ns) : 1);
  }

  summary(): LatencySummary {
    return summarizeHistogram(this.histogram);
  }
}

/** The PERCENTILE_GRID summary of any perf_hooks histogram holding nanoseconds. */
export function summarizeHistogram(h: Pick<RecordableHistogram, 'count' | 'min' | 'max' | 'mean' | 'percentile'>): LatencySummary {
  if (h.count === 0) return { count: 0, minNs: 0, maxNs: 0, meanNs: 0, grid: [] };
  const grid: Array<[number, number]> = PERCENTILE_GRID.map((p) => [p, p === 0 ? h.min : h.percentile(p)]);
  return { count: h.count, minNs: h.min, maxNs: h.max, meanNs: h.mean, grid };
}

/** Value at percentile p of a summary's grid (nearest grid point at or above p). */
export function percentileOf(summary: LatencySummary, p: number): number {
  if (p >= 100) return summary.maxNs;
  for (const [percentile, value] of summary.grid) if (percentile >= p - 1e-9) return value;
  return summary.maxNs;
}

/**
 * Merges rounds by averaging their distribution functions (weighted by sample count): the
 * result is the distribution of all samples pooled, up to the grids' resolution.
 */
export function mergeLatency(parts: readonly LatencySummary[]): LatencySummary {
  const runs = parts.filter((part) => part.count > 0);
  if (runs.length === 0) return { count: 0, minNs: 0, maxNs: 0, meanNs: 0, grid: [] };
  if (runs.length === 1) return runs[0] as LatencySummary;
  const total = runs.reduce((sum, run) => sum + run.count, 0);
  const candidates = [...new Set(runs.flatMap((run) => [...run.grid.map((point) => point[1]), run.maxNs]))].sort((a, b) => a - b);
  // Fraction of a run's samples at or below x, read off its grid as a step function.
  const cdf = (run: LatencySummary, x: number): number => {
    if (x >= run.maxNs) return 100;
    let below = 0;
    for (const [percentile, value] of run.grid) if (value <= x) below = percentile;
    return below;
  };
  const pooled = candidates.map((x) => runs.reduce((sum, run) => sum + cdf(run, x) * run.count, 0) / total);
  const grid: Array<[number, number]> = PERCENTILE_GRID.map((p) => {
    if (p === 0) return [p, Math.min(...runs.map((run) => run.minNs))];
    const index = pooled.findIndex((fraction) => fraction >= p - 1e-9);
    return [p, candidates[index < 0 ? candidates.length - 1 : index] as number];
  });
  return {
    count: total,
    minNs: Math.min(...runs.map((run) => run.minNs)),
    maxNs: Math.max(...runs.map((run) => run.maxNs)),
    meanNs: runs.reduce((sum, run) => sum + run.meanNs * run.count, 0) / total,
    grid,
  };
}
