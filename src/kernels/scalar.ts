// Scalar TypeScript kernels: the reference every SIMD variant is tested against, and the
// implementation used for small inputs (where a call into WebAssembly costs more than it saves)
// and when WebAssembly SIMD is unavailable or TICKWIRE_KERNELS=scalar.
//
// Contract shared by every kernel: ranges are in bounds (callers check once per message); nothing
// is allocated in steady state; nothing throws. A range that breaks the contract gets typed-array
// semantics (reads past the view are undefined, writes dropped) and never touches bytes outside
// the view, in these kernels and in the SIMD ones.

/** True when the platform stores the low byte of a 32-bit word first (every Node target today). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Below this many bytes the masking loop goes byte by byte: the word loop needs an aligned head
 * and a rotated key first. `node dist/bench/kernels.js --kernel=mask --sizes=4,8,12,16,24,32`
 * with this set to 4: at 4 B the byte loop takes 5 ns and the word path 9 ns; at 8 B 16 vs 10 ns.
 */
export const MASK_WORD_LOOP_MIN_BYTES = 8;

/**
 * Same role for the ASCII check. `--kernel=isAscii --sizes=8,16,24,32,48,64,128`: the word loop
 * (threshold 4) takes 4.1 ns at 8 B against 7.8 ns for the byte loop, and pulls away from there.
 */
export const ASCII_WORD_LOOP_MIN_BYTES = 8;

/**
 * A view the word cache has not seen in the last two calls costs the `buffer`, `byteOffset` and
 * `length` getters (about 50 ns together) and, for a new ArrayBuffer, an Int32Array; the word
 * loop saves about 1.5 ns per byte over the byte loop (bench mask: byte loop 0.5 GB/s, scalar
 * word loop 2-3 GB/s). Below this length a view is looked up only when it comes back (see
 * WordViewCache.words), so a fresh buffer per small message (a new frame, a new socket chunk)
 * neither pays the getters nor allocates, while a long-lived buffer is cached on its second use.
 */
export const NEW_VIEW_WORD_LOOP_MIN_BYTES = 128;

/**
 * Remembers, for the last two Uint8Array views it was asked about, an Int32Array over the view's
 * whole ArrayBuffer and the view's byteOffset, so the word loops read and write 4 bytes at a time
 * without creating a view per call. Keyed by view identity because the `buffer` and `byteOffset`
 * getters are not inlined by V8 11 (about 30 ns and 9 ns a call on the bench machine, more than
 * masking 16 bytes). In steady state (the same send or receive buffer every message) it always
 * hits and allocates nothing; a view seen for the first time costs the getters and, for a new
 * ArrayBuffer, one Int32Array (see NEW_VIEW_WORD_LOOP_MIN_BYTES for when that is paid).
 * Two entries: masking looks up a source and a target. The entries keep their buffers reachable.
 */
class WordViewCache {
  private view0: Uint8Array | null = null;
  private words0: Int32Array = new Int32Array(0);
  private byteOffset0 = 0;
  private length0 = 0;
  private view1: Uint8Array | null = null;
  private words1: Int32Array = new Int32Array(0);
  private byteOffset1 = 0;
  private length1 = 0;
  /** byteOffset and length of the view passed to the last words() call. */
  byteOffset = 0;
  length = 0;

  /** The last two views refused a lookup: a view that comes back is worth looking up. */
  private candidate0: Uint8Array | null = null;
  private candidate1: Uint8Array | null = null;

  /**
   * Words of the view's buffer. On a miss with `lookUp` false, null (nothing is touched) unless the
   * view was refused recently: coming back makes it look long-lived, so it is looked up then.
   */
  words(view: Uint8Array, lookUp: boolean): Int32Array | null {
    if (view === this.view0) {
      this.byteOffset = this.byteOffset0;
      this.length = this.length0;
      return this.words0;
    }
    if (view === this.view1) {
      this.byteOffset = this.byteOffset1;
      this.length = this.length1;
      return this.words1;
    }
    if (!lookUp && view !== this.candidate0 && view !== this.candidate1) {
      this.candidate0 = this.candidate1;
      this.candidate1 = view;
      return null;
    }
    const buffer = view.buffer;
    // A buffer whose length is not a multiple of 4 gets a view over its whole words; the
    // trailing bytes are handled by the byte loops.
    const words =
      buffer === this.words0.buffer ? this.words0 : buffer === this.words1.buffer ? this.words1 : new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    // Replace the older entry: entry 1 moves to 0, the new view becomes entry 1.
    this.view0 = this.view1;
    this.words0 = this.words1;
    this.byteOffset0 = this.byteOffset1;
    this.length0 = this.length1;
    this.view1 = view;
    this.words1 = words;
    this.byteOffset1 = this.byteOffset = view.byteOffset;
    this.length1 = this.length = view.length;
    return words;
  }
}

