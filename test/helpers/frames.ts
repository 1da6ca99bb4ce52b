// Frame builders and a client-frame reader for the conformance tests. Deliberately written apart
// from src/protocol/frame-writer.ts (plain Buffer arithmetic, no shared code) so that a bug in the
// writer cannot hide the same bug in the tests.
import { randomBytes } from 'node:crypto';

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array | string;
  /** Default true. */
  fin?: boolean;
  /** RSV bits as the 3-bit value 0..7 (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
  rsv?: number;
  /** A masking key: the frame is masked with it (servers must not do this). */
  mask?: Uint8Array | boolean;
  /** Force the length encoding: 7, 16 or 64 bits (default: the shortest). */
  lengthBits?: 7 | 16 | 64;
  /** Write this value as the (64-bit) length instead of the payload's real length. */
  declaredLength?: bigint;
}

export function toBytes(payload: Uint8Array | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** Encodes one frame (RFC 6455 5.2), by default as a server sends it: unmasked, FIN set. */
export function frame(spec: FrameSpec): Buffer {
  const payload = toBytes(spec.payload);
  const fin = spec.fin ?? true;
  const rsv = spec.rsv ?? 0;
  const length = spec.declaredLength ?? BigInt(payload.length);
  const bits = spec.lengthBits ?? (spec.declaredLength !== undefined ? 64 : length < 126n ? 7 : length < 65536n ? 16 : 64);
  const key = spec.mask === undefined || spec.mask === false ? null : spec.mask === true ? randomBytes(4) : Buffer.from(spec.mask);
  const maskBit = key === null ? 0 : 0x80;
  const header: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | (spec.opcode & 0x0f)];
  if (bits === 7) {
    header.push(maskBit | Number(length));
  } else if (bits === 16) {
    header.push(maskBit | 126, Number(length >> 8n) & 0xff, Number(length) & 0xff);
  } else {
    header.push(maskBit | 127);
    for (let shift = 56n; shift >= 0n; shift -= 8n) header.push(Number((length >> shift) & 0xffn));
  }
  const body = Buffer.from(payload);
  if (key !== null) for (let index = 0; index < body.length; index++) body[index] = body[index]! ^ key[index & 3]!;
  return Buffer.concat([Buffer.from(header), key ?? Buffer.alloc(0), body]);
}

export const text = (payload: string | Uint8Array, fin = true): Buffer => frame({ opcode: 1, payload, fin });
export const binary = (payload: Uint8Array | string, fin = true): Buffer => frame({ opcode: 2, payload, fin });
export const continuation = (payload: Uint8Array | string, fin = true): Buffer => frame({ opcode: 0, payload, fin });
export const ping = (payload: Uint8Array | string = ''): Buffer => frame({ opcode: 9, payload });
export const pong = (payload: Uint8Array | string = ''): Buffer => frame({ opcode: 10, payload });

/** A close frame; code undefined = empty payload; reason may be raw bytes (e.g. invalid UTF-8). */
export function close(code?: number, reason: string | Uint8Array = ''): Buffer {
  if (code === undefined) return frame({ opcode: 8 });
  const reasonBytes = toBytes(reason);
  const payload = Buffer.alloc(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  reasonBytes.copy(payload, 2);
  return frame({ opcode: 8, payload });
}

/** Deterministic pseudo-random bytes (a fixed xorshift), so failures reproduce. */
export function patternBytes(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[index] = state & 0xff;
  }
  return out;
}

/** An ASCII text of `length` bytes (valid UTF-8). */
export function asciiText(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789{}":,.';
  let out = '';
  const block = Array.from({ length: 1024 }, (_, index) => alphabet[index % alphabet.length]).join('');
  while (out.length + block.length <= length) out += block;
  return out + block.slice(0, length - out.length);
}

export interface ParsedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** The masking key (4 bytes) when masked. */
  maskKey: Buffer | null;
  /** The payload, unmasked. */
  payload: Buffer;
}

/**
 * Incremental reader for the frames a client writes (masked) or a server writes (unmasked).
 * push() returns the frames completed by the chunk.
 */
export class FrameReader {
  private buffered = Buffer.alloc(0);

  push(chunk: Uint8Array): ParsedFrame[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const out: ParsedFrame[] = [];
    for (;;) {
      const parsed = readFrame(this.buffered);
      if (parsed === null) break;
      out.push(parsed.frame);
      this.buffered = this.buffered.subarray(parsed.size);
    }
    return out;
  }

  get pendingBytes(): number {
    return this.buffered.length;
  }
}

export function readFrame(data: Buffer): { frame: ParsedFrame; size: number } | null {
  if (data.length < 2) return null;
  const first = data[0]!;
  const second = data[1]!;
  let offset = 2;
  let length = second & 0x7f;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  let maskKey: Buffer | null = null;
  if (masked) {
    if (data.length < offset + 4) return null;
    maskKey = Buffer.from(data.subarray(offset, offset + 4));
    offset += 4;
  }
  if (data.length < offset + length) return null;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (maskKey !== null) for (let index = 0; index < payload.length; index++) payload[index] = payload[index]! ^ maskKey[index & 3]!;
  return {
    frame: { fin: (first & 0x80) !== 0, rsv: (first >> 4) & 7, opcode: first & 0x0f, masked, maskKey, payload },
    size: offset + length,
  };
}

/** The status code of a close frame's payload, 1005 when empty. */
export function closeCodeOf(payload: Buffer): number {
  return payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
}
