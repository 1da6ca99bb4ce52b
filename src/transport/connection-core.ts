// What both roles share once the upgrade is done: the socket's events, the close handshake
// (driven by the pure machine in src/protocol/close-handshake.ts), the bounded write queue,
// pings and pongs. Client (src/client/client.ts) and ServerConnection (src/server/connection.ts)
// add only their role: how bytes are read, how callbacks are reached, and what happens when the
// write queue is over its limit.
import type { Socket } from 'node:net';
import type { PerMessageDeflate } from '../extensions/deflate-codec.js';
import type { DeflateParameters } from '../extensions/permessage-deflate.js';
import { encodeClosePayload } from '../protocol/close-payload.js';
import {
  CloseHandshake,
  DESTROY_TRANSPORT,
  END_TRANSPORT,
  HANDSHAKE_OPEN,
  REPORT_CLOSE,
  REPORT_TIMEOUT,
  SEND_CLOSE,
  START_TIMER,
} from '../protocol/close-handshake.js';
import { notOpenError, stateName, STATE_CLOSED, STATE_OPEN, type ReadyState } from '../protocol/connection-state.js';
import { CLOSE_ABNORMAL, CLOSE_INTERNAL_ERROR, WebSocketError } from '../protocol/errors.js';
import { FrameParser } from '../protocol/frame-parser.js';
import type { FrameHandler } from '../protocol/handler.js';
import { OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG } from '../protocol/opcodes.js';
import { checkCloseCode, closeReasonBytes, controlPayloadBytes } from '../protocol/validation.js';
import { PAUSED_BY_USER, WriteQueue, type WriteQueueOwner } from './write-queue.js';

const NO_BYTES = new Uint8Array(0);
/** ignoreBOM: a close reason starting with U+FEFF is reported as sent (the default strips it). */
const reasonDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

export interface ConnectionCoreOptions {
  /** true in the client role: frames out are masked, frames in must not be (RFC 6455 5.1). */
  masked: boolean;
  maxPayload: number;
  closeTimeoutMs: number;
  maxWriteQueueBytes: number;
}

export abstract class ConnectionCore implements WriteQueueOwner {
  /** The underlying TCP or TLS socket (for socket options and addresses; reading and writing go through the connection). */
  readonly socket: Socket;
  /** @internal */
  readonly parser: FrameParser;
  /** @internal */
  readonly handshake: CloseHandshake;
  protected readonly queue: WriteQueue;
  protected deflate: PerMessageDeflate | null = null;
  private readonly role: 'client' | 'server';
  private readonly closeTimeoutMs: number;
  private closeTimer: NodeJS.Timeout | null = null;

  protected constructor(socket: Socket, options: ConnectionCoreOptions) {
    this.socket = socket;
    this.role = options.masked ? 'client' : 'server';
    this.closeTimeoutMs = options.closeTimeoutMs;
    this.handshake = new CloseHandshake(HANDSHAKE_OPEN);
    this.parser = new FrameParser(this.frameHandler(), { expectMasked: !options.masked, maxPayload: options.maxPayload });
    this.queue = new WriteQueue(socket, this, { masked: options.masked, limitBytes: options.maxWriteQueueBytes });
    socket.on('error', (error) => this.socketError(error));
    socket.on('end', () => this.socketEnded());
    socket.on('close', () => this.socketClosed());
    socket.on('drain', () => this.socketDrained());
  }

  // What each role supplies.

  /** The parser's handler: the connection itself or an adapter that keeps user fields apart. */
  protected abstract frameHandler(): FrameHandler;
  protected abstract reportError(error: Error): void;
  protected abstract reportClose(code: number, reason: string): void;
  protected abstract reportPing(data: Uint8Array, start: number, end: number): void;
  protected abstract reportPong(data: Uint8Array, start: number, end: number): void;
  /** Answer pings with pongs (RFC 6455 5.5.2); the server role can turn it off. */
  protected abstract answersPings(): boolean;
  public abstract onWriteQueueOverLimit(): void;
  /** Called once the socket is gone, before onClose: return pooled buffers. */
  protected releaseResources(): void {}

