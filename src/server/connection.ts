import type { Socket } from 'node:net';
import { COMPRESSED_BIT, type PerMessageDeflate } from '../extensions/deflate-codec.js';
import { CLOSE_POLICY_VIOLATION, WebSocketError } from '../protocol/errors.js';
import type { FrameHandler } from '../protocol/handler.js';
import { OPCODE_BINARY, OPCODE_TEXT } from '../protocol/opcodes.js';
import { STATE_OPEN } from '../protocol/connection-state.js';
import { ConnectionCore } from '../transport/connection-core.js';
import type { HttpRequest } from './http-request.js';

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
  /** Write-queue limit: above it the client is closed as a slow consumer (1008). */
  maxWriteQueueBytes: number;
  /** permessage-deflate codec negotiated in the handshake, or null for a plain connection. */
  deflate?: PerMessageDeflate | null;
}

function noop(): void {}

/**
 * One accepted WebSocket connection in the server role. The shared FrameParser unmasks and
 * validates the client's frames and reports here; outgoing frames are batched by the shared
 * write queue and written once per tick (or once per cork/uncork batch).
 *
 * Callbacks are plain fields, set by the server's `onConnection`; every (data, start, end)
 * view is valid only during the call. An exception thrown by a callback goes to onError and
 * fails the connection with close code 1011 (internal error); it never escapes.
 *
 * Slow consumers: when more than `maxWriteQueueBytes` are queued for a client that does not read,
 * onError gets WS_ERR_WRITE_QUEUE_FULL and the connection is failed with close code 1008.
 */
export class ServerConnection extends ConnectionCore {
  /** The upgrade request this connection was accepted from. */
  readonly request: HttpRequest;
  /** Sub-protocol chosen in the handshake, or null. */
  readonly protocol: string | null;

  /** Every complete message from the client; the view data[start, end) is valid only during the call. */
  onMessage: (data: Uint8Array, start: number, end: number, isText: boolean) => void = noop;
  /** Ping frames from the client (answered automatically while autoPong is true). */
  onPing: (data: Uint8Array, start: number, end: number) => void = noop;
  /** Pong frames from the client. */
  onPong: (data: Uint8Array, start: number, end: number) => void = noop;
  /** Called once when the TCP connection is gone. `code` is 1006 when no close frame was exchanged. */
  onClose: (code: number, reason: string) => void = noop;
  /**
   * A protocol error from the client, a slow consumer, a socket error, or an exception thrown by
   * one of these callbacks (passed as it was thrown).
   */
  onError: (error: Error) => void = noop;
  /** The socket's buffer drained after a write returned false. */
  onDrain: () => void = noop;
  /** RFC 6455 5.5.2: answer pings with a pong carrying the same data. Off = a silent peer. */
  autoPong = true;

  /** @internal Created by the server role for every accepted upgrade. */
  constructor(socket: Socket, request: HttpRequest, protocol: string | null, options: ServerConnectionOptions) {
    super(socket, { masked: false, maxPayload: options.maxPayload, closeTimeoutMs: options.closeTimeoutMs, maxWriteQueueBytes: options.maxWriteQueueBytes });
    this.request = request;
    this.protocol = protocol;
    this.enableCompression(options.deflate ?? null);
    socket.on('data', (chunk: Buffer) => this.receive(chunk, 0, chunk.length));
  }

  /** Feeds bytes read from the socket (also the bytes that followed the handshake request). */
  receive(data: Uint8Array, start: number, end: number): void {
    this.parser.push(data, start, end);
  }

  // ---- sending: each throws WS_ERR_NOT_OPEN unless the connection is open ----------------

  /** Sends a text message; strings are UTF-8 encoded straight into the batch buffer. */
  sendText(text: string): void {
    if (this.handshake.readyState !== STATE_OPEN) this.assertOpen('send');
    if (this.deflate !== null && this.sendCompressedString(text, 'utf8')) return;
    this.queue.frames.appendText(text);
    this.queue.appended();
  }

  /** Sends a text message the caller knows to be ASCII (a plain byte copy). */
  sendAsciiText(text: string): void {
    if (this.handshake.readyState !== STATE_OPEN) this.assertOpen('send');
    if (this.deflate !== null && this.sendCompressedString(text, 'latin1')) return;
    this.queue.frames.appendAsciiText(text);
    this.queue.appended();
  }

