// Public surface of the market-data JSON extractor.
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