const maskWords = new WordViewCache();
const asciiWords = new WordViewCache();

/**
 * The 4 masking-key octets maskKey[keyStart .. keyStart + 4) as one 32-bit integer whose
 * little-endian byte j is the key octet for the j-th byte of a 4-byte group that starts at key
 * phase `phase`: byte j = maskKey[keyStart + ((phase + j) & 3)].
 */
export function maskKeyWord(maskKey: Uint8Array, keyStart: number, phase: number): number {
  return (
    (maskKey[keyStart + (phase & 3)]! |
      (maskKey[keyStart + ((phase + 1) & 3)]! << 8) |
      (maskKey[keyStart + ((phase + 2) & 3)]! << 16) |
      (maskKey[keyStart + ((phase + 3) & 3)]! << 24)) |
    0
  );
}

/**
 * RFC 6455 5.3: "Octet i of the transformed data is the XOR of octet i of the original data with
 * octet at index i modulo 4 of the masking key."
 *
 * Writes `length` masked bytes of source[sourceStart..] to target[targetStart..]. The key is
 * maskKey[maskKeyStart .. maskKeyStart + 4) (a start other than 0 reads it from a key pool or from
 * the frame header itself, without a subarray). `keyOffset` is the
 * index (mod 4) of the payload byte that source[sourceStart] is, for masking a payload in pieces.
 * target may be the same range as source (in-place unmask); partially overlapping ranges are not
 * supported. Masking and unmasking are the same operation.
 */
export function maskScalar(
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  maskKey: Uint8Array,
  keyOffset = 0,
  maskKeyStart = 0,
): void {
  let key = maskKeyWord(maskKey, maskKeyStart, keyOffset);
  let index = 0;
  if (length >= MASK_WORD_LOOP_MIN_BYTES) {
    const lookUp = length >= NEW_VIEW_WORD_LOOP_MIN_BYTES;
    const sourceWords = maskWords.words(source, lookUp);
    const sourceAddress = maskWords.byteOffset + sourceStart;
    const sourceInRange = sourceStart >= 0 && sourceStart + length <= maskWords.length;
    const targetWords = source === target ? sourceWords : maskWords.words(target, lookUp);
    const targetAddress = maskWords.byteOffset + targetStart;
    const targetInRange = targetStart >= 0 && targetStart + length <= maskWords.length;
    // Word access needs source and target to share their alignment modulo 4. It also reaches the
    // whole ArrayBuffer, so a range outside its view goes the byte way, where typed-array bounds
    // apply (the contract excludes such ranges; this keeps a caller's bug inside its own view).
    if (
      sourceWords !== null &&
      targetWords !== null &&
      ((sourceAddress ^ targetAddress) & 3) === 0 &&
      sourceInRange &&
      targetInRange
    ) {
      const head = (4 - (sourceAddress & 3)) & 3;
      for (; index < head; index++) {
        target[targetStart + index] = source[sourceStart + index]! ^ ((key >>> (index << 3)) & 0xff);
      }
      // The key word for groups starting `head` bytes in: rotate right by head bytes.
      const rotate = head << 3;
      const groupKey = rotate === 0 ? key : (key >>> rotate) | (key << (32 - rotate));
      const wordKey = LITTLE_ENDIAN ? groupKey : byteSwap(groupKey);
      const wordCount = (length - head) >>> 2;
      const sourceWord = (sourceAddress + head) >>> 2;
      const targetWord = (targetAddress + head) >>> 2;
      for (let word = 0; word < wordCount; word++) {
        targetWords[targetWord + word] = sourceWords[sourceWord + word]! ^ wordKey;
      }
      index = head + (wordCount << 2);
      // Remaining bytes start at a group boundary relative to the rotated key.
      key = groupKey;
      for (let tail = 0; index < length; index++, tail++) {
        target[targetStart + index] = source[sourceStart + index]! ^ ((key >>> (tail << 3)) & 0xff);
      }
      return;
    }
  }
  for (; index < length; index++) {
    target[targetStart + index] = source[sourceStart + index]! ^ ((key >>> ((index & 3) << 3)) & 0xff);
  }
}

