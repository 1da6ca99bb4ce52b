// Reading one recorded value (string body or bare token) as a number. Shared by the field
// accessors and the level iterator, so both follow the same rules.

import { parseDecimal, parseSafeInteger } from './decimal.js';
import { decodeString } from './escapes.js';

/** Value kinds recorded by the scanner. 0 means the field is absent. */
export const KIND_MISSING = 0;
export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_OBJECT = 3;
export const KIND_ARRAY = 4;
export const KIND_TRUE = 5;
export const KIND_FALSE = 6;
export const KIND_NULL = 7;

const encoder = new TextEncoder();

/**
 * A string or number value as a float64 (equal to parseFloat of its text), NaN for other kinds or
 * text that is not a decimal. An escaped string ("\u0031" is "1") is decoded first: that allocates,
 * and no exchange sends numbers that way.
 */
export function numberValue(data: Uint8Array, kind: number, escaped: boolean, start: number, end: number): number {
  if (kind === KIND_NUMBER || (kind === KIND_STRING && !escaped)) return parseDecimal(data, start, end);
  if (kind !== KIND_STRING) return NaN;
  const bytes = encoder.encode(decodeString(data, start, end, true));
  return parseDecimal(bytes, 0, bytes.length);
}

/** Like numberValue, but a safe integer or NaN (for update ids such as `u`, `U`, `E`). */
export function integerValue(data: Uint8Array, kind: number, escaped: boolean, start: number, end: number): number {
  if (kind === KIND_NUMBER || (kind === KIND_STRING && !escaped)) return parseSafeInteger(data, start, end);
  if (kind !== KIND_STRING) return NaN;
  const bytes = encoder.encode(decodeString(data, start, end, true));
  return parseSafeInteger(bytes, 0, bytes.length);
}
