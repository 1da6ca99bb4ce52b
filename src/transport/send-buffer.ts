import { MaskKeyPool, headerLength, writeFrameHeader } from '../protocol/frame-writer.js';
import { LENGTH_16, OPCODE_BINARY, OPCODE_TEXT } from '../protocol/opcodes.js';
import { mask } from '../kernels/index.js';

/**
 * Size of each slab that outgoing frames are written into: a batch of a few thousand
 * market-data frames (~100 bytes each) fits in one or two slabs, so one or two socket writes.
 * bench/simulator-rate.ts could not tell 64 KiB from 256 KiB apart on the shared VM (noise
 * larger than the difference); 256 KiB keeps writes per batch low.
 */
const SLAB_BYTES = 256 * 1024;
/** Frames at least this large get a buffer of their own instead of eating a slab. */
const LARGE_FRAME_BYTES = SLAB_BYTES / 4;
/** Largest frame header: 10 bytes of length form + a 4-byte masking key. */
const MAX_HEADER = 14;

/** The part of a socket the send buffer uses (net.Socket and tls.TLSSocket both fit). */
export interface WritableSocket {
  write(chunk: Uint8Array): boolean;
}

/**
 * Batches outgoing frames of either role into slabs and hands each batch to the socket in one
 * write. `masked` is the role: RFC 6455 5.3, a client masks every frame with a fresh key from a
 * CSPRNG pool (the payload is masked in place in the slab); a server never masks.
 *
 * A slab region that was given to `socket.write` is never written again (the socket may still
 * hold it); new frames go after it, and a new slab is allocated when one is used up. So there
 * is no copy at flush time and one allocation per SLAB_BYTES of output, like Node's own
 * Buffer pool.
 */
export class SendBuffer {
  private readonly socket: WritableSocket;
  private readonly masked: boolean;
  private readonly keys: MaskKeyPool | null;
  private slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  /** Start of the bytes not yet handed to the socket. */
  private pendingStart = 0;
  /** End of the bytes written so far. */
  private pendingEnd = 0;
  /**
   * Set when a slab was used up or a large frame written since the last look: the write queue
   * checks its limit then (once per slab of output, not per frame).
   */
  slabTurnedOver = false;

  constructor(socket: WritableSocket, masked: boolean) {
    this.socket = socket;
    this.masked = masked;
    this.keys = masked ? new MaskKeyPool() : null;
  }

  /** Bytes appended but not yet flushed. */
  get pendingBytes(): number {
    return this.pendingEnd - this.pendingStart;
  }

  /**
   * Appends a text frame holding `text` encoded as UTF-8. The byte length is known only after
   * encoding, but it lies in [text.length, 3 * text.length]; when both ends need the same header
   * size the payload is encoded straight into place after the header, with no measuring pass.
   */
  appendText(text: string): void {
    const minimum = text.length;
    const maximum = minimum * 3;
    const header = headerLength(minimum, this.masked);
    if (header === headerLength(maximum, this.masked) && maximum + header < LARGE_FRAME_BYTES) {
      this.ensureRoom(header + maximum);
      const at = this.pendingEnd;
      const written = this.slab.write(text, at + header, 'utf8');
      this.finishFrame(this.slab, at, OPCODE_TEXT, written);
      return;
    }
    const length = Buffer.byteLength(text, 'utf8');
    const headerBytes = headerLength(length, this.masked);
    if (length + headerBytes >= LARGE_FRAME_BYTES) {
      const frame = Buffer.allocUnsafe(headerBytes + length);
      frame.write(text, headerBytes, 'utf8');
      this.finishOwnedFrame(frame, OPCODE_TEXT, length);
      return;
    }
    this.ensureRoom(headerBytes + length);
    const at = this.pendingEnd;
    this.slab.write(text, at + headerBytes, 'utf8');
    this.finishFrame(this.slab, at, OPCODE_TEXT, length);
  }

  /**
   * Appends a text frame whose payload is known to be ASCII (the simulator's JSON): one pass,
   * exact length, latin1 encoding is a plain byte copy.
   */
  appendAsciiText(text: string): void {
    const length = text.length;
    if (length >= LARGE_FRAME_BYTES || this.masked) {
      this.appendText(text);
      return;
    }
    // Short unmasked frames (the simulator's market-data case) skip the general header writer.
    if (length < LENGTH_16) {
      this.ensureRoom(2 + length);
      const slab = this.slab;
      const at = this.pendingEnd;
      slab[at] = 0x80 | OPCODE_TEXT;
      slab[at + 1] = length;
      slab.write(text, at + 2, 'latin1');
      this.pendingEnd = at + 2 + length;
      return;
    }
    this.ensureRoom(4 + length);
    const slab = this.slab;
    const at = this.pendingEnd;
    slab[at] = 0x80 | OPCODE_TEXT;
    slab[at + 1] = LENGTH_16;
    slab[at + 2] = length >>> 8;
    slab[at + 3] = length & 0xff;
    slab.write(text, at + 4, 'latin1');
    this.pendingEnd = at + 4 + length;
  }

