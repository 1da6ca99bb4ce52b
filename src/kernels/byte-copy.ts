// Copying a byte range from one ArrayBuffer into another without a view per copy.
//
// Why this module: `TypedArray.prototype.set` copies a whole typed array, so copying part of one
// needs `source.subarray(start, end)` first, a new object on every call. On a hot path (a message
// copied into kernel memory, a frame payload joined from a foreign buffer) that is the one
// allocation per message left. Three ways around it, best first:
//   - the whole view is the range: set() itself;
//   - Node 22 and later: `Buffer.prototype.copy` takes the range as arguments and is a V8 fast API
//     call straight into C++, no JavaScript object made (30-60 ns for a 1.4 kB message). Node 20's
//     copy builds the same subarray view in JavaScript (measured: 2M copies of 1360 bytes, ~190
//     scavenges on 20.20, none on 22.23, 24.22 and 26.12; test/kernels/byte-copy.test.ts checks
//     it on whatever Node runs the tests);
//   - otherwise (copyRangeShifted only) 4-byte words through Int32Array views over both whole
//     ArrayBuffers, the target shifted to the source's alignment modulo 4: about 600 ns for 1.4 kB
//     on Node 20, slower than set() but without the view. A view is made for a buffer the second
//     time in a row it is seen, then kept, as swar-decimal.ts does: a buffer seen once (a fresh
//     socket chunk) costs no view.

import { Buffer } from 'node:buffer';

const nodeMajor = Number.parseInt(process.versions.node, 10);
const bufferCopy = Buffer.prototype.copy;

/** True when a partial copy goes through Buffer.prototype.copy without allocating (Node 22+). */
export const rangeCopyIsViewFree: boolean = nodeMajor >= 22;

/** Word views for the word copy: a buffer, and its Int32Array / Uint8Array over all of it. */
class WordViews {
  bound: ArrayBufferLike | null = null;
  private seen: ArrayBufferLike | null = null;
  words: Int32Array = new Int32Array(0);
  bytes: Uint8Array = new Uint8Array(0);

  /** Binds to `buffer`; false when it is seen for the first time (no views made yet). */
  select(buffer: ArrayBufferLike): boolean {
    if (buffer === this.bound) return true;
    if (buffer !== this.seen) {
      this.seen = buffer;
      return false;
    }
    this.bound = buffer;
    this.words = new Int32Array(buffer, 0, buffer.byteLength >> 2);
    this.bytes = new Uint8Array(buffer);
    return true;
  }
}

const sourceViews = new WordViews();
const targetViews = new WordViews();

/**
 * The two copies that need no view: the whole source (set()), or any range on Node 22+
 * (Buffer.copy). False, copying nothing, when neither applies.
 */
function copyWithoutView(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number, length: number): boolean {
  if (sourceStart === 0 && length === source.length) {
    target.set(source, targetStart);
    return true;
  }
  if (!rangeCopyIsViewFree) return false;
  bufferCopy.call(source, target, targetStart, sourceStart, sourceStart + length);
  return true;
}

/**
 * Copies source[sourceStart, +length) to target[targetStart + shift..], where shift (0 to 3) is
 * chosen so that the copy is allocation-free, and returns targetStart + shift; or -1, copying
 * nothing, when no such copy exists (Node 20, a buffer seen for the first time). The caller
 * guarantees both ranges lie inside their views, the target's with 3 bytes of room after it.
 */
export function copyRangeShifted(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number, length: number): number {
  if (copyWithoutView(source, sourceStart, target, targetStart, length)) return targetStart;
  // both selected every time: a buffer seen twice is bound even when the other one is new
  const sourceKnown = sourceViews.select(source.buffer);
  const targetKnown = targetViews.select(target.buffer);
  if (!sourceKnown || !targetKnown) return -1;
  const from = source.byteOffset + sourceStart;
  const targetBase = target.byteOffset + targetStart;
  const to = targetBase + ((from - targetBase) & 3);
  return copyWords(from, to, length) ? to - target.byteOffset : -1;
}

/**
 * Copies source[sourceStart, +length) to target[targetStart..]. The caller guarantees both ranges
 * lie inside their views. Allocation-free when the whole source is copied and on Node 22+;
 * otherwise through a subarray view (the word copy is several times slower than set(), so it is
 * kept for copyRangeShifted's callers, for whom the alternative costs more still).
 */
export function copyRange(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number, length: number): void {
  if (!copyWithoutView(source, sourceStart, target, targetStart, length)) target.set(source.subarray(sourceStart, sourceStart + length), targetStart);
}

/**
 * bytes [from, +length) of the bound source buffer to [to, ..) of the bound target buffer, equal
 * alignment modulo 4. False, copying nothing, when a view no longer covers the range (a resizable
 * buffer that shrank since its views were made).
 */
function copyWords(from: number, to: number, length: number): boolean {
  const sourceBytes = sourceViews.bytes;
  const targetBytes = targetViews.bytes;
  if (!(from + length <= sourceBytes.length) || !(to + length <= targetBytes.length)) return false;
  // within one buffer a forward word loop would overwrite bytes it has yet to read
  if (sourceViews.bound === targetViews.bound) return false;
  const sourceWords = sourceViews.words;
  const targetWords = targetViews.words;
  let k = 0;
  for (; k < length && ((from + k) & 3) !== 0; k++) targetBytes[to + k] = sourceBytes[from + k]!;
  const words = (length - k) >> 2;
  const fromWord = (from + k) >> 2;
  const toWord = (to + k) >> 2;
  // eight words per step: unrolled, a 1.4 kB depth message staged ~150 ns sooner on Node 20 (bench/book.ts)
  let w = 0;
  for (const unrolled = words & ~7; w < unrolled; w += 8) {
    targetWords[toWord + w] = sourceWords[fromWord + w]!;
    targetWords[toWord + w + 1] = sourceWords[fromWord + w + 1]!;
    targetWords[toWord + w + 2] = sourceWords[fromWord + w + 2]!;
    targetWords[toWord + w + 3] = sourceWords[fromWord + w + 3]!;
    targetWords[toWord + w + 4] = sourceWords[fromWord + w + 4]!;
    targetWords[toWord + w + 5] = sourceWords[fromWord + w + 5]!;
    targetWords[toWord + w + 6] = sourceWords[fromWord + w + 6]!;
    targetWords[toWord + w + 7] = sourceWords[fromWord + w + 7]!;
  }
  for (; w < words; w++) targetWords[toWord + w] = sourceWords[fromWord + w]!;
  for (k += words << 2; k < length; k++) targetBytes[to + k] = sourceBytes[from + k]!;
  return true;
}
