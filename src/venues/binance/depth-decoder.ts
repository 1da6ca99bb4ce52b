// Binance depth messages -> DepthDiff, straight from the receive buffer:
//   depthUpdate  {"e":"depthUpdate","E":..,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[..]}
//                (USD-M futures add "T" and "pu")
//   snapshot     {"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[..]}  (REST /api/v3/depth and
//                the partial depth streams depth5/10/20)
// either flat (/ws/<stream>) or wrapped as on a combined stream ({"stream":"..","data":{..}}).
//
// Depth is the hot message of a book, so it has a dedicated single-pass parser: keys in any
// order, and each level's price and quantity read digit by digit straight into fixed-point
// integers in the DepthDiff, with no second pass over the levels. It accepts only the compact
// spelling exchanges send (no whitespace, no escapes, quoted plain decimals, integer ids) and
// validates every byte it accepts; on anything else it stops and the general path decides:
// jsonFields (full RFC 8259 validation) plus the level iterator, whose outcome for any input the
// fast path accepts is the same (test/property/binance-depth.test.ts checks both on fuzzed input).

import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff } from '../../book/depth-diff.js';
import { DEFAULT_SCALE, POW10, scanUnits } from '../../market-json/fixed-point.js';
import { bytesAt } from '../../market-json/byte-scan.js';
import { scanUnitsWords, SwarViewCache } from '../../market-json/swar-decimal.js';
import { LevelPairsReader } from '../../kernels/level-pairs.js';
import { jsonFields, KIND_ARRAY, KIND_STRING, type JsonFields, type LevelIterator } from '../../market-json/index.js';

const CHAR_QUOTE = 0x22;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;
const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Keys the fast path knows, as bits of the `seen` mask.
const KEY_E = 1 << 0; // "e"  event type (string, not recorded)
const KEY_EVENT_TIME = 1 << 1; // "E"
const KEY_S = 1 << 2; // "s"  symbol
const KEY_FIRST = 1 << 3; // "U"
const KEY_FINAL = 1 << 4; // "u"
const KEY_PREVIOUS = 1 << 5; // "pu"
const KEY_TRANSACTION = 1 << 6; // "T"
const KEY_B = 1 << 7; // "b" (diff bids)
const KEY_A = 1 << 8; // "a" (diff asks)
const KEY_LAST_UPDATE_ID = 1 << 9; // "lastUpdateId"
const KEY_BIDS = 1 << 10; // "bids" (snapshot)
const KEY_ASKS = 1 << 11; // "asks" (snapshot)
const KEY_OTHER = 1 << 12;
const DIFF_KEYS = KEY_FIRST | KEY_FINAL | KEY_B | KEY_A;
/** The four bytes `"a":` as a little-endian int32: the key the kernel may read right after "b"'s array. */
const KEY_A_WORD = 0x3a226122;
const SNAPSHOT_KEYS = KEY_LAST_UPDATE_ID | KEY_BIDS | KEY_ASKS;

/** Decoder result: the message was decoded into the DepthDiff. */
export const DEPTH_DECODED = 0;
/** Not valid JSON, a required field missing or of the wrong kind, or a level that is not a decimal at the scale. */
export const DEPTH_INVALID = 1;

/** Options of `new BinanceDepthDecoder()`. */
export interface DepthDecoderOptions {
  /** Fixed-point decimals of the levels. Default 8 (Binance's own precision). */
  scale?: number;
  /** Messages come wrapped as on a combined stream ({"stream":..,"data":{..}}). Default false. */
  combined?: boolean;
}

/**
 * Decodes depthUpdate diffs and depth snapshots (both shapes; `diff.kind` tells which) into one
 * reusable DepthDiff. decode() returns false for anything that is not a valid depth message.
 */
export class BinanceDepthDecoder {
  /** The last decoded message (reused: read it before the next decode()); `diff.kind` tells a diff from a snapshot. */
  readonly diff: DepthDiff;
  /** Messages are read wrapped as on a combined stream; false: the bare event. */
  readonly combined: boolean;
  /** Messages the fast path handed to the general path (for benchmarks and tuning). */
  generalPathCount = 0;
  private readonly scale: number;
  private readonly general: JsonFields;
  private readonly prefix: string;
  private seen = 0;
  private data: Uint8Array = new Uint8Array(0);
  private readonly words: SwarViewCache;
  private readonly kernelLevels: LevelPairsReader;

  /**
   * Messages from outside kernel memory whose bytes were copied into it for the WebAssembly level
   * kernel (for benchmarks and tuning; see kernels/level-pairs.ts).
   */
  get stagedCount(): number {
    return this.kernelLevels.stagedCount;
  }

