// Zero-allocation extraction of known fields from a JSON message, straight from the receive
// buffer: one validating pass over the bytes (RFC 8259), recording where each wanted value lies.
// Values are read afterwards, on demand, as numbers, integers or byte compares; nothing is copied
// and no string is created on that path.
//
// The scanner is an explicit state machine (numeric `state`, one case per grammar position) with
// its container stack in preallocated typed arrays, so nesting depth costs no JS stack and a
// malformed or hostile input ends in SCAN_MALFORMED, never in an exception or an endless loop:
// every state either consumes at least one byte or moves to a state that does.
//
// Before the general scanner, a message is tried against the key layout of the last flat message
// (shape.ts): a stream sends one key order, so most messages take that one linear pass; any
// difference falls back to the general scanner, which decides the outcome alone.

import { indexOfStringStop } from '../kernels/index.js';
import { skipWhitespace } from './byte-scan.js';
import { asciiString, numberSlot, readDecimal, readSafeInteger } from './decimal.js';
import { decodeString, equalsDecoded } from './escapes.js';
import { LevelIterator } from './levels.js';
import { FIELD_PARSED, Shape } from './shape.js';
import { literalAt, scanNumber, scanStringRest } from './tokens.js';
import { compilePaths, KEY_TABLE_WIDTH, pathName, type CompiledPaths, type FieldPath } from './paths.js';
import {
  KIND_ARRAY,
  KIND_FALSE,
  KIND_MISSING,
  KIND_NULL,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  KIND_TRUE,
  readIntegerSlow,
  readNumberSlow,
} from './values.js';

/** scan() outcome, also left in `status`. */
export const SCAN_OK = 0;
/** Not valid JSON (RFC 8259), or start/end outside the buffer. */
export const SCAN_MALFORMED = 1;
/** Valid JSON, but a field not listed in `optional` is absent. */
export const SCAN_MISSING_FIELD = 2;
/** Nesting deeper than `maxDepth`. */
export const SCAN_TOO_DEEP = 3;

/**
 * String values longer than this leave the inline loop for src/kernels' indexOfStringStop (WebAssembly
 * SIMD when available). bench/market-json.ts: market data (strings of 7-15 bytes) is ~10% slower
 * when every string goes through the kernel call, while 8 KiB strings scan 7x faster through it
 * (13x when the buffer is in kernel memory); below 64 bytes the plain loop wins (bench/kernels.ts).
 */
const STRING_PROBE_BYTES = 64;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Deep enough for any market-data message; JSON.parse accepts deeper documents, we refuse them. */
const DEFAULT_MAX_DEPTH = 256;

// Scanner states: what the byte at `pos` must start.
const STATE_VALUE = 0; // a value (whitespace first allowed)
const STATE_KEY = 1; // a key: pos is at its opening quote

const CONTAINER_OBJECT = 1;
const CONTAINER_ARRAY = 2;

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;
const CHAR_MINUS = 0x2d;
const CHAR_0 = 0x30;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const CHAR_SPACE = 0x20;

/** Options of jsonFields(). */
export interface JsonFieldsOptions {
  /** Paths that may be absent without failing scan() (check them with has()). Default: none. */
  readonly optional?: readonly FieldPath[];
  /** Maximum nesting of objects and arrays. Default 256. */
  readonly maxDepth?: number;
}

const utf8Decoder = new TextDecoder();
/** Returned by levels() for an index that is not a field: always empty. */
const EMPTY_LEVELS = new LevelIterator();

/** fieldState = kind (low bits) | FIELD_ESCAPED for a string whose raw bytes hold backslash escapes. */
const FIELD_ESCAPED = 0x10;
const FIELD_KIND_MASK = 0x0f;

/**
 * A compiled set of field paths: scan() validates one JSON message in place and records where
 * each wanted field is; the accessors (number, integer, equals, levels, ...) read a field by its
 * index in the list given to jsonFields(). No allocation per message. Create with jsonFields().
 */
export class JsonFields {
  /** Number of fields, in the order given to jsonFields(). */
  readonly fieldCount: number;
  /** Outcome of the last scan(): SCAN_OK, SCAN_MALFORMED, SCAN_MISSING_FIELD or SCAN_TOO_DEEP. */
  status = SCAN_OK;
  /** Byte offset where the last scan failed (-1 after success), for diagnostics. */
  errorOffset = -1;

