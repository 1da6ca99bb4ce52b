// Decimal text -> float64, read straight from bytes, equal bit for bit to `parseFloat(text)`.
//
// Fast path (Clinger 1990, "How to read floating point numbers accurately"): when the decimal
// significand is an integer below 2^53 (all 15-digit ones, most 16-digit ones) it is exact in a
// double, and every power
// of ten up to 10^22 is exact too. One IEEE multiply or divide of two exact operands is correctly
// rounded, so `significand * 10^e` / `significand / 10^-e` is exactly what a correct parser returns.
// Trailing zeros are kept out of the significand ("67123.45000000" -> 6712345e-2), which is why
// the fixed-8-decimals prices exchanges send almost always take the fast path.
//
// Fallback (a significand of 2^53 or more, i.e. 17+ significant digits, or an exponent outside the
// exact range): the bytes are turned into a string and handed to `parseFloat`, which V8 rounds
// correctly. That allocates one short string. Exchanges send fixed-decimal text ("0.00123000",
// at most 16 significant digits), so it is the rare path; shortest-round-trip doubles printed by
// JavaScript ("13.857142857142858", 17 digits) do take it. decimalFallbackCount() counts it.

const CHAR_0 = 0x30;
const CHAR_PLUS = 0x2b;
const CHAR_MINUS = 0x2d;
const CHAR_DOT = 0x2e;
const CHAR_LOWER_E = 0x65;
const CASE_BIT = 0x20;

/** 10^15 < 2^53: any integer of at most 15 decimal digits is exact in a double. */
const MAX_FAST_DIGITS = 15;
/** 10^22 is the largest power of ten that is exact in a double (5^22 < 2^53). */
const MAX_EXACT_POWER = 22;
const TWO_POW_53 = 9007199254740992;
/** Exponent digits beyond this magnitude only matter to the fallback; capping avoids overflow. */
const EXPONENT_CAP = 100000;

/** POW10[k] = 10^k, exact for k <= 22. */
const POW10 = new Float64Array(MAX_EXACT_POWER + 1);
for (let k = 0, p = 1; k <= MAX_EXACT_POWER; k++, p *= 10) POW10[k] = p;

let fallbackCount = 0;

/**
 * Where readDecimal/readSafeInteger leave their result. A function V8 does not inline must box a
 * float64 it returns (a HeapNumber, 16 bytes); the parsers are too large to inline, so they return
 * nothing and the tiny accessors that read this slot (and are inlined into the caller) return the
 * double unboxed. This is what keeps `fields.number(i)` allocation-free (test/market-json/allocation.test.ts).
 */
export const numberSlot = new Float64Array(1);

/** How many times the allocating fallback ran since load (read by tests and the benchmark). */
export function decimalFallbackCount(): number {
  return fallbackCount;
}

/**
 * Parses `data[start, end)` as a decimal: `[+-]? digits [. digits] [(e|E) [+-]? digits]`, at
 * least one significand digit (`.5` and `5.` are accepted, as parseFloat does). The whole range
 * must match; anything else (empty, spaces, `Infinity`, `0x10`, trailing bytes) gives NaN, unlike
 * parseFloat which would read a prefix: a price field holding "12abc" is bad data, not 12.
 * For every text the grammar accepts, the result is identical to `parseFloat(text)` (-0 included).
 */
export function parseDecimal(data: Uint8Array, start: number, end: number): number {
  readDecimal(data, start, end);
  return numberSlot[0]!;
}

/**
 * parseDecimal, with the result left in numberSlot[0] (see there why).
 *
 * Fast case first: `-?digits[.digits]` with no exponent, whose digits form an integer below 2^53
 * and with at most 22 decimals: one tight loop, then one exact division. That is every price and
 * quantity Binance sends ("67123.45000000" = 6712345000000 / 10^8). Everything else goes through
 * readDecimalGeneral, which also strips trailing zeros and handles exponents.
 */
