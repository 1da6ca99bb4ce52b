/**
 * RFC 6455 5.3: XORs data[start, start + length) in place with the 4-byte masking key, where
 * `phase` is the number of payload bytes of this frame that came before (so a frame split
 * across reads keeps the key aligned). The server role uses this on every client frame.
 */
export function unmask(data: Uint8Array, start: number, length: number, key: Uint8Array, phase: number): void {
  const end = start + length;
  for (let index = start, keyIndex = phase & 3; index < end; index++, keyIndex = (keyIndex + 1) & 3) {
    data[index] = data[index]! ^ key[keyIndex]!;
  }
}
