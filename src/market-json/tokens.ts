// Token validators for the scanner's less frequent cases (RFC 8259): numbers, literals, and the
// part of a string after its first escape or control byte. Pure functions of (data, pos, end).

import { findStringStopScalar } from './byte-scan.js';
import { hexDigit, isSimpleEscape } from './escapes.js';
import { KIND_FALSE, KIND_MISSING, KIND_NULL, KIND_TRUE } from './values.js';

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_MINUS = 0x2d;
const CHAR_PLUS = 0x2b;
const CHAR_DOT = 0x2e;
const CHAR_0 = 0x30;
const CHAR_LOWER_E = 0x65;
const CHAR_LOWER_U = 0x75;
const CASE_BIT = 0x20;

/**
 * The rest of a string body from `i`, where the inline loop stopped on a byte that is not the
 * closing quote: a backslash (validate the escape, go on) or a control character (invalid,
 * RFC 8259 7: U+0000..U+001F must be escaped). Returns the closing quote's index or -1.
 * An escape is one of \" \\ \/ \b \f \n \r \t \uXXXX.
 */
export function scanStringRest(data: Uint8Array, i: number, end: number): number {
  for (;;) {
    if (i >= end || data[i] !== CHAR_BACKSLASH || i + 1 >= end) return -1;
    const kind = data[i + 1]!;
    if (kind === CHAR_LOWER_U) {
      if (
        i + 6 > end ||
        hexDigit(data[i + 2]!) < 0 ||
        hexDigit(data[i + 3]!) < 0 ||
        hexDigit(data[i + 4]!) < 0 ||
        hexDigit(data[i + 5]!) < 0
      ) {
        return -1;
      }
      i += 6;
    } else if (isSimpleEscape(kind)) {
      i += 2;
    } else {
      return -1;
    }
    i = findStringStopScalar(data, i, end);
    if (i < end && data[i] === CHAR_QUOTE) return i;
  }
}

/** RFC 8259 6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Returns the index after it, or -1. */
export function scanNumber(data: Uint8Array, pos: number, end: number): number {
  let i = pos;
  if (data[i] === CHAR_MINUS) i++;
  if (i >= end) return -1;
  const first = data[i]! - CHAR_0;
  if (first === 0) {
    i++;
  } else if (first >>> 0 <= 9) {
    i++;
    while (i < end && (data[i]! - CHAR_0) >>> 0 <= 9) i++;
  } else {
    return -1;
  }
  if (i < end && data[i] === CHAR_DOT) {
    const digits = ++i;
    while (i < end && (data[i]! - CHAR_0) >>> 0 <= 9) i++;
    if (i === digits) return -1;
  }
  if (i < end && (data[i]! | CASE_BIT) === CHAR_LOWER_E) {
    i++;
    if (i < end && (data[i] === CHAR_PLUS || data[i] === CHAR_MINUS)) i++;
    const digits = i;
    while (i < end && (data[i]! - CHAR_0) >>> 0 <= 9) i++;
    if (i === digits) return -1;
  }
  return i;
}

/** KIND_TRUE / KIND_FALSE / KIND_NULL for the literal at pos, or KIND_MISSING. */
export function literalAt(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos];
  if (c === 0x74) {
    // true
    return pos + 4 <= end && data[pos + 1] === 0x72 && data[pos + 2] === 0x75 && data[pos + 3] === 0x65 ? KIND_TRUE : KIND_MISSING;
  }
  if (c === 0x66) {
    // false
    return pos + 5 <= end &&
      data[pos + 1] === 0x61 &&
      data[pos + 2] === 0x6c &&
      data[pos + 3] === 0x73 &&
      data[pos + 4] === 0x65
      ? KIND_FALSE
      : KIND_MISSING;
  }
  if (c === 0x6e) {
    // null
    return pos + 4 <= end && data[pos + 1] === 0x75 && data[pos + 2] === 0x6c && data[pos + 3] === 0x6c ? KIND_NULL : KIND_MISSING;
  }
  return KIND_MISSING;
}
