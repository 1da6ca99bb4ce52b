// Reading one recorded value (string body or bare token) as a number. Shared by the field
// accessors and the level iterator, so both follow the same rules.
//
// The accessors are split in two on purpose: a tiny fast function (plain number or unescaped
// string: parse into numberSlot, return the slot) that V8 inlines into the caller, so the double
// never gets boxed, and a slow function for everything else (escaped strings, other kinds).

import { numberSlot, readDecimal, readSafeInteger } from './decimal.js';
import { decodeString } from './escapes.js';

/** Value kinds recorded by the scanner. 0 means the field is absent. */
export const KIND_MISSING = 0;
/** Value kind: A string (`"..."`). */
export const KIND_STRING = 1;
/** Value kind: A bare number (`160`, `-1.5e3`). */
export const KIND_NUMBER = 2;
/** Value kind: An object (`{...}`). */
export const KIND_OBJECT = 3;
/** Value kind: An array (`[...]`). */
export const KIND_ARRAY = 4;
/** Value kind: The literal `true`. */
export const KIND_TRUE = 5;
/** Value kind: The literal `false`. */
export const KIND_FALSE = 6;
/** Value kind: The literal `null` (the field counts as present). */
export const KIND_NULL = 7;

const encoder = new TextEncoder();

/**
 * A string or number value as a float64 (equal to parseFloat of its text), NaN for other kinds or
 * text that is not a decimal. `plain` = a bare number or a string without escapes.
 */
export function numberValue(data: Uint8Array, plain: boolean, kind: number, start: number, end: number): number {
  if (plain) {
    readDecimal(data, start, end);
    return numberSlot[0]!;
  }
  return numberValueSlow(data, kind, start, end);
}

/** Like numberValue, but a safe integer or NaN (for update ids such as `u`, `U`, `E`). */
export function integerValue(data: Uint8Array, plain: boolean, kind: number, start: number, end: number): number {
  if (plain) {
    readSafeInteger(data, start, end);
    return numberSlot[0]!;
  }
  return integerValueSlow(data, kind, start, end);
}

/** An escaped string ("\u0031" is "1") is decoded first: that allocates; no exchange sends numbers that way. */
function numberValueSlow(data: Uint8Array, kind: number, start: number, end: number): number {
  if (kind !== KIND_STRING) return NaN;
  const bytes = encoder.encode(decodeString(data, start, end, true));
  readDecimal(bytes, 0, bytes.length);
  return numberSlot[0]!;
}

function integerValueSlow(data: Uint8Array, kind: number, start: number, end: number): number {
  if (kind !== KIND_STRING) return NaN;
  const bytes = encoder.encode(decodeString(data, start, end, true));
  readSafeInteger(bytes, 0, bytes.length);
  return numberSlot[0]!;
}
