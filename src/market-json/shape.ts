// Shape speculation: exchange messages of one stream have a fixed key order
// (`{"u":..,"s":..,"b":..,"B":..,"a":..,"A":..}`, or `{"stream":..,"data":{..}}` on a combined
// stream, every time), so after a general scan succeeds on an object of scalars and objects, its
// shape is remembered: the kind of each scalar value and the "glue" between values (keys with
// their quotes and colons, commas, braces: `","b":"`). The next message is first tried against
// that shape in one linear pass: glue bytes are compared instead of keys looked up in the trie,
// and each value is read by a loop for its expected kind. Any difference (another key,
// whitespace, an escape, a value of another kind, an array, trailing bytes) makes match() return
// false and the caller runs the general scanner from the start, so the outcome of scan() never
// depends on the speculation.
//
// Why it is equivalent: match() validates every byte it passes with the RFC 8259 grammar of the
// token it expects (restricted further, never loosened); equal glue means the same keys in the
// same objects in the same order, so the same values reach the same fields. Which value each
// field ends with is worked out when learning, the way the general scanner does it (a duplicate
// key: the last one wins, and a repeated parent key forgets the fields found under the first).
// The values of wanted decimal fields are computed on the way (the digits are being looked at
// anyway): FIELD_PARSED in fieldState says `values[i]` already holds number(i).
//
// bench/market-json.ts, bookTicker (105 B, one key order): scan + 6 reads ~265 -> ~146 ns/msg,
// JSON.parse from a string ~650, buffer.toString + JSON.parse ~790 (2-core VM, best batch).
// test/property/market-json-shape.test.ts compares the two paths on random documents.

import { KEY_TABLE_WIDTH, type CompiledPaths } from './paths.js';
import { literalAt, scanNumber } from './tokens.js';
import { KIND_FALSE, KIND_MISSING, KIND_NUMBER, KIND_STRING } from './values.js';

/** fieldState flag: the field's number() value is already in `values` (set by match() only). */
export const FIELD_PARSED = 0x20;

/** Values remembered at most; larger messages are not speculated on. */
const MAX_SHAPE_VALUES = 64;
/** Glue bytes (keys with their quotes and colons, commas, braces) remembered at most. */
const MAX_SHAPE_GLUE_BYTES = 1024;
/** Object nesting followed when learning (combined streams nest one level: {"stream":..,"data":{..}}). */
const MAX_SHAPE_DEPTH = 8;
/**
 * Messages that skip learning after a failed attempt (a document that is not a flat object, e.g.
 * depthUpdate with its arrays) or after a learned shape was replaced without ever matching.
 */
const LEARN_BACKOFF = 64;

/** 10^15 < 2^53 < 10^16: a significand below 2^53 is exact; so is 10^k for k <= 22 (Clinger). */
const TWO_POW_53 = 9007199254740992;
const MAX_EXACT_POWER = 22;
const POW10 = new Float64Array(MAX_EXACT_POWER + 1);
for (let k = 0, p = 1; k <= MAX_EXACT_POWER; k++, p *= 10) POW10[k] = p;

/** Digits gathered in an int32 before they are folded into the float64 significand (10^9 < 2^31). */
const CHUNK_DIGITS = 9;
const CHUNK_SCALE = 1e9;
/** Fraction digits read two at a time into an int32 (10^8 < 2^31), the common 8 decimals. */
const FRACTION_INT32_DIGITS = 8;

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;
const CHAR_MINUS = 0x2d;
const CHAR_DOT = 0x2e;
const CHAR_0 = 0x30;
const CHAR_LOWER_E = 0x65;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const CHAR_SPACE = 0x20;
const CASE_BIT = 0x20;