  /**
   * Appends a text frame whose payload is data[start, end), bytes the caller guarantees to be
   * valid UTF-8 (the simulator's JSON writer output). The hot path of the simulator: no view
   * object, no string, one native copy.
   */
  appendTextBytes(data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length >= LENGTH_16 || this.masked) {
      this.appendFrame(OPCODE_TEXT, data, start, end);
      return;
    }
    this.ensureRoom(2 + length);
    const slab = this.slab;
    const at = this.pendingEnd;
    slab[at] = 0x80 | OPCODE_TEXT;
    slab[at + 1] = length;
    // A byte loop beats Buffer#copy's per-call overhead for payloads this short (< 126 bytes).
    let target = at + 2;
    for (let index = start; index < end; index++) slab[target++] = data[index]!;
    this.pendingEnd = target;
  }

  /** Appends a frame with the given opcode whose payload is data[start, end) (copied). */
  appendFrame(opcode: number, data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const headerBytes = headerLength(length, this.masked);
    if (length + headerBytes >= LARGE_FRAME_BYTES) {
      const frame = Buffer.allocUnsafe(headerBytes + length);
      frame.set(data.subarray(start, end), headerBytes);
      this.finishOwnedFrame(frame, opcode, length);
      return;
    }
    this.ensureRoom(headerBytes + length);
    const at = this.pendingEnd;
    const slab = this.slab;
    const payloadStart = at + headerBytes;
    if (length <= 16) {
      // Control frames and tiny messages: a loop is cheaper than a native copy call.
      for (let index = 0; index < length; index++) slab[payloadStart + index] = data[start + index]!;
    } else if (Buffer.isBuffer(data)) {
      data.copy(slab, payloadStart, start, end);
    } else {
      slab.set(data.subarray(start, end), payloadStart);
    }
    this.finishFrame(slab, at, opcode, length);
  }

  appendBinary(data: Uint8Array, start: number, end: number): void {
    this.appendFrame(OPCODE_BINARY, data, start, end);
  }

  /** Hands everything appended so far to the socket in one write. Returns the socket's write result. */
  flush(): boolean {
    if (this.pendingEnd === this.pendingStart) return true;
    const chunk = this.slab.subarray(this.pendingStart, this.pendingEnd);
    this.pendingStart = this.pendingEnd;
    return this.socket.write(chunk);
  }

  /** Forgets unflushed frames (the connection is being torn down). */
  discard(): void {
    this.pendingStart = this.pendingEnd;
  }

  /**
   * Writes the header in front of a payload already placed at target[at + header length ..]
   * and masks the payload in place when this is the client role.
   */
  private finishFrame(target: Buffer, at: number, opcode: number, length: number): void {
    const payloadStart = this.writeHeader(target, at, opcode, length);
    if (this.masked) mask(target, payloadStart, target, payloadStart, length, target, 0, payloadStart - 4);
    this.pendingEnd = payloadStart + length;
  }

  /** finishFrame for a large frame in a buffer of its own, written right after the batch before it. */
  private finishOwnedFrame(frame: Buffer, opcode: number, length: number): void {
    const payloadStart = this.writeHeader(frame, 0, opcode, length);
    if (this.masked) mask(frame, payloadStart, frame, payloadStart, length, frame, 0, payloadStart - 4);
    this.flush();
    this.slabTurnedOver = true;
    this.socket.write(frame);
  }

  private writeHeader(target: Buffer, at: number, opcode: number, length: number): number {
    const keys = this.keys;
    if (keys === null) return writeFrameHeader(target, at, opcode, true, length, null, 0);
    const keyOffset = keys.next();
    return writeFrameHeader(target, at, opcode, true, length, keys.bytes, keyOffset);
  }

  private ensureRoom(bytes: number): void {
    if (this.pendingEnd + bytes <= this.slab.length) return;
    // The old slab keeps only bytes already handed to the socket after this flush.
    this.flush();
    this.slabTurnedOver = true;
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes + MAX_HEADER));
    this.pendingStart = 0;
    this.pendingEnd = 0;
  }
}
