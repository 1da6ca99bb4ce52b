import { MAX_CONTROL_PAYLOAD, OPCODE_BINARY, type OPCODE_CLOSE, type OPCODE_PING, type OPCODE_PONG, OPCODE_TEXT } from '../protocol/opcodes.js';
import { MaskKeyPool, headerLength, writeFrameHeader } from '../protocol/frame-writer.js';
import { mask } from '../kernels/index.js';

/**
 * Client-side framing (RFC 6455 5.2/5.3): every frame masked with a fresh key from a CSPRNG
 * pool, header and payload built in one buffer so the socket sees one write per frame.
 *
 * The frame buffer comes from Buffer.allocUnsafe (Node's 8 KiB slab for small sizes): the
 * socket may keep it queued after write() returns, so it cannot be reused by the next send.
 */
export class Sender {
  private readonly keys = new MaskKeyPool();

  text(payload: string): Buffer {
    const length = Buffer.byteLength(payload, 'utf8');
    const frame = this.allocate(OPCODE_TEXT, length);
    const payloadStart = frame.length - length;
    frame.write(payload, payloadStart, length, 'utf8');
    this.maskTail(frame, payloadStart);
    return frame;
  }

  binary(payload: Uint8Array, opcode: number = OPCODE_BINARY): Buffer {
    const frame = this.allocate(opcode, payload.length);
    const payloadStart = frame.length - payload.length;
    frame.set(payload, payloadStart);
    this.maskTail(frame, payloadStart);
    return frame;
  }

  /** A text frame from bytes the caller vouches are UTF-8. */
  textBytes(payload: Uint8Array): Buffer {
    return this.binary(payload, OPCODE_TEXT);
  }

  control(opcode: typeof OPCODE_PING | typeof OPCODE_PONG | typeof OPCODE_CLOSE, payload: Uint8Array, start: number, end: number): Buffer {
    const length = end - start;
    if (length > MAX_CONTROL_PAYLOAD) throw new RangeError('control frame payload over 125 bytes');
    const frame = this.allocate(opcode, length);
    const payloadStart = frame.length - length;
    for (let index = 0; index < length; index++) frame[payloadStart + index] = payload[start + index]!;
    this.maskTail(frame, payloadStart);
    return frame;
  }

  private allocate(opcode: number, length: number): Buffer {
    const frame = Buffer.allocUnsafe(headerLength(length, true) + length);
    const keyOffset = this.keys.next();
    writeFrameHeader(frame, 0, opcode, true, length, this.keys.bytes, keyOffset);
    return frame;
  }

  /** Masks frame[payloadStart..] in place with the key the header carries (its last 4 bytes). */
  private maskTail(frame: Buffer, payloadStart: number): void {
    mask(frame, payloadStart, frame, payloadStart, frame.length - payloadStart, frame, 0, payloadStart - 4);
  }
}
