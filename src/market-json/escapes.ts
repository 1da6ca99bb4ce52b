// JSON string escapes (RFC 8259 section 7), read in place. The scanner has already validated the
// escapes, so these helpers only decode. `equalsDecoded` compares without building a string; the
// string decoders allocate and are meant for logging and tests, off the hot path.

const CHAR_BACKSLASH = 0x5c;
const CHAR_LOWER_U = 0x75;

/** RFC 8259 7: the two-character escapes, indexed by the byte after the backslash. */
const SIMPLE_ESCAPE = new Int16Array(128).fill(-1);
SIMPLE_ESCAPE[0x22] = 0x22; // \"
SIMPLE_ESCAPE[0x5c] = 0x5c; // \\
SIMPLE_ESCAPE[0x2f] = 0x2f; // \/
SIMPLE_ESCAPE[0x62] = 0x08; // \b
SIMPLE_ESCAPE[0x66] = 0x0c; // \f
SIMPLE_ESCAPE[0x6e] = 0x0a; // \n
SIMPLE_ESCAPE[0x72] = 0x0d; // \r
SIMPLE_ESCAPE[0x74] = 0x09; // \t

/** Hex digit value, or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** True when the byte after a backslash starts a valid escape (for `u`, the 4 hex digits are checked apart). */
export function isSimpleEscape(c: number): boolean {
  return c < 128 && SIMPLE_ESCAPE[c]! >= 0;
}

function hex4(data: Uint8Array, at: number): number {
  return (
    (hexDigit(data[at]!) << 12) |
    (hexDigit(data[at + 1]!) << 8) |
    (hexDigit(data[at + 2]!) << 4) |
    hexDigit(data[at + 3]!)
  );
}

// Decoding state shared by the helpers below: one escape at a time is expanded into these four
// bytes (UTF-8 of the decoded code point) so `equalsDecoded` never allocates.
const unit = new Uint8Array(4);
let unitLength = 0;

/**
 * Decodes the escape at `data[at]` (a backslash) into `unit`/`unitLength` as UTF-8 and returns the
 * index just past it. A `\uD8xx\uDCxx` pair becomes one 4-byte code point; a lone surrogate becomes
 * U+FFFD (EF BF BD), which is what TextEncoder produces for the string JSON.parse returns, so
 * `equals(i, new TextEncoder().encode(JSON.parse(text)[key]))` holds for every input.
 */
function decodeEscape(data: Uint8Array, at: number, end: number): number {
  const kind = data[at + 1]!;
  if (kind !== CHAR_LOWER_U) {
    unit[0] = SIMPLE_ESCAPE[kind]!;
    unitLength = 1;
    return at + 2;
  }
  let codePoint = hex4(data, at + 2);
  let next = at + 6;
  if (codePoint >= 0xd800 && codePoint <= 0xdbff) {
    // A high surrogate: combine with a following \uDC00-\uDFFF, else it stays alone.
    if (next + 6 <= end && data[next] === CHAR_BACKSLASH && data[next + 1] === CHAR_LOWER_U) {
      const low = hex4(data, next + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
        next += 6;
      } else {
        codePoint = 0xfffd;
      }
    } else {
      codePoint = 0xfffd;
    }
  } else if (codePoint >= 0xdc00 && codePoint <= 0xdfff) {
    codePoint = 0xfffd;
  }
  if (codePoint < 0x80) {
    unit[0] = codePoint;
    unitLength = 1;
  } else if (codePoint < 0x800) {
    unit[0] = 0xc0 | (codePoint >> 6);
    unit[1] = 0x80 | (codePoint & 0x3f);
    unitLength = 2;
  } else if (codePoint < 0x10000) {
    unit[0] = 0xe0 | (codePoint >> 12);
    unit[1] = 0x80 | ((codePoint >> 6) & 0x3f);
    unit[2] = 0x80 | (codePoint & 0x3f);
    unitLength = 3;
  } else {
    unit[0] = 0xf0 | (codePoint >> 18);
    unit[1] = 0x80 | ((codePoint >> 12) & 0x3f);
    unit[2] = 0x80 | ((codePoint >> 6) & 0x3f);
    unit[3] = 0x80 | (codePoint & 0x3f);
    unitLength = 4;
  }
  return next;
}

/**
 * Compares the decoded value of the validated string body `data[start, end)` with the UTF-8
 * bytes `expected[expectedStart, expectedEnd)`. No allocation.
 */
export function equalsDecoded(
  data: Uint8Array,
  start: number,
  end: number,
  expected: Uint8Array,
  expectedStart: number,
  expectedEnd: number,
): boolean {
  let i = start;
  let j = expectedStart;
  while (i < end) {
    const c = data[i]!;
    if (c !== CHAR_BACKSLASH) {
      if (j >= expectedEnd || expected[j] !== c) return false;
      i++;
      j++;
      continue;
    }
    i = decodeEscape(data, i, end);
    if (j + unitLength > expectedEnd) return false;
    for (let k = 0; k < unitLength; k++) if (expected[j + k] !== unit[k]) return false;
    j += unitLength;
  }
  return j === expectedEnd;
}

const utf8Decoder = new TextDecoder();

/** Decodes a validated string body to a JS string. Allocates: convenience and logging only. */
export function decodeString(data: Uint8Array, start: number, end: number, escaped: boolean): string {
  if (!escaped) return utf8Decoder.decode(data.subarray(start, end));
  let text = '';
  let runStart = start;
  let i = start;
  while (i < end) {
    if (data[i] !== CHAR_BACKSLASH) {
      i++;
      continue;
    }
    if (i > runStart) text += utf8Decoder.decode(data.subarray(runStart, i));
    const kind = data[i + 1]!;
    if (kind === CHAR_LOWER_U) {
      // Kept as UTF-16 code units, lone surrogates included, exactly as JSON.parse does.
      text += String.fromCharCode(hex4(data, i + 2));
      i += 6;
    } else {
      text += String.fromCharCode(SIMPLE_ESCAPE[kind]!);
      i += 2;
    }
    runStart = i;
  }
  if (i > runStart) text += utf8Decoder.decode(data.subarray(runStart, i));
  return text;
}