export function readDecimal(data: Uint8Array, start: number, end: number): void {
  let i = start;
  let negative = false;
  if (i < end && data[i] === CHAR_MINUS) {
    negative = true;
    i++;
  }
  const digitsStart = i;
  let significand = 0;
  while (i < end) {
    const digit = data[i]! - CHAR_0;
    if (digit >>> 0 > 9) break;
    significand = significand * 10 + digit;
    i++;
  }
  let digitCount = i - digitsStart;
  let fractionDigits = 0;
  if (i < end && data[i] === CHAR_DOT) {
    const fractionStart = ++i;
    while (i < end) {
      const digit = data[i]! - CHAR_0;
      if (digit >>> 0 > 9) break;
      significand = significand * 10 + digit;
      i++;
    }
    fractionDigits = i - fractionStart;
    digitCount += fractionDigits;
  }
  // Every partial value was below the final one, so final < 2^53 means every step was exact.
  if (i === end && digitCount !== 0 && significand < TWO_POW_53 && fractionDigits <= MAX_EXACT_POWER) {
    const value = fractionDigits === 0 ? significand : significand / POW10[fractionDigits]!;
    numberSlot[0] = negative ? -value : value;
    return;
  }

  // Every other spelling: exponents, '+', 2^53 or more in the digits (trailing zeros stripped).
  // Kept in this function on purpose: it makes readDecimal too large for V8 to inline, so it is
  // always a call, and the callers that must be inlined (number(), price()) stay within the
  // inlining budget of the user's handler; an accessor left out of it would box every result.
  i = start;
  if (i >= end) {
    numberSlot[0] = NaN;
    return;
  }
  negative = false;
  let c = data[i]!;
  if (c === CHAR_MINUS) {
    negative = true;
    i++;
  } else if (c === CHAR_PLUS) {
    i++;
  }

  significand = 0; // the digits taken so far, as an exact integer
  let significandDigits = 0; // digits in `significand` (leading zeros excluded)
  let pendingZeros = 0; // zeros seen after the last non-zero digit, not yet multiplied in
  fractionDigits = 0; // digits after the decimal point
  digitCount = 0;
  let tooLong = false;

  // Integer part then fraction part: one loop, the dot flips `inFraction`.
  let inFraction = false;
  for (; i < end; i++) {
    c = data[i]!;
    const digit = c - CHAR_0;
    if (digit >>> 0 > 9) {
      if (c === CHAR_DOT && !inFraction) {
        inFraction = true;
        continue;
      }
      break;
    }
    digitCount++;
    if (inFraction) fractionDigits++;
    if (digit === 0) {
      if (significandDigits !== 0) pendingZeros++;
      continue;
    }
    const grown = significandDigits + pendingZeros + 1;
    // Below 2^53 every step is exact; a 16th digit is accepted when the result stays below it.
    const next = grown <= MAX_FAST_DIGITS + 1 ? significand * POW10[pendingZeros + 1]! + digit : TWO_POW_53;
    if (next >= TWO_POW_53) {
      tooLong = true;
      continue; // keep validating; the fallback computes the value
    }
    significand = next;
    significandDigits = grown;
    pendingZeros = 0;
  }
  if (digitCount === 0) {
    numberSlot[0] = NaN;
    return;
  }

  let exponent = 0;
  if (i < end && (data[i]! | CASE_BIT) === CHAR_LOWER_E) {
    i++;
    let exponentNegative = false;
    if (i < end) {
      c = data[i]!;
      if (c === CHAR_MINUS) {
        exponentNegative = true;
        i++;
      } else if (c === CHAR_PLUS) {
        i++;
      }
    }
    const exponentStart = i;
    for (; i < end; i++) {
      const digit = data[i]! - CHAR_0;
      if (digit >>> 0 > 9) break;
      if (exponent < EXPONENT_CAP) exponent = exponent * 10 + digit;
    }
    if (i === exponentStart) {
      numberSlot[0] = NaN;
      return;
    }
    if (exponentNegative) exponent = -exponent;
  }
  if (i !== end) {
    numberSlot[0] = NaN;
    return;
  }
  if (significand === 0 && !tooLong) {
    numberSlot[0] = negative ? -0 : 0;
    return;
  }

  const scale = pendingZeros - fractionDigits + exponent;
  let value = NaN; // stays NaN when the fast path does not apply
  if (tooLong) {
    // more than 15 significant digits: fallback below
  } else if (scale === 0) {
    value = significand;
  } else if (scale > 0) {
    if (scale <= MAX_EXACT_POWER) {
      value = significand * POW10[scale]!;
    } else if (scale <= MAX_EXACT_POWER + MAX_FAST_DIGITS) {
      // Still exact if significand * 10^(scale-22) stays an integer below 2^53 (e.g. 12e25).
      const shifted = significand * POW10[scale - MAX_EXACT_POWER]!;
      if (shifted <= TWO_POW_53) value = shifted * POW10[MAX_EXACT_POWER]!;
    }
  } else if (scale >= -MAX_EXACT_POWER) {
    value = significand / POW10[-scale]!;
  }
  if (value !== value) {
    parseFallback(data, start, end);
    return;
  }
  numberSlot[0] = negative ? -value : value;
}

/** The rare path: build the (ASCII, already validated) text and let V8's correct parser round it. */
function parseFallback(data: Uint8Array, start: number, end: number): void {
  fallbackCount++;
  numberSlot[0] = parseFloat(asciiString(data, start, end));
}

/** Bytes known to be ASCII -> string. Allocates; used off the hot path only. */
export function asciiString(data: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(data[i]!);
  return text;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * `data[start, end)` as a safe integer: `[+-]? digits` fast, anything else through parseDecimal
 * (so "1e3" is 1000). NaN when the text is not a number or the value is not a safe integer
 * (|v| > 2^53 - 1 or fractional), so an update id is never silently rounded.
 */
export function parseSafeInteger(data: Uint8Array, start: number, end: number): number {
  readSafeInteger(data, start, end);
  return numberSlot[0]!;
}

/** parseSafeInteger, with the result left in numberSlot[0]. */
export function readSafeInteger(data: Uint8Array, start: number, end: number): void {
  let i = start;
  if (i >= end) {
    numberSlot[0] = NaN;
    return;
  }
  let negative = false;
  const first = data[i]!;
  if (first === CHAR_MINUS) {
    negative = true;
    i++;
  } else if (first === CHAR_PLUS) {
    i++;
  }
  if (i === end) {
    numberSlot[0] = NaN;
    return;
  }
  let value = 0;
  for (; i < end; i++) {
    const digit = data[i]! - CHAR_0;
    if (digit >>> 0 > 9) {
      readDecimal(data, start, end);
      if (!Number.isSafeInteger(numberSlot[0])) numberSlot[0] = NaN;
      return;
    }
    // Exact while value <= 2^53; once past it the result can only stay above MAX_SAFE.
    value = value * 10 + digit;
  }
  if (value > MAX_SAFE) {
    numberSlot[0] = NaN;
    return;
  }
  numberSlot[0] = negative ? -value : value;
}
