// Decimal text -> fixed-point units four digits at a time (SWAR: SIMD within a register).
//
// A depth message is mostly digits: a 20+20-level depthUpdate holds 80 decimals of 10 to 14
// bytes each ("67000.00000000", "1.23000000"). Read byte by byte, each digit is a load, a range
// check and a multiply-add that waits for the previous one. Here a decimal is read as 32-bit
// little-endian words through a DataView: one word tests four bytes for being digits and gives
// their value with a few integer operations, so a Binance price or quantity (up to 8 whole
// digits, a dot, 8 fraction digits) takes 4 loads instead of up to 17.
//
// Everything stays in int32 until the final combination: on V8 14 (Node 26) a digit loop
// whose accumulator passes 2^31 compiles to much slower code than on V8 11-13 (Node 20-24): the same
// loop ran 1.9x slower on Node 26 (bench/book.ts, scratch variants: the float accumulator was
// the whole difference).
//
// The fast path only takes the shape exchanges send: 1 to 8 whole digits, a dot, exactly 8
// fraction digits, then a closing quote, at a scale of 8 or more. Anything else goes to
// scanUnits (fixed-point.ts), so the result is the same as scanUnits' for every input.

import { POW10, scanUnits } from './fixed-point.js';

const CHAR_DOT = 0x2e;
const CHAR_QUOTE = 0x22;
const TWO_POW_53 = 9007199254740992;
/** The fraction length the word path reads (Binance's 8-decimal strings). */
const SWAR_FRACTION_DIGITS = 8;

/**
 * Non-zero bytes where the word's byte is not an ASCII digit. A byte is a digit when its high
 * nibble is 3 and stays 3 after adding 6 (so its low nibble is at most 9). A carry out of a byte
 * >= 0xFA can only disturb bytes above it, and only the lowest flagged byte is used.
 */
function nonDigitBytes(word: number): number {
  return ((word & 0xf0f0f0f0) ^ 0x30303030) | ((((word + 0x06060606) | 0) & 0xf0f0f0f0) ^ 0x30303030);
}

/**
 * The value of a word's four digit bytes (lowest address = most significant digit), or of its
 * first `count` digits when the bytes above them were shifted out (count 1..4).
 */
function wordDigits(word: number, count: number): number {
  // Subtracting '0' from every byte: a borrow from a non-digit byte only moves upwards, into
  // bytes the shift drops. Shifting left by the missing digits makes them leading zeros
  // (a shift by 32 is a shift by 0 in JavaScript: count 4 keeps the word).
  const digits = ((word - 0x30303030) | 0) << ((32 - 8 * count) & 31);
  // Bytes d0 d1 d2 d3 -> (d0*10 + d1) in byte 0 and (d2*10 + d3) in byte 2; at most 0x09090909 * 10 < 2^31.
  const pairs = (digits * 10 + (digits >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/** Index (0..3) of the lowest non-zero byte of a non-zero mask. */
function lowestByte(mask: number): number {
  return (31 - Math.clz32(mask & -mask)) >> 3;
}

/**
 * Like scanUnits (same arguments, same result for every input), with `view` a DataView over
 * `data`'s buffer and `viewOffset` = `data.byteOffset` as seen by that view. The caller must
 * have checked that `scale` >= 8 (SwarDecimal.usable does) or pass null to read byte by byte.
 */
export function scanUnitsWords(view: DataView, viewOffset: number, data: Uint8Array, pos: number, end: number, scale: number, out: Float64Array, index: number): number {
  // Every word read stays inside [pos, end): the whole part's two words need pos + 8, the
  // fraction's are checked against the quote's position below.
  if (pos + 8 <= end) {
    const at = viewOffset + pos;
    const first = view.getInt32(at, true);
    const firstMask = nonDigitBytes(first);
    let whole = 0;
    let wholeDigits = 0;
    if (firstMask !== 0) {
      wholeDigits = lowestByte(firstMask);
      if (wholeDigits !== 0) whole = wordDigits(first, wholeDigits);
    } else {
      const second = view.getInt32(at + 4, true);
      const secondMask = nonDigitBytes(second);
      if (secondMask !== 0) {
        const more = lowestByte(secondMask);
        wholeDigits = 4 + more;
        whole = more === 0 ? wordDigits(first, 4) : wordDigits(first, 4) * POW10_INT[more]! + wordDigits(second, more);
      }
    }
    const dot = pos + wholeDigits;
    // whole digits 1..8, a dot, 8 fraction digits and the closing quote inside the range
    if (wholeDigits !== 0 && dot + SWAR_FRACTION_DIGITS + 2 <= end && data[dot] === CHAR_DOT && data[dot + 1 + SWAR_FRACTION_DIGITS] === CHAR_QUOTE) {
      const high = view.getInt32(viewOffset + dot + 1, true);
      const low = view.getInt32(viewOffset + dot + 5, true);
      if ((nonDigitBytes(high) | nonDigitBytes(low)) === 0) {
        const fraction = wordDigits(high, 4) * 10000 + wordDigits(low, 4);
        // Both products are exact integers when the sum is below 2^53 (and the sum is then exact);
        // at or above 2^53 the value is refused, as scanUnits refuses it.
        const value = whole * POW10[scale]! + fraction * POW10[scale - SWAR_FRACTION_DIGITS]!;
        if (value >= TWO_POW_53) return -1;
        out[index] = value;
        return dot + 1 + SWAR_FRACTION_DIGITS;
      }
    }
  }
  return scanUnits(data, pos, end, scale, out, index);
}

/** 10^k for k = 0..4 as small integers (int32 arithmetic in wordDigits' caller). */
const POW10_INT = new Int32Array([1, 10, 100, 1000, 10000]);

const EMPTY_BUFFER = new ArrayBuffer(0);

/**
 * A DataView over the buffer a decoder reads, made once per receive buffer. A view is created only
 * when the same buffer arrives twice in a row: a client that hands every message in its own new
 * buffer then allocates nothing per message (its messages are read byte by byte), while one
 * receive buffer reused for every message (tickwire's client, the ring) gets the word path.
 */
export class SwarViewCache {
  /** The view over the current message's buffer, or null when it has none yet. */
  view: DataView | null = null;
  /** data.byteOffset of the current message's array. */
  offset = 0;
  private bound: ArrayBufferLike = EMPTY_BUFFER;
  private previous: ArrayBufferLike = EMPTY_BUFFER;
  private boundView: DataView | null = null;
  private readonly usable: boolean;

  /** `scale` below 8 never takes the word path (its fraction digits past the scale need checking). */
  constructor(scale: number) {
    this.usable = scale >= SWAR_FRACTION_DIGITS;
  }

  /** No view for the current message (its levels are read some other way, or byte by byte). */
  none(): void {
    this.view = null;
  }

  /** Selects the view for `data`; afterwards `view` is null (read byte by byte) or a view of its buffer. */
  select(data: Uint8Array): void {
    const buffer = data.buffer;
    if (buffer !== this.bound) {
      if (!this.usable || buffer !== this.previous) {
        this.previous = buffer;
        this.view = null;
        return;
      }
      this.bound = buffer;
      this.boundView = new DataView(buffer);
    }
    this.view = this.boundView;
    this.offset = data.byteOffset;
  }
}
