// Scalar byte loops shared by the scanner's slow paths and the level iterator. The scanner's hot
// string loop is written inline in json-fields.ts (a call per string costs ~10% on 100-byte
// messages) and hands strings longer than STRING_PROBE_BYTES to src/kernels' indexOfStringStop,
// which is where WebAssembly SIMD comes in. Both functions here are pure functions of (data, from, end).

/** 1 for the bytes that end a run of plain string content: '"', '\\' and the controls < 0x20 (RFC 8259 7). */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;

/** Index of the first '"', '\\' or control byte in data[from, end), or `end`. */
export function findStringStopScalar(data: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && STRING_STOP[data[i]!] === 0) i++;
  return i;
}

/** RFC 8259 2: insignificant whitespace is space, tab, line feed, carriage return. */
export function skipWhitespace(data: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = data[pos]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return pos;
    pos++;
  }
  return pos;
}
