// A validating single pass over JSON in the compact spelling venues send (no whitespace, no
// escapes, printable ASCII strings), recording where the top-level members `data` and `ts` are.
// The trade iterator's fast path: one tight loop instead of the general scan, after which the
// member walker (json-walk.ts) reads the trades knowing the bytes are valid JSON. Anything this
// pass does not accept (whitespace, escapes, non-ASCII — all valid JSON) goes to jsonFields.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
/** Nesting the fast pass follows (Bybit messages nest 3 deep); deeper goes to the general path. */
const MAX_DEPTH = 8;

export class CompactTopLevel {
  /** Range of the top-level `data` value (brackets or braces included); -1 when absent. */
  dataStart = -1;
  dataEnd = -1;
  /** Range of the top-level `ts` value (inside its quotes when quoted); -1 when absent. */
  tsStart = -1;
  tsEnd = -1;
  /** Per depth: 1 inside an object, 2 inside an array. */
  private readonly containers = new Uint8Array(MAX_DEPTH);

  /** True when data[start, end) is exactly one compact JSON object. */
  scan(data: Uint8Array, start: number, end: number): boolean {
    this.dataStart = this.dataEnd = this.tsStart = this.tsEnd = -1;
    if (start >= end || data[start] !== LBRACE) return false;
    const containers = this.containers;
    let depth = 0;
    let pos = start;
    // Top-level member whose value is being read: 1 data, 2 ts, 0 other.
    let member = 0;
    for (;;) {
      // At a value.
      const c = data[pos];
      if (c === LBRACE || c === LBRACKET) {
        if (depth === MAX_DEPTH) return false;
        if (depth === 1 && member === 1) this.dataStart = pos;
        containers[depth++] = c === LBRACE ? 1 : 2;
        pos++;
        if (pos >= end) return false;
        if (data[pos] === (c === LBRACE ? RBRACE : RBRACKET)) {
          depth--;
          pos++;
          if (depth === 1 && member === 1 && this.dataEnd < 0) this.dataEnd = pos;
        } else if (c === LBRACE) {
          pos = this.key(data, pos, end, depth);
          if (pos < 0) return false;
          member = depth === 1 ? this.lastKey : member;
          continue;
        } else {
          continue;
        }
      } else if (c === QUOTE) {
        const close = stringEnd(data, pos + 1, end);
        if (close < 0) return false;
        if (depth === 1 && member === 2) {
          this.tsStart = pos + 1;
          this.tsEnd = close;
        }
        pos = close + 1;
      } else {
        const after = scalarEnd(data, pos, end);
        if (after < 0) return false;
        if (depth === 1 && member === 2) {
          this.tsStart = pos;
          this.tsEnd = after;
        }
        pos = after;
      }
      // After a value: close containers, or a comma and the next member/element.
      for (;;) {
        if (depth === 0) return pos === end;
        if (pos >= end) return false;
        const b = data[pos];
        const kind = containers[depth - 1]!;
        if (b === COMMA) {
          pos++;
          if (kind === 1) {
            pos = this.key(data, pos, end, depth);
            if (pos < 0) return false;
            if (depth === 1) member = this.lastKey;
          }
          break;
        }
        if (b !== (kind === 1 ? RBRACE : RBRACKET)) return false;
        depth--;
        pos++;
        if (depth === 1 && member === 1 && this.dataEnd < 0) this.dataEnd = pos;
      }
    }
  }

  /** Which top-level key the last key() read was (1 data, 2 ts, 0 other). */
  private lastKey = 0;

  /** `"key":` at pos; returns the position of the value, or -1. */
  private key(data: Uint8Array, pos: number, end: number, depth: number): number {
    if (pos >= end || data[pos] !== QUOTE) return -1;
    const close = stringEnd(data, pos + 1, end);
    if (close < 0 || close + 1 >= end || data[close + 1] !== COLON) return -1;
    if (depth === 1) {
      const length = close - pos - 1;
      // A repeated `data` or `ts` ("last wins" in JSON) is left to the general path.
      this.lastKey =
        length === 4 && data[pos + 1] === 0x64 && data[pos + 2] === 0x61 && data[pos + 3] === 0x74 && data[pos + 4] === 0x61 // data
          ? 1
          : length === 2 && data[pos + 1] === 0x74 && data[pos + 2] === 0x73 // ts
            ? 2
            : 0;
      if ((this.lastKey === 1 && this.dataStart >= 0) || (this.lastKey === 2 && this.tsStart >= 0)) return -1;
    }
    return close + 2;
  }
}

/** The closing quote of a printable-ASCII string without escapes, or -1. */
function stringEnd(data: Uint8Array, pos: number, end: number): number {
  for (; pos < end; pos++) {
    const c = data[pos]!;
    if (c === QUOTE) return pos;
    if (c < 0x20 || c >= 0x7f || c === BACKSLASH) return -1;
  }
  return -1;
}

/** The end of a JSON number or literal at pos (RFC 8259 grammar), or -1. */
function scalarEnd(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos];
  if (c === 0x74) return data[pos + 1] === 0x72 && data[pos + 2] === 0x75 && data[pos + 3] === 0x65 ? pos + 4 : -1; // true
  if (c === 0x66) return data[pos + 1] === 0x61 && data[pos + 2] === 0x6c && data[pos + 3] === 0x73 && data[pos + 4] === 0x65 ? pos + 5 : -1; // false
  if (c === 0x6e) return data[pos + 1] === 0x75 && data[pos + 2] === 0x6c && data[pos + 3] === 0x6c ? pos + 4 : -1; // null
  if (c === MINUS) pos++;
  const digitsStart = pos;
  while (pos < end && (data[pos]! - ZERO) >>> 0 <= 9) pos++;
  if (pos === digitsStart || (pos - digitsStart > 1 && data[digitsStart] === ZERO)) return -1;
  if (pos < end && data[pos] === DOT) {
    const fraction = ++pos;
    while (pos < end && (data[pos]! - ZERO) >>> 0 <= 9) pos++;
    if (pos === fraction) return -1;
  }
  if (pos < end && (data[pos]! | 0x20) === 0x65) {
    pos++;
    if (pos < end && (data[pos] === 0x2b || data[pos] === MINUS)) pos++;
    const exponent = pos;
    while (pos < end && (data[pos]! - ZERO) >>> 0 <= 9) pos++;
    if (pos === exponent) return -1;
  }
  return pos;
}
