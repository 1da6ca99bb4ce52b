// The `!miniTicker@arr` and `!ticker_<1h|4h|1d>@arr` streams send a JSON array of the same
// objects as the per-symbol streams ("Note that only tickers that have changed will be present in
// the array"). ArrayEvents validates the message once (jsonFields, RFC 8259) and then walks its
// elements in place: each element's byte range goes to the per-symbol decoder.
//
//   const tickers = new ArrayEvents();
//   const mini = new MiniTickerDecoder();
//   if (tickers.reset(data, start, end)) while (tickers.next()) if (mini.decode(data, tickers.elementStart, tickers.elementEnd)) use(mini);

import { jsonFields, KIND_ARRAY, type JsonFields } from '../../market-json/index.js';

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Walks the elements of an `!…@arr` message (a JSON array of events) in place: reset() checks the message, next()
 * moves `elementStart`/`elementEnd` to each element for a typed decoder. No copy, no allocation.
 */
export class ArrayEvents {
  /** Messages are `{"stream":..,"data":[..]}`; false: the array is the message. */
  readonly combined: boolean;
  /** Byte range of the current element (valid after next() returned true). */
  elementStart = 0;
  /** End (exclusive) of the current element. */
  elementEnd = 0;
  /** Elements returned so far in this message. */
  index = 0;
  private readonly validator: JsonFields;
  private data: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Index of the array's closing bracket. */
  private end = 0;

  /** `combined`: messages are {"stream":..,"data":[..]}; else the array is the message. */
  constructor(options: { combined?: boolean } = {}) {
    this.combined = options.combined ?? false;
    // A flat array has no named field: one optional dummy path makes scan() validate it whole.
    this.validator = this.combined ? jsonFields(['data']) : jsonFields(['\u0000'], { optional: ['\u0000'] });
  }

  /** Validates data[start, end) and points at its array; false when it is not valid JSON or not an array message. */
  reset(data: Uint8Array, start = 0, end: number = data.length): boolean {
    this.index = 0;
    this.pos = 0;
    this.end = 0;
    if (!this.validator.scan(data, start, end)) return false;
    let arrayStart = start;
    let arrayEnd = end;
    if (this.combined) {
      if (this.validator.kind(0) !== KIND_ARRAY) return false;
      arrayStart = this.validator.start(0);
      arrayEnd = this.validator.end(0);
    } else {
      while (arrayStart < arrayEnd && isWhitespace(data[arrayStart]!)) arrayStart++;
      while (arrayEnd > arrayStart && isWhitespace(data[arrayEnd - 1]!)) arrayEnd--;
      if (data[arrayStart] !== CHAR_LBRACKET) return false;
    }
    this.data = data;
    this.pos = arrayStart + 1;
    this.end = arrayEnd - 1;
    return true;
  }

  /** Moves to the next element; false after the last. The message was validated, so only structure is tracked here. */
  next(): boolean {
    const data = this.data;
    const end = this.end;
    let pos = this.pos;
    while (pos < end && (isWhitespace(data[pos]!) || data[pos] === CHAR_COMMA)) pos++;
    if (pos >= end) return false;
    const start = pos;
    let depth = 0;
    for (; pos < end; pos++) {
      const c = data[pos]!;
      if (c === CHAR_QUOTE) {
        for (pos++; pos < end && data[pos] !== CHAR_QUOTE; pos++) if (data[pos] === CHAR_BACKSLASH) pos++;
      } else if (c === CHAR_LBRACE || c === CHAR_LBRACKET) {
        depth++;
      } else if (c === CHAR_RBRACE || c === CHAR_RBRACKET) {
        depth--;
        if (depth === 0) {
          pos++;
          break;
        }
      } else if (depth === 0 && (c === CHAR_COMMA || isWhitespace(c))) {
        break; // a scalar element
      }
    }
    this.elementStart = start;
    this.elementEnd = pos;
    this.pos = pos;
    this.index++;
    return true;
  }
}
