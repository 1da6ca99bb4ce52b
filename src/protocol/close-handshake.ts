// RFC 6455 7.1: the closing handshake as a pure state machine, shared by both roles. It does no
// I/O: each event returns a set of actions (bits) for the connection to carry out, and the close
// frame to send / the close to report are left in fields. Unit-tested without sockets
// (test/protocol/close-handshake.test.ts).
import { CLOSE_ABNORMAL, CLOSE_NO_STATUS } from './errors.js';
import { STATE_CLOSED, STATE_CLOSING, STATE_CONNECTING, STATE_OPEN } from './connection-state.js';

// Handshake states.
/** Client role only: the opening handshake is still under way. */
export const HANDSHAKE_CONNECTING = 0;
export const HANDSHAKE_OPEN = 1;
/** We sent a close frame and wait for the peer's (RFC 6455 7.1.2). */
export const HANDSHAKE_CLOSE_SENT = 2;
/** Both close frames were exchanged; the TCP connection is ending (RFC 6455 7.1.1). */
export const HANDSHAKE_CLOSE_EXCHANGED = 3;
/** We failed the connection (RFC 6455 7.1.7): our close frame is out, TCP is ending. */
export const HANDSHAKE_FAILED = 4;
/** terminate(): the socket was destroyed without a handshake; only its close event is left. */
export const HANDSHAKE_TERMINATED = 5;
/** The TCP connection is gone and the close was reported. */
export const HANDSHAKE_CLOSED = 6;

/** The user-visible state of each handshake state. */
const READY_STATE_OF: readonly number[] = [STATE_CONNECTING, STATE_OPEN, STATE_CLOSING, STATE_CLOSING, STATE_CLOSING, STATE_CLOSED, STATE_CLOSED];

// Actions, as bits of what each event returns.
/** Send a close frame: `outgoingCode` (0: a frame without a body) and `outgoingReason`. */
export const SEND_CLOSE = 1;
/** Half-close TCP (end()) once the close frame is out. */
export const END_TRANSPORT = 2;
/** Arm the close timer (closeTimeoutMs), unless it is running. */
export const START_TIMER = 4;
/** Destroy the socket now. */
export const DESTROY_TRANSPORT = 8;
/** Report WS_ERR_CLOSE_TIMEOUT: our close frame went unanswered. */
export const REPORT_TIMEOUT = 16;
/** Report the close (onClose) with `reportCode` and `reportReason`; happens exactly once. */
export const REPORT_CLOSE = 32;

const NO_BYTES = new Uint8Array(0);

export class CloseHandshake {
  state: number;
  /** The close frame to send when an event returns SEND_CLOSE. */
  outgoingCode = 0;
  outgoingReason: Uint8Array = NO_BYTES;
  /** What onClose reports, once transportClosed() returned REPORT_CLOSE. */
  reportCode = CLOSE_ABNORMAL;
  reportReason = '';
  /** The peer's close code, -1 before its close frame arrived. */
  private receivedCode = -1;
  private receivedReason = '';
  /** The code we failed the connection with, 0 when we did not. */
  private failCode = 0;

  constructor(initialState: typeof HANDSHAKE_CONNECTING | typeof HANDSHAKE_OPEN) {
    this.state = initialState;
  }

  /** STATE_CONNECTING, STATE_OPEN, STATE_CLOSING or STATE_CLOSED. */
  get readyState(): number {
    return READY_STATE_OF[this.state]!;
  }

  /** True once the peer's close frame arrived. */
  get closeReceived(): boolean {
    return this.receivedCode !== -1;
  }

  /** The opening handshake completed. */
  opened(): void {
    if (this.state === HANDSHAKE_CONNECTING) this.state = HANDSHAKE_OPEN;
  }

  /** RFC 6455 7.1.2: the application starts the closing handshake (code and reason already validated). */
  close(code: number, reason: Uint8Array): number {
    if (this.state !== HANDSHAKE_OPEN) return 0;
    this.state = HANDSHAKE_CLOSE_SENT;
    this.outgoingCode = code;
    this.outgoingReason = reason;
    return SEND_CLOSE | START_TIMER;
  }

  /**
   * The peer's close frame (code 1005: it had no body). RFC 6455 5.5.1: answer it unless we sent
   * one already, echoing the code (a close without a code is answered without one); 7.1.1: then
   * the TCP connection ends (the server SHOULD close it first; the client half-closes and waits,
   * both bounded by the close timer).
   */
  receiveClose(code: number, reason: string): number {
    if (this.state !== HANDSHAKE_OPEN && this.state !== HANDSHAKE_CLOSE_SENT) return 0;
    this.receivedCode = code;
    this.receivedReason = reason;
    const answer = this.state === HANDSHAKE_OPEN;
    this.state = HANDSHAKE_CLOSE_EXCHANGED;
    if (!answer) return END_TRANSPORT | START_TIMER;
    this.outgoingCode = code === CLOSE_NO_STATUS ? 0 : code;
    this.outgoingReason = NO_BYTES;
    return SEND_CLOSE | END_TRANSPORT | START_TIMER;
  }

  /**
   * RFC 6455 7.1.7 _Fail the WebSocket Connection_ with `closeCode`: a protocol error by the peer
   * (1002, 1007, 1009), a callback that threw (1011), a peer that does not read (1008). The close
   * frame goes out unless ours already did; onClose then reports closeCode.
   */
  fail(closeCode: number): number {
    if (this.state !== HANDSHAKE_OPEN && this.state !== HANDSHAKE_CLOSE_SENT) return 0;
    const sendFrame = this.state === HANDSHAKE_OPEN;
    this.state = HANDSHAKE_FAILED;
    this.failCode = closeCode;
    if (!sendFrame) return END_TRANSPORT | START_TIMER;
    this.outgoingCode = closeCode;
    this.outgoingReason = NO_BYTES;
    return SEND_CLOSE | END_TRANSPORT | START_TIMER;
  }

  /** The close timer fired: the peer did not finish the handshake in time. */
  timerExpired(): number {
    if (this.state === HANDSHAKE_CLOSE_SENT) return DESTROY_TRANSPORT | REPORT_TIMEOUT;
    return this.state === HANDSHAKE_CLOSED ? 0 : DESTROY_TRANSPORT;
  }

  /** terminate(): drop the connection at once, no close frame. The state is closed from now on. */
  terminate(): number {
    if (this.state === HANDSHAKE_TERMINATED || this.state === HANDSHAKE_CLOSED) return 0;
    this.state = HANDSHAKE_TERMINATED;
    return DESTROY_TRANSPORT;
  }

  /**
   * The TCP connection is gone. RFC 6455 7.1.5: the close code is the one in the peer's close
   * frame; without one, the code we failed the connection with, else 1006 (closed abnormally).
   */
  transportClosed(): number {
    if (this.state === HANDSHAKE_CLOSED) return 0;
    this.state = HANDSHAKE_CLOSED;
    if (this.receivedCode !== -1) {
      this.reportCode = this.receivedCode;
      this.reportReason = this.receivedReason;
    } else {
      this.reportCode = this.failCode !== 0 ? this.failCode : CLOSE_ABNORMAL;
      this.reportReason = '';
    }
    return REPORT_CLOSE;
  }
}