  constructor(options: DepthDecoderOptions = {}) {
    this.scale = options.scale ?? DEFAULT_SCALE;
    this.diff = new DepthDiff(this.scale);
    this.words = new SwarViewCache(this.scale);
    this.kernelLevels = new LevelPairsReader(this.scale);
    // Level arrays the kernel fills in place (when it serves this decoder); grown ones are ordinary.
    this.diff.bids = this.kernelLevels.levelArray(this.diff.bids.length >> 1) ?? this.diff.bids;
    this.diff.asks = this.kernelLevels.levelArray(this.diff.asks.length >> 1) ?? this.diff.asks;
    this.combined = options.combined ?? false;
    this.prefix = this.combined ? 'data.' : '';
    const p = this.prefix;
    const fields = [`${p}U`, `${p}u`, `${p}pu`, `${p}E`, `${p}T`, `${p}s`, `${p}b`, `${p}a`, `${p}lastUpdateId`, `${p}bids`, `${p}asks`];
    if (this.combined) fields.push('stream');
    this.general = jsonFields(fields, { optional: fields });
  }

  /** Decodes data[start, end) into `this.diff`; false (diff contents undefined) when it is not a depth message. */
  decode(data: Uint8Array, start = 0, end: number = data.length): boolean {
    const diff = this.diff;
    diff.reset();
    this.data = data;
    this.seen = 0;
    // In kernel memory the levels go to the WebAssembly kernel; a message elsewhere is staged
    // (copied) into kernel memory for it when that costs no allocation. Only when neither is
    // possible are the levels read by words: selecting a word view makes a DataView whenever the
    // buffer changes (every few messages for Buffers from ws's pools), while levels the kernel
    // hands back (rare: not Binance's spelling) can as well be read byte by byte.
    if (this.kernelLevels.prepare(data, start, end)) this.words.none();
    else this.words.select(data);
    let pos = -1;
    if (start >= 0 && end <= data.length && start < end && data[start] === CHAR_LBRACE) {
      pos = this.combined ? this.fastEnvelope(data, start + 1, end) : this.fastObject(data, start + 1, end);
    }
    if (pos === end && this.fastComplete()) return true;
    this.generalPathCount++;
    diff.reset();
    return this.decodeGeneral(data, start, end);
  }

  // ---- fast path: returns the position after the closing brace, or -1 to hand over ----

  /** `{"stream":"..","data":{..}}` (either order), pos after the opening brace. */
  private fastEnvelope(data: Uint8Array, pos: number, end: number): number {
    let sawStream = false;
    let sawData = false;
    for (;;) {
      if (pos + 7 >= end || data[pos] !== CHAR_QUOTE) return -1;
      if (isKey6(data, pos + 1, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d) && !sawStream) {
        // "stream":"..."
        pos += 9;
        if (pos >= end || data[pos - 1] !== CHAR_COLON || data[pos] !== CHAR_QUOTE) return -1;
        const close = plainStringEnd(data, pos + 1, end);
        if (close < 0) return -1;
        this.diff.streamStart = pos + 1;
        this.diff.streamEnd = close;
        pos = close + 1;
        sawStream = true;
      } else if (isKey4(data, pos + 1, 0x64, 0x61, 0x74, 0x61) && data[pos + 6] === CHAR_COLON && !sawData) {
        // "data":{...}
        pos += 7;
        if (data[pos] !== CHAR_LBRACE) return -1;
        pos = this.fastObject(data, pos + 1, end);
        if (pos < 0 || pos >= end) return -1;
        sawData = true;
      } else {
        return -1;
      }
      const c = data[pos];
      if (c === CHAR_RBRACE) return sawData ? pos + 1 : -1;
      if (c !== CHAR_COMMA) return -1;
      pos++;
    }
  }