  /** 'connecting' | 'open' | 'closing' | 'closed' */
  get state(): ReadyState {
    return stateName(this.handshake.readyState);
  }

  /** state === 'open', without building the name: sends are allowed (else they throw WS_ERR_NOT_OPEN). */
  get isOpen(): boolean {
    return this.handshake.readyState === STATE_OPEN;
  }

  /** @internal numeric state, see STATE_* in src/protocol/connection-state.ts. */
  get readyState(): number {
    return this.handshake.readyState;
  }

  /** Bytes queued but not yet handed to the kernel: unflushed frames plus the socket's queue. */
  get bufferedAmount(): number {
    return this.queue.queuedBytes;
  }

  /** permessage-deflate parameters in effect, or null when the connection is uncompressed. */
  get perMessageDeflate(): DeflateParameters | null {
    return this.deflate === null ? null : this.deflate.params;
  }

  /** @internal turns on the negotiated permessage-deflate codec, before any frame is read. */
  enableCompression(codec: PerMessageDeflate | null): void {
    this.deflate = codec;
    this.parser.setInflater(codec);
  }

  /** Sends a ping (payload up to 125 bytes, a string as UTF-8); the answer arrives at onPong. */
  ping(payload?: string | Uint8Array): void {
    this.assertOpen('ping');
    const bytes = controlPayloadBytes(payload, 'ping');
    this.queue.frames.appendFrame(OPCODE_PING, bytes, 0, bytes.length);
    this.queue.appended();
  }

  /** Sends an unsolicited pong (RFC 6455 5.5.3: a unidirectional heartbeat), up to 125 bytes. */
  pong(payload?: string | Uint8Array): void {
    this.assertOpen('pong');
    const bytes = controlPayloadBytes(payload, 'pong');
    this.queue.frames.appendFrame(OPCODE_PONG, bytes, 0, bytes.length);
    this.queue.appended();
  }

  /**
   * RFC 6455 7.1.2: starts the closing handshake. onClose follows once the peer answered and
   * TCP closed, or after closeTimeoutMs. Throws WS_ERR_INVALID_ARGUMENT for a code or reason
   * that may not be sent; a no-op when the connection is not open.
   */
  close(code = 1000, reason = ''): void {
    checkCloseCode(code, this.role);
    const reasonBytes = closeReasonBytes(reason);
    this.apply(this.handshake.close(code, reasonBytes));
  }

  /**
   * Destroys the socket at once, without a close handshake. The state is 'closed' from now on
   * (send and ping throw WS_ERR_NOT_OPEN); onClose follows when the socket is gone, with 1006
   * unless the peer's close frame had arrived.
   */
  terminate(): void {
    const actions = this.handshake.terminate();
    if (actions === 0) return;
    this.parser.stop();
    this.queue.close();
    this.apply(actions);
  }

  /**
   * Stops reading from the socket: TCP flow control then slows the peer down instead of
   * messages piling up in memory. Messages already read are still delivered.
   */
  pause(): void {
    this.queue.pause(PAUSED_BY_USER);
  }

  /** Resumes reading after pause() (unless the write queue holds reading back). */
  resume(): void {
    this.queue.resume(PAUSED_BY_USER);
  }

  /** Holds writes until the matching uncork(): a batch of sends becomes one socket write. */
  cork(): void {
    this.queue.cork();
  }

  /** Ends a cork(): the writes held since go out as one socket write. */
  uncork(): void {
    this.queue.uncork();
  }

  /** Writes everything queued now. Returns false when the socket asks to wait for 'drain'. */
  flushNow(): boolean {
    return this.queue.flush();
  }

  // What the parser reports (the role forwards its FrameHandler calls here).

  /** @internal */
  handlePing(data: Uint8Array, start: number, end: number): void {
    // RFC 6455 5.5.2: answer with a pong carrying the same application data; 5.5.3: only the
    // most recent of several unanswered pings needs one (the queue keeps one).
    if (this.handshake.state === HANDSHAKE_OPEN && this.answersPings()) this.queue.queuePong(data, start, end);
    this.reportPing(data, start, end);
  }

