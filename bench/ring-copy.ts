// Chooses COPY_LOOP_MAX_BYTES (src/ring/spsc-ring.ts): copying a payload into the ring with a
// byte loop or a 4-bytes-per-store word loop (no allocation) versus TypedArray.set on a
// subarray view (one view per copy).
// Usage: node dist/bench/ring-copy.js
import { performance } from 'node:perf_hooks';

const SIZES = [16, 64, 110, 128, 256, 512, 1024, 4096];
// The ring is a SharedArrayBuffer: copy into one, as tryWrite does.
const TARGET = new Uint8Array(new SharedArrayBuffer(1 << 20));
const SOURCE = new Uint8Array(1 << 16).map((_, i) => i & 0xff);

function copyLoop(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): void {
  for (let i = start, j = at; i < end; i++, j++) target[j] = source[i]!;
}

const TARGET_WORDS = new Int32Array(TARGET.buffer);

/** What tryWrite does up to COPY_LOOP_MAX_BYTES: 4 source bytes per aligned 32-bit store. */
function copyWords(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): void {
  let i = start;
  let word = at >> 2;
  const wordsEnd = start + ((end - start) & ~3);
  for (; i < wordsEnd; i += 4) TARGET_WORDS[word++] = source[i]! | (source[i + 1]! << 8) | (source[i + 2]! << 16) | (source[i + 3]! << 24);
  for (let j = word << 2; i < end; i++, j++) target[j] = source[i]!;
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

export interface RingCopyRow {
  size: number;
  loopNs: number;
  wordsNs: number;
  setNs: number;
}

/** Best of three interleaved rounds per size and method (the VM is noisy). */
export function runRingCopyBench(): RingCopyRow[] {
  const rows: RingCopyRow[] = [];
  for (const size of SIZES) {
    const best = { loop: Infinity, words: Infinity, set: Infinity };
    for (let round = 0; round < 3; round++) {
      best.loop = Math.min(best.loop, timeNsPerCopy(copyLoop, size));
      best.words = Math.min(best.words, timeNsPerCopy(copyWords, size));
      best.set = Math.min(best.set, timeNsPerCopy(copySet, size));
    }
    rows.push({ size, loopNs: best.loop, wordsNs: best.words, setNs: best.set });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of runRingCopyBench()) {
    console.log(`${String(row.size).padStart(5)} B  bytes ${row.loopNs.toFixed(1).padStart(7)} ns  words ${row.wordsNs.toFixed(1).padStart(7)} ns  set ${row.setNs.toFixed(1).padStart(7)} ns`);
  }
}
