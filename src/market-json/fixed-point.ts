// Decimal text -> exact fixed-point integer, read straight from bytes: "67123.45000000" at scale 8
// is 6712345000000 (price * 10^8). Order books keep prices and quantities this way so that adding,
// removing and comparing levels never meets float drift: every value is an integer below 2^53,
// which a float64 holds exactly, so a Float64Array stores it and `===` compares it.
//
// A value is refused (not rounded) when it cannot be held exactly: more fraction digits than the
// scale unless the extra ones are zeros (Binance pads to 8 decimals: "0.00100000" is fine at scale
// 3), or a result of 2^53 or more (at scale 8: above 90,071,992.54740991 — pick a smaller scale
// for a market whose quantities go higher). The grammar is `digits [. digits]`: no sign (book
// prices and quantities are never negative), no exponent; anything else is refused too.

/** The scale Binance's 8-decimal strings need to be read without loss. */
export const DEFAULT_SCALE = 8;
/** 10^15 < 2^53: scales up to 15 still leave room for a whole part. */
export const MAX_SCALE = 15;

const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;
const TWO_POW_53 = 9007199254740992;

/** POW10[k] = 10^k, exact for k <= 22. */
export const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k < POW10.length; k++, p *= 10) POW10[k] = p;

/** Throws a RangeError unless `scale` is an integer in [0, MAX_SCALE]. Construction time only. */
export function checkScale(scale: number): number {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new RangeError(`fixed-point scale must be an integer from 0 to ${MAX_SCALE}, got ${scale}`);
  }
  return scale;
}

/**
 * Reads the decimal starting at `data[pos]` (up to `end`) as an integer number of 10^-scale units
 * into `out[index]`. Stops at the first byte that cannot continue the number and returns its
 * index; returns -1 (and leaves `out[index]` alone) for no digits, a dot without digits after it,
 * a non-zero digit past the scale, or a value of 2^53 or more. The caller checks what follows
 * (a closing quote, or the end of the range).
 *
 * Writes into a typed array instead of returning the value: a non-inlined function returning a
 * double above 2^31 would box it (one HeapNumber per call).
 */
export function scanUnits(data: Uint8Array, pos: number, end: number, scale: number, out: Float64Array, index: number): number {
  // The usual shape first: at most 9 digits on each side of the dot, each side accumulated in
  // int32 by a loop with no digit counter (its bound stops it at 9 digits). This is the whole
  // loop body for a Binance decimal, so it decides the byte-by-byte speed on every Node: the
  // general loop below (a counter per digit to fold every 9 digits) took a 20+20-level depth
  // message from 1.5-1.7 us to 2.2-2.6 us on Node 20-24. Anything longer goes to the general loop.
  let i = pos;
  let digit = 0;
  let whole = 0;
  const wholeBound = end - pos < 9 ? end : pos + 9;
  while (i < wholeBound && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
    whole = whole * 10 + digit;
    i++;
  }
  if (i === pos) return -1;
  if (i < end) {
    const next = data[i]!;
    if ((next - CHAR_0) >>> 0 <= 9) return scanUnitsGeneral(data, pos, end, scale, out, index);
    if (next === CHAR_DOT) {
      const fractionStart = ++i;
      const fractionDigitsMax = scale < 9 ? scale : 9;
      const fractionBound = end - fractionStart < fractionDigitsMax ? end : fractionStart + fractionDigitsMax;
      let fraction = 0;
      while (i < fractionBound && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
        fraction = fraction * 10 + digit;
        i++;
      }
      if (i < end && (data[i]! - CHAR_0) >>> 0 <= 9) return scanUnitsGeneral(data, pos, end, scale, out, index);
      if (i === fractionStart) return -1;
      // Both products are exact when the sum is below 2^53 (and the sum is then exact).
      const value = whole * POW10[scale]! + fraction * POW10[scale - (i - fractionStart)]!;
      if (value >= TWO_POW_53) return -1;
      out[index] = value;
      return i;
    }
  }
  const value = whole * POW10[scale]!;
  if (value >= TWO_POW_53) return -1;
  out[index] = value;
  return i;
}

/** scanUnits for any length of digits (the same contract). */
function scanUnitsGeneral(data: Uint8Array, pos: number, end: number, scale: number, out: Float64Array, index: number): number {
  // The digits read so far are high * 10^lowDigits + low, with low (at most 9 digits) kept in
  // int32: on V8 14 (Node 26) a multiply-add accumulator that passes 2^31 makes the whole
  // loop much slower than on V8 11-13 (Node 20-24); folding into the float every 9 digits avoids it.
  let high = 0;
  let low = 0;
  let lowDigits = 0;
  let i = pos;
  let digit = 0;
  while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
    low = low * 10 + digit;
    if (++lowDigits === 9) {
      high = high * 1e9 + low;
      low = 0;
      lowDigits = 0;
    }
    i++;
  }
  if (i === pos) return -1;
  let fractionDigits = 0;
  if (i < end && data[i] === CHAR_DOT) {
    const fractionStart = ++i;
    while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
      if (fractionDigits < scale) {
        low = low * 10 + digit;
        if (++lowDigits === 9) {
          high = high * 1e9 + low;
          low = 0;
          lowDigits = 0;
        }
        fractionDigits++;
      } else if (digit !== 0) {
        return -1; // finer than the scale: refuse rather than round
      }
      i++;
    }
    if (i === fractionStart) return -1;
  }
  // Every partial value was at most the final one, so a final value below 2^53 means no step rounded.
  const value = (high * POW10[lowDigits]! + low) * POW10[scale - fractionDigits]!;
  if (value >= TWO_POW_53) return -1;
  out[index] = value;
  return i;
}

/** `data[start, end)` as fixed-point units into `out[index]`; false (out untouched) unless the whole range is a valid decimal. */
export function readUnits(data: Uint8Array, start: number, end: number, scale: number, out: Float64Array, index: number): boolean {
  return scanUnits(data, start, end, scale, out, index) === end;
}

/** Units -> decimal text with exactly `scale` fraction digits ("67123.45000000"). Allocates: display and tests only. */
export function formatUnits(units: number, scale: number): string {
  if (scale === 0) return String(units);
  const text = String(units).padStart(scale + 1, '0');
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

/** Units -> float64 (the nearest double to the decimal value): for display and arithmetic that tolerates rounding. */
export function unitsToNumber(units: number, scale: number): number {
  return units / POW10[scale]!;
}

/**
 * Like readUnits, but a leading '-' is allowed (ticker price changes: "p":"-0.0015"), giving
 * negative units. Book levels use readUnits: a negative price or quantity there is bad data.
 */
export function readSignedUnits(data: Uint8Array, start: number, end: number, scale: number, out: Float64Array, index: number): boolean {
  if (start < end && data[start] === 0x2d) {
    if (scanUnits(data, start + 1, end, scale, out, index) !== end) return false;
    out[index] = -out[index]!;
    return true;
  }
  return scanUnits(data, start, end, scale, out, index) === end;
}
