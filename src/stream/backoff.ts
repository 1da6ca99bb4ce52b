// Reconnect pacing: exponential backoff with full jitter, and the connection gate every attempt
// passes (the venue's attempt budget and any Retry-After the venue asked for).

/**
 * Exponential backoff with "full jitter": the n-th delay is uniform in [0, min(max, initial * 2^n)).
 * Full jitter spreads a crowd of clients that lost the same server over the whole window, so they
 * do not come back in waves (the reconnect storm that "equal jitter" still allows at d/2).
 */
export class FullJitterBackoff {
  /** Ceiling of the first delay. */
  readonly initialMs: number;
  /** Largest ceiling. */
  readonly maxMs: number;
  /** Delays handed out since the last reset. */
  attempt = 0;
  private readonly random: () => number;

  constructor(initialMs: number, maxMs: number, random: () => number = Math.random) {
    if (!(initialMs > 0) || !(maxMs >= initialMs) || !Number.isFinite(maxMs)) {
      throw new RangeError('backoff: need 0 < initialDelayMs <= maxDelayMs < Infinity');
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The ceiling of the next delay (before jitter). */
  ceiling(): number {
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 40));
  }

  /** The delay before the next attempt, in ms; each call counts one attempt. */
  next(): number {
    const delay = this.ceiling() * this.random();
    this.attempt++;
    return delay;
  }

  /** Starts over from initialMs (after a connection that stayed up). */
  reset(): void {
    this.attempt = 0;
  }
}

/**
 * The venue's connection-attempt budget ("300 connections per attempt every 5 minutes per IP" on
 * Binance) as a sliding window, plus a not-before time set by a 429/418's Retry-After. One gate
 * should be shared by every stream that connects from the same IP to the same venue (pass it in
 * the options); each ManagedStream makes its own otherwise.
 */
export class ConnectionGate {
  /** Attempts allowed per window. */
  readonly limit: number;
  /** The sliding window, in ms. */
  readonly windowMs: number;
  /** Attempts made through this gate. */
  attempts = 0;
  /** No attempt before this time (performance.now() clock), set by Retry-After. */
  notBefore = 0;
  /** Times of the last `limit` attempts (a ring). */
  private readonly times: Float64Array;

  constructor(limit: number, windowMs: number) {
    if (!(limit >= 1) || !Number.isInteger(limit) || !(windowMs >= 0)) throw new RangeError('connection gate: need an integer limit >= 1 and windowMs >= 0');
    this.limit = limit;
    this.windowMs = windowMs;
    this.times = new Float64Array(limit);
  }

  /** How long to wait from `now` before an attempt is allowed (0: now). */
  waitMs(now: number): number {
    let wait = Math.max(0, this.notBefore - now);
    if (this.attempts >= this.limit) {
      // The attempt `limit` places back leaves the window at its time + windowMs.
      const oldest = this.times[this.attempts % this.limit]!;
      wait = Math.max(wait, oldest + this.windowMs - now);
    }
    return wait;
  }

  /** Counts an attempt made at `now` (call only when waitMs(now) is 0). */
  record(now: number): void {
    this.times[this.attempts % this.limit] = now;
    this.attempts++;
  }

  /** The venue asked for a pause (429 or 418 with Retry-After): no attempt before now + ms. */
  block(now: number, ms: number): void {
    this.notBefore = Math.max(this.notBefore, now + ms);
  }
}

/**
 * The Retry-After header in ms: delta-seconds or an HTTP-date (RFC 9110 10.2.3). null when the
 * header is missing or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowEpochMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its day and month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse would take "-5" too.
  if (!/[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowEpochMs);
}

/**
 * Outgoing messages of one connection inside the venue's per-second limit, as a sliding window:
 * at most `perWindow` sends in any `windowMs`. Binance counts our pings, pongs and requests
 * alike; a pong to the server's ping is sent by the client automatically, so the stream keeps
 * one message a second spare for it.
 */
export class SendWindow {
  private readonly times: Float64Array;
  private readonly perWindow: number;
  private readonly windowMs: number;
  private sent = 0;

  constructor(perWindow: number, windowMs: number) {
    this.perWindow = Math.max(1, perWindow);
    this.windowMs = windowMs;
    this.times = new Float64Array(this.perWindow);
  }

  /** How long to wait from `now` before the next send is allowed (0: now). */
  waitMs(now: number): number {
    if (this.sent < this.perWindow) return 0;
    return Math.max(0, this.times[this.sent % this.perWindow]! + this.windowMs - now);
  }

  record(now: number): void {
    this.times[this.sent % this.perWindow] = now;
    this.sent++;
  }
}
