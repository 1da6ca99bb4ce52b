// End to end: `npm run bench -- --quick` with every client, both transports and the parser
// microbenchmark, checked for completeness and sane figures (never for speed: the VM is noisy).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from '../../bench/config.js';
import type { BenchResults } from '../../bench/results.js';

const main = fileURLToPath(new URL('../../bench/main.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'tickwire-bench-test-'));
let results: BenchResults;
let exitCode: number | null;
let stdout: string;
let stderr: string;

describe('bench harness (--quick)', () => {
  before(() => {
    // Other helpers' module benches have their own tests; this one covers the harness itself.
    const run = spawnSync(process.execPath, [main, '--quick', '--no-external', '--no-pipeline', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    exitCode = run.status;
    stdout = run.stdout;
    stderr = run.stderr;
    results = JSON.parse(readFileSync(join(out, 'bench-results.json'), 'utf8')) as BenchResults;
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('exits 0 with no failed run', () => {
    assert.equal(exitCode, 0, stderr.slice(-2000));
    for (const row of [...results.throughput, ...results.latency, ...results.parser]) {
      assert.notEqual(row.status, 'failed', `${JSON.stringify({ ...row, rounds: undefined, merged: undefined })}`);
    }
  });

  it('records the machine and the command', () => {
    assert.equal(results.schema, 1);
    assert.equal(results.quick, true);
    assert.ok(results.machine.cores >= 1);
    assert.match(results.machine.node, /^v\d+/);
    assert.match(results.machine.command, /npm run bench -- --quick/);
  });

  it('runs every client on ws:// and wss:// with exact message counts and sane figures', () => {
    const config = results.config as BenchConfig;
    assert.equal(results.throughput.length, 12);
    for (const row of results.throughput) {
      const label = `${row.transport} ${row.client}`;
      // Every client runs; tickwire above all (a build that cannot load it must fail here).
      assert.equal(row.status, 'ok', `${label}: ${row.note ?? ''}`);
      assert.equal(row.messages, config.blastMessages * config.blastRounds, label);
      const m = row.median;
      assert.ok(m !== undefined, label);
      assert.ok(Number.isFinite(m.msgPerSec) && m.msgPerSec > 0, label);
      assert.ok(Number.isFinite(m.cpuMsPer1M) && m.cpuMsPer1M >= 0, label);
      assert.ok(Number.isFinite(m.heapBytesPer1M) && m.heapBytesPer1M >= 0, label);
      assert.ok(Number.isFinite(m.gcPer1M) && m.gcPer1M >= 0, label);
      assert.ok(m.senderBusy > 0, label);
    }
    // The floors and ws are always there, so the ratios are too.
    for (const row of results.throughput) {
      assert.ok(row.vsRawData !== undefined && row.vsRawData > 0);
      assert.ok(row.vsWs !== undefined && row.vsWs > 0);
    }
  });

  it('measures latency for every client, and the harness cost apart, with ordered percentiles', () => {
    const config = results.config as BenchConfig;
    // 6 clients + the clock-only row, 2 transports, 2 rates.
    assert.equal(results.latency.length, 7 * 2 * config.latencyRates.length);
    assert.ok(results.latency.some((row) => row.client === 'clock' && row.status === 'ok'));
    for (const row of results.latency) {
      assert.equal(row.status, 'ok', `${row.transport} ${row.rate} ${row.client}: ${row.note ?? ''}`);
      const rate = config.latencyRates.find((candidate) => candidate.rate === row.rate);
      assert.ok(rate !== undefined);
      const label = `${row.transport} ${row.rate} ${row.client}`;
      assert.equal(row.messages, (rate.warmup + rate.measured) * config.latencyRounds, label);
      assert.equal(row.merged?.count, rate.measured * config.latencyRounds, label);
      const { p50Us, p99Us, p999Us, maxUs } = row;
      assert.ok(p50Us !== undefined && p99Us !== undefined && p999Us !== undefined && maxUs !== undefined, label);
      assert.ok(p50Us > 0 && p50Us <= p99Us && p99Us <= p999Us && p999Us <= maxUs * 1.001, label);
      // A one-way loopback latency above 60 s would be a broken stamp, not a slow client.
      assert.ok(maxUs < 60e6, label);
    }
  });

  it('runs the parser microbenchmark for every size with matching frame counts', () => {
    const config = results.config as BenchConfig;
    assert.equal(results.parser.length, 8);
    for (const row of results.parser) {
      assert.equal(row.status, 'ok', `${row.parser} ${row.size}: ${row.note ?? ''}`);
      const wanted = Math.min(config.parserFrames, Math.floor(config.parserMaxPayloadBytes / row.size));
      assert.ok(row.frames >= wanted, `${row.parser} ${row.size}: ${row.frames} frames`);
      assert.ok(row.median !== undefined && row.median.nsPerFrame > 0);
    }
  });

  it('writes the markdown, the SVG and the console tables from the same results', () => {
    const markdown = readFileSync(join(out, 'benchmarks.md'), 'utf8');
    for (const heading of ['## Machine and command', '## Throughput', '## Latency', '## Parser microbenchmark', '## Method']) {
      assert.ok(markdown.includes(heading), heading);
    }
    assert.ok(markdown.includes(results.machine.cpu));
    const svg = readFileSync(join(out, 'bench-latency.svg'), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    const plotted = results.latency.filter((row) => row.status === 'ok').length;
    assert.equal(svg.match(/<polyline /g)?.length, plotted);
    assert.ok(stdout.includes('Throughput, ws://') && stdout.includes('One-way latency'));
  });
});