export class Shape {
  /** Keys in the remembered shape; 0 = nothing remembered (or the last learn failed). */
  count = 0;
  /** Messages that matched the remembered shape (read by test/property/market-json-shape.test.ts). */
  hits = 0;
  private learnBackoff = 0;
  /** `hits` when the current shape was learned (to tell a shape that never matched). */
  private hitsAtLearn = 0;
  /**
   * The fixed bytes around the values: glue g (0 <= g <= count) lies between value g - 1 and value
   * g (`{"u":` first, `","b":"` between two strings, `"},"x":{"y":` across objects, `"}` last), in
   * glueBytes[glueStart[g], glueStart[g + 1]); one of 4 to 8 bytes is compared as two packed
   * little-endian words (glueFirst, glueLast: its first and last four bytes), one load per byte
   * and two branches instead of two loads and a branch per byte (bookTicker: ~10 ns of ~160,
   * bench/market-json.ts); others byte by byte. Equal glue means equal structure: all brackets, keys,
   * commas and colons are in it.
   */
  private readonly glueBytes = new Uint8Array(MAX_SHAPE_GLUE_BYTES);
  private readonly glueStart = new Int32Array(MAX_SHAPE_VALUES + 2);
  private readonly glueLength = new Int32Array(MAX_SHAPE_VALUES + 1);
  private readonly glueFirst = new Int32Array(MAX_SHAPE_VALUES + 1);
  private readonly glueLast = new Int32Array(MAX_SHAPE_VALUES + 1);
  /** The field value k ends up in (the last one wins for a duplicate key), or -1. */
  private readonly valueField = new Int32Array(MAX_SHAPE_VALUES);
  /** KIND_STRING, KIND_NUMBER, KIND_TRUE, KIND_FALSE or KIND_NULL: what value k must be. */
  private readonly valueKind = new Uint8Array(MAX_SHAPE_VALUES);
  /** Learning: the value index recorded in each field so far (-1: none), and the trie node of each open object. */
  private readonly learnFieldValue: Int32Array;
  private readonly learnNodes = new Int32Array(MAX_SHAPE_DEPTH);
  /** Fields the shape never records; a match must leave them absent. */
  private readonly uncovered: Int32Array;
  private uncoveredCount = 0;

  constructor(
    private readonly paths: CompiledPaths,
    private readonly fieldState: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly values: Float64Array,
  ) {
    this.uncovered = new Int32Array(paths.fieldCount);
    this.learnFieldValue = new Int32Array(paths.fieldCount);
  }

