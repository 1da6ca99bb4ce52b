// Errors of the order-book layer. A snapshot failure never closes the market stream (so there is
// no close code to carry): the book reports it to onSnapshotError and retries with backoff.
// Codes are documented in docs/errors.md ("Order book errors").

/** The stable string codes of BookError (docs/errors.md, "Order book errors"). */
export type BookErrorCode =
  /** The snapshot request answered with a status other than 200 (`status`, `retryAfterMs`). */
  | 'TW_ERR_SNAPSHOT_HTTP'
  /** TCP/TLS failed, or no answer in time, or the body was over the size limit (`cause`). */
  | 'TW_ERR_SNAPSHOT_FETCH'
  /** The body is not a depth snapshot the decoder can read exactly. */
  | 'TW_ERR_SNAPSHOT_INVALID'
  /** In-band snapshot mode: no snapshot arrived within inBandSnapshotTimeoutMs of asking (asked again with backoff). */
  | 'TW_ERR_SNAPSHOT_TIMEOUT';

/**
 * A failed snapshot request or an unreadable snapshot. Reported to BookListener.onSnapshotError; the book retries with backoff
 * and never closes the stream for it, so unlike WebSocketError it carries no close code.
 */
export class BookError extends Error {
  /** Which failure: see BookErrorCode. */
  readonly code: BookErrorCode;
  /** HTTP status for TW_ERR_SNAPSHOT_HTTP, else 0. */
  readonly status: number;
  /** The venue's Retry-After in ms (HTTP 429/418), else 0; the book waits at least this long. */
  readonly retryAfterMs: number;

  constructor(code: BookErrorCode, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BookError';
    this.code = code;
    this.status = options.status ?? 0;
    this.retryAfterMs = options.retryAfterMs ?? 0;
  }
}