  /** Sends data[start, end), bytes known to be valid UTF-8, as a text message (copied). */
  sendTextBytes(data: Uint8Array, start: number, end: number): void {
    if (this.handshake.readyState !== STATE_OPEN) this.assertOpen('send');
    if (this.deflate !== null && this.sendCompressed(OPCODE_TEXT, data, start, end)) return;
    this.queue.frames.appendTextBytes(data, start, end);
    this.queue.appended();
  }

  /** Sends data[start, end) as a binary message (copied into the batch buffer). */
  sendBinary(data: Uint8Array, start = 0, end = data.length): void {
    if (this.handshake.readyState !== STATE_OPEN) this.assertOpen('send');
    if (this.deflate !== null && this.sendCompressed(OPCODE_BINARY, data, start, end)) return;
    this.queue.frames.appendFrame(OPCODE_BINARY, data, start, end);
    this.queue.appended();
  }

  /** `send(string)` is text, `send(bytes)` binary unless isText (then the bytes must be UTF-8). */
  send(data: string | Uint8Array, isText = typeof data === 'string'): void {
    if (typeof data === 'string') {
      if (isText) this.sendText(data);
      else this.sendBinary(Buffer.from(data, 'utf8'));
    } else if (isText) {
      this.sendTextBytes(data, 0, data.length);
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
    this.queue.frames.appendFrame(opcode | COMPRESSED_BIT, deflate.compressedOutput, 0, length);
    this.queue.appended();
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

  // ---- ConnectionCore: the server role's callbacks, each contained ------------------------

  /** @internal */
  deliverMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
    try {
      this.onMessage(data, start, end, isText);
    } catch (error) {
      this.callbackFailed(error);
    }
  }

  /** @internal onConnection threw: report it here too and close with 1011. */
  failWithCallbackError(error: unknown): void {
    this.callbackFailed(error);
  }

  /** @internal the client does not read: fail it as a slow consumer (documented in docs/errors.md). */
  onWriteQueueOverLimit(): void {
    if (this.handshake.readyState !== STATE_OPEN) return;
    const queued = this.queue.queuedBytes;
    // Its queued frames will never be read in time; dropping them frees the memory now.
    this.queue.frames.discard();
    this.reportError(
      new WebSocketError('WS_ERR_WRITE_QUEUE_FULL', CLOSE_POLICY_VIOLATION, `slow consumer: ${queued} bytes queued, over maxWriteQueueBytes (${this.queue.limitBytes})`),
    );
    this.failConnection(CLOSE_POLICY_VIOLATION);
  }

  protected frameHandler(): FrameHandler {
    return new ParserSink(this);
  }

  protected answersPings(): boolean {
    return this.autoPong;
  }

  protected reportPing(data: Uint8Array, start: number, end: number): void {
    try {
      this.onPing(data, start, end);
    } catch (error) {
      this.callbackFailed(error);
    }
  }

  protected reportPong(data: Uint8Array, start: number, end: number): void {
    try {
      this.onPong(data, start, end);
    } catch (error) {
      this.callbackFailed(error);
    }
  }

  protected reportClose(code: number, reason: string): void {
    try {
      this.onClose(code, reason);
    } catch (error) {
      // The connection is gone already: only onError is left.
      this.reportError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  protected reportError(error: Error): void {
    try {
      this.onError(error);
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }

  protected override reportDrain(): void {
    try {
      this.onDrain();
    } catch (error) {
      this.callbackFailed(error);
    }
  }
}

/** Adapts the parser's FrameHandler calls to the connection (keeps user callback fields apart). */
class ParserSink implements FrameHandler {
  private readonly connection: ServerConnection;

  constructor(connection: ServerConnection) {
    this.connection = connection;
  }

  onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
    this.connection.deliverMessage(data, start, end, isText);
  }

  onPing(data: Uint8Array, start: number, end: number): void {
    this.connection.handlePing(data, start, end);
  }

  onPong(data: Uint8Array, start: number, end: number): void {
    this.connection.handlePong(data, start, end);
  }

  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    this.connection.handleCloseFrame(code, data, reasonStart, reasonEnd);
  }

  onProtocolError(error: WebSocketError): void {
    this.connection.handleProtocolError(error);
  }
}
