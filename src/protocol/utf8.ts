import { isUtf8 } from 'node:buffer';
import { indexOfNonAscii } from '../kernels/index.js';

/**
 * Below this many bytes a plain JS loop beats `buffer.isUtf8` (simdutf), because the native call
 * needs a subarray view, and that allocation per message is what the hot path must avoid.
 * Market-data text is almost all ASCII, where the loop costs ~1 ns/byte.
 * Set from bench/utf8 measurements (see docs/benchmarks.md, "UTF-8 validation").
 */
export const NATIVE_UTF8_THRESHOLD = 512;

/**
 * Incremental UTF-8 validator (RFC 3629, as RFC 6455 8.1 requires for text frames).
 *
 * Bytes may arrive in any number of pieces: the validator keeps the state of a code point split
 * across pieces (how many continuation bytes are still owed and the range the next one must
 * fall in, which rules out overlongs, surrogates and values above U+10FFFF). It fails on the
 * first bad byte, so a peer cannot make us buffer a whole invalid message before we notice.
 */
export class Utf8Validator {
  /** Continuation bytes still owed by the current code point (0 = on a boundary). */
  private pending = 0;
  private lower = 0x80;
  private upper = 0xbf;

  reset(): void {
    this.pending = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  /** True when the bytes seen so far end on a code point boundary. */
  isComplete(): boolean {
    return this.pending === 0;
  }

  /** Validates data[start, end) as the continuation of what came before. False on the first invalid byte. */
  update(data: Uint8Array, start: number, end: number): boolean {
    let index = start;
    // Finish a code point left open by the previous piece.
    while (this.pending !== 0 && index < end) {
      const byte = data[index]!;
      if (byte < this.lower || byte > this.upper) return false;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.pending--;
      index++;
    }
    if (this.pending === 0) {
      // Market-data text is ASCII: skip it with the SIMD kernel (in place when data lies in
      // kernel memory, as the receive buffer does) and run the state machine on the rest.
      const nonAscii = indexOfNonAscii(data, index, end);
      if (nonAscii < 0) return true;
      index = nonAscii;
    }
    if (end - index >= NATIVE_UTF8_THRESHOLD) {
      // Long run: let simdutf check everything up to the last complete code point, and the
      // scalar loop below take the (at most 3-byte) incomplete tail and keep its state.
      const tail = incompleteTailStart(data, index, end);
      if (!isUtf8(data.subarray(index, tail))) return false;
      index = tail;
    }
    return this.scan(data, index, end);
  }

  /** Validates one whole message (or close reason) in a single piece. */
  validateComplete(data: Uint8Array, start: number, end: number): boolean {
    this.reset();
    const ok = this.update(data, start, end) && this.pending === 0;
    this.reset();
    return ok;
  }

  private scan(data: Uint8Array, start: number, end: number): boolean {
    let pending = this.pending;
    let lower = this.lower;
    let upper = this.upper;
    for (let index = start; index < end; index++) {
      const byte = data[index]!;
      if (pending === 0) {
        if (byte < 0x80) continue;
        // RFC 3629 4: C0, C1 and F5..FF never appear; E0/ED/F0/F4 narrow the next byte's range.
        if (byte < 0xc2) return false;
        if (byte < 0xe0) {
          pending = 1;
        } else if (byte < 0xf0) {
          pending = 2;
          if (byte === 0xe0) lower = 0xa0; // overlong
          else if (byte === 0xed) upper = 0x9f; // UTF-16 surrogates
        } else if (byte < 0xf5) {
          pending = 3;
          if (byte === 0xf0) lower = 0x90; // overlong
          else if (byte === 0xf4) upper = 0x8f; // above U+10FFFF
        } else {
          return false;
        }
      } else {
        if (byte < lower || byte > upper) return false;
        lower = 0x80;
        upper = 0xbf;
        pending--;
      }
    }
    this.pending = pending;
    this.lower = lower;
    this.upper = upper;
    return true;
  }
}

/**
 * Where the last code point of data[start, end) starts if it is cut off by `end`, else `end`.
 * Looks back at most 3 bytes: a longer run of continuation bytes is invalid anyway, and
 * isUtf8 reports it.
 */
function incompleteTailStart(data: Uint8Array, start: number, end: number): number {
  const limit = Math.max(start, end - 3);
  for (let index = end - 1; index >= limit; index--) {
    const byte = data[index]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (byte < 0x80) return end;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return end - index < length ? index : end;
  }
  return end;
}