  /**
   * One pass over data[start, end) expecting the remembered shape, recording the fields. True: the
   * document is valid JSON with that shape and every field is recorded (the caller reports
   * SCAN_OK). False: not that shape (maybe not JSON); fields may be half-written, the caller
   * rescans with the general scanner, which resets them.
   */
  match(data: Uint8Array, start: number, end: number): boolean {
    const count = this.count;
    if (end - start < 2 || data[end - 1] !== CHAR_RBRACE) return false;
    const glueBytes = this.glueBytes;
    const glueStart = this.glueStart;
    const glueLength = this.glueLength;
    const glueFirst = this.glueFirst;
    const glueLast = this.glueLast;
    const valueField = this.valueField;
    const valueKind = this.valueKind;
    const fieldState = this.fieldState;
    const starts = this.starts;
    const ends = this.ends;
    const values = this.values;
    let pos = start;
    for (let k = 0; ; k++) {
      // The glue before value k (after the last value when k === count), compared with the
      // remembered bytes, four at a time against packed int32s: one load per byte instead of two
      // and a quarter of the branches (~10 ns of ~160 on bookTicker, bench/market-json.ts).
      const length = glueLength[k]!;
      if (pos + length > end) return false;
      if ((length - 4) >>> 0 <= 4) {
        // 4 to 8 bytes (keys of one or two letters): the word at the start and the one ending at
        // the last byte, overlapping when shorter than 8.
        const last = pos + length - 4;
        if ((data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16) | (data[pos + 3]! << 24)) !== glueFirst[k]) return false;
        if ((data[last]! | (data[last + 1]! << 8) | (data[last + 2]! << 16) | (data[last + 3]! << 24)) !== glueLast[k]) return false;
      } else if (length < 4) {
        // 1 to 3 bytes (`}`, `"}`, `"}}`), packed the same way into glueFirst.
        let packed = data[pos]!;
        if (length > 1) packed |= data[pos + 1]! << 8;
        if (length > 2) packed |= data[pos + 2]! << 16;
        if (packed !== glueFirst[k]) return false;
      } else {
        const from = glueStart[k]!;
        for (let g = 0; g < length; g++) if (data[pos + g] !== glueBytes[from + g]) return false;
      }
      pos += length;
      if (k === count) break;
      const field = valueField[k]!;
      const kind = valueKind[k]!;
      let valueStart: number;
      let valueEnd: number;
      let state = kind;
      if (kind === KIND_STRING) {
        // pos is after the opening quote (the quotes belong to the glue).
        valueStart = pos;
        let i = valueStart;
        if (field >= 0) {
          // A quoted decimal ("25.35190000"): -?digits[.digits], the fast case of readDecimal
          // (decimal.ts), which gives the same value: significand / 10^fractionDigits.
          let negative = false;
          if (i < end && data[i] === CHAR_MINUS) {
            negative = true;
            i++;
          }
          const digitsStart = i;
          // Integer digits into an int32: a plain digit loop costs ~0.9 ns/digit in int32 and ~1.3 in
          // float64 on the 2-core bench VM. More than 9 digits wrap it: the value is then left to number().
          let integer = 0;
          let digit = 0;
          while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
            integer = (Math.imul(integer, 10) + digit) | 0;
            i++;
          }
          const integerDigits = i - digitsStart;
          let digitCount = integerDigits;
          let fractionDigits = 0;
          let fraction = 0;
          if (i < end && data[i] === CHAR_DOT) {
            const fractionStart = ++i;
            // Two digits per step, the first 8 in an int32 (the 8 decimals exchanges send), the rest
            // one by one in a float64 (exact below 2^53, which the check below requires anyway).
            if (i + FRACTION_INT32_DIGITS <= end) {
              // Eight decimals (what exchanges send) without a loop: each d in 0..9 exactly when
              // neither d nor 9 - d is negative, so one sign test checks all eight.
              const d0 = data[i]! - CHAR_0;
              const d1 = data[i + 1]! - CHAR_0;
              const d2 = data[i + 2]! - CHAR_0;
              const d3 = data[i + 3]! - CHAR_0;
              const d4 = data[i + 4]! - CHAR_0;
              const d5 = data[i + 5]! - CHAR_0;
              const d6 = data[i + 6]! - CHAR_0;
              const d7 = data[i + 7]! - CHAR_0;
              if ((d0 | (9 - d0) | d1 | (9 - d1) | d2 | (9 - d2) | d3 | (9 - d3) | d4 | (9 - d4) | d5 | (9 - d5) | d6 | (9 - d6) | d7 | (9 - d7)) >= 0) {
                const upper = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
                const lower = d4 * 1000 + d5 * 100 + d6 * 10 + d7;
                fraction = upper * 10000 + lower;
                i += FRACTION_INT32_DIGITS;
              }
            }
            let first = 0;
            let second = 0;
            while (
              i + 1 < end &&
              i - fractionStart < FRACTION_INT32_DIGITS &&
              (first = data[i]! - CHAR_0) >>> 0 <= 9 &&
              (second = data[i + 1]! - CHAR_0) >>> 0 <= 9
            ) {
              fraction = (Math.imul(fraction, 100) + first * 10 + second) | 0;
              i += 2;
            }
            while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
              fraction = fraction * 10 + digit;
              i++;
            }
            fractionDigits = i - fractionStart;
            digitCount += fractionDigits;
          }
          // Exact while the result is below 2^53 (every partial value is smaller than it).
          const significand = integerDigits <= CHUNK_DIGITS && fractionDigits <= MAX_EXACT_POWER ? integer * POW10[fractionDigits]! + fraction : TWO_POW_53;
          if (
            i < end &&
            data[i] === CHAR_QUOTE &&
            digitCount !== 0 &&
            significand < TWO_POW_53 &&
            fractionDigits <= MAX_EXACT_POWER
          ) {
            const value = fractionDigits === 0 ? significand : significand / POW10[fractionDigits]!;
            values[field] = negative ? -value : value;
            state = KIND_STRING | FIELD_PARSED;
          }
        }
        // The rest of the string (nothing left when the decimal loop reached the quote). RFC 8259 7:
        // a control byte is invalid and an escape is not this shape: both end the speculation.
        // The next glue starts with the closing quote, so stopping anywhere else fails there.
        for (let b = 0; i < end && (b = data[i]!) !== CHAR_QUOTE && b !== CHAR_BACKSLASH && b >= CHAR_SPACE; ) i++;
        valueEnd = i;
        pos = i;
      } else if (kind === KIND_NUMBER) {
        // RFC 8259 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        valueStart = pos;
        let i = pos;
        let negative = false;
        if (data[i] === CHAR_MINUS) {
          negative = true;
          i++;
        }
        if (i >= end) return false;
        let digit = data[i]! - CHAR_0;
        if (digit >>> 0 > 9) return false;
        // Digits gathered 9 at a time in an int32, then folded into a float64 (ids above 10^9).
        let high = 0;
        let low = digit;
        let lowDigits = 1;
        i++;
        if (digit !== 0) {
          while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
            low = low * 10 + digit;
            i++;
            if (++lowDigits === CHUNK_DIGITS) {
              high = high * CHUNK_SCALE + low;
              low = 0;
              lowDigits = 0;
            }
          }
        }
        let fractionDigits = 0;
        if (i < end && data[i] === CHAR_DOT) {
          const fractionStart = ++i;
          while (i < end && (digit = data[i]! - CHAR_0) >>> 0 <= 9) {
            low = low * 10 + digit;
            i++;
            if (++lowDigits === CHUNK_DIGITS) {
              high = high * CHUNK_SCALE + low;
              low = 0;
              lowDigits = 0;
            }
          }
          fractionDigits = i - fractionStart;
          if (fractionDigits === 0) return false;
        }
        const significand = high * POW10[lowDigits]! + low;
        if (i < end && (data[i]! | CASE_BIT) === CHAR_LOWER_E) {
          // Exponents are rare in market data: validate the whole token, leave the value to number().
          i = scanNumber(data, pos, end);
          if (i < 0) return false;
        } else if (field >= 0 && significand < TWO_POW_53 && fractionDigits <= MAX_EXACT_POWER) {
          const value = fractionDigits === 0 ? significand : significand / POW10[fractionDigits]!;
          values[field] = negative ? -value : value;
          state = KIND_NUMBER | FIELD_PARSED;
        }
        valueEnd = i;
        pos = i;
      } else {
        if (literalAt(data, pos, end) !== kind) return false;
        valueStart = pos;
        valueEnd = pos + (kind === KIND_FALSE ? 5 : 4);
        pos = valueEnd;
      }
      if (field >= 0) {
        fieldState[field] = state;
        starts[field] = valueStart;
        ends[field] = valueEnd;
      }
    }
    if (pos !== end) return false;
    for (let u = 0; u < this.uncoveredCount; u++) fieldState[this.uncovered[u]!] = KIND_MISSING;
    this.hits++;
    return true;
  }

  /**
   * Remembers the shape of data[start, end), a document the general scanner has just accepted
   * with every required field present (see learnDocument for what qualifies); otherwise nothing
   * is remembered.
   */
  learn(data: Uint8Array, start: number, end: number): void {
    // The shape being replaced never matched: messages of different shapes are interleaved (two
    // streams on one extractor), so relearning every time would only add a miss and a learn to
    // every message: ~510 ns/msg instead of ~290 with this pause, general scanner alone ~270
    // (bench/market-json.ts corpus 'bookTicker, 2 key orders interleaved'). Pause, then try again.
    const churning = this.count !== 0 && this.hits === this.hitsAtLearn;
    this.count = 0;
    if (this.learnBackoff > 0) {
      this.learnBackoff--;
      return;
    }
    if (churning) {
      this.learnBackoff = LEARN_BACKOFF;
      return;
    }
    const count = this.learnDocument(data, start, end);
    if (count === 0) {
      this.learnBackoff = LEARN_BACKOFF;
      return;
    }
    const glueBytes = this.glueBytes;
    for (let g = 0; g <= count; g++) {
      const from = this.glueStart[g]!;
      const to = this.glueStart[g + 1]!;
      this.glueLength[g] = to - from;
      if (to - from < 4) {
        let packed = 0;
        for (let at = to - 1; at >= from; at--) packed = (packed << 8) | glueBytes[at]!;
        this.glueFirst[g] = packed;
        continue;
      }
      this.glueFirst[g] = glueBytes[from]! | (glueBytes[from + 1]! << 8) | (glueBytes[from + 2]! << 16) | (glueBytes[from + 3]! << 24);
      this.glueLast[g] = glueBytes[to - 4]! | (glueBytes[to - 3]! << 8) | (glueBytes[to - 2]! << 16) | (glueBytes[to - 1]! << 24);
    }
    // A field keeps only the value that survived to the end (duplicate keys: the last one wins).
    const fieldValue = this.learnFieldValue;
    for (let k = 0; k < count; k++) {
      const field = this.valueField[k]!;
      if (field >= 0 && fieldValue[field] !== k) this.valueField[k] = -1;
    }
    let uncoveredCount = 0;
    for (let f = 0; f < this.paths.fieldCount; f++) if (fieldValue[f] === -1) this.uncovered[uncoveredCount++] = f;
    this.uncoveredCount = uncoveredCount;
    this.count = count;
    this.hitsAtLearn = this.hits;
  }

  /**
   * Fills the glue and value tables from a valid document, following the key trie as the general
   * scanner does; returns the value count, 0 when the document does not qualify: the top level
   * is an object, objects nest at most MAX_SHAPE_DEPTH deep, there is no whitespace, no escape,
   * no array, and no wanted field holds an object.
   */
  private learnDocument(data: Uint8Array, start: number, end: number): number {
    if (end - start < 2 || data[start] !== CHAR_LBRACE || data[end - 1] !== CHAR_RBRACE) return 0;
    const paths = this.paths;
    const glueBytes = this.glueBytes;
    const fieldValue = this.learnFieldValue.fill(-1);
    const nodes = this.learnNodes;
    let node = 0; // trie node of the current object, -1 below an unwanted key
    let depth = 1;
    nodes[0] = -1;
    let pos = start + 1;
    let glueFrom = start;
    let bytes = 0;
    let k = 0;
    let afterValue = data[pos] === CHAR_RBRACE; // '{}' at the top: the closing loop below ends it
    for (;;) {
      if (!afterValue) {
        // A key, then ':'.
        if (data[pos] !== CHAR_QUOTE) return 0;
        let close = pos + 1;
        while (close < end && data[close] !== CHAR_QUOTE && data[close] !== CHAR_BACKSLASH) close++;
        if (close + 1 >= end || data[close] !== CHAR_QUOTE || data[close + 1] !== CHAR_COLON) return 0;
        const child = node >= 0 ? childOf(paths, node, data, pos + 1, close) : -1;
        let field = -1;
        if (child >= 0) {
          field = paths.nodeField[child]!;
          // Duplicate key: forget what an earlier value of this key recorded, as the scanner does.
          for (let at = paths.subtreeStart[child]!; at < paths.subtreeEnd[child]!; at++) fieldValue[paths.subtreeFields[at]!] = -1;
        }
        pos = close + 2;
        const c = data[pos]!;
        if (c === CHAR_LBRACE) {
          if (field >= 0 || depth === MAX_SHAPE_DEPTH) return 0;
          nodes[depth++] = node;
          node = child >= 0 && paths.childCount[child]! > 0 ? child : -1;
          pos++;
          afterValue = data[pos] === CHAR_RBRACE;
          continue;
        }
        if (k === MAX_SHAPE_VALUES) return 0;
        let valueStart = pos;
        if (c === CHAR_QUOTE) {
          valueStart = pos + 1;
          let i = valueStart;
          while (i < end && data[i] !== CHAR_QUOTE && data[i] !== CHAR_BACKSLASH) i++;
          if (i >= end || data[i] !== CHAR_QUOTE) return 0;
          this.valueKind[k] = KIND_STRING;
          pos = i;
        } else if (c === CHAR_MINUS || (c - CHAR_0) >>> 0 <= 9) {
          const after = scanNumber(data, pos, end);
          if (after < 0) return 0;
          this.valueKind[k] = KIND_NUMBER;
          pos = after;
        } else {
          const kind = literalAt(data, pos, end);
          if (kind === KIND_MISSING) return 0; // an array (or whitespace)
          this.valueKind[k] = kind;
          pos += kind === KIND_FALSE ? 5 : 4;
        }
        // The glue before this value: from the end of the previous value to this value's first byte.
        if (bytes + (valueStart - glueFrom) > MAX_SHAPE_GLUE_BYTES - 8) return 0;
        this.glueStart[k] = bytes;
        for (let j = glueFrom; j < valueStart; j++) glueBytes[bytes++] = data[j]!; // no subarray: no allocation
        glueFrom = pos;
        this.valueField[k] = field;
        if (field >= 0) fieldValue[field] = k;
        k++;
        if (data[pos] === CHAR_QUOTE) pos++; // a string's closing quote (part of the next glue)
      }
      // After a value: closing braces, then ',' and the next key, or the end of the document.
      afterValue = false;
      while (data[pos] === CHAR_RBRACE) {
        pos++;
        depth--;
        if (depth === 0) {
          if (pos !== end || bytes + (end - glueFrom) > MAX_SHAPE_GLUE_BYTES) return 0;
          this.glueStart[k] = bytes;
          for (let j = glueFrom; j < end; j++) glueBytes[bytes++] = data[j]!;
          this.glueStart[k + 1] = bytes;
          return k;
        }
        node = nodes[depth]!;
      }
      if (data[pos] !== CHAR_COMMA) return 0;
      pos++;
    }
  }
}

/** The child of trie node `node` whose key is exactly data[from, to) (no escapes), or -1. */
function childOf(paths: CompiledPaths, node: number, data: Uint8Array, from: number, to: number): number {
  const length = to - from;
  // Slot KEY_TABLE_WIDTH - 1 of a node's row is the empty key.
  let child = paths.childByFirstByte[node * KEY_TABLE_WIDTH + (length === 0 ? KEY_TABLE_WIDTH - 1 : data[from]!)]!;
  while (child >= 0) {
    const at = paths.keyStart[child]!;
    if (paths.keyEnd[child]! - at === length) {
      let k = 1;
      while (k < length && data[from + k] === paths.keyBytes[at + k]) k++;
      if (k >= length) return child;
    }
    child = paths.nextSameFirstByte[child]!;
  }
  return -1;
}