  /** The depth object's members, pos after its opening brace. */
  private fastObject(data: Uint8Array, pos: number, end: number): number {
    const diff = this.diff;
    if (pos < end && data[pos] === CHAR_RBRACE) return pos + 1;
    for (;;) {
      if (pos + 3 >= end || data[pos] !== CHAR_QUOTE) return -1;
      const keyStart = pos + 1;
      const keyEnd = plainStringEnd(data, keyStart, end);
      if (keyEnd < 0 || keyEnd + 2 >= end || data[keyEnd + 1] !== CHAR_COLON) return -1;
      const key = keyBit(data, keyStart, keyEnd - keyStart);
      if (key !== KEY_OTHER) {
        if ((this.seen & key) !== 0) return -1; // a repeated key: the general path applies "last wins"
        this.seen |= key;
      }
      pos = keyEnd + 2;
      switch (key) {
        case KEY_B:
          // an "a" right after may be read in the same kernel call, unless one was already seen
          pos = this.fastLevels(data, pos, end, true, (this.seen & KEY_A) === 0);
          break;
        case KEY_BIDS:
          pos = this.fastLevels(data, pos, end, true, false);
          break;
        case KEY_A:
        case KEY_ASKS:
          pos = this.fastLevels(data, pos, end, false, false);
          break;
        case KEY_FIRST:
          pos = fastInteger(data, pos, end, diff, 0);
          break;
        case KEY_FINAL:
          pos = fastInteger(data, pos, end, diff, 1);
          break;
        case KEY_LAST_UPDATE_ID:
          pos = fastInteger(data, pos, end, diff, 1);
          break;
        case KEY_EVENT_TIME:
          pos = fastInteger(data, pos, end, diff, 2);
          break;
        case KEY_TRANSACTION:
          pos = fastInteger(data, pos, end, diff, 3);
          break;
        case KEY_PREVIOUS:
          pos = fastInteger(data, pos, end, diff, 4);
          break;
        case KEY_S: {
          if (data[pos] !== CHAR_QUOTE) return -1;
          const close = plainStringEnd(data, pos + 1, end);
          if (close < 0) return -1;
          diff.symbolStart = pos + 1;
          diff.symbolEnd = close;
          pos = close + 1;
          break;
        }
        default:
          pos = fastSimpleValue(data, pos, end);
      }
      if (pos < 0 || pos >= end) return -1;
      const c = data[pos];
      if (c === CHAR_RBRACE) return pos + 1;
      if (c !== CHAR_COMMA) return -1;
      pos++;
    }
  }

  /**
   * `[["price","qty"],...]` straight into the diff's pairs: by the WebAssembly kernel when the
   * message lies in kernel memory (kernels/level-pairs.ts); otherwise each decimal is read by words
   * when the receive buffer has a view (swar-decimal.ts), else byte by byte. All three give
   * scanUnits' result.
   */
  private fastLevels(data: Uint8Array, pos: number, end: number, bids: boolean, asksMayFollow: boolean): number {
    const diff = this.diff;
    // In kernel memory (the client's receive buffer) the WebAssembly kernel reads the whole array,
    // and after a diff's "b" also an "a" that follows at once (one call for both sides); anything
    // it hands back is read below, which is the reference for its result.
    const reader = this.kernelLevels;
    const kernelEnd = reader.read(data, pos, end, bids ? diff.bids : diff.asks, KEY_A_WORD, asksMayFollow ? diff.asks : null);
    if (kernelEnd >= 0) {
      if (bids) diff.bidCount = reader.count;
      else diff.askCount = reader.count;
      if (reader.secondCount >= 0) {
        diff.askCount = reader.secondCount;
        this.seen |= KEY_A;
      }
      return kernelEnd;
    }
    const scale = this.scale;
    const view = this.words.view;
    const viewOffset = this.words.offset;
    let out = bids ? diff.bids : diff.asks;
    let count = 0;
    if (data[pos] !== CHAR_LBRACKET) return -1;
    pos++;
    if (pos < end && data[pos] === CHAR_RBRACKET) {
      if (bids) diff.bidCount = 0;
      else diff.askCount = 0;
      return pos + 1;
    }
    for (;;) {
      if (2 * count + 2 > out.length) out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      // ["price","quantity"]: two quoted decimals.
      if (pos + 2 >= end || data[pos] !== CHAR_LBRACKET || data[pos + 1] !== CHAR_QUOTE) return -1;
      pos = view !== null ? scanUnitsWords(view, viewOffset, data, pos + 2, end, scale, out, 2 * count) : scanUnits(data, pos + 2, end, scale, out, 2 * count);
      // after the price: `","`
      if (pos < 0 || pos + 3 >= end || data[pos] !== CHAR_QUOTE || data[pos + 1] !== CHAR_COMMA || data[pos + 2] !== CHAR_QUOTE) return -1;
      pos = view !== null ? scanUnitsWords(view, viewOffset, data, pos + 3, end, scale, out, 2 * count + 1) : scanUnits(data, pos + 3, end, scale, out, 2 * count + 1);
      // after the quantity: `"]`
      if (pos < 0 || pos + 2 >= end || data[pos] !== CHAR_QUOTE || data[pos + 1] !== CHAR_RBRACKET) return -1;
      pos += 2;
      count++;
      const c = data[pos];
      if (c === CHAR_COMMA) {
        pos++;
        continue;
      }
      if (c !== CHAR_RBRACKET) return -1;
      if (bids) diff.bidCount = count;
      else diff.askCount = count;
      return pos + 1;
    }
  }

