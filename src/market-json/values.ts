// Reading one recorded value (string body or bare token) as a number. Shared by the field
// accessors and the level iterator, so both follow the same rules.
//
// Every reader here returns nothing and leaves its result in numberSlot (decimal.ts); the
// public accessors (JsonFields.number(), LevelIterator.price(), ...) are two-line functions that
// call one and load numberSlot[0]. Those are small enough for V8 to inline anywhere, and a call
// that returns nothing has no double to box. A reader that returned its double would box it
// whenever the caller did not inline it (the caller's inlining budget runs out, as in a
// handler inlined into a hot loop), and V8 14 (Node 26) even boxes the fast path's result
// when it merges with a slow branch's call result that never runs.

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
 * A string or number value as a float64 (equal to parseFloat of its text) into numberSlot[0]; NaN
 * for other kinds or text that is not a decimal. `plain` = a bare number or a string without escapes.
 */
export function readNumber(data: Uint8Array, plain: boolean, kind: number, start: number, end: number): void {
  if (plain) readDecimal(data, start, end);
  else readNumberSlow(data, kind, start, end);
}

/**
 * readNumber's slow half, result in numberSlot[0]: NaN for kinds other than a string; an escaped
 * string ("\u0031" is "1") is decoded first: that allocates; no exchange sends numbers that way.
 */
export function readNumberSlow(data: Uint8Array, kind: number, start: number, end: number): void {
  if (kind !== KIND_STRING) {
    numberSlot[0] = NaN;
    return;
  }
  const bytes = encoder.encode(decodeString(data, start, end, true));
  readDecimal(bytes, 0, bytes.length);
}

/** Like readNumberSlow, but a safe integer or NaN (for update ids such as `u`, `U`, `E`). */
export function readIntegerSlow(data: Uint8Array, kind: number, start: number, end: number): void {
  if (kind !== KIND_STRING) {
    numberSlot[0] = NaN;
    return;
  }
  const bytes = encoder.encode(decodeString(data, start, end, true));
  readSafeInteger(bytes, 0, bytes.length);
}
