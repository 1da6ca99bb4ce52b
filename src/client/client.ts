import type net from 'node:net';
import { COMPRESSED_BIT, type PerMessageDeflate } from '../extensions/deflate-codec.js';
import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';
import type { FrameHandler } from '../protocol/handler.js';
import { OPCODE_BINARY, OPCODE_TEXT } from '../protocol/opcodes.js';
import { STATE_OPEN } from '../protocol/connection-state.js';
import { releaseKernelBuffer } from '../kernels/index.js';
import { ConnectionCore } from '../transport/connection-core.js';
import { DEFAULT_MAX_WRITE_QUEUE_BYTES } from '../transport/write-queue.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_PAYLOAD, type ClientOptions, type MessageCallback } from './options.js';
import { StageClock } from './stage-clock.js';

export { STATE_CONNECTING, STATE_OPEN, STATE_CLOSING, STATE_CLOSED } from '../protocol/connection-state.js';

/**
 * An open WebSocket connection (client role). Created by `connect()`; it is the frame parser's
 * handler, so parsed messages go straight from the receive buffer to `onMessage`. The close
 * handshake, pings, pongs and the bounded write queue are the shared ConnectionCore's.
 */
export class Client extends ConnectionCore implements FrameHandler {
  /** Latency stages per socket read, when `stageClock` was given (true, or a shared StageClock); else null. */
  readonly stages: StageClock | null;
  /** The subprotocol the server selected ('' when none). */
  readonly protocol: string;
  /** The upgrade response's headers (lower-case names). */
  readonly responseHeaders: Record<string, string>;

  private readonly messageCallback: MessageCallback;
  private readonly options: ClientOptions;
  /** The socket's reusable read buffer, returned to the pool once the socket is closed. */
  private receiveBuffer: Uint8Array | null;

  /** @internal use connect(): wraps a socket whose upgrade succeeded. */
  constructor(options: ClientOptions, socket: net.Socket, protocol: string, headers: Record<string, string>, receiveBuffer: Uint8Array) {
    super(socket, {
      masked: true,
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      maxWriteQueueBytes: options.maxWriteQueueBytes ?? DEFAULT_MAX_WRITE_QUEUE_BYTES,
    });
    this.options = options;
    this.messageCallback = options.onMessage;
    this.stages = options.stageClock instanceof StageClock ? options.stageClock : options.stageClock === true ? new StageClock() : null;
    this.protocol = protocol;
    this.responseHeaders = headers;
    this.receiveBuffer = receiveBuffer;
  }

  /** @internal one socket read, already in the receive buffer. */
  onRead(buffer: Uint8Array, length: number): void {
    const stages = this.stages;
    if (stages === null) {
      this.parser.push(buffer, 0, length);
      return;
    }
    stages.markRead();
    this.parser.push(buffer, 0, length);
    stages.markDelivered();
  }

  /**
   * Sends a message: a string as text, bytes as binary (or as text when isText is true: they
   * must be UTF-8). Frames go out at the end of the tick, batched (see cork()). Throws
   * WS_ERR_NOT_OPEN when the connection is not open, and WS_ERR_WRITE_QUEUE_FULL (nothing is
   * queued, the connection stays open) when bytes are already queued and this message would
   * take the queue over `maxWriteQueueBytes`: the server is not reading fast enough.
   */
  send(data: string | Uint8Array, isText?: boolean): void {
    if (this.handshake.readyState !== STATE_OPEN) this.assertOpen('send');
    // A UTF-16 code unit is at most 3 UTF-8 bytes: measure only when the bound is near the limit.
    const upperBound = typeof data === 'string' ? data.length * 3 : data.length;
    if (this.queue.queuedBytes + upperBound > this.queue.limitBytes) this.checkRoom(data);
    const frames = this.queue.frames;
    if (this.deflate !== null && this.sendCompressed(this.deflate, data, isText === true)) {
      // queued by sendCompressed
    } else if (typeof data === 'string') {
      frames.appendText(data);
    } else {
      frames.appendFrame(isText === true ? OPCODE_TEXT : OPCODE_BINARY, data, 0, data.length);
    }
    this.queue.appended();
  }

  /** Throws WS_ERR_WRITE_QUEUE_FULL unless the message fits under the write-queue limit. */
  private checkRoom(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
    const queued = this.queue.queuedBytes;
    // A message larger than the limit still goes out on an idle connection: it is bounded by
    // maxPayload-sized data the caller already holds, and refusing it could never succeed.
    if (queued === 0 || queued + bytes <= this.queue.limitBytes) return;
    throw new WebSocketError(
      'WS_ERR_WRITE_QUEUE_FULL',
      CLOSE_ABNORMAL,
      `send refused: ${queued} bytes are queued and ${bytes} more would pass maxWriteQueueBytes (${this.queue.limitBytes}); the server is not reading`,
    );
  }

  /**
   * RFC 7692 7.2.1: a message at or above the threshold goes out as one compressed frame with
   * RSV1 set. Returns false when the message should go out plain instead.
   */
  private sendCompressed(deflate: PerMessageDeflate, data: string | Uint8Array, isText: boolean): boolean {
    const text = typeof data === 'string' || isText;
    if (!deflate.shouldCompress(typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length)) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const length = deflate.compress(bytes, 0, bytes.length);
    if (length < 0) return false;
    const opcode = (text ? OPCODE_TEXT : OPCODE_BINARY) | COMPRESSED_BIT;
    this.queue.frames.appendFrame(opcode, deflate.compressedOutput, 0, length);
    return true;
  }

  // FrameHandler: called by the parser.

  onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
    if (this.stages !== null) this.stages.markParsed();
    try {
      this.messageCallback(data, start, end, isText);
    } catch (error) {
      this.reportError(error);
    }
  }

  onPing(data: Uint8Array, start: number, end: number): void {
    this.handlePing(data, start, end);
  }

  onPong(data: Uint8Array, start: number, end: number): void {
    this.reportPong(data, start, end);
  }

  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    this.handleCloseFrame(code, data, reasonStart, reasonEnd);
  }

  onProtocolError(error: WebSocketError): void {
    this.handleProtocolError(error);
  }

  // ConnectionCore: the client role's callbacks. Errors thrown by them go to onError and the
  // connection stays open (docs/errors.md).

  protected frameHandler(): FrameHandler {
    return this;
  }

  protected answersPings(): boolean {
    return true;
  }

  /** Sends are refused before they pass the limit (send throws); pongs are coalesced. Nothing to do. */
  onWriteQueueOverLimit(): void {}

  protected override releaseResources(): void {
    if (this.receiveBuffer !== null) {
      releaseKernelBuffer(this.receiveBuffer);
      this.receiveBuffer = null;
    }
  }

  protected reportPing(data: Uint8Array, start: number, end: number): void {
    this.callOptional(this.options.onPing, data, start, end);
  }

  protected reportPong(data: Uint8Array, start: number, end: number): void {
    this.callOptional(this.options.onPong, data, start, end);
  }

  protected reportClose(code: number, reason: string): void {
    const onClose = this.options.onClose;
    if (onClose === undefined) return;
    try {
      onClose(code, reason);
    } catch (error) {
      this.reportError(error);
    }
  }

  protected reportError(error: unknown): void {
    const onError = this.options.onError;
    if (onError === undefined) return;
    try {
      onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }

  private callOptional(callback: ((data: Uint8Array, start: number, end: number) => void) | undefined, data: Uint8Array, start: number, end: number): void {
    if (callback === undefined) return;
    try {
      callback(data, start, end);
    } catch (error) {
      this.reportError(error);
    }
  }
}
