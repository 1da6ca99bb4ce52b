// Reads an integer field of a jsonFields scan into numberSlot[0] without returning a double:
// JsonFields.integer() is allocation-free only while V8 inlines it, and inside a decoder as large
// as these it no longer is, so its double result would be boxed (one HeapNumber per id or time).
import { numberSlot, readSafeInteger } from '../../market-json/decimal.js';
import { KIND_NUMBER, KIND_STRING, type JsonFields } from '../../market-json/index.js';

/** Field `i` as a safe integer (bare or quoted) in numberSlot[0]; NaN when absent or not an integer. */
export function readIntegerField(fields: JsonFields, i: number, data: Uint8Array): void {
  const kind = fields.kind(i);
  if (kind === KIND_NUMBER || kind === KIND_STRING) readSafeInteger(data, fields.start(i), fields.end(i));
  else numberSlot[0] = NaN;
}

export { numberSlot };
