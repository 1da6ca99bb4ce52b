// Public surface of the market-data JSON extractor: read known fields of a JSON message straight
// from the receive buffer, with no JSON.parse, no string and no allocation per message.
//
//   const BTCUSDT = new TextEncoder().encode('BTCUSDT');
//   const book = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);      // compile once
//   onMessage(data, start, end) {
//     if (!book.scan(data, start, end)) return;                    // invalid JSON or a field missing
//     if (!book.equals(0, BTCUSDT)) return;
//     const bid = book.number(1);                                  // === parseFloat("67123.45000000")
//     const updateId = book.integer(5);
//   }
//
//   const depth = jsonFields(['data.u', 'data.b', 'data.a']);     // combined stream: nested paths
//   const bids = depth.levels(1);                                  // one reusable iterator per field
//   while (bids.next()) apply(bids.price(), bids.quantity());
export {
  jsonFields,
  JsonFields,
  SCAN_OK,
  SCAN_MALFORMED,
  SCAN_MISSING_FIELD,
  SCAN_TOO_DEEP,
  KIND_MISSING,
  KIND_STRING,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_ARRAY,
  KIND_TRUE,
  KIND_FALSE,
  KIND_NULL,
} from './json-fields.js';
export type { JsonFieldsOptions } from './json-fields.js';
export type { FieldPath } from './paths.js';
export { MarketJsonPathError } from './paths.js';
export { LevelIterator } from './levels.js';
export { decimalFallbackCount, parseDecimal, parseSafeInteger } from './decimal.js';
