// OKX pushes every channel's data as an array: {"arg":{..},"action":..,"data":[{..},{..}]}. The
// stream decoder hands the venue decoders that `data` array as the payload; this walks its
// objects in place. Book and ticker pushes hold one object ("data": [{ asks, bids, ts, ... }]),
// trade pushes one or more ("Every update may aggregate multiple trades").
//
// The walker only finds where each object starts and ends (string-aware bracket counting); the
// decoders then validate each object fully with jsonFields.

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Iterates the objects of one `data` array: begin(), then next() until false. No allocation. */
export class DataArrayWalker {
  /** Offset in data of the current object's `{` (valid after next() returned true). */
  objectStart = 0;
  /** Offset in data just after the current object's `}`: the object is data[objectStart, objectEnd). */
  objectEnd = 0;
  /** The array held something other than objects separated by commas. */
  malformed = false;
  private data: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;

  /** Starts on data[start, end), which must be a JSON array (surrounding whitespace allowed). */
  begin(data: Uint8Array, start: number, end: number): boolean {
    this.data = data;
    this.malformed = false;
    while (start < end && isSpace(data[start]!)) start++;
    while (end > start && isSpace(data[end - 1]!)) end--;
    if (start < 0 || end > data.length || end - start < 2 || data[start] !== CHAR_LBRACKET || data[end - 1] !== CHAR_RBRACKET) {
      this.malformed = true;
      this.pos = this.end = 0;
      return false;
    }
    this.pos = start + 1;
    this.end = end - 1;
    return true;
  }

  /** Moves to the next object; false at the end of the array or on anything but an object. */
  next(): boolean {
    const data = this.data;
    const end = this.end;
    let pos = this.pos;
    while (pos < end && isSpace(data[pos]!)) pos++;
    if (pos >= end) return false;
    if (data[pos] !== CHAR_LBRACE) return this.fail();
    const start = pos;
    let depth = 0;
    for (; pos < end; pos++) {
      const c = data[pos]!;
      if (c === CHAR_QUOTE) {
        for (pos++; pos < end && data[pos] !== CHAR_QUOTE; pos++) if (data[pos] === CHAR_BACKSLASH) pos++;
      } else if (c === CHAR_LBRACE || c === CHAR_LBRACKET) {
        depth++;
      } else if ((c === CHAR_RBRACE || c === CHAR_RBRACKET) && --depth === 0) {
        break;
      }
    }
    if (pos >= end) return this.fail();
    this.objectStart = start;
    this.objectEnd = pos + 1;
    pos++;
    while (pos < end && isSpace(data[pos]!)) pos++;
    if (pos < end) {
      if (data[pos] !== CHAR_COMMA) return this.fail();
      pos++;
      while (pos < end && isSpace(data[pos]!)) pos++;
      if (pos >= end) return this.fail(); // a trailing comma
    }
    this.pos = pos;
    return true;
  }

  private fail(): boolean {
    this.malformed = true;
    this.pos = this.end;
    return false;
  }
}