  /** The fast parse found a complete message of one of the two shapes. */
  private fastComplete(): boolean {
    // Exactly one shape's keys (anything mixed is left to the general path's rules).
    const shape = this.seen & (DIFF_KEYS | SNAPSHOT_KEYS);
    const diff = this.diff;
    if (shape === DIFF_KEYS) {
      diff.kind = DEPTH_DIFF;
      return true;
    }
    if (shape === SNAPSHOT_KEYS) {
      diff.kind = DEPTH_SNAPSHOT;
      diff.firstUpdateId = diff.finalUpdateId;
      return true;
    }
    return false;
  }

  // ---- general path: any valid JSON spelling ----

  private decodeGeneral(data: Uint8Array, start: number, end: number): boolean {
    const fields = this.general;
    const diff = this.diff;
    if (!fields.scan(data, start, end)) return false;
    // Field order as in the constructor: U u pu E T s b a lastUpdateId bids asks [stream]
    let bidsField = 6;
    let asksField = 7;
    if (fields.has(8)) {
      if (fields.has(0) || fields.has(1)) return false;
      diff.kind = DEPTH_SNAPSHOT;
      const id = fields.integer(8);
      if (id !== id) return false;
      diff.firstUpdateId = id;
      diff.finalUpdateId = id;
      bidsField = 9;
      asksField = 10;
    } else {
      const first = fields.integer(0);
      const final = fields.integer(1);
      if (first !== first || final !== final) return false;
      diff.kind = DEPTH_DIFF;
      diff.firstUpdateId = first;
      diff.finalUpdateId = final;
    }
    if (fields.kind(bidsField) !== KIND_ARRAY || fields.kind(asksField) !== KIND_ARRAY) return false;
    if (fields.has(2)) diff.previousUpdateId = fields.integer(2);
    if (fields.has(3)) diff.eventTime = fields.integer(3);
    if (fields.has(4)) diff.transactionTime = fields.integer(4);
    if (fields.kind(5) === KIND_STRING && !fields.escaped(5)) {
      diff.symbolStart = fields.start(5);
      diff.symbolEnd = fields.end(5);
    }
    if (this.combined && fields.kind(11) === KIND_STRING && !fields.escaped(11)) {
      diff.streamStart = fields.start(11);
      diff.streamEnd = fields.end(11);
    }
    const bidCount = this.readLevels(fields.levels(bidsField), true);
    if (bidCount < 0) return false;
    const askCount = this.readLevels(fields.levels(asksField), false);
    if (askCount < 0) return false;
    diff.bidCount = bidCount;
    diff.askCount = askCount;
    return true;
  }

  private readLevels(levels: LevelIterator, bids: boolean): number {
    const diff = this.diff;
    const data = this.data;
    let count = 0;
    while (levels.next()) {
      const out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      if (scanUnits(data, levels.priceStart, levels.priceEnd, this.scale, out, 2 * count) !== levels.priceEnd) return -1;
      if (scanUnits(data, levels.quantityStart, levels.quantityEnd, this.scale, out, 2 * count + 1) !== levels.quantityEnd) return -1;
      count++;
    }
    return levels.malformed ? -1 : count;
  }
}

/** Which known key data[start, start + length) is. */
function keyBit(data: Uint8Array, start: number, length: number): number {
  const c = data[start]!;
  if (length === 1) {
    switch (c) {
      case 0x65: // e
        return KEY_E;
      case 0x45: // E
        return KEY_EVENT_TIME;
      case 0x73: // s
        return KEY_S;
      case 0x55: // U
        return KEY_FIRST;
      case 0x75: // u
        return KEY_FINAL;
      case 0x54: // T
        return KEY_TRANSACTION;
      case 0x62: // b
        return KEY_B;
      case 0x61: // a
        return KEY_A;
      default:
        return KEY_OTHER;
    }
  }
  if (length === 2) return c === 0x70 && data[start + 1] === 0x75 ? KEY_PREVIOUS : KEY_OTHER; // pu
  if (length === 4) {
    if (isKey4(data, start, 0x62, 0x69, 0x64, 0x73)) return KEY_BIDS; // bids
    if (isKey4(data, start, 0x61, 0x73, 0x6b, 0x73)) return KEY_ASKS; // asks
    return KEY_OTHER;
  }
  if (length === 12 && c === 0x6c && bytesAt(data, start, LAST_UPDATE_ID)) return KEY_LAST_UPDATE_ID;
  return KEY_OTHER;
}