  private readonly paths: CompiledPaths;
  private readonly maxDepth: number;
  private readonly required: Uint8Array;
  /**
   * Per field: kind | FIELD_ESCAPED; 0 = absent. One array so a scan resets one thing, and so
   * number() decides its fast case with one load: state === KIND_NUMBER or KIND_STRING (unescaped).
   */
  private readonly fieldState: Uint8Array;
  private readonly fieldStart: Int32Array;
  private readonly fieldEnd: Int32Array;
  /** number(i) for the fields whose fieldState has FIELD_PARSED (decimals read by the shape pass). */
  private readonly fieldValue: Float64Array;
  /** The key layout of the last flat message, tried first (shape.ts). */
  private readonly shape: Shape;
  // The container stack, one entry per open object/array: its kind, the trie node of the
  // enclosing container (restored on close) and the field the container itself is recorded in.
  private readonly containerKind: Uint8Array;
  private readonly containerParentNode: Int32Array;
  private readonly containerField: Int32Array;
  /** One level iterator per field, made up front so levels() stays small enough to inline. */
  private readonly iterators: readonly LevelIterator[];
  private data: Uint8Array = new Uint8Array(0);

  constructor(paths: readonly FieldPath[], options: JsonFieldsOptions = {}) {
    this.paths = compilePaths(paths);
    const count = this.paths.fieldCount;
    this.fieldCount = count;
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError('jsonFields: maxDepth must be a positive integer');
    this.maxDepth = maxDepth;
    this.required = new Uint8Array(count).fill(1);
    for (const path of options.optional ?? []) {
      const index = this.index(path);
      if (index < 0) throw new RangeError(`jsonFields: optional path '${pathName(path)}' is not one of the fields`);
      this.required[index] = 0;
    }
    this.fieldState = new Uint8Array(count);
    this.fieldStart = new Int32Array(count);
    this.fieldEnd = new Int32Array(count);
    this.fieldValue = new Float64Array(count);
    this.shape = new Shape(this.paths, this.fieldState, this.fieldStart, this.fieldEnd, this.fieldValue);
    this.containerKind = new Uint8Array(maxDepth);
    this.containerParentNode = new Int32Array(maxDepth);
    this.containerField = new Int32Array(maxDepth);
    this.iterators = Array.from({ length: count }, () => new LevelIterator());
  }

  /** Field index of a path ('data.b' or ['data', 'b']), -1 if it is not one of the fields. */
  index(path: FieldPath): number {
    return this.paths.names.indexOf(pathName(path));
  }

  /**
   * Validates `data[start, end)` as one JSON document and records the wanted fields. Returns true
   * when it is valid JSON and every required field is present. Never throws, never allocates.
   * Duplicate keys: the last one wins, as in JSON.parse (a later `"data":{...}` also discards
   * fields found under an earlier `data`).
   */
  scan(data: Uint8Array, start = 0, end: number = data.length): boolean {
    // Kept tiny on purpose: V8 inlines it into the caller's handler, and every byte of inlined
    // bytecode counts against one budget per function that the number() accessors need more.
    return this.scanDocument(data, start, end) === SCAN_OK;
  }

  /** True when field i was found by the last scan (a JSON null counts as present: see kind()). */
  has(i: number): boolean {
    return (this.fieldState[i] ?? KIND_MISSING) !== KIND_MISSING;
  }

  /** KIND_STRING, KIND_NUMBER, KIND_OBJECT, KIND_ARRAY, KIND_TRUE, KIND_FALSE, KIND_NULL or KIND_MISSING (0). */
  kind(i: number): number {
    return (this.fieldState[i] ?? KIND_MISSING) & FIELD_KIND_MASK;
  }

  /** Start of field i's raw bytes: after the opening quote for strings, at the bracket for containers. -1 if absent. */
  start(i: number): number {
    return this.has(i) ? this.fieldStart[i]! : -1;
  }

  /** End (exclusive) of field i's raw bytes: at the closing quote for strings, after the bracket for containers. */
  end(i: number): number {
    return this.has(i) ? this.fieldEnd[i]! : -1;
  }