  /** @internal */
  handlePong(data: Uint8Array, start: number, end: number): void {
    this.reportPong(data, start, end);
  }

  /** @internal */
  handleCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void {
    const reason = reasonEnd > reasonStart ? reasonDecoder.decode(data.subarray(reasonStart, reasonEnd)) : '';
    this.apply(this.handshake.receiveClose(code, reason));
  }

  /** @internal RFC 6455 7.1.7: the peer broke the protocol; the parser has stopped. */
  handleProtocolError(error: WebSocketError): void {
    this.apply(this.handshake.fail(error.closeCode));
    this.reportError(error);
  }

  /**
   * Fails the connection for a reason of ours (a callback that threw: 1011; a slow consumer:
   * 1008): no more input is parsed, the close frame goes out, TCP ends.
   */
  protected failConnection(closeCode: number): void {
    const actions = this.handshake.fail(closeCode);
    if (actions === 0) return;
    this.parser.stop();
    this.apply(actions);
  }

  /** Server role: a user callback threw. It goes to onError and the connection closes with 1011. */
  protected callbackFailed(error: unknown): void {
    this.reportError(error instanceof Error ? error : new Error(String(error)));
    this.failConnection(CLOSE_INTERNAL_ERROR);
  }

  protected assertOpen(what: string): void {
    if (this.handshake.readyState !== STATE_OPEN) throw notOpenError(what, this.handshake.readyState);
  }

  /** Carries out what the close handshake asked for, in order. */
  private apply(actions: number): void {
    if ((actions & SEND_CLOSE) !== 0) {
      const code = this.handshake.outgoingCode;
      // Code 0: a close frame with no body (the answer to a close that carried no code).
      const payload = code === 0 ? NO_BYTES : encodeClosePayload(code, this.handshake.outgoingReason);
      this.queue.frames.appendFrame(OPCODE_CLOSE, payload, 0, payload.length);
      this.queue.flush();
    }
    if ((actions & END_TRANSPORT) !== 0) this.socket.end();
    if ((actions & START_TIMER) !== 0) this.startCloseTimer();
    if ((actions & REPORT_TIMEOUT) !== 0) {
      this.reportError(
        new WebSocketError('WS_ERR_CLOSE_TIMEOUT', CLOSE_ABNORMAL, `the peer did not answer the close frame within ${this.closeTimeoutMs} ms`),
      );
    }
    if ((actions & DESTROY_TRANSPORT) !== 0) this.socket.destroy();
    if ((actions & REPORT_CLOSE) !== 0) this.reportClose(this.handshake.reportCode, this.handshake.reportReason);
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== null) return;
    this.closeTimer = setTimeout(() => {
      this.closeTimer = null;
      this.apply(this.handshake.timerExpired());
    }, this.closeTimeoutMs);
    this.closeTimer.unref();
  }

  private socketError(error: Error): void {
    // Errors once the handshake is over (e.g. ECONNRESET while closing) just end the
    // connection; before the peer's close frame they are worth reporting. 'close' follows.
    if (this.handshake.readyState !== STATE_CLOSED && !this.handshake.closeReceived) {
      const code = (error as NodeJS.ErrnoException).code;
      this.reportError(new WebSocketError('WS_ERR_CONNECTION_RESET', CLOSE_ABNORMAL, `socket error: ${error.message}${code === undefined ? '' : ` (${code})`}`, { cause: error }));
    }
  }

  private socketEnded(): void {
    // The peer half-closed: finish our side too (its close frame, if any, was read before).
    if (!this.socket.destroyed) this.socket.end();
  }

  private socketDrained(): void {
    this.queue.drained();
    this.reportDrain();
  }

  /** The socket's queue drained after a write returned false. */
  protected reportDrain(): void {}

  private socketClosed(): void {
    if (this.closeTimer !== null) {
      clearTimeout(this.closeTimer);
      this.closeTimer = null;
    }
    this.parser.dispose(); // no read can come any more: return its pooled buffer
    this.queue.close();
    // Frees the zlib streams; a later send is refused by the state check before reaching it.
    this.deflate?.close();
    this.releaseResources();
    this.apply(this.handshake.transportClosed());
  }
}