const LAST_UPDATE_ID = new TextEncoder().encode('lastUpdateId');

/** The 4-byte key at `at` followed by its closing quote. */
function isKey4(data: Uint8Array, at: number, a: number, b: number, c: number, d: number): boolean {
  return data[at] === a && data[at + 1] === b && data[at + 2] === c && data[at + 3] === d && data[at + 4] === CHAR_QUOTE;
}

function isKey6(data: Uint8Array, at: number, a: number, b: number, c: number, d: number, e: number, f: number): boolean {
  return data[at] === a && data[at + 1] === b && data[at + 2] === c && data[at + 3] === d && data[at + 4] === e && data[at + 5] === f && data[at + 6] === CHAR_QUOTE;
}

/**
 * Closing quote of a string body of printable ASCII without escapes, or -1 (escapes, controls
 * and non-ASCII bytes are valid JSON but left to the general path, which validates UTF-8).
 */
function plainStringEnd(data: Uint8Array, pos: number, end: number): number {
  for (; pos < end; pos++) {
    const c = data[pos]!;
    if (c === CHAR_QUOTE) return pos;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return -1;
  }
  return -1;
}

/**
 * A non-negative JSON integer (0 or [1-9][0-9]*) that is a safe integer into slot `slot` of the diff
 * (0 U, 1 u / lastUpdateId, 2 E, 3 T, 4 pu). -1 for anything else (the general path reads it).
 */
function fastInteger(data: Uint8Array, pos: number, end: number, diff: DepthDiff, slot: number): number {
  const start = pos;
  // Up to 9 digits, then up to 9 more, each group in int32 with its loop bounded at 9 digits (no
  // per-digit counter; see scanUnits: a float accumulator past 2^31 is slow on V8 14). Ids and ms
  // times (13 digits) take both loops; anything past 18 digits is not a safe integer anyway.
  let high = 0;
  let low = 0;
  let digit = 0;
  const highBound = end - pos < 9 ? end : pos + 9;
  while (pos < highBound && (digit = data[pos]! - CHAR_0) >>> 0 <= 9) {
    high = high * 10 + digit;
    pos++;
  }
  const lowStart = pos;
  const lowBound = end - pos < 9 ? end : pos + 9;
  while (pos < lowBound && (digit = data[pos]! - CHAR_0) >>> 0 <= 9) {
    low = low * 10 + digit;
    pos++;
  }
  if (pos < end && (data[pos]! - CHAR_0) >>> 0 <= 9) return -1; // 19 digits or more: past 2^53
  const value = high * POW10[pos - lowStart]! + low;
  const length = pos - start;
  // Both products are exact when the value is at most 2^53 - 1 (and the sum is then exact).
  if (length === 0 || value > MAX_SAFE || (length > 1 && data[start] === CHAR_0)) return -1;
  // A fraction or exponent makes it a general-path number.
  if (pos < end && (data[pos] === CHAR_DOT || (data[pos]! | 0x20) === 0x65)) return -1;
  if (slot === 0) diff.firstUpdateId = value;
  else if (slot === 1) diff.finalUpdateId = value;
  else if (slot === 2) diff.eventTime = value;
  else if (slot === 3) diff.transactionTime = value;
  else diff.previousUpdateId = value;
  return pos;
}

/** An unknown member's value, if it is a plain string, a plain integer or a literal; else -1. */
function fastSimpleValue(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos]!;
  if (c === CHAR_QUOTE) {
    const close = plainStringEnd(data, pos + 1, end);
    return close < 0 ? -1 : close + 1;
  }
  if ((c - CHAR_0) >>> 0 <= 9) {
    const start = pos;
    while (pos < end && (data[pos]! - CHAR_0) >>> 0 <= 9) pos++;
    if (pos - start > 1 && c === CHAR_0) return -1;
    if (pos < end && (data[pos] === CHAR_DOT || (data[pos]! | 0x20) === 0x65)) return -1;
    return pos;
  }
  if (c === 0x74 && data[pos + 1] === 0x72 && data[pos + 2] === 0x75 && data[pos + 3] === 0x65) return pos + 4; // true
  if (c === 0x66 && data[pos + 1] === 0x61 && data[pos + 2] === 0x6c && data[pos + 3] === 0x73 && data[pos + 4] === 0x65) return pos + 5; // false
  if (c === 0x6e && data[pos + 1] === 0x75 && data[pos + 2] === 0x6c && data[pos + 3] === 0x6c) return pos + 4; // null
  return -1;
}