  /** True when the string value of field i contains backslash escapes (its raw bytes are not its value). */
  escaped(i: number): boolean {
    return this.fieldState[i] === (KIND_STRING | FIELD_ESCAPED);
  }

  /**
   * Field i as a float64, identical to parseFloat of its text, for a bare number (1e-8, -1.5E+3)
   * or a quoted decimal ("67123.45000000"). NaN when absent, another kind, or not a decimal.
   */
  number(i: number): number {
    // Kept under V8's always-inline size (27 bytecode bytes up to V8 13), so it is inlined into
    // any caller whatever that caller's inlining budget: a double returned by a call that is not
    // inlined is boxed, i.e. allocated. The work is a call that returns nothing; the result
    // travels through numberSlot (decimal.ts), a float64 load once inlined.
    this.readNumber(i);
    return numberSlot[0]!;
  }

  /**
   * number(i) stored into target[index]. Nothing crosses a call boundary as a double, so nothing
   * is boxed whether or not V8 inlines this into the caller: number() stays allocation-free only
   * while it is inlined, and V8 stops inlining once the caller's budget is spent (a large handler,
   * or number() already optimized on its own, which V8 then counts at its optimized size).
   */
  numberInto(i: number, target: Float64Array, index: number): void {
    this.readNumber(i);
    target[index] = numberSlot[0]!;
  }

  /** Field i as a safe integer (update ids u, U, E, lastUpdateId), bare or quoted; NaN otherwise. */
  integer(i: number): number {
    // Small on purpose, like number().
    this.readInteger(i);
    return numberSlot[0]!;
  }

  /**
   * integer(i) stored into target[index]: no double crosses a call boundary, so nothing is boxed
   * whether or not V8 inlines it (see numberInto).
   */
  integerInto(i: number, target: Float64Array, index: number): void {
    this.readInteger(i);
    target[index] = numberSlot[0]!;
  }

  /**
   * Compares field i with `expected` (UTF-8 bytes). For a string the decoded value is compared
   * ("BTC\u0055SDT" equals "BTCUSDT"); for other kinds, the raw token (`true`, `160`). False when absent.
   */
  equals(i: number, expected: Uint8Array): boolean {
    if (this.fieldState[i] === (KIND_STRING | FIELD_ESCAPED)) return this.equalsEscaped(i, expected);
    return this.equalsRaw(i, expected);
  }

  /** Compares the raw bytes of field i (escapes not decoded) with `expected`. */
  equalsRaw(i: number, expected: Uint8Array): boolean {
    if (!this.has(i)) return false;
    const start = this.fieldStart[i]!;
    const length = this.fieldEnd[i]! - start;
    if (length !== expected.length) return false;
    for (let k = 0; k < length; k++) if (this.data[start + k] !== expected[k]) return false;
    return true;
  }

  /**
   * Field i as a string: the decoded value for strings, the raw JSON text for other kinds.
   * ALLOCATES: for logging and setup, not for the per-message path. undefined when absent.
   */
  string(i: number): string | undefined {
    const kind = this.kind(i);
    if (kind === KIND_MISSING) return undefined;
    const start = this.fieldStart[i]!;
    const end = this.fieldEnd[i]!;
    if (kind === KIND_STRING) return decodeString(this.data, start, end, this.escaped(i));
    if (kind === KIND_NUMBER) return asciiString(this.data, start, end);
    return utf8Decoder.decode(this.data.subarray(start, end));
  }

  /**
   * The level iterator of field i (an array of [price, quantity, ...]), rewound to its first level.
   * The same object is returned every time for a given i; it is empty when the field is absent or
   * not an array. Valid until the next scan().
   */
  levels(i: number): LevelIterator {
    const iterator = this.iterators[i] ?? EMPTY_LEVELS; // index out of range: empty, never throws
    if (this.fieldState[i] === KIND_ARRAY) return iterator.reset(this.data, this.fieldStart[i]!, this.fieldEnd[i]!);
    return iterator.reset(this.data, 0, 0);
  }

  /** number(i) into numberSlot[0]. */
  private readNumber(i: number): void {
    const state = this.fieldState[i]!;
    if (state >= FIELD_PARSED) numberSlot[0] = this.fieldValue[i]!; // decimals the shape pass read
    else if (state === KIND_STRING || state === KIND_NUMBER) readDecimal(this.data, this.fieldStart[i]!, this.fieldEnd[i]!);
    else readNumberSlow(this.data, this.kind(i), this.fieldStart[i] ?? 0, this.fieldEnd[i] ?? 0);
  }

