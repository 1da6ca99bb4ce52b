// Messages laid end to end in one buffer, as in a receive buffer: offsets[k], offsets[k + 1] bound message k.
const encoder = new TextEncoder();

export function pack(texts: readonly string[]): { data: Uint8Array; offsets: Int32Array } {
  return packBytes(texts.map((text) => encoder.encode(text)));
}

/** The same for messages already encoded (binary frames). */
export function packBytes(parts: readonly Uint8Array[]): { data: Uint8Array; offsets: Int32Array } {
  const data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  const offsets = new Int32Array(parts.length + 1);
  let at = 0;
  parts.forEach((part, k) => {
    data.set(part, at);
    at += part.length;
    offsets[k + 1] = at;
  });
  return { data, offsets };
}
