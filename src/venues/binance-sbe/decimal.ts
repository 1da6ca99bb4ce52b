// SBE integers and decimals -> exact numbers. Binance's stream schema sends a price as an int64
// mantissa with an int8 exponent (value = mantissa * 10^exponent; sbe_faq.md: "decimal fields
// have their mantissa and exponent fields encoded separately as primitive fields"). The book keeps
// fixed-point units at `scale` (src/market-json/fixed-point.ts): units = mantissa * 10^(exponent +
// scale). That is an integer multiplication or an exact division, never a float rounding:
//
//   shift = exponent + scale >= 0: units = mantissa * 10^shift, refused at 2^53 or more (a double
//     product of two exact integers is exact below 2^53, and rounds to >= 2^53 above it);
//   shift < 0: units = mantissa / 10^-shift, refused unless the division is exact (a price finer
//     than the scale would have to be rounded, which fixed-point.ts refuses too).
//
// Each reader writes into a Float64Array slot instead of returning the number: a non-inlined
// function returning a double above 2^31 would box it (one HeapNumber per call).
import { POW10 } from '../../market-json/fixed-point.js';

const TWO_POW_32 = 4294967296;
/** The high word of an int64 below 2^53 is below 2^21. */
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;
/** The largest k with 10^k exact in a double (POW10's last entry). */
const MAX_EXACT_POW10 = 22;

/** The little-endian int64 at `view[at]` into out[index] when 0 <= value < 2^53; false otherwise. */
export function readUint53(view: DataView, at: number, out: Float64Array, index: number): boolean {
  const high = view.getInt32(at + 4, true);
  if (high < 0 || high >= TWO_POW_21) return false;
  out[index] = high * TWO_POW_32 + view.getUint32(at, true);
  return true;
}

/**
 * The int64 mantissa at `view[at]` times 10^shift (shift = exponent + scale) into out[index] as
 * fixed-point units; false (out untouched) for a negative mantissa (book prices and quantities
 * never are), a result of 2^53 or more, or a value finer than the scale.
 */
export function readDecimalUnits(view: DataView, at: number, shift: number, out: Float64Array, index: number): boolean {
  const high = view.getInt32(at + 4, true);
  if (high < 0 || high >= TWO_POW_21) return false;
  const mantissa = high * TWO_POW_32 + view.getUint32(at, true);
  if (mantissa === 0) {
    out[index] = 0;
    return true;
  }
  if (shift >= 0) {
    if (shift > MAX_EXACT_POW10) return false; // 10^23 alone is past 2^53
    const units = mantissa * POW10[shift]!;
    if (units >= TWO_POW_53) return false;
    out[index] = units;
    return true;
  }
  // mantissa < 2^53 < 10^16: a divisor of 10^23 or more never divides a non-zero mantissa.
  if (shift < -MAX_EXACT_POW10) return false;
  const divisor = POW10[-shift]!;
  if (mantissa % divisor !== 0) return false;
  out[index] = mantissa / divisor;
  return true;
}