  /** integer(i) into numberSlot[0]. */
  private readInteger(i: number): void {
    const state = this.fieldState[i]!;
    if (state >= FIELD_PARSED) {
      // Same as readSafeInteger on the text: the value when it is a safe integer, else NaN.
      // Written as a store then a check: the form `Math.floor(value) === value && ... ? value : NaN`
      // allocated a HeapNumber per read for values beyond int32 (every "E" in ms) on Node 20-26.
      const value = this.fieldValue[i]!;
      numberSlot[0] = value;
      if (value % 1 !== 0 || value > MAX_SAFE || value < -MAX_SAFE) numberSlot[0] = NaN;
    } else if (state === KIND_NUMBER || state === KIND_STRING) readSafeInteger(this.data, this.fieldStart[i]!, this.fieldEnd[i]!);
    else readIntegerSlow(this.data, this.kind(i), this.fieldStart[i] ?? 0, this.fieldEnd[i] ?? 0);
  }

  private equalsEscaped(i: number, expected: Uint8Array): boolean {
    return equalsDecoded(this.data, this.fieldStart[i]!, this.fieldEnd[i]!, expected, 0, expected.length);
  }

  /** Ends a failed scan: no field stays readable, `status` and `errorOffset` say why and where. */
  private fail(pos: number, status = SCAN_MALFORMED): number {
    const fieldState = this.fieldState;
    for (let f = 0; f < this.fieldCount; f++) fieldState[f] = KIND_MISSING;
    this.errorOffset = pos;
    this.status = status;
    return status;
  }

  /** Ends a scan of valid JSON: SCAN_OK, or SCAN_MISSING_FIELD when a required field is absent. */
  private finish(): number {
    const fieldState = this.fieldState;
    const required = this.required;
    let status = SCAN_OK;
    for (let f = 0; f < this.fieldCount; f++) {
      if (fieldState[f] === KIND_MISSING && required[f] === 1) {
        status = SCAN_MISSING_FIELD;
        break;
      }
    }
    this.errorOffset = -1;
    this.status = status;
    return status;
  }

