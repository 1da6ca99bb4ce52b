// OKX order book pushes -> DepthDiff, straight from the receive buffer. The payload is the push's
// `data` array (the stream decoder's payloadStart..payloadEnd) holding one object; OKX v5 docs,
// WS / Order book channel:
//
//   {"asks":[["8476.98","415","0","13"],..],"bids":[["8476.97","256","0","12"],..],
//    "ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}
//
//   "An example of the array of asks and bids values: ["411.8", "10", "0", "4"] - "411.8" is the
//    depth price - "10" is the quantity at the price [...] - "0" is part of a deprecated feature
//    and it is always "0" - "4" is the number of orders at the price."
//   "prevSeqId | Sequence ID of the last sent message. Only applicable to books, books-l2-tbt,
//    books50-l2-tbt"; "The smallest possible sequence ID value is 0, except in snapshot messages
//    where the prevSeqId is always -1."
//
// So: prevSeqId -1 (or absent: books5 and bbo-tbt push a snapshot every time) is a DEPTH_SNAPSHOT
// of the top of the book, anything else a DEPTH_DIFF. Ids land in the DepthDiff as
// finalUpdateId = seqId, previousUpdateId = prevSeqId and firstUpdateId = prevSeqId + 1 (the
// stream layer's convention for venues that name their predecessor: src/stream/venue.ts); a
// keep-alive update ("seqId is the same as the last sent message and prevSeqId equals to seqId")
// then has firstUpdateId = finalUpdateId + 1, and one after a sequence reset ("seqId smaller than
// prevSeqId") a finalUpdateId below it. checksum is NaN when absent and
// OKX_CHECKSUM_UNVERIFIABLE when a level is not spelled canonically (checksum.ts says why).
//
// Book pushes are the hot message, so the compact spelling OKX sends (no whitespace, no escapes,
// quoted plain decimals, integer ids) has a single-pass parser that reads each level's price and
// size digit by digit into fixed-point units and checks their spelling on the way. Anything else
// goes to the general path (jsonFields with full RFC 8259 validation plus the level iterator),
// whose outcome for any input the fast path accepts is the same.

import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff } from '../../book/depth-diff.js';
import { DEFAULT_SCALE, POW10, scanUnits } from '../../market-json/fixed-point.js';
import { bytesAt } from '../../market-json/byte-scan.js';
import { jsonFields, KIND_ARRAY, KIND_NUMBER, type JsonFields, type LevelIterator } from '../../market-json/index.js';
import { OKX_CHECKSUM_UNVERIFIABLE } from './checksum.js';
import { DataArrayWalker } from './data-array.js';

const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;
const CHAR_QUOTE = 0x22;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;
const CHAR_MINUS = 0x2d;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const TWO_POW_53 = 9007199254740992;

// Keys of the fast path, as bits of `seen`.
const KEY_ASKS = 1 << 0;
const KEY_BIDS = 1 << 1;
const KEY_TS = 1 << 2;
const KEY_CHECKSUM = 1 << 3;
const KEY_PREV_SEQ_ID = 1 << 4;
const KEY_SEQ_ID = 1 << 5;
const KEY_OTHER = 1 << 6;
const REQUIRED_KEYS = KEY_ASKS | KEY_BIDS | KEY_SEQ_ID;
// Slots of the integer scratch.
const SLOT_TS = 0;
const SLOT_CHECKSUM = 1;
const SLOT_PREV_SEQ_ID = 2;
const SLOT_SEQ_ID = 3;

// Field order of the scan.
const F_ASKS = 0;
const F_BIDS = 1;
const F_TS = 2;
const F_CHECKSUM = 3;
const F_PREV_SEQ_ID = 4;
const F_SEQ_ID = 5;
const FIELDS = ['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId'];

