import type net from 'node:net';
import { COMPRESSED_BIT, type PerMessageDeflate } from '../extensions/deflate-codec.js';
import type { DeflateParameters } from '../extensions/permessage-deflate.js';
import { encodeClosePayload, isValidCloseCode, MAX_CLOSE_REASON_BYTES } from '../protocol/close-payload.js';
import {
  CLOSE_ABNORMAL,
  CLOSE_NORMAL,
  CLOSE_NO_STATUS,
  WebSocketError,
} from '../protocol/errors.js';
import { FrameParser } from '../protocol/frame-parser.js';
import type { FrameHandler } from '../protocol/handler.js';
import { MAX_CONTROL_PAYLOAD, OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from '../protocol/opcodes.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_PAYLOAD, type ClientOptions, type MessageCallback, type ReadyState } from './options.js';
import { releaseKernelBuffer } from '../kernels/index.js';
import { Sender } from './sender.js';
import { StageClock } from './stage-clock.js';

// Connection states, kept as integers on the hot path; `state` maps them to names.
export const STATE_CONNECTING = 0;
export const STATE_OPEN = 1;
export const STATE_CLOSING = 2;
export const STATE_CLOSED = 3;
const STATE_NAMES: readonly ReadyState[] = ['connecting', 'open', 'closing', 'closed'];

const EMPTY = new Uint8Array(0);
/** ignoreBOM: a reason starting with U+FEFF is reported as sent (the default would strip it). */
const reasonDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * An open WebSocket connection (client role). Created by `connect()`; it is the frame parser's
 * handler, so parsed messages go straight from the receive buffer to `onMessage`.
 */
export class Client implements FrameHandler {
  /** Latency stages per socket read, when `stageClock: true` was given; else null. */
  readonly stages: StageClock | null;
  /** The subprotocol the server selected ('' when none). */
  protocol = '';
  /** The upgrade response's headers (lower-case names). */
  responseHeaders: Record<string, string> = {};

  /** @internal numeric state, see STATE_*. */
  readyState = STATE_CONNECTING;
  /** @internal */
  readonly parser: FrameParser;

  private readonly messageCallback: MessageCallback;
  private readonly options: ClientOptions;
  private readonly sender = new Sender();
  /** permessage-deflate codec when negotiated (opt-in), else null. */
  private deflate: PerMessageDeflate | null = null;
  private socket: net.Socket | null = null;
  /** The socket's reusable read buffer, returned to the pool once the socket is closed. */
  private receiveBuffer: Uint8Array | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private closeFrameSent = false;
  private closeFrameReceived = false;
  private closeCode = CLOSE_ABNORMAL;
  private closeReason = '';
  private closeReported = false;
  /** The close code we failed the connection with after a protocol error, else 0. */
  private failCode = 0;

  /** @internal use connect() */
  constructor(options: ClientOptions) {
    this.options = options;
    this.messageCallback = options.onMessage;
    this.stages = options.stageClock === true ? new StageClock() : null;
    this.parser = new FrameParser(this, { expectMasked: false, maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD });
  }

  /** 'connecting' | 'open' | 'closing' | 'closed' */
  get state(): ReadyState {
    return STATE_NAMES[this.readyState]!;
  }

  /** Bytes written but not yet handed to the kernel: grow means the peer or network is slow. */
  get bufferedAmount(): number {
    return this.socket === null ? 0 : this.socket.writableLength;
  }

  /** @internal attaches the upgraded socket. */
  attach(socket: net.Socket, protocol: string, headers: Record<string, string>, receiveBuffer: Uint8Array): void {
    this.socket = socket;
    this.receiveBuffer = receiveBuffer;
    this.protocol = protocol;
    this.responseHeaders = headers;
    this.readyState = STATE_OPEN;
    socket.on('error', (error) => this.onSocketError(error));
    socket.on('end', () => this.onSocketEnd());
    socket.on('close', () => this.onSocketClose());
  }

  /** permessage-deflate parameters in effect, or null when the connection is uncompressed. */
  get perMessageDeflate(): DeflateParameters | null {
    return this.deflate === null ? null : this.deflate.params;
  }

  /** @internal turns on the negotiated permessage-deflate codec, before any frame is read. */
  enableCompression(codec: PerMessageDeflate): void {
    this.deflate = codec;
    this.parser.setInflater(codec);
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

  /** Sends a message: a string as text, bytes as binary (or as text when isText is true: they must be UTF-8). */
  send(data: string | Uint8Array, isText?: boolean): void {
    this.assertOpen('send');
    if (this.deflate !== null && this.sendCompressed(this.deflate, data, isText === true)) return;
    const frame = typeof data === 'string' ? this.sender.text(data) : isText === true ? this.sender.textBytes(data) : this.sender.binary(data);
    this.socket!.write(frame);
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
    this.socket!.write(this.sender.binary(deflate.compressedOutput.subarray(0, length), opcode));
    return true;
  }

  /** Sends a ping (payload up to 125 bytes); the answer arrives at onPong. */
  ping(payload?: string | Uint8Array): void {
    this.assertOpen('ping');
    const bytes = payload === undefined ? EMPTY : typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (bytes.length > MAX_CONTROL_PAYLOAD) throw new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, 'ping payload over 125 bytes');
    this.socket!.write(this.sender.control(OPCODE_PING, bytes, 0, bytes.length));
  }

  /**
   * Starts the close handshake (RFC 6455 7.1.2): sends a close frame and waits for the
   * server's, then for the server to close TCP, at most closeTimeoutMs. onClose follows.
   */
  close(code: number = CLOSE_NORMAL, reason = ''): void {
    if (!isValidCloseCode(code) || (code > 1000 && code < 3000 && code !== 1001)) {
      // Applications may send 1000, 1001 or 3000-4999; the other 1xxx codes are for the protocol itself.
      throw new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, `close code ${code} may not be sent by an application`);
    }
    const reasonBytes = Buffer.from(reason, 'utf8');
    if (reasonBytes.length > MAX_CLOSE_REASON_BYTES) {
      throw new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, 'close reason over 123 bytes');
    }
    if (this.readyState !== STATE_OPEN) return;
    this.sendClose(code, reasonBytes);
  }

  /**
   * Stops reading from the socket: TCP flow control then slows the server down instead of
   * messages piling up in memory. Messages already read are still delivered.
   */
  pause(): void {
    this.socket?.pause();
  }

  /** Resumes reading after pause(). */
  resume(): void {
    this.socket?.resume();
  }

  /** Destroys the socket at once, without a close handshake. onClose reports 1006. */
  terminate(): void {
    if (this.readyState === STATE_CLOSED) return;
    this.parser.stop();
    this.socket?.destroy();
    if (this.socket === null) this.finish();
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
    // RFC 6455 5.5.2: answer with a pong carrying the same application data.
    if (this.readyState === STATE_OPEN) this.socket!.write(this.sender.control(OPCODE_PONG, data, start, end));
    this.callOptional(this.options.onPing, data, start, end);
  }

  onPong(data: Uint8Array, start: number, end: number): void {
    this.callOptional(this.options.onPong, data, start, end);
  }

  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    this.closeFrameReceived = true;
    this.closeCode = code;
    this.closeReason = reasonDecoder.decode(data.subarray(reasonStart, reasonEnd));
    if (!this.closeFrameSent) {
      // RFC 6455 5.5.1: echo the status code; 1005 is never sent, so answer it with an empty close.
      this.sendClose(code === CLOSE_NO_STATUS ? 0 : code, EMPTY);
    }
    // RFC 6455 7.1.1: the server closes TCP first; we half-close and wait for it (bounded).
    this.socket?.end();
  }

  onProtocolError(error: WebSocketError): void {
    // RFC 6455 7.1.7: _Fail the WebSocket Connection_: send a close frame with the code, then drop it.
    this.failCode = error.closeCode;
    this.closeReason = '';
    if (!this.closeFrameSent && this.readyState === STATE_OPEN) this.sendClose(error.closeCode, EMPTY);
    this.reportError(error);
    this.socket?.end();
  }

  // Lifecycle.

  private sendClose(code: number, reason: Uint8Array): void {
    this.closeFrameSent = true;
    this.readyState = STATE_CLOSING;
    // Code 0: a close frame with no body (the answer to a close that carried no code).
    const payload = code === 0 ? EMPTY : encodeClosePayload(code, reason);
    this.socket?.write(this.sender.control(OPCODE_CLOSE, payload, 0, payload.length));
    this.startCloseTimer();
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== null) return;
    const timeout = this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.closeTimer = setTimeout(() => {
      // The peer did not finish the close handshake in time: drop the connection. Say so when
      // our own close() went unanswered (after a protocol error, that error was reported).
      this.closeTimer = null;
      if (!this.closeFrameReceived && this.failCode === 0) {
        this.reportError(new WebSocketError('WS_ERR_CLOSE_TIMEOUT', CLOSE_ABNORMAL, `the server did not answer the close frame within ${timeout} ms`));
      }
      this.socket?.destroy();
    }, timeout);
    this.closeTimer.unref();
  }

  private onSocketError(error: Error): void {
    if (this.readyState === STATE_CLOSED) return;
    // Errors after our close frame (e.g. ECONNRESET while closing) end the connection; report them
    // only when the close handshake had not completed.
    if (!this.closeFrameReceived) {
      this.reportError(new WebSocketError('WS_ERR_CONNECTION_RESET', CLOSE_ABNORMAL, `socket error: ${error.message}`, { cause: error }));
    }
  }

  private onSocketEnd(): void {
    // The server half-closed. If the close handshake is done, finish closing our side too.
    if (this.readyState !== STATE_CLOSED) this.socket?.end();
  }

  private onSocketClose(): void {
    this.parser.dispose(); // no read can come any more: return its pooled buffer
    if (this.receiveBuffer !== null) {
      releaseKernelBuffer(this.receiveBuffer);
      this.receiveBuffer = null;
    }
    this.deflate?.close();
    // RFC 6455 7.1.5: without a close frame from the peer the connection closed abnormally
    // (1006), unless we failed it ourselves: then report the code we sent (1002, 1007, 1009).
    if (!this.closeFrameReceived) this.closeCode = this.failCode !== 0 ? this.failCode : CLOSE_ABNORMAL;
    this.finish();
  }

  private finish(): void {
    if (this.closeTimer !== null) {
      clearTimeout(this.closeTimer);
      this.closeTimer = null;
    }
    this.readyState = STATE_CLOSED;
    if (this.closeReported) return;
    this.closeReported = true;
    const onClose = this.options.onClose;
    if (onClose === undefined) return;
    try {
      onClose(this.closeCode, this.closeReason);
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    const onError = this.options.onError;
    const asError = error instanceof Error ? error : new Error(String(error));
    if (onError === undefined) return;
    try {
      onError(asError);
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

  private assertOpen(what: string): void {
    if (this.readyState !== STATE_OPEN) {
      throw new WebSocketError('WS_ERR_NOT_OPEN', CLOSE_ABNORMAL, `cannot ${what}: the connection is ${this.state}`);
    }
  }
}