function byteSwap(word: number): number {
  return ((word >>> 24) | ((word >>> 8) & 0xff00) | ((word << 8) & 0xff0000) | (word << 24)) | 0;
}

/** First index in [start, end) of '"' (0x22) or '\' (0x5C), or -1. */
export function indexOfQuoteOrBackslashScalar(data: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    const byte = data[index]!;
    if (byte === 0x22 || byte === 0x5c) return index;
  }
  return -1;
}

/**
 * First index in [start, end) of '"', '\' or a control byte below 0x20, or -1: the bytes that end
 * a run of plain JSON string content (RFC 8259 7: "All Unicode characters may be placed within the
 * quotation marks, except for the characters that MUST be escaped: quotation mark, reverse
 * solidus, and the control characters (U+0000 through U+001F)").
 */
export function indexOfStringStopScalar(data: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    const byte = data[index]!;
    if (byte === 0x22 || byte === 0x5c || byte < 0x20) return index;
  }
  return -1;
}

/** First index in [start, end) of a JSON structural byte  " \ { } [ ] , :  or -1. */
export function indexOfStructuralScalar(data: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    if (STRUCTURAL[data[index]!] === 1) return index;
  }
  return -1;
}

/** 1 at the JSON structural bytes  " \ { } [ ] , :  0 elsewhere. */
export const STRUCTURAL = new Uint8Array(256);
for (const character of '"\\{}[],:') STRUCTURAL[character.charCodeAt(0)] = 1;

/**
 * First index in [start, end) of a byte >= 0x80, or -1: how far text is ASCII (and so valid UTF-8
 * without further checks), for the UTF-8 validator to skip.
 */
export function indexOfNonAsciiScalar(data: Uint8Array, start: number, end: number): number {
  let index = start;
  if (end - start >= ASCII_WORD_LOOP_MIN_BYTES) {
    const words = asciiWords.words(data, end - start >= NEW_VIEW_WORD_LOOP_MIN_BYTES);
    if (words !== null && start >= 0 && end <= asciiWords.length) {
      // Skip whole ASCII words, then let the byte loop find the byte in the first word that is not.
      const address = asciiWords.byteOffset + start;
      const head = (4 - (address & 3)) & 3;
      for (const headEnd = start + head; index < headEnd; index++) {
        if (data[index]! >= 0x80) return index;
      }
      let word = (address + head) >>> 2;
      const wordEnd = word + ((end - index) >>> 2);
      while (word < wordEnd && (words[word]! & 0x80808080) === 0) word++;
      index += (word - ((address + head) >>> 2)) << 2;
    }
  }
  for (; index < end; index++) {
    if (data[index]! >= 0x80) return index;
  }
  return -1;
}

/** True when every byte in [start, end) is below 0x80. */
export function isAsciiScalar(data: Uint8Array, start: number, end: number): boolean {
  if (end - start >= ASCII_WORD_LOOP_MIN_BYTES) {
    const words = asciiWords.words(data, end - start >= NEW_VIEW_WORD_LOOP_MIN_BYTES);
    // The word loop reaches the whole ArrayBuffer: only for ranges inside the view (see maskScalar).
    if (words !== null && start >= 0 && end <= asciiWords.length) return isAsciiWords(data, words, asciiWords.byteOffset, start, end);
  }
  for (let index = start; index < end; index++) {
    if (data[index]! >= 0x80) return false;
  }
  return true;
}

function isAsciiWords(data: Uint8Array, words: Int32Array, byteOffset: number, start: number, end: number): boolean {
  let index = start;
  const address = byteOffset + start;
  const head = (4 - (address & 3)) & 3;
  let accumulator = 0;
  for (const headEnd = start + head; index < headEnd; index++) accumulator |= data[index]!;
  const firstWord = (address + head) >>> 2;
  const wordEnd = firstWord + ((end - index) >>> 2);
  // Check the accumulated sign bits every 64 words so a non-ASCII byte near the start of a large
  // message ends the scan early, without a branch per word.
  for (let word = firstWord; word < wordEnd; ) {
    const blockEnd = Math.min(wordEnd, word + 64);
    for (; word < blockEnd; word++) accumulator |= words[word]!;
    if ((accumulator & 0x80808080) !== 0) return false;
  }
  index += (wordEnd - firstWord) << 2;
  for (; index < end; index++) accumulator |= data[index]!;
  return (accumulator & 0x80808080) === 0;
}
