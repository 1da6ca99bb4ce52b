import type { WebSocketError } from './errors.js';

/**
 * What the frame parser reports to. The parser never writes to a socket: the client and the
 * server role implement this interface, and tests can implement it with a small fake.
 *
 * Every (data, start, end) view is valid only during the call: the bytes live in a receive
 * or assembly buffer that is reused right after the call returns.
 */
export interface FrameHandler {
  /** A complete data message (all fragments joined, UTF-8 already validated when isText). */
  onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void;
  /** A ping frame's application data (0..125 bytes). */
  onPing(data: Uint8Array, start: number, end: number): void;
  /** A pong frame's application data (0..125 bytes). */
  onPong(data: Uint8Array, start: number, end: number): void;
  /**
   * A valid close frame. `code` is 1005 when the frame had no payload; the reason bytes
   * (already checked to be UTF-8) are data[reasonStart, reasonEnd).
   */
  onCloseFrame(code: number, data: Uint8Array, reasonStart: number, reasonEnd: number): void;
  /**
   * The peer broke the protocol; the parser has stopped and drops all further input.
   * `error.closeCode` is the code to close with (1002, 1007, 1009).
   */
  onProtocolError(error: WebSocketError): void;
}

export interface FrameParserOptions {
  /**
   * true in the server role: RFC 6455 5.1, a client MUST mask every frame, and a server MUST
   * NOT mask; the parser fails the connection on the wrong kind either way.
   */
  expectMasked: boolean;
  /** Largest message (sum of fragments) accepted; above it the parser fails with 1009. */
  maxPayload: number;
}

/** MessageInflater.inflate results below zero. */
export const INFLATE_TOO_BIG = -1;
export const INFLATE_INVALID = -2;

/**
 * A negotiated per-message compression extension's receive side (RFC 7692 permessage-deflate).
 * The parser stays free of zlib: it hands over a whole compressed message's payload and takes
 * the result from `output`.
 */
export interface MessageInflater {
  /** The last message inflated, in output[0, length). Valid until the next inflate. */
  readonly output: Uint8Array;
  /** What was wrong with the data after INFLATE_INVALID. */
  readonly error: string;
  /**
   * Decompresses one message's payload data[start, end). Returns the output length, or
   * INFLATE_TOO_BIG when it would exceed maxLength (without allocating past it), or
   * INFLATE_INVALID when the data is not valid DEFLATE.
   */
  inflate(data: Uint8Array, start: number, end: number, maxLength: number): number;
  /**
   * The message inflated last was delivered (or refused) and `output` is no longer read: a
   * buffer grown for one large message may be let go, so an idle connection does not keep it.
   */
  release(): void;
}
