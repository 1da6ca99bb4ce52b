import { acquireKernelBuffer, copyBytes, mask, releaseKernelBuffer } from '../kernels/index.js';
import { isValidCloseCode, isValidCloseReason } from './close-payload.js';
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  WebSocketError,
  protocolError,
  type WebSocketErrorCode,
} from './errors.js';
import { INFLATE_TOO_BIG, type FrameHandler, type FrameParserOptions, type MessageInflater } from './handler.js';
import {
  FIN_BIT,
  LENGTH_16,
  LENGTH_64,
  LENGTH_MASK,
  MASK_BIT,
  MAX_CONTROL_PAYLOAD,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_MASK,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
  RSV_BITS,
} from './opcodes.js';
import { Utf8Validator } from './utf8.js';

// Parser states. What survives between reads lives in plain fields, so a frame may be cut at
// any byte: each state "consumes nothing if there is not enough data" except into `spill`.
const STATE_HEADER = 0; // first two bytes
const STATE_LENGTH_16 = 1; // 16-bit extended length
const STATE_LENGTH_64 = 2; // 64-bit extended length
const STATE_MASK_KEY = 3; // 4-byte masking key (server role only)
const STATE_PAYLOAD = 4; // payload bytes of the current frame
const STATE_STOPPED = 5; // after a close frame, a protocol error or stop(): input is dropped

/** RFC 7692 6: with permessage-deflate, RSV1 on a message's first frame marks it compressed. */
const RSV1_BIT = 0x40;

const EMPTY = new Uint8Array(0);
/**
 * First byte of a whole (FIN) text frame; FIN binary is the next value, so the first bytes
 * readFramesFast takes are those with (first - FIRST_BYTE_TEXT) >>> 0 <= 1. One test that every
 * frame runs: V8 optimizes the loop for the operations it has seen run, and a second test first
 * run by the first non-data frame (a server ping, tens of seconds in) threw the optimized code away
 * and had it compiled again. (Imported constants are not folded either: an `|` of two of them in
 * the loop did the same.)
 */
const FIRST_BYTE_TEXT = FIN_BIT | OPCODE_TEXT;
const FIRST_BYTE_DATA_SPAN = (FIN_BIT | OPCODE_BINARY) - FIRST_BYTE_TEXT;

/** First size of the buffer that joins fragments and frames split across reads; it doubles as needed. */
const INITIAL_ASSEMBLY_BYTES = 16 * 1024;
/**
 * An assembly buffer grown past this is dropped once its message was delivered, so one huge
 * message does not pin its size for the connection's life (issue 8: an idle connection held
 * 64 MiB after one 60 MiB message). Up to it, the buffer is kept: order-book snapshots of a few
 * hundred KiB recur and should not allocate each time.
 */
export const RETAINED_ASSEMBLY_BYTES = 1024 * 1024;

/**
 * RFC 6455 5.2 frame parser: an explicit state machine fed with whatever the socket read.
 *
 * Zero copy where it can be: a whole unfragmented frame that sits in one read is handed to the
 * handler as a view on the read buffer. Only frames split across reads, and fragmented
 * messages, are joined in a reusable assembly buffer. No allocation per message.
 */
export class FrameParser {
  private readonly handler: FrameHandler;
  private readonly expectMasked: boolean;
  private readonly maxPayload: number;

  private state = STATE_HEADER;
  /** Header bytes that arrived in an earlier read (at most 14). */
  private readonly spill = new Uint8Array(8);
  private spillLength = 0;

  // The frame being parsed.
  private fin = false;
  private opcode = 0;
  private masked = false;
  /** RSV1 on this frame (a compressed message's first frame). */
  private compressed = false;
  private payloadLength = 0;
  private payloadReceived = 0;
  private readonly maskKey = new Uint8Array(4);

  // The data message being assembled (fragments, or one frame split across reads).
  /** Opcode of the message in progress (text or binary), 0 when none. */
  private messageOpcode = 0;
  private messageLength = 0;
  /** The message in progress is compressed: assembled, then inflated at its last frame. */
  private messageCompressed = false;
  /**
   * Starts in kernel memory, like the receive buffer, so joining a frame split across reads is
   * one copyWithin with no allocation. Taken on first use and given back by dispose().
   */
  private assembly: Uint8Array = EMPTY;
  /** The assembly buffer came from the kernel buffer pool (and goes back to it). */
  private assemblyPooled = false;
  private readonly utf8 = new Utf8Validator();
  private inflater: MessageInflater | null = null;

  /** Payload of a control frame split across reads (RFC 6455 5.5: at most 125 bytes). */
  private readonly control = new Uint8Array(MAX_CONTROL_PAYLOAD);

  constructor(handler: FrameHandler, options: FrameParserOptions) {
    this.handler = handler;
    this.expectMasked = options.expectMasked;
    this.maxPayload = options.maxPayload;
  }

  /** True once a close frame or a protocol error has ended the stream. */
  get stopped(): boolean {
    return this.state === STATE_STOPPED;
  }

  /**
   * Turns on a negotiated compression extension (after the handshake, before any frame): RSV1
   * is then accepted on the first frame of data messages, which are inflated before delivery.
   */
  setInflater(inflater: MessageInflater | null): void {
    this.inflater = inflater;
  }

  /** Drops all further input (used when the connection is being torn down). */
  stop(): void {
    this.state = STATE_STOPPED;
  }

  /** Parses data[start, end). Calls the handler for every complete message and control frame. */
  push(data: Uint8Array, start: number, end: number): void {
    let position = start;
    while (position < end) {
      switch (this.state) {
        case STATE_HEADER:
          position = this.spillLength === 0 ? this.readFramesFast(data, position, end) : position;
          if (position < end && this.state === STATE_HEADER) position = this.readHeader(data, position, end);
          break;
        case STATE_LENGTH_16:
          position = this.readLength16(data, position, end);
          break;
        case STATE_LENGTH_64:
          position = this.readLength64(data, position, end);
          break;
        case STATE_MASK_KEY:
          position = this.readMaskKey(data, position, end);
          break;
        case STATE_PAYLOAD:
          position = this.readPayload(data, position, end);
          break;
        default:
          return; // STATE_STOPPED
      }
    }
    // A zero-length payload completes as soon as its header is read, even at the end of a read.
    if (this.state === STATE_PAYLOAD && this.payloadLength === 0) this.readPayload(data, end, end);
  }

