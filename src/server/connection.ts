import type { Socket } from 'node:net';
import { COMPRESSED_BIT, type PerMessageDeflate } from '../extensions/deflate-codec.js';
import type { DeflateParameters } from '../extensions/permessage-deflate.js';
import { encodeClosePayload, isValidCloseCode } from '../protocol/close-payload.js';
import { CLOSE_ABNORMAL, CLOSE_NO_STATUS, type WebSocketError } from '../protocol/errors.js';
import { FrameParser } from '../protocol/frame-parser.js';
import type { FrameHandler } from '../protocol/handler.js';
import { MAX_CONTROL_PAYLOAD, OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from '../protocol/opcodes.js';
import type { HttpRequest } from './http-request.js';
import { SendBuffer } from './send-buffer.js';

// Connection states (RFC 6455 4.1 / 7.1 from the server's side).
export const SERVER_OPEN = 0;
/** We sent a close frame and wait for the client's (RFC 6455 7.1.2). */
export const SERVER_CLOSING = 1;
/** The close handshake finished (or failed); the TCP connection is ending. */
export const SERVER_CLOSED = 2;

const EMPTY = new Uint8Array(0);
/** ignoreBOM: a close reason starting with U+FEFF is reported as sent (the default strips it). */
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Strings to be compressed are encoded here first. compress() is synchronous and copies nothing
 * it keeps, so one buffer serves every connection; longer strings get a buffer of their own.
 * 64 KiB covers the simulator's control answers and typical market-data messages.
 */
const TEXT_SCRATCH_BYTES = 64 * 1024;
const textScratch = Buffer.allocUnsafe(TEXT_SCRATCH_BYTES);

export interface ServerConnectionOptions {
  maxPayload: number;
  /** How long to wait for the client's close frame or TCP close before destroying the socket. */
  closeTimeoutMs: number;
  /** permessage-deflate codec negotiated in the handshake, or null for a plain connection. */
  deflate?: PerMessageDeflate | null;
}

function noop(): void {}

/**
 * One accepted WebSocket connection in the server role. The shared FrameParser unmasks and
 * validates the client's frames and reports here; outgoing frames are batched by SendBuffer
 * and written once per tick (or once per cork/uncork batch).
 *
 * Callbacks are plain fields, set by the server's `onConnection`; every (data, start, end)
 * view is valid only during the call.
 */
export class ServerConnection {
  /** The TCP (or TLS) socket. */
  readonly socket: Socket;
  /** The upgrade request this connection was accepted from. */
  readonly request: HttpRequest;
  /** Sub-protocol chosen in the handshake, or null. */
  readonly protocol: string | null;
  /** Connection state: 0 open, 1 closing (a close frame was sent or received), 2 closed. */
  state = SERVER_OPEN;

  /** Every complete message from the client; the view data[start, end) is valid only during the call. */
  onMessage: (data: Uint8Array, start: number, end: number, isText: boolean) => void = noop;
  /** Ping frames from the client (answered automatically while autoPong is true). */
  onPing: (data: Uint8Array, start: number, end: number) => void = noop;
  /** Pong frames from the client. */
  onPong: (data: Uint8Array, start: number, end: number) => void = noop;
  /** Called once when the TCP connection is gone. `code` is 1006 when no close frame was exchanged. */
  onClose: (code: number, reason: string) => void = noop;
  /** A protocol error from the client (the connection is being failed with error.closeCode). */
  onError: (error: WebSocketError) => void = noop;
  /** The socket's buffer drained after a write returned false. */
  onDrain: () => void = noop;
  /** RFC 6455 5.5.2: answer pings with a pong carrying the same data. Off = a silent peer. */
  autoPong = true;

  private readonly parser: FrameParser;
  private readonly sendBuffer: SendBuffer;
  private readonly deflate: PerMessageDeflate | null;
  private readonly closeTimeoutMs: number;
  private corked = 0;
  private flushScheduled = false;
  private readonly flushBound = (): void => {
    this.flushScheduled = false;
    if (this.corked === 0) this.flushNow();
  };
  private closeTimer: NodeJS.Timeout | null = null;
  /** Code of the client's close frame, -1 before one arrives. */
  private receivedCode = -1;
  private receivedReason = '';
  /** Close code we failed the connection with after a client protocol error, -1 if none. */
  private failCode = -1;
  private closeReported = false;

  /** @internal Created by the server role for every accepted upgrade. */
  constructor(socket: Socket, request: HttpRequest, protocol: string | null, options: ServerConnectionOptions) {
    this.socket = socket;
    this.request = request;
    this.protocol = protocol;
    this.closeTimeoutMs = options.closeTimeoutMs;
    this.parser = new FrameParser(new ParserSink(this), { expectMasked: true, maxPayload: options.maxPayload });
    this.deflate = options.deflate ?? null;
    this.parser.setInflater(this.deflate);
    this.sendBuffer = new SendBuffer(socket);
    socket.on('data', (chunk: Buffer) => this.receive(chunk, 0, chunk.length));
    socket.on('drain', () => this.onDrain());
    socket.on('error', noop);
    socket.on('close', () => this.socketClosed());
  }

  /** permessage-deflate parameters in effect, or null when the connection is uncompressed. */
  get perMessageDeflate(): DeflateParameters | null {
    return this.deflate === null ? null : this.deflate.params;
  }

  /** Bytes queued but not yet sent: unflushed frames plus the socket's write queue. */
  get bufferedAmount(): number {
    return this.sendBuffer.pendingBytes + this.socket.writableLength;
  }

  /** Feeds bytes read from the socket (also the bytes that followed the handshake request). */
  receive(data: Uint8Array, start: number, end: number): void {
    this.parser.push(data, start, end);
  }

  // ---- sending -------------------------------------------------------------------------

  /** Sends a text message; strings are UTF-8 encoded straight into the batch buffer. */
  sendText(text: string): void {
    if (this.state !== SERVER_OPEN) return;
    if (this.deflate !== null && this.sendCompressedString(text, 'utf8')) return;
    this.sendBuffer.appendText(text);
    this.scheduleFlush();
  }

  /** Sends a text message the caller knows to be ASCII (a plain byte copy). */
  sendAsciiText(text: string): void {
    if (this.state !== SERVER_OPEN) return;
    if (this.deflate !== null && this.sendCompressedString(text, 'latin1')) return;
    this.sendBuffer.appendAsciiText(text);
    this.scheduleFlush();
  }

  /** Sends data[start, end), bytes known to be valid UTF-8, as a text message (copied). */
  sendTextBytes(data: Buffer, start: number, end: number): void {
    if (this.state !== SERVER_OPEN) return;
    if (this.deflate !== null && this.sendCompressed(OPCODE_TEXT, data, start, end)) return;
    this.sendBuffer.appendTextBytes(data, start, end);
    this.scheduleFlush();
  }

  /** Sends data[start, end) as a binary message (copied into the batch buffer). */
  sendBinary(data: Uint8Array, start = 0, end = data.length): void {
    if (this.state !== SERVER_OPEN) return;
    if (this.deflate !== null && this.sendCompressed(OPCODE_BINARY, data, start, end)) return;
    this.sendBuffer.appendBinary(data, start, end);
    this.scheduleFlush();
  }

  /** `send(string)` is text, `send(bytes)` binary unless isText. */
  send(data: string | Uint8Array, isText = typeof data === 'string'): void {
    if (typeof data === 'string') {
      if (isText) this.sendText(data);
      else this.sendBinary(Buffer.from(data, 'utf8'));
    } else if (isText) {
      if (this.state !== SERVER_OPEN) return;
      if (this.deflate !== null && this.sendCompressed(OPCODE_TEXT, data, 0, data.length)) return;
      this.sendBuffer.appendFrame(OPCODE_TEXT, data, 0, data.length);
      this.scheduleFlush();
    } else {
      this.sendBinary(data);
    }
  }

  /**
   * RFC 7692 7.2.1: a message at or above the threshold goes out as one frame with RSV1 set,
   * carrying the compressed payload (appendFrame copies it out of the codec's buffer). Returns
   * false when the message should go out plain instead. Control frames never come here
   * (RFC 7692 6.1: only data messages are compressed).
   */
  private sendCompressed(opcode: number, data: Uint8Array, start: number, end: number): boolean {
    const deflate = this.deflate!;
    if (!deflate.shouldCompress(end - start)) return false;
    const length = deflate.compress(data, start, end);
    if (length < 0) return false;
    this.sendBuffer.appendFrame(opcode | COMPRESSED_BIT, deflate.compressedOutput, 0, length);
    this.scheduleFlush();
    return true;
  }

  /** sendCompressed for a string: encoded into textScratch (or its own buffer when longer). */
  private sendCompressedString(text: string, encoding: 'utf8' | 'latin1'): boolean {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short strings are turned down unmeasured.
    if (!this.deflate!.shouldCompress(encoding === 'latin1' ? text.length : text.length * 3)) return false;
    const length = encoding === 'latin1' ? text.length : Buffer.byteLength(text, 'utf8');
    const bytes = length <= TEXT_SCRATCH_BYTES ? textScratch : Buffer.allocUnsafe(length);
    bytes.write(text, 0, length, encoding);
    return this.sendCompressed(OPCODE_TEXT, bytes, 0, length);
  }

  /** Sends a ping (payload cut to 125 bytes, RFC 6455 5.5); ignored unless open. */
  ping(data: Uint8Array = EMPTY): void {
    if (this.state !== SERVER_OPEN) return;
    this.sendBuffer.appendFrame(OPCODE_PING, data, 0, Math.min(data.length, MAX_CONTROL_PAYLOAD));
    this.scheduleFlush();
  }

  /** Sends an unsolicited pong (RFC 6455 5.5.3: a heartbeat); ignored unless open. */
  pong(data: Uint8Array = EMPTY): void {
    if (this.state !== SERVER_OPEN) return;
    this.sendBuffer.appendFrame(OPCODE_PONG, data, 0, Math.min(data.length, MAX_CONTROL_PAYLOAD));
    this.scheduleFlush();
  }

  /** Holds writes until the matching uncork(): a batch of sends becomes one socket write. */
  cork(): void {
    this.corked++;
  }

  /** Ends a cork(); the outermost uncork writes everything held as one socket write. */
  uncork(): void {
    if (this.corked > 0 && --this.corked === 0) this.flushNow();
  }

  /** Writes everything queued now. Returns false when the socket asks to wait for 'drain'. */
  flushNow(): boolean {
    if (this.socket.destroyed) {
      this.sendBuffer.discard();
      return false;
    }
    return this.sendBuffer.flush();
  }

  /**
   * RFC 6455 7.1.2: starts the closing handshake. The socket is destroyed if the client does
   * not answer within closeTimeoutMs.
   */
  close(code = 1000, reason = ''): void {
    if (this.state !== SERVER_OPEN) return;
    if (!isValidCloseCode(code)) throw new RangeError(`invalid close code ${code}`);
    const payload = encodeClosePayload(code, reason);
    if (payload.length > MAX_CONTROL_PAYLOAD) throw new RangeError('close reason longer than 123 bytes');
    this.sendBuffer.appendFrame(OPCODE_CLOSE, payload, 0, payload.length);
    this.flushNow();
    this.state = SERVER_CLOSING;
    this.startCloseTimer();
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.state = SERVER_CLOSED;
    this.parser.stop();
    this.sendBuffer.discard();
    this.socket.destroy();
  }

  // ---- what the parser reports (through ParserSink) ------------------------------------

  /** @internal */
  handlePing(data: Uint8Array, start: number, end: number): void {
    // RFC 6455 5.5.3: "A Pong frame sent in response to a Ping frame must have identical
    // Application data".
    if (this.autoPong && this.state === SERVER_OPEN) {
      this.sendBuffer.appendFrame(OPCODE_PONG, data, start, end);
      this.scheduleFlush();
    }
    this.onPing(data, start, end);
  }

  /** @internal */
  handleCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    const reason = reasonEnd > reasonStart ? textDecoder.decode(data.subarray(reasonStart, reasonEnd)) : '';
    if (this.state === SERVER_OPEN) {
      // RFC 6455 5.5.1: echo the status code; a close without a code is answered without one.
      const payload = code === CLOSE_NO_STATUS ? EMPTY : encodeClosePayload(code, '');
      this.sendBuffer.appendFrame(OPCODE_CLOSE, payload, 0, payload.length);
      this.flushNow();
    }
    this.state = SERVER_CLOSED;
    this.receivedCode = code;
    this.receivedReason = reason;
    // RFC 6455 7.1.1: "the server SHOULD close the underlying TCP connection" first.
    this.socket.end();
    this.startCloseTimer();
  }

  /** @internal */
  handleProtocolError(error: WebSocketError): void {
    if (this.state === SERVER_OPEN) {
      // RFC 6455 7.1.7: Fail the WebSocket Connection, sending the close code first.
      const payload = encodeClosePayload(error.closeCode, '');
      this.sendBuffer.appendFrame(OPCODE_CLOSE, payload, 0, payload.length);
      this.flushNow();
    }
    this.state = SERVER_CLOSED;
    this.failCode = error.closeCode;
    this.socket.end();
    this.startCloseTimer();
    this.onError(error);
  }

  // ---- internals -------------------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushScheduled || this.corked !== 0) return;
    this.flushScheduled = true;
    process.nextTick(this.flushBound);
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== null) return;
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    this.closeTimer.unref();
  }

  private socketClosed(): void {
    if (this.closeTimer !== null) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    this.parser.dispose(); // no read can come any more: return its pooled buffer
    this.sendBuffer.discard();
    // Frees the zlib streams; a later send is refused by the state check before reaching it.
    this.deflate?.close();
    this.state = SERVER_CLOSED;
    if (this.closeReported) return;
    this.closeReported = true;
    // RFC 6455 7.1.5: the close code is the one in the close frame received; 7.4.1: 1006 when
    // the connection closed without one (a close we sent but that was never answered included).
    if (this.receivedCode !== -1) this.onClose(this.receivedCode, this.receivedReason);
    else if (this.failCode !== -1) this.onClose(this.failCode, '');
    else this.onClose(CLOSE_ABNORMAL, '');
  }
}

/** Adapts the parser's FrameHandler calls to the connection (keeps user callbacks apart). */
class ParserSink implements FrameHandler {
  private readonly connection: ServerConnection;

  constructor(connection: ServerConnection) {
    this.connection = connection;
  }

  onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
    this.connection.onMessage(data, start, end, isText);
  }

  onPing(data: Uint8Array, start: number, end: number): void {
    this.connection.handlePing(data, start, end);
  }

  onPong(data: Uint8Array, start: number, end: number): void {
    this.connection.onPong(data, start, end);
  }

  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    this.connection.handleCloseFrame(code, data, reasonStart, reasonEnd);
  }

  onProtocolError(error: WebSocketError): void {
    this.connection.handleProtocolError(error);
  }
}
