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

/**
 * True when data[at, at + expected.length) is `expected`; false when that runs past data's end (a
 * negative `at` reads undefined, which equals no byte). Kept this small on purpose: the stream
 * decoders' fast paths call it per message, and with one more test here (`at < 0`) Node 20
 * allocated in the OKX stream decoder again (test/venues/okx/allocation.test.ts saw scavenges).
 */
export function bytesAt(data: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > data.length) return false;
  for (let k = 0; k < expected.length; k++) if (data[at + k] !== expected[k]) return false;
  return true;
}