  /**
   * The common case first: whole, unfragmented, unmasked data frames with 7- or 16-bit lengths
   * lying entirely in this read. Anything else returns to the general state machine.
   */
  private readFramesFast(data: Uint8Array, start: number, end: number): number {
    if (this.expectMasked || this.messageOpcode !== 0) return start;
    let position = start;
    while (end - position >= 2) {
      const first = data[position]!;
      const second = data[position + 1]!;
      // FIN set, RSV clear, opcode text or binary; mask bit clear.
      if ((first - FIRST_BYTE_TEXT) >>> 0 > FIRST_BYTE_DATA_SPAN || second >= LENGTH_64) break;
      let payloadStart = position + 2;
      let length = second;
      if (second === LENGTH_16) {
        if (end - position < 4) break;
        length = (data[position + 2]! << 8) | data[position + 3]!;
        payloadStart = position + 4;
      }
      const payloadEnd = payloadStart + length;
      if (payloadEnd > end || length > this.maxPayload) break;
      const isText = first === FIRST_BYTE_TEXT;
      if (isText && !this.utf8.validateComplete(data, payloadStart, payloadEnd)) {
        this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'invalid UTF-8 in a text message');
        return end;
      }
      position = payloadEnd;
      this.handler.onMessage(data, payloadStart, payloadEnd, isText);
      if (this.state !== STATE_HEADER) return end; // the handler stopped the parser
    }
    return position;
  }

  private readHeader(data: Uint8Array, start: number, end: number): number {
    let first: number;
    let second: number;
    let position = start;
    if (this.spillLength === 0 && end - position >= 2) {
      first = data[position]!;
      second = data[position + 1]!;
      position += 2;
    } else {
      position = this.fillSpill(data, position, end, 2);
      if (this.spillLength < 2) return position;
      first = this.spill[0]!;
      second = this.spill[1]!;
      this.spillLength = 0;
    }
    const opcode = first & OPCODE_MASK;
    const rsv = first & RSV_BITS;
    if (rsv !== 0) {
      // RFC 6455 5.2: RSV bits MUST be 0 unless an extension defines them. RFC 7692 6.1: with
      // permessage-deflate, RSV1 is set on the first frame of a compressed message only, never
      // on a continuation or control frame; RSV2 and RSV3 stay undefined.
      if (this.inflater === null) return this.failProtocol('WS_ERR_UNEXPECTED_RSV', 'RSV1, RSV2 or RSV3 set without an extension');
      if (rsv !== RSV1_BIT || (opcode !== OPCODE_TEXT && opcode !== OPCODE_BINARY)) {
        return this.failProtocol('WS_ERR_UNEXPECTED_RSV', 'RSV bit not allowed on this frame with permessage-deflate');
      }
    }
    const fin = (first & FIN_BIT) !== 0;
    const masked = (second & MASK_BIT) !== 0;
    const length7 = second & LENGTH_MASK;

    if (opcode === OPCODE_CLOSE || opcode === OPCODE_PING || opcode === OPCODE_PONG) {
      // RFC 6455 5.5: control frames MUST NOT be fragmented and carry at most 125 bytes.
      if (!fin) return this.failProtocol('WS_ERR_FRAGMENTED_CONTROL', 'fragmented control frame');
      if (length7 > MAX_CONTROL_PAYLOAD) return this.failProtocol('WS_ERR_CONTROL_TOO_LONG', 'control frame payload over 125 bytes');
      // RFC 6455 5.5.1: a close body, if present, starts with a 2-byte status code. The header
      // alone shows a 1-byte body: fail now rather than wait for a byte that changes nothing.
      if (opcode === OPCODE_CLOSE && length7 === 1) return this.failProtocol('WS_ERR_INVALID_CLOSE_PAYLOAD', 'close frame with a 1-byte payload');
    } else if (opcode === OPCODE_CONTINUATION) {
      if (this.messageOpcode === 0) return this.failProtocol('WS_ERR_UNEXPECTED_CONTINUATION', 'continuation frame without a message to continue');
    } else if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) {
      // RFC 6455 5.4: fragments of one message are not interleaved with another data message.
      if (this.messageOpcode !== 0) return this.failProtocol('WS_ERR_EXPECTED_CONTINUATION', 'new data frame before the fragmented message ended');
    } else {
      return this.failProtocol('WS_ERR_INVALID_OPCODE', `reserved opcode 0x${opcode.toString(16)}`);
    }
    // RFC 6455 5.1: a server MUST NOT mask frames to the client; a client MUST mask frames to the server.
    if (masked !== this.expectMasked) {
      return masked
        ? this.failProtocol('WS_ERR_UNEXPECTED_MASK', 'masked frame from the server')
        : this.failProtocol('WS_ERR_EXPECTED_MASK', 'unmasked frame from a client');
    }
    this.fin = fin;
    this.opcode = opcode;
    this.masked = masked;
    this.compressed = rsv !== 0;
    this.payloadReceived = 0;
    if (length7 === LENGTH_16) {
      this.state = STATE_LENGTH_16;
    } else if (length7 === LENGTH_64) {
      this.state = STATE_LENGTH_64;
    } else {
      this.payloadLength = length7;
      this.afterLength();
    }
    return position;
  }

  private readLength16(data: Uint8Array, start: number, end: number): number {
    const position = this.fillSpill(data, start, end, 2);
    if (this.spillLength < 2) return position;
    this.payloadLength = (this.spill[0]! << 8) | this.spill[1]!;
    this.spillLength = 0;
    this.afterLength();
    return position;
  }

  private readLength64(data: Uint8Array, start: number, end: number): number {
    const position = this.fillSpill(data, start, end, 8);
    if (this.spillLength < 8) return position;
    const spill = this.spill;
    const high = ((spill[0]! << 24) | (spill[1]! << 16) | (spill[2]! << 8) | spill[3]!) >>> 0;
    const low = ((spill[4]! << 24) | (spill[5]! << 16) | (spill[6]! << 8) | spill[7]!) >>> 0;
    this.spillLength = 0;
    // RFC 6455 5.2: the most significant bit MUST be 0. Above 2^53 - 1 no JS number is exact,
    // and no maxPayload allows such a size anyway.
    if (high > 0x1fffff) {
      if (high >= 0x80000000) return this.failProtocol('WS_ERR_INVALID_LENGTH', '64-bit payload length with the most significant bit set');
      return this.failTooBig();
    }
    this.payloadLength = high * 0x100000000 + low;
    this.afterLength();
    return position;
  }

  /** Checks the length against the limits, then waits for the mask key or the payload. */
  private afterLength(): void {
    if (this.opcode < OPCODE_CLOSE && this.messageLength + this.payloadLength > this.maxPayload) {
      this.failTooBig();
      return;
    }
    this.state = this.masked ? STATE_MASK_KEY : STATE_PAYLOAD;
  }

  private readMaskKey(data: Uint8Array, start: number, end: number): number {
    const position = this.fillSpill(data, start, end, 4);
    if (this.spillLength < 4) return position;
    const key = this.maskKey;
    const spill = this.spill;
    key[0] = spill[0]!;
    key[1] = spill[1]!;
    key[2] = spill[2]!;
    key[3] = spill[3]!;
    this.spillLength = 0;
    this.state = STATE_PAYLOAD;
    return position;
  }

  private readPayload(data: Uint8Array, start: number, end: number): number {
    const remaining = this.payloadLength - this.payloadReceived;
    const available = end - start;
    const take = available < remaining ? available : remaining;
    if (this.masked && take > 0) mask(data, start, data, start, take, this.maskKey, this.payloadReceived);
    if (this.opcode >= OPCODE_CLOSE) return this.readControlPayload(data, start, take);

    const whole = take === this.payloadLength;
    if (whole && this.fin && this.opcode !== OPCODE_CONTINUATION) {
      // Unfragmented frame entirely in this read: hand over a view, no copy.
      this.state = STATE_HEADER;
      if (this.compressed) this.deliverInflated(data, start, start + take, this.opcode === OPCODE_TEXT);
      else this.deliver(data, start, start + take, this.opcode === OPCODE_TEXT);
      return start + take;
    }
    if (this.opcode !== OPCODE_CONTINUATION && this.payloadReceived === 0) {
      // First bytes of a new message that will not arrive in one piece.
      this.messageOpcode = this.opcode;
      this.messageLength = 0;
      this.utf8.reset();
      this.messageCompressed = this.compressed;
    }
    if (take > 0) {
      // RFC 6455 8.1: fail as soon as invalid UTF-8 arrives, not at the end of the message
      // (compressed text is checked once inflated).
      if (this.messageOpcode === OPCODE_TEXT && !this.messageCompressed && !this.utf8.update(data, start, start + take)) {
        return this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'invalid UTF-8 in a text message');
      }
      this.append(data, start, take);
    }
    this.payloadReceived += take;
    if (this.payloadReceived < this.payloadLength) return start + take;

    this.state = STATE_HEADER;
    if (this.fin) {
      const isText = this.messageOpcode === OPCODE_TEXT;
      const length = this.messageLength;
      this.messageOpcode = 0;
      this.messageLength = 0;
      if (this.messageCompressed) {
        this.messageCompressed = false;
        this.deliverInflated(this.assembly, 0, length, isText);
        this.shrinkAssembly();
        return start + take;
      }
      if (isText && !this.utf8.isComplete()) {
        return this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'text message ends inside a UTF-8 sequence');
      }
      this.deliver(this.assembly, 0, length, isText);
      this.shrinkAssembly();
    }
    return start + take;
  }

  private readControlPayload(data: Uint8Array, start: number, take: number): number {
    let payload = data;
    let payloadStart = start;
    if (take < this.payloadLength || this.payloadReceived > 0) {
      copyBytes(data, start, this.control, this.payloadReceived, take);
      this.payloadReceived += take;
      if (this.payloadReceived < this.payloadLength) return start + take;
      payload = this.control;
      payloadStart = 0;
    }
    const payloadEnd = payloadStart + this.payloadLength;
    this.state = STATE_HEADER;
    if (this.opcode === OPCODE_PING) this.handler.onPing(payload, payloadStart, payloadEnd);
    else if (this.opcode === OPCODE_PONG) this.handler.onPong(payload, payloadStart, payloadEnd);
    else this.readClose(payload, payloadStart, payloadEnd);
    return start + take;
  }

  private readClose(payload: Uint8Array, start: number, end: number): void {
    const length = end - start; // 0 or 2..125: a 1-byte body was refused at the header
    let code = 1005; // RFC 6455 7.1.5: no status code was present
    if (length >= 2) {
      code = (payload[start]! << 8) | payload[start + 1]!;
      if (!isValidCloseCode(code)) {
        this.failProtocol('WS_ERR_INVALID_CLOSE_CODE', `invalid close code ${code}`);
        return;
      }
      if (!isValidCloseReason(payload, start + 2, end)) {
        this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'invalid UTF-8 in the close reason');
        return;
      }
    }
    // RFC 6455 5.5.1: nothing may follow a close frame.
    this.state = STATE_STOPPED;
    this.handler.onCloseFrame(code, payload, length >= 2 ? start + 2 : start, end);
  }

  private deliver(data: Uint8Array, start: number, end: number, isText: boolean): void {
    if (isText && data !== this.assembly && !this.utf8.validateComplete(data, start, end)) {
      this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'invalid UTF-8 in a text message');
      return;
    }
    this.handler.onMessage(data, start, end, isText);
  }

  /**
   * RFC 7692 7.2.2: inflates a whole compressed message (the inflater appends the removed
   * 0x00 0x00 0xff 0xff), bounded by maxPayload (1009), then checks text as UTF-8 (1007).
   */
  private deliverInflated(data: Uint8Array, start: number, end: number, isText: boolean): void {
    const inflater = this.inflater!;
    const length = inflater.inflate(data, start, end, this.maxPayload);
    if (length < 0) {
      inflater.release();
      if (length === INFLATE_TOO_BIG) this.failTooBig();
      // RFC 7692 only says _Fail the WebSocket Connection_; 1007 (inconsistent data) as ws does.
      else this.fail('WS_ERR_INVALID_COMPRESSED_DATA', CLOSE_INVALID_PAYLOAD, `invalid compressed data: ${inflater.error}`);
      return;
    }
    const output = inflater.output;
    if (isText && !this.utf8.validateComplete(output, 0, length)) {
      inflater.release();
      this.fail('WS_ERR_INVALID_UTF8', CLOSE_INVALID_PAYLOAD, 'invalid UTF-8 in a text message');
      return;
    }
    try {
      this.handler.onMessage(output, 0, length, isText);
    } finally {
      inflater.release();
    }
  }

  /** Copies payload bytes into the assembly buffer, growing it when the message outgrows it. */
  private append(data: Uint8Array, start: number, length: number): void {
    const needed = this.messageLength + length;
    if (needed > this.assembly.length) this.growAssembly(needed);
    copyBytes(data, start, this.assembly, this.messageLength, length);
    this.messageLength = needed;
  }

  private growAssembly(needed: number): void {
    const current = this.assembly;
    if (current === EMPTY && needed <= INITIAL_ASSEMBLY_BYTES) {
      this.assembly = acquireKernelBuffer(INITIAL_ASSEMBLY_BYTES);
      this.assemblyPooled = true;
      return;
    }
    let capacity = Math.max(current.length * 2, INITIAL_ASSEMBLY_BYTES);
    while (capacity < needed) capacity *= 2;
    // Messages this large are rare: an ordinary array, at most maxPayload, kept for the next one.
    const grown = new Uint8Array(Math.min(capacity, Math.max(needed, this.maxPayload)));
    grown.set(current.subarray(0, this.messageLength));
    if (this.assemblyPooled) releaseKernelBuffer(current);
    this.assemblyPooled = false;
    this.assembly = grown;
  }

  /** After a message: lets go of an assembly buffer that grew past RETAINED_ASSEMBLY_BYTES. */
  private shrinkAssembly(): void {
    if (this.assembly.length <= RETAINED_ASSEMBLY_BYTES || this.assemblyPooled) return;
    this.assembly = EMPTY;
  }

  /** @internal the assembly buffer's size (tests check it returns to its steady size). */
  get assemblyBytes(): number {
    return this.assembly.length;
  }

  /** Returns the pooled assembly buffer; call once the connection is closed (no more push()). */
  dispose(): void {
    this.state = STATE_STOPPED;
    if (this.assemblyPooled) releaseKernelBuffer(this.assembly);
    this.assemblyPooled = false;
    this.assembly = EMPTY;
    this.messageLength = 0;
  }


  /** Collects header bytes until `spill` holds `wanted` of them; returns the new read position. */
  private fillSpill(data: Uint8Array, start: number, end: number, wanted: number): number {
    let position = start;
    while (this.spillLength < wanted && position < end) this.spill[this.spillLength++] = data[position++]!;
    return position;
  }

  private failTooBig(): number {
    return this.fail('WS_ERR_MESSAGE_TOO_BIG', CLOSE_MESSAGE_TOO_BIG, `message larger than maxPayload (${this.maxPayload} bytes)`);
  }

  private failProtocol(code: WebSocketErrorCode, message: string): number {
    this.state = STATE_STOPPED;
    this.handler.onProtocolError(protocolError(code, message));
    return Number.MAX_SAFE_INTEGER;
  }

  private fail(code: WebSocketErrorCode, closeCode: number, message: string): number {
    this.state = STATE_STOPPED;
    this.handler.onProtocolError(new WebSocketError(code, closeCode, message));
    return Number.MAX_SAFE_INTEGER;
  }
}