  /**
   * The whole of scan(): resets the fields, validates and records, then checks the required fields.
   * Deliberately one large function: V8 never inlines it into the caller, whose inlining budget
   * is then left for number()/integer()/equals(): a float64 returned by an accessor that is not
   * inlined is boxed, i.e. allocated (test/market-json/allocation.test.ts would catch it).
   *
   * The scanner: two states decide what the byte at `pos` must start: STATE_KEY (a key, then ':')
   * or STATE_VALUE (a value). Everything after a value (',' or closing brackets, or the end of the
   * document) is handled right there instead of through a third state: that saves a dispatch per
   * value, which is most of what a state machine costs on 100-byte messages
   * (bench/market-json.ts, bookTicker).
   */
  private scanDocument(data: Uint8Array, start: number, end: number): number {
    this.data = data;
    if (!(start >= 0 && start <= end && end <= data.length && (start | 0) === start && (end | 0) === end)) {
      return this.fail(start);
    }
    // The message has the shape of the last flat one: one linear pass, no trie (shape.ts).
    if (this.shape.count !== 0 && this.shape.match(data, start, end)) {
      this.errorOffset = -1;
      this.status = SCAN_OK;
      return SCAN_OK;
    }
    const fieldState = this.fieldState;
    for (let f = 0; f < this.fieldCount; f++) fieldState[f] = KIND_MISSING;
    const paths = this.paths;
    const nodeField = paths.nodeField;
    const childCount = paths.childCount;
    const childByFirstByte = paths.childByFirstByte;
    const nextSameFirstByte = paths.nextSameFirstByte;
    const keyBytes = paths.keyBytes;
    const keyStart = paths.keyStart;
    const keyEnd = paths.keyEnd;
    const hasDescendantFields = paths.hasDescendantFields;
    const containerKind = this.containerKind;
    const containerParentNode = this.containerParentNode;
    const containerField = this.containerField;
    const starts = this.fieldStart;
    const ends = this.fieldEnd;
    const maxDepth = this.maxDepth;

    let pos = start;
    let depth = 0;
    let inObject = false; // whether the innermost open container is an object
    let state = STATE_VALUE;
    // The trie node of the innermost open object (-1: not on any wanted path).
    let currentNode = -1;
    // What the next value is: the trie node its key matched (-1: none) and the field to record it
    // in (-1: none). The top-level value is node 0, the root.
    let pendingNode = 0;
    let pendingField = -1;

    for (;;) {
      if (state === STATE_KEY) {
        // pos is at the key's opening quote. Inline fast path: no escape in the key.
        const keyFrom = pos + 1;
        let close = keyFrom;
        for (let b = 0; close < end && (b = data[close]!) !== CHAR_QUOTE && b !== CHAR_BACKSLASH && b >= CHAR_SPACE; ) close++;
        let keyEscaped = false;
        if (close >= end || data[close] !== CHAR_QUOTE) {
          close = scanStringRest(data, close, end);
          if (close < 0) return this.fail(pos);
          keyEscaped = true;
        }
        if (currentNode >= 0) {
          let child: number;
          if (keyEscaped) {
            child = this.matchEscapedKey(currentNode, data, keyFrom, close);
          } else {
            // Candidates share the key's first byte; compare length, then the remaining bytes.
            const length = close - keyFrom;
            child = childByFirstByte[currentNode * KEY_TABLE_WIDTH + (length === 0 ? 256 : data[keyFrom]!)]!;
            while (child >= 0) {
              const at = keyStart[child]!;
              if (keyEnd[child]! - at === length) {
                let k = 1;
                while (k < length && data[keyFrom + k] === keyBytes[at + k]) k++;
                if (k >= length) break;
              }
              child = nextSameFirstByte[child]!;
            }
          }
          pendingNode = child;
          if (child >= 0) {
            pendingField = nodeField[child]!;
            // Duplicate key: the last one wins, as in JSON.parse, so fields found under an
            // earlier value of this key are forgotten.
            if (hasDescendantFields[child] === 1) this.clearSubtree(child);
          } else {
            pendingField = -1;
          }
        } else {
          pendingNode = -1;
          pendingField = -1;
        }
        pos = close + 1;
        if (pos < end && data[pos] === CHAR_COLON) {
          pos++;
        } else {
          pos = skipWhitespace(data, pos, end);
          if (pos >= end || data[pos] !== CHAR_COLON) return this.fail(pos);
          pos++;
        }
      }

      // STATE_VALUE (or the value after the key just read).
      if (pos >= end) return this.fail(pos);
      let c = data[pos]!;
      if (c <= CHAR_SPACE) {
        pos = skipWhitespace(data, pos, end);
        if (pos >= end) return this.fail(pos);
        c = data[pos]!;
      }
      if (c === CHAR_QUOTE) {
        // Inline fast path: a string without escapes (scanStringRest handles the rest). The inline
        // loop looks at STRING_PROBE_BYTES at most; a longer string goes to the selected kernel.
        let close = pos + 1;
        const probeEnd = end - close > STRING_PROBE_BYTES ? close + STRING_PROBE_BYTES : end;
        for (let b = 0; close < probeEnd && (b = data[close]!) !== CHAR_QUOTE && b !== CHAR_BACKSLASH && b >= CHAR_SPACE; ) close++;
        if (close === probeEnd && close < end) {
          close = indexOfStringStop(data, close, end);
          if (close < 0) close = end;
        }
        let stringState = KIND_STRING;
        if (close >= end || data[close] !== CHAR_QUOTE) {
          close = scanStringRest(data, close, end);
          if (close < 0) return this.fail(pos);
          stringState = KIND_STRING | FIELD_ESCAPED;
        }
        if (pendingField >= 0) {
          fieldState[pendingField] = stringState;
          starts[pendingField] = pos + 1;
          ends[pendingField] = close;
        }
        pos = close + 1;
      } else if (c === CHAR_LBRACE || c === CHAR_LBRACKET) {
        if (depth === maxDepth) return this.fail(pos, SCAN_TOO_DEEP);
        inObject = c === CHAR_LBRACE;
        containerKind[depth] = inObject ? CONTAINER_OBJECT : CONTAINER_ARRAY;
        containerParentNode[depth] = currentNode;
        containerField[depth] = pendingField;
        // Only objects lead further down a path; arrays are opaque (read them with levels()).
        currentNode = inObject && pendingNode >= 0 && childCount[pendingNode]! > 0 ? pendingNode : -1;
        if (pendingField >= 0) {
          fieldState[pendingField] = inObject ? KIND_OBJECT : KIND_ARRAY;
          starts[pendingField] = pos;
        }
        depth++;
        pos = skipWhitespace(data, pos + 1, end);
        if (pos >= end) return this.fail(pos);
        c = data[pos]!;
        if (inObject) {
          if (c === CHAR_QUOTE) {
            state = STATE_KEY;
            continue;
          }
          if (c !== CHAR_RBRACE) return this.fail(pos);
        } else if (c !== CHAR_RBRACKET) {
          pendingNode = -1;
          pendingField = -1;
          state = STATE_VALUE;
          continue;
        }
        // An empty container: the closing bracket is handled below with the others.
      } else if (c === CHAR_MINUS || (c - CHAR_0) >>> 0 <= 9) {
        const after = scanNumber(data, pos, end);
        if (after < 0) return this.fail(pos);
        if (pendingField >= 0) {
          fieldState[pendingField] = KIND_NUMBER;
          starts[pendingField] = pos;
          ends[pendingField] = after;
        }
        pos = after;
      } else {
        const kind = literalAt(data, pos, end);
        if (kind === KIND_MISSING) return this.fail(pos);
        const after = pos + (kind === KIND_FALSE ? 5 : 4);
        if (pendingField >= 0) {
          fieldState[pendingField] = kind;
          starts[pendingField] = pos;
          ends[pendingField] = after;
        }
        pos = after;
      }

      // After a value: closing brackets (any number), then ',' (next key or value) or the end.
      for (;;) {
        if (depth === 0) {
          pos = skipWhitespace(data, pos, end);
          if (pos !== end) return this.fail(pos);
          const status = this.finish();
          // Learning from a failed match too: the stream's shape may have changed.
          if (status === SCAN_OK) this.shape.learn(data, start, end);
          else this.shape.count = 0;
          return status;
        }
        if (pos >= end) return this.fail(pos);
        c = data[pos]!;
        if (c <= CHAR_SPACE) {
          pos = skipWhitespace(data, pos, end);
          if (pos >= end) return this.fail(pos);
          c = data[pos]!;
        }
        if (c === CHAR_COMMA) {
          pos++;
          if (inObject) {
            if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
            if (pos >= end || data[pos] !== CHAR_QUOTE) return this.fail(pos);
            state = STATE_KEY;
          } else {
            pendingNode = -1;
            pendingField = -1;
            state = STATE_VALUE;
          }
          break;
        }
        if (c !== (inObject ? CHAR_RBRACE : CHAR_RBRACKET)) return this.fail(pos);
        depth--;
        const field = containerField[depth]!;
        if (field >= 0) ends[field] = pos + 1;
        currentNode = containerParentNode[depth]!;
        inObject = depth > 0 && containerKind[depth - 1] === CONTAINER_OBJECT;
        pos++;
      }
    }
  }

  /** The child of `node` whose key equals the decoded escaped key data[start, end), or -1. The slow path. */
  private matchEscapedKey(node: number, data: Uint8Array, start: number, end: number): number {
    const paths = this.paths;
    const first = paths.firstChild[node]!;
    const last = first + paths.childCount[node]!;
    for (let child = first; child < last; child++) {
      if (equalsDecoded(data, start, end, paths.keyBytes, paths.keyStart[child]!, paths.keyEnd[child]!)) return child;
    }
    return -1;
  }

  private clearSubtree(node: number): void {
    const paths = this.paths;
    const fields = paths.subtreeFields;
    const last = paths.subtreeEnd[node]!;
    for (let k = paths.subtreeStart[node]!; k < last; k++) this.fieldState[fields[k]!] = KIND_MISSING;
  }
}

/** Compiles the field paths once; the returned extractor is reused for every message. */
export function jsonFields(paths: readonly FieldPath[], options?: JsonFieldsOptions): JsonFields {
  return new JsonFields(paths, options);
}

export { KIND_ARRAY, KIND_FALSE, KIND_MISSING, KIND_NULL, KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE };
