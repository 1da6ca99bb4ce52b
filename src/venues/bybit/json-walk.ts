// Steps over the members of JSON that jsonFields has already validated (RFC 8259), without
// allocating: the trade iterator walks the objects of a `publicTrade` array with it. Since the
// input is known to be valid, each step only has to find where a token ends.

const CHAR_SPACE = 0x20;
const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;

/** The first position at or after `pos` that is not JSON whitespace. */
export function skipSpace(data: Uint8Array, pos: number, end: number): number {
  while (pos < end && data[pos]! <= CHAR_SPACE) pos++;
  return pos;
}

/** The closing quote of the string whose body starts at `pos` (after its opening quote). */
export function stringClose(data: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = data[pos]!;
    if (c === CHAR_QUOTE) return pos;
    pos += c === CHAR_BACKSLASH ? 2 : 1;
  }
  return end;
}

/** The position after the value starting at `pos` (a string, number, literal, object or array). */
export function valueEnd(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos];
  if (c === CHAR_QUOTE) return stringClose(data, pos + 1, end) + 1;
  if (c === CHAR_LBRACE || c === CHAR_LBRACKET) {
    let depth = 0;
    while (pos < end) {
      const b = data[pos]!;
      if (b === CHAR_QUOTE) pos = stringClose(data, pos + 1, end);
      else if (b === CHAR_LBRACE || b === CHAR_LBRACKET) depth++;
      else if ((b === CHAR_RBRACE || b === CHAR_RBRACKET) && --depth === 0) return pos + 1;
      pos++;
    }
    return end;
  }
  // A number or a literal: up to the next delimiter.
  while (pos < end) {
    const b = data[pos]!;
    if (b === CHAR_COMMA || b === CHAR_RBRACE || b === CHAR_RBRACKET || b <= CHAR_SPACE) return pos;
    pos++;
  }
  return end;
}

/**
 * Reads one object member at `pos` (at its key's opening quote, whitespace skipped): the key's
 * body is data[keyStart, keyEnd), the value data[valueStart, valueStop) (inside the quotes for a
 * string, `valueQuoted` then true). next() returns the position after the value.
 */
export class MemberReader {
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueStop = 0;
  valueQuoted = false;

  read(data: Uint8Array, pos: number, end: number): number {
    this.keyStart = pos + 1;
    this.keyEnd = stringClose(data, pos + 1, end);
    pos = skipSpace(data, this.keyEnd + 1, end);
    if (data[pos] !== CHAR_COLON) return end;
    pos = skipSpace(data, pos + 1, end);
    const after = valueEnd(data, pos, end);
    this.valueQuoted = data[pos] === CHAR_QUOTE;
    this.valueStart = this.valueQuoted ? pos + 1 : pos;
    this.valueStop = this.valueQuoted ? after - 1 : after;
    return after;
  }
}

export { CHAR_COMMA, CHAR_LBRACE, CHAR_QUOTE, CHAR_RBRACE, CHAR_RBRACKET };
