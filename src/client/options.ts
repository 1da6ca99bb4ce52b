import type { PerMessageDeflateOptions } from '../extensions/permessage-deflate.js';
import type { WebSocketError } from '../protocol/errors.js';
import type { StageClock } from './stage-clock.js';
import { checkNumberOption, invalidArgument } from '../protocol/validation.js';

/** Called for every complete message. The view data[start, end) is valid only during the call. */
export type MessageCallback = (data: Uint8Array, start: number, end: number, isText: boolean) => void;

/** Options of connect(). Only onMessage is required. */
export interface ClientOptions {
  /** Called for every complete message; the view data[start, end) is valid only during the call. */
  onMessage: MessageCallback;
  /** Called exactly once when the connection ends, with the close code (1005: none given, 1006: dropped). */
  onClose?: (code: number, reason: string) => void;
  /** Protocol violations by the peer, socket errors after the open, errors thrown by onMessage. */
  onError?: (error: Error) => void;
  /** Pong frames received (e.g. answers to ping()). The view is valid only during the call. */
  onPong?: (data: Uint8Array, start: number, end: number) => void;
  /** Ping frames received; tickwire already answers them with a pong carrying the same payload. */
  onPing?: (data: Uint8Array, start: number, end: number) => void;

  /** Extra request headers for the upgrade request (e.g. an API key). */
  headers?: Record<string, string>;
  /** Subprotocols to offer; the server must pick one of them or none. */
  protocols?: string[];
  /** Origin header, for servers that check it. */
  origin?: string;
  /** Verify the server certificate and hostname (wss://). Default true; false only when asked. */
  rejectUnauthorized?: boolean;
  /** Trusted CA certificates (PEM) in place of the system store, e.g. a private CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** TLS server name for SNI and the hostname check; defaults to the URL's host. */
  servername?: string;
  /** Largest message accepted, in bytes (fragments summed). Larger: close 1009. Default 64 MiB. */
  maxPayload?: number;
  /** Time allowed for TCP + TLS + upgrade; default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** Time allowed for the peer to complete the close handshake before the socket is destroyed; default 5 000 ms. */
  closeTimeoutMs?: number;
  /**
   * Bound on bytes queued for sending (unflushed frames plus the socket's queue). A send() that
   * would pass it throws WS_ERR_WRITE_QUEUE_FULL and queues nothing; the connection stays open.
   * Pongs never count against it (at most one waits, RFC 6455 5.5.3). Reading also pauses while
   * more than min(1 MiB, half of this) is queued, until the socket drains. Default 4 MiB.
   */
  maxWriteQueueBytes?: number;
  /** TCP_NODELAY (disable Nagle). Default true. */
  noDelay?: boolean;
  /** Size of the reusable receive buffer, in bytes. Default 256 KiB. */
  receiveBufferBytes?: number;
  /**
   * Opt-in stage clock: per socket read, stamps read-complete (t1), first message parsed (t2)
   * and last onMessage returned (t3) into histograms (`client.stages`). One clock read per
   * socket read, never per message. Default false. A StageClock instance instead of `true` is
   * used as it is, so several connections (e.g. those a managed stream opens one after another,
   * or side by side during a rollover) record into one set of histograms: reads never interleave
   * on one thread, so `readTimeNs` is always the read whose messages are being delivered.
   */
  stageClock?: boolean | StageClock;
  /**
   * Offer permessage-deflate compression (RFC 7692). Default false: nothing is offered and
   * the receive path stays allocation-free. When the server accepts, compressed messages are
   * inflated (allocating as needed, bounded by maxPayload) and messages of at least
   * `threshold` bytes (default 1024) are sent compressed.
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
}

export const DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

export type { ReadyState } from '../protocol/connection-state.js';

export type { WebSocketError };

/**
 * Rejects options that would otherwise fail late and obscurely (a 0-byte receive buffer reads
 * nothing and surfaces as ENOBUFS, a NaN timeout fires at once, a timeout of 2^31 ms or more is
 * clamped by Node to 1 ms). Throws WS_ERR_INVALID_ARGUMENT.
 */
export function validateClientOptions(options: ClientOptions): void {
  if (options === null || typeof options !== 'object' || typeof options.onMessage !== 'function') {
    throw invalidArgument('options.onMessage must be a function');
  }
  checkNumberOption(options.receiveBufferBytes, 'receiveBufferBytes', { minimum: 1, integer: true });
  // maxPayload may be Infinity (no limit).
  checkNumberOption(options.maxPayload, 'maxPayload', { minimum: 0, infinite: true });
  checkNumberOption(options.maxWriteQueueBytes, 'maxWriteQueueBytes', { minimum: 1, infinite: true });
  checkNumberOption(options.handshakeTimeoutMs, 'handshakeTimeoutMs', { minimum: 1, timer: true });
  checkNumberOption(options.closeTimeoutMs, 'closeTimeoutMs', { minimum: 1, timer: true });
}