/** True when data[start, end) is a decimal in OKX's spelling: no leading zero, no trailing fraction zero. */
export function isCanonicalDecimal(data: Uint8Array, start: number, end: number): boolean {
  if (end - start > 1 && data[start] === CHAR_0 && data[start + 1] !== CHAR_DOT) return false;
  for (let i = start; i < end; i++) if (data[i] === CHAR_DOT) return data[end - 1] !== CHAR_0;
  return true;
}

/**
 * Decodes books, books5, bbo-tbt, books-l2-tbt and books50-l2-tbt pushes into one reusable
 * DepthDiff. decode() returns false for anything that is not a valid book push.
 */
export class OkxBookDecoder {
  /**
   * The last decoded push, reused for every message: levels in fixed point at the decoder's
   * scale, prevSeqId in previousUpdateId, seqId in finalUpdateId, kind DEPTH_SNAPSHOT when
   * prevSeqId is -1 or absent (books5, bbo-tbt), else DEPTH_DIFF. Meaningful only after decode()
   * returned true, and only until the next decode().
   */
  readonly diff: DepthDiff;
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(FIELDS, { optional: ['ts', 'checksum', 'prevSeqId'] });
  private readonly walker = new DataArrayWalker();
  private data: Uint8Array = new Uint8Array(0);
  /** All levels of the current message were canonical. */
  private canonical = true;
  /** Keys the fast path saw (KEY_* bits). */
  private seen = 0;
  /** ts, checksum, prevSeqId, seqId of the message (SLOT_*), read into a typed array so no id is boxed. */
  private readonly ids = new Float64Array(4);
  /** Messages the fast path handed to the general path (for benchmarks and tuning). */
  generalPathCount = 0;

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = scale;
    this.diff = new DepthDiff(scale);
  }

  /** Decodes the `data` array data[start, end) into `this.diff`; false when it is not one book object. */
  decode(data: Uint8Array, start: number, end: number): boolean {
    // Fast path: `[{...}]` exactly, in the compact spelling.
    if (start >= 0 && end <= data.length && end - start > 4 && data[start] === CHAR_LBRACKET && data[start + 1] === CHAR_LBRACE && data[end - 1] === CHAR_RBRACKET) {
      this.diff.reset();
      this.data = data;
      this.canonical = true;
      this.seen = 0;
      if (this.fastObject(data, start + 2, end - 1) === end - 1 && this.fastComplete()) return true;
    }
    this.generalPathCount++;
    const walker = this.walker;
    if (!walker.begin(data, start, end) || !walker.next()) return false;
    const objectStart = walker.objectStart;
    const objectEnd = walker.objectEnd;
    if (walker.next() || walker.malformed) return false; // exactly one object
    return this.decodeObject(data, objectStart, objectEnd);
  }

  /** Decodes one book object data[start, end) (the element of the `data` array) on the general path. */
  decodeObject(data: Uint8Array, start: number, end: number): boolean {
    const diff = this.diff;
    diff.reset();
    const fields = this.fields;
    if (!fields.scan(data, start, end)) return false;
    if (fields.kind(F_ASKS) !== KIND_ARRAY || fields.kind(F_BIDS) !== KIND_ARRAY || fields.kind(F_SEQ_ID) !== KIND_NUMBER) return false;
    const ids = this.ids;
    fields.integerInto(F_SEQ_ID, ids, SLOT_SEQ_ID);
    ids[SLOT_TS] = NaN;
    ids[SLOT_CHECKSUM] = NaN;
    ids[SLOT_PREV_SEQ_ID] = -1;
    if (fields.has(F_TS)) fields.integerInto(F_TS, ids, SLOT_TS);
    if (fields.has(F_CHECKSUM)) {
      if (fields.kind(F_CHECKSUM) !== KIND_NUMBER) return false;
      fields.integerInto(F_CHECKSUM, ids, SLOT_CHECKSUM);
      if (ids[SLOT_CHECKSUM] !== ids[SLOT_CHECKSUM]) return false;
    }
    if (fields.has(F_PREV_SEQ_ID)) fields.integerInto(F_PREV_SEQ_ID, ids, SLOT_PREV_SEQ_ID);
    this.data = data;
    this.canonical = true;
    const bidCount = this.readLevels(fields.levels(F_BIDS), true);
    if (bidCount < 0) return false;
    const askCount = this.readLevels(fields.levels(F_ASKS), false);
    if (askCount < 0) return false;
    diff.bidCount = bidCount;
    diff.askCount = askCount;
    this.seen = REQUIRED_KEYS | (fields.has(F_CHECKSUM) ? KEY_CHECKSUM : 0);
    return this.fastComplete();
  }

  /** Ids from the scratch into the diff, kind from prevSeqId; false when an id is missing or not an integer. */
  private fastComplete(): boolean {
    if ((this.seen & REQUIRED_KEYS) !== REQUIRED_KEYS) return false;
    const diff = this.diff;
    const ids = this.ids;
    const seqId = ids[SLOT_SEQ_ID]!;
    const previous = ids[SLOT_PREV_SEQ_ID]!; // -1 when absent (books5, bbo-tbt: a snapshot)
    if (seqId !== seqId || previous !== previous) return false;
    diff.finalUpdateId = seqId;
    diff.eventTime = ids[SLOT_TS]!;
    if ((this.seen & KEY_CHECKSUM) !== 0) {
      // if/else, not a ternary with the constant: that would box the checksum.
      if (this.canonical) diff.checksum = ids[SLOT_CHECKSUM]!;
      else diff.checksum = OKX_CHECKSUM_UNVERIFIABLE;
    }
    diff.previousUpdateId = previous;
    if (previous === -1) {
      diff.kind = DEPTH_SNAPSHOT;
      diff.firstUpdateId = seqId;
    } else {
      diff.kind = DEPTH_DIFF;
      diff.firstUpdateId = previous + 1;
    }
    return true;
  }

  // ---- fast path: each returns the position after what it read, or -1 to hand over ----

  /** The members of the book object, pos after its opening brace; the position after its closing brace. */
  private fastObject(data: Uint8Array, pos: number, end: number): number {
    const ids = this.ids;
    ids[SLOT_TS] = NaN;
    ids[SLOT_CHECKSUM] = NaN;
    ids[SLOT_PREV_SEQ_ID] = -1;
    ids[SLOT_SEQ_ID] = NaN;
    if (pos < end && data[pos] === CHAR_RBRACE) return pos + 1;
    for (;;) {
      if (pos + 3 >= end || data[pos] !== CHAR_QUOTE) return -1;
      const keyStart = pos + 1;
      let keyEnd = keyStart;
      while (keyEnd < end && data[keyEnd] !== CHAR_QUOTE && data[keyEnd] !== 0x5c) keyEnd++;
      if (keyEnd + 2 >= end || data[keyEnd] !== CHAR_QUOTE || data[keyEnd + 1] !== CHAR_COLON) return -1;
      const key = keyBit(data, keyStart, keyEnd - keyStart);
      if (key !== KEY_OTHER) {
        if ((this.seen & key) !== 0) return -1; // a repeated key: the general path applies "last wins"
        this.seen |= key;
      }
      pos = keyEnd + 2;
      switch (key) {
        case KEY_ASKS:
          pos = this.fastLevels(data, pos, end, false);
          break;
        case KEY_BIDS:
          pos = this.fastLevels(data, pos, end, true);
          break;
        case KEY_TS:
          // "ts": a quoted integer
          if (data[pos] !== CHAR_QUOTE) return -1;
          pos = fastInteger(data, pos + 1, end, ids, SLOT_TS);
          if (pos < 0 || data[pos] !== CHAR_QUOTE) return -1;
          pos++;
          break;
        case KEY_CHECKSUM:
          pos = fastInteger(data, pos, end, ids, SLOT_CHECKSUM);
          break;
        case KEY_PREV_SEQ_ID:
          pos = fastInteger(data, pos, end, ids, SLOT_PREV_SEQ_ID);
          break;
        case KEY_SEQ_ID:
          pos = fastInteger(data, pos, end, ids, SLOT_SEQ_ID);
          break;
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
   * `[["price","size","0","4"],...]` straight into the diff's pairs, each price and size checked
   * for OKX's spelling as it is read. The digit loops are written out (this is the push's cost).
   */
  private fastLevels(data: Uint8Array, pos: number, end: number, bids: boolean): number {
    const diff = this.diff;
    const scale = this.scale;
    let out = bids ? diff.bids : diff.asks;
    let count = 0;
    if (data[pos] !== CHAR_LBRACKET) return -1;
    pos++;
    if (pos < end && data[pos] === CHAR_RBRACKET) return pos + 1;
    for (;;) {
      if (2 * count + 2 > out.length) out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      if (pos + 2 >= end || data[pos] !== CHAR_LBRACKET || data[pos + 1] !== CHAR_QUOTE) return -1;
      pos += 2;
      for (let entry = 0; entry < 2; entry++) {
        let value = 0;
        let digit = 0;
        const digitsStart = pos;
        while (pos < end && (digit = data[pos]! - CHAR_0) >>> 0 <= 9) {
          value = value * 10 + digit;
          pos++;
        }
        if (pos === digitsStart || pos >= end) return -1;
        // A leading zero is OKX's spelling only for "0" itself or "0.xxx".
        if (data[digitsStart] === CHAR_0 && pos - digitsStart > 1) this.canonical = false;
        let fractionDigits = 0;
        if (data[pos] === CHAR_DOT) {
          const fractionStart = ++pos;
          while (pos < end && (digit = data[pos]! - CHAR_0) >>> 0 <= 9) {
            if (fractionDigits < scale) {
              value = value * 10 + digit;
              fractionDigits++;
            } else if (digit !== 0) {
              return -1;
            }
            pos++;
          }
          if (pos === fractionStart) return -1;
          if (data[pos - 1] === CHAR_0) this.canonical = false; // a trailing fraction zero
        }
        value *= POW10[scale - fractionDigits]!;
        if (value >= TWO_POW_53 || pos + 2 >= end || data[pos] !== CHAR_QUOTE) return -1;
        out[2 * count + entry] = value;
        pos++;
        if (entry === 0) {
          if (data[pos] !== CHAR_COMMA || data[pos + 1] !== CHAR_QUOTE) return -1;
          pos += 2;
        }
      }
      // The entries after the size ("0", the order count): plain strings or integers.
      while (pos < end && data[pos] === CHAR_COMMA) {
        pos = fastSimpleValue(data, pos + 1, end);
        if (pos < 0) return -1;
      }
      if (pos >= end || data[pos] !== CHAR_RBRACKET) return -1;
      pos++;
      count++;
      if (pos >= end) return -1;
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

  /** Levels into the diff's pairs; the count, or -1 for a level that is not [price, size, ...] decimals at the scale. */
  private readLevels(levels: LevelIterator, bids: boolean): number {
    const diff = this.diff;
    const data = this.data;
    const scale = this.scale;
    let count = 0;
    while (levels.next()) {
      const out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      const priceStart = levels.priceStart;
      const priceEnd = levels.priceEnd;
      const quantityStart = levels.quantityStart;
      const quantityEnd = levels.quantityEnd;
      if (scanUnits(data, priceStart, priceEnd, scale, out, 2 * count) !== priceEnd) return -1;
      if (scanUnits(data, quantityStart, quantityEnd, scale, out, 2 * count + 1) !== quantityEnd) return -1;
      if (this.canonical && !(isCanonicalDecimal(data, priceStart, priceEnd) && isCanonicalDecimal(data, quantityStart, quantityEnd))) this.canonical = false;
      count++;
    }
    return levels.malformed ? -1 : count;
  }
}

/** Which known key data[start, start + length) is. */
function keyBit(data: Uint8Array, start: number, length: number): number {
  switch (length) {
    case 2:
      return data[start] === 0x74 && data[start + 1] === 0x73 ? KEY_TS : KEY_OTHER; // ts
    case 4:
      if (data[start + 1] === 0x73 && data[start + 2] === 0x6b && data[start + 3] === 0x73) {
        if (data[start] === 0x61) return KEY_ASKS; // asks
      } else if (data[start] === 0x62 && data[start + 1] === 0x69 && data[start + 2] === 0x64 && data[start + 3] === 0x73) {
        return KEY_BIDS; // bids
      }
      return KEY_OTHER;
    case 5:
      return bytesAt(data, start, SEQ_ID) ? KEY_SEQ_ID : KEY_OTHER;
    case 8:
      return bytesAt(data, start, CHECKSUM) ? KEY_CHECKSUM : KEY_OTHER;
    case 9:
      return bytesAt(data, start, PREV_SEQ_ID) ? KEY_PREV_SEQ_ID : KEY_OTHER;
    default:
      return KEY_OTHER;
  }
}

const encoder = new TextEncoder();
const SEQ_ID = encoder.encode('seqId');
const CHECKSUM = encoder.encode('checksum');
const PREV_SEQ_ID = encoder.encode('prevSeqId');

/**
 * An optionally negative JSON integer (no leading zeros) that is a safe integer, into out[slot];
 * the position after it, or -1 (a fraction or exponent is left to the general path).
 */
function fastInteger(data: Uint8Array, pos: number, end: number, out: Float64Array, slot: number): number {
  let negative = false;
  if (pos < end && data[pos] === CHAR_MINUS) {
    negative = true;
    pos++;
  }
  const start = pos;
  let value = 0;
  let digit = 0;
  while (pos < end && (digit = data[pos]! - CHAR_0) >>> 0 <= 9) {
    value = value * 10 + digit;
    pos++;
  }
  const length = pos - start;
  if (length === 0 || value > Number.MAX_SAFE_INTEGER || (length > 1 && data[start] === CHAR_0)) return -1;
  if (pos < end && (data[pos] === CHAR_DOT || (data[pos]! | 0x20) === 0x65)) return -1;
  out[slot] = negative ? -value : value;
  return pos;
}

/** An unknown member's value (or a level's extra entry): a plain string, a plain integer or a literal; else -1. */
function fastSimpleValue(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos]!;
  if (c === CHAR_QUOTE) {
    for (let i = pos + 1; i < end; i++) {
      const b = data[i]!;
      if (b === CHAR_QUOTE) return i + 1;
      if (b < 0x20 || b >= 0x7f || b === 0x5c) return -1;
    }
    return -1;
  }
  if (c === CHAR_MINUS || (c - CHAR_0) >>> 0 <= 9) {
    const start = c === CHAR_MINUS ? pos + 1 : pos;
    let i = start;
    while (i < end && (data[i]! - CHAR_0) >>> 0 <= 9) i++;
    if (i === start || (i - start > 1 && data[start] === CHAR_0)) return -1;
    if (i < end && (data[i] === CHAR_DOT || (data[i]! | 0x20) === 0x65)) return -1;
    return i;
  }
  if (c === 0x74 && data[pos + 1] === 0x72 && data[pos + 2] === 0x75 && data[pos + 3] === 0x65) return pos + 4; // true
  if (c === 0x66 && data[pos + 1] === 0x61 && data[pos + 2] === 0x6c && data[pos + 3] === 0x73 && data[pos + 4] === 0x65) return pos + 5; // false
  if (c === 0x6e && data[pos + 1] === 0x75 && data[pos + 2] === 0x6c && data[pos + 3] === 0x6c) return pos + 4; // null
  return -1;
}
