import { randomFillSync } from 'node:crypto';
import { FIN_BIT, LENGTH_16, LENGTH_64, MASK_BIT } from './opcodes.js';

/** Largest frame header: 2 bytes + 8-byte extended length + 4-byte masking key. */
export const MAX_HEADER_LENGTH = 14;

/** Header size for a payload of `length` bytes (RFC 6455 5.2). */
export function headerLength(length: number, masked: boolean): number {
  const base = length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10;
  return masked ? base + 4 : base;
}

/**
 * Writes a frame header into target at offset and returns the offset where the payload goes.
 * When `maskKey` is given, its 4 bytes at maskKeyOffset are written as the masking key
 * (the caller masks the payload with the same key). Allocation-free.
 */
export function writeFrameHeader(
  target: Uint8Array,
  offset: number,
  opcode: number,
  fin: boolean,
  length: number,
  maskKey: Uint8Array | null,
  maskKeyOffset: number,
): number {
  let position = offset;
  target[position++] = (fin ? FIN_BIT : 0) | opcode;
  const maskBit = maskKey === null ? 0 : MASK_BIT;
  if (length < LENGTH_16) {
    target[position++] = maskBit | length;
  } else if (length <= 0xffff) {
    target[position++] = maskBit | LENGTH_16;
    target[position++] = length >>> 8;
    target[position++] = length & 0xff;
  } else {
    target[position++] = maskBit | LENGTH_64;
    // RFC 6455 5.2: 64-bit length, most significant bit 0. Lengths stay below 2^53.
    const high = Math.floor(length / 0x100000000);
    const low = length >>> 0;
    target[position++] = high >>> 24;
    target[position++] = (high >>> 16) & 0xff;
    target[position++] = (high >>> 8) & 0xff;
    target[position++] = high & 0xff;
    target[position++] = low >>> 24;
    target[position++] = (low >>> 16) & 0xff;
    target[position++] = (low >>> 8) & 0xff;
    target[position++] = low & 0xff;
  }
  if (maskKey !== null) {
    target[position++] = maskKey[maskKeyOffset]!;
    target[position++] = maskKey[maskKeyOffset + 1]!;
    target[position++] = maskKey[maskKeyOffset + 2]!;
    target[position++] = maskKey[maskKeyOffset + 3]!;
  }
  return position;
}

/** Bytes of random masking keys drawn at once; refilled from the CSPRNG when used up. */
const MASK_POOL_BYTES = 8192;

/**
 * RFC 6455 5.3: each client frame needs a fresh, unpredictable masking key. Calling the CSPRNG
 * for 4 bytes per frame is slow, so keys come from a pool filled 8 KiB at a time.
 * `next()` returns the offset of 4 fresh key bytes in `bytes`.
 */
export class MaskKeyPool {
  readonly bytes = new Uint8Array(MASK_POOL_BYTES);
  private offset = MASK_POOL_BYTES;

  next(): number {
    if (this.offset === MASK_POOL_BYTES) {
      randomFillSync(this.bytes);
      this.offset = 0;
    }
    const offset = this.offset;
    this.offset += 4;
    return offset;
  }
}
