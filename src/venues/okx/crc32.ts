// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF,
// the zlib/`crc32` of most languages), table-driven over bytes, with no allocation: the OKX book
// checksum is "the CRC32 value (32-bit signed integer)" of a string built from the top 25 levels
// (OKX v5 docs, WS / Order book channel, "Calculate Checksum"), verified on every update.
//
// The state travels as an unsigned 32-bit integer in a Smi-or-double range; callers feed bytes
// with crc32Update() and finish with crc32Final(), so a checksum built from several spans (prices,
// quantities and the ':' between them) never needs them in one buffer.

/** The 256-entry table of the reflected polynomial (shared with checksum.ts's inlined loops). */
export const CRC32_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The running state before the first byte. */
export const CRC32_INITIAL = -1;

/** Feeds data[start, end) into the running state `crc` (from CRC32_INITIAL or a previous update). */
export function crc32Update(crc: number, data: Uint8Array, start: number, end: number): number {
  let c = crc | 0;
  for (let i = start; i < end; i++) c = CRC32_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** Feeds one byte. */
export function crc32Byte(crc: number, byte: number): number {
  return CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/** The finished checksum as a signed 32-bit integer (OKX's `checksum`). */
export function crc32Final(crc: number): number {
  return ~crc | 0;
}

/** CRC-32 of data[start, end) as a signed 32-bit integer. */
export function crc32(data: Uint8Array, start = 0, end: number = data.length): number {
  return crc32Final(crc32Update(CRC32_INITIAL, data, start, end));
}
