import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyRecorder, mergeLatency, PERCENTILE_GRID, percentileOf } from '../../bench/latency.js';

describe('bench latency recording', () => {
  it('reports a grid from p0 to p99.99 that includes the named percentiles', () => {
    for (const p of [0, 50, 90, 99, 99.9, 99.99]) assert.ok(PERCENTILE_GRID.includes(p), `grid has p${p}`);
    assert.equal(PERCENTILE_GRID[PERCENTILE_GRID.length - 1], 99.99);
  });

  it('records nanoseconds and reads percentiles back within the histogram precision', () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 10_000; i++) recorder.record(i * 1000);
    recorder.record(0); // clock skew or sub-ns: counted as 1 ns, not rejected
    const summary = recorder.summary();
    assert.equal(summary.count, 10_001);
    assert.equal(summary.minNs, 1);
    assert.ok(Math.abs(percentileOf(summary, 50) - 5_000_000) <= 5_000_000 * 0.002);
    assert.ok(Math.abs(percentileOf(summary, 99) - 9_900_000) <= 9_900_000 * 0.002);
    assert.ok(summary.maxNs >= 9_990_000);
  });

  it('merges rounds as pooled samples', () => {
    const low = new LatencyRecorder();
    const high = new LatencyRecorder();
    for (let i = 0; i < 1000; i++) {
      low.record(1000);
      high.record(3000);
    }
    const merged = mergeLatency([low.summary(), high.summary()]);
    assert.equal(merged.count, 2000);
    // HDR buckets report a value within 0.1% (3 significant figures).
    const near = (actual: number, expected: number): boolean => Math.abs(actual - expected) <= expected * 0.002;
    assert.ok(near(merged.minNs, 1000));
    assert.ok(near(merged.maxNs, 3000));
    // Half the pooled samples are 1 us: the median is 1 us, p90 is 3 us.
    assert.ok(near(percentileOf(merged, 50), 1000), `p50 ${percentileOf(merged, 50)}`);
    assert.ok(near(percentileOf(merged, 90), 3000), `p90 ${percentileOf(merged, 90)}`);
    assert.ok(near(merged.meanNs, 2000));
    assert.deepEqual(mergeLatency([low.summary()]), low.summary());
  });
});
