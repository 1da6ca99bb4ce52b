// Timing and allocation measurement for micro-benchmark loops (bench/market-json.ts, bench/book.ts):
// a loop runs `iterations` messages and returns a number (kept in a sink so V8 cannot drop the work).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MeasureWindow } from './measure.js';

export type Loop = (iterations: number) => number;

/** Time each variant runs before it is calibrated and measured (JIT tier-up). */
const WARMUP_MS = 150;

function nsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started);
}

/**
 * Warms `loop` up (so it and everything it calls reach optimized code: calibrating on interpreted
 * code would pick batches 100x too small), then returns the iteration count of a ~4 ms batch.
 */
function calibrate(loop: Loop): number {
  const warmUntil = Date.now() + WARMUP_MS;
  while (Date.now() < warmUntil) loop(64);
  let iterations = 1;
  for (;;) {
    const started = process.hrtime.bigint();
    loop(iterations);
    if (nsSince(started) > 4e6 || iterations >= 1 << 26) return iterations;
    iterations *= 2;
  }
}

/**
 * ns per iteration of each loop, wall clock. The variants take turns batch by batch so they all
 * see the same background load (the machine is a shared 2-core VM), and the fastest batch of each
 * is kept, since interference only ever adds time. (Process CPU time was tried and dropped: it
 * also counts the JIT and GC helper threads, which charges JSON.parse's garbage to its batches.)
 */
export function timeLoops(loops: readonly Loop[], durationMs: number): number[] {
  const iterations = loops.map(calibrate);
  const best = loops.map(() => Infinity);
  const deadline = Date.now() + durationMs * loops.length;
  let rounds = 0;
  do {
    loops.forEach((loop, v) => {
      const started = process.hrtime.bigint();
      sink += loop(iterations[v]!);
      best[v] = Math.min(best[v]!, nsSince(started) / iterations[v]!);
    });
    rounds++;
  } while (Date.now() < deadline || rounds < 5);
  return best;
}

/**
 * A full GC on demand, so garbage left by the previous variant (JSON.parse makes plenty) is not
 * collected inside the next variant's allocation window and counted against it.
 */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap bytes one measuring window itself allocates (the GC profiler, heap statistics objects). */
function windowOverhead(): number {
  collectGarbage();
  const window = new MeasureWindow();
  window.start(0);
  return window.stop(0).heapBytes;
}

/**
 * Heap bytes allocated per iteration over `iterations` (loop already warm), net of the
 * measuring window's own allocation so short windows do not show phantom bytes per message.
 */
export function heapPerIteration(loop: Loop, iterations: number): number {
  const overhead = windowOverhead();
  collectGarbage();
  const window = new MeasureWindow();
  window.start(0);
  sink += loop(iterations);
  return Math.max(0, window.stop(iterations).heapBytes - overhead) / iterations;
}

let sink = 0;

/** Keeps the loops' results observable, so V8 cannot drop the work. */
export function sinkValue(): number {
  return sink;
}
