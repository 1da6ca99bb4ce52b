// Chooses COPY_LOOP_MAX_BYTES (src/ring/spsc-ring.ts): copying a payload into the ring with a
// byte loop (no allocation) versus TypedArray.set on a subarray view (one view per copy).
// Usage: node dist/bench/ring-copy.js
import { performance } from 'node:perf_hooks';

const SIZES = [16, 64, 110, 128, 256, 512, 1024, 4096];
// The ring is a SharedArrayBuffer: copy into one, as tryWrite does.
const TARGET = new Uint8Array(new SharedArrayBuffer(1 << 20));
const SOURCE = new Uint8Array(1 << 16).map((_, i) => i & 0xff);

function copyLoop(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): void {
  for (let i = start, j = at; i < end; i++, j++) target[j] = source[i]!;
}

function copySet(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): void {
  target.set(source.subarray(start, end), at);
}

function timeNsPerCopy(copy: typeof copyLoop, size: number): number {
  const iterations = Math.max(20_000, Math.floor(20_000_000 / size));
  let at = 0;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    copy(SOURCE, i & 1023, (i & 1023) + size, TARGET, at);
    at = (at + 4096) & (TARGET.length - 8192);
  }
  return ((performance.now() - started) * 1e6) / iterations;
}

export function runRingCopyBench(): Array<{ size: number; loopNs: number; setNs: number }> {
  const rows: Array<{ size: number; loopNs: number; setNs: number }> = [];
  for (const size of SIZES) {
    timeNsPerCopy(copyLoop, size);
    timeNsPerCopy(copySet, size); // warm-up
    rows.push({ size, loopNs: timeNsPerCopy(copyLoop, size), setNs: timeNsPerCopy(copySet, size) });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of runRingCopyBench()) {
    console.log(`${String(row.size).padStart(5)} B  loop ${row.loopNs.toFixed(1).padStart(7)} ns  set ${row.setNs.toFixed(1).padStart(7)} ns`);
  }
}
