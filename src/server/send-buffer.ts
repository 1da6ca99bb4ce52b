import { headerLength, writeFrameHeader } from '../protocol/frame-writer.js';
import { LENGTH_16, OPCODE_BINARY, OPCODE_TEXT } from '../protocol/opcodes.js';

/**
 * Size of each slab that outgoing frames are written into: a batch of a few thousand
 * market-data frames (~100 bytes each) fits in one or two slabs, so one or two socket writes.
 * bench/simulator-rate.ts could not tell 64 KiB from 256 KiB apart on the shared VM (noise
 * larger than the difference); 256 KiB keeps writes per batch low.
 */
const SLAB_BYTES = 256 * 1024;
/** Frames at least this large get a buffer of their own instead of eating a slab. */
const LARGE_FRAME_BYTES = SLAB_BYTES / 4;
/** Largest server frame header (no masking key in the server role). */
const MAX_SERVER_HEADER = 10;

/** The part of a socket the send buffer uses (net.Socket and tls.TLSSocket both fit). */
export interface WritableSocket {
  write(chunk: Uint8Array): boolean;
}

/**
 * Batches unmasked server frames into slabs and hands each batch to the socket in one write.
 *
 * A slab region that was given to `socket.write` is never written again (the socket may still
 * hold it); new frames go after it, and a new slab is allocated when one is used up. So there
 * is no copy at flush time and one allocation per SLAB_BYTES of output, like Node's own
 * Buffer pool.
 */
export class SendBuffer {
  private readonly socket: WritableSocket;
  private slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  /** Start of the bytes not yet handed to the socket. */
  private pendingStart = 0;
  /** End of the bytes written so far. */
  private pendingEnd = 0;

  constructor(socket: WritableSocket) {
    this.socket = socket;
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
    const header = headerLength(minimum, false);
    if (header === headerLength(maximum, false) && maximum + header < LARGE_FRAME_BYTES) {
      this.ensureRoom(header + maximum);
      const payloadStart = this.pendingEnd + header;
      const written = this.slab.write(text, payloadStart, 'utf8');
      writeFrameHeader(this.slab, this.pendingEnd, OPCODE_TEXT, true, written, null, 0);
      this.pendingEnd = payloadStart + written;
      return;
    }
    const length = Buffer.byteLength(text, 'utf8');
    const headerBytes = headerLength(length, false);
    if (length + headerBytes >= LARGE_FRAME_BYTES) {
      const frame = Buffer.allocUnsafe(headerBytes + length);
      writeFrameHeader(frame, 0, OPCODE_TEXT, true, length, null, 0);
      frame.write(text, headerBytes, 'utf8');
      this.appendOwned(frame);
      return;
    }
    this.ensureRoom(headerBytes + length);
    const payloadStart = writeFrameHeader(this.slab, this.pendingEnd, OPCODE_TEXT, true, length, null, 0);
    this.slab.write(text, payloadStart, 'utf8');
    this.pendingEnd = payloadStart + length;
  }

  /**
   * Appends a text frame whose payload is known to be ASCII (the simulator's JSON): one pass,
   * exact length, latin1 encoding is a plain byte copy.
   */
  appendAsciiText(text: string): void {
    const length = text.length;
    if (length >= LARGE_FRAME_BYTES) {
      this.appendText(text);
      return;
    }
    // Short frames (the market-data case) skip the general header writer.
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
  appendTextBytes(data: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length >= LENGTH_16) {
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
    const headerBytes = headerLength(length, false);
    if (length + headerBytes >= LARGE_FRAME_BYTES) {
      const frame = Buffer.allocUnsafe(headerBytes + length);
      writeFrameHeader(frame, 0, opcode, true, length, null, 0);
      frame.set(data.subarray(start, end), headerBytes);
      this.appendOwned(frame);
      return;
    }
    this.ensureRoom(headerBytes + length);
    const payloadStart = writeFrameHeader(this.slab, this.pendingEnd, opcode, true, length, null, 0);
    if (Buffer.isBuffer(data)) data.copy(this.slab, payloadStart, start, end);
    else this.slab.set(data.subarray(start, end), payloadStart);
    this.pendingEnd = payloadStart + length;
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

  private appendOwned(frame: Buffer): void {
    this.flush();
    this.socket.write(frame);
  }

  private ensureRoom(bytes: number): void {
    if (this.pendingEnd + bytes <= this.slab.length) return;
    // The old slab keeps only bytes already handed to the socket after this flush.
    this.flush();
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes + MAX_SERVER_HEADER));
    this.pendingStart = 0;
    this.pendingEnd = 0;
  }
}
