// When a book may ask for its next REST snapshot. Snapshots are expensive on the venue's side
// (Binance GET /api/v3/depth weighs 5 to 250 of an IP's 6000 per minute) and clients that keep
// asking after a 429 are banned with 418, so requests are paced three ways:
//   - at least `minIntervalMs` between two requests of one book (a resync storm cannot hammer);
//   - after a failure, exponential backoff from `minIntervalMs` up to `maxBackoffMs`, or the
//     venue's Retry-After when the error carries one (`retryAfterMs`), whichever is longer;
//   - an optional RequestBudget shared by all books on one IP (a token bucket of request weight).

/** Defaults: one snapshot per second per book at most; backoff up to one minute. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 1000;
/** Longest wait after repeated snapshot failures, in ms (the backoff doubles from minIntervalMs up to it). */
export const DEFAULT_SNAPSHOT_MAX_BACKOFF_MS = 60_000;

/**
 * A token bucket of request weight, shared by every book that asks the same host from the same
 * IP: Binance allows 6000 weight per minute per IP (rest-api.md, REQUEST_WEIGHT).
 */
export class RequestBudget {
  /** Weight the bucket holds when full (the venue's weight per interval). */
  readonly capacity: number;
  /** Weight regained per millisecond (capacity / interval). */
  readonly refillPerMs: number;
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  constructor(weightPerInterval: number, intervalMs: number, now: () => number = Date.now) {
    if (!(weightPerInterval > 0) || !(intervalMs > 0)) throw new RangeError('RequestBudget: weight and interval must be positive');
    this.capacity = weightPerInterval;
    this.refillPerMs = weightPerInterval / intervalMs;
    this.tokens = weightPerInterval;
    this.now = now;
    this.updatedAt = now();
  }

  /** Milliseconds until `weight` is available (0: now). Does not take it. */
  delayFor(weight: number): number {
    this.refill();
    const wanted = Math.min(weight, this.capacity);
    return this.tokens >= wanted ? 0 : Math.ceil((wanted - this.tokens) / this.refillPerMs);
  }

  /** Takes `weight` (call when the request is sent; may go negative if the caller did not wait). */
  take(weight: number): void {
    this.refill();
    this.tokens -= weight;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.refillPerMs);
    this.updatedAt = now;
  }
}

/** How a book paces its snapshot requests (LocalOrderBookOptions.pacing); every field optional. */
export interface SnapshotPacing {
  /** Minimum time between two snapshot requests of one book. Default 1000 ms. */
  minIntervalMs?: number;
  /** Longest backoff after repeated failures. Default 60 s. */
  maxBackoffMs?: number;
  /** Shared weight budget (one per IP and host). Default: none (per-book pacing only). */
  budget?: RequestBudget;
  /** Weight of one snapshot request in `budget` (Binance: 250 for limit 5000, 50 for 1000). Default 1. */
  weight?: number;
  /** Clock (ms), for tests. Default Date.now. */
  now?: () => number;
}

/**
 * Decides when a book may send its next snapshot request: a minimum interval, backoff after failures (or the venue's
 * Retry-After), and an optional shared RequestBudget. One per book.
 */
export class SnapshotPacer {
  /** Least time between two requests of this book, in ms. */
  readonly minIntervalMs: number;
  /** Longest backoff after repeated failures, in ms. */
  readonly maxBackoffMs: number;
  private readonly budget: RequestBudget | undefined;
  private readonly weight: number;
  private readonly now: () => number;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private notBefore = Number.NEGATIVE_INFINITY;
  /** Consecutive failures (0 after a success). */
  failures = 0;

  constructor(options: SnapshotPacing = {}) {
    this.minIntervalMs = options.minIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS;
    this.maxBackoffMs = Math.max(options.maxBackoffMs ?? DEFAULT_SNAPSHOT_MAX_BACKOFF_MS, this.minIntervalMs);
    this.budget = options.budget;
    this.weight = options.weight ?? 1;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds to wait before the next request may go out (0: now). */
  delay(): number {
    const now = this.now();
    const earliest = Math.max(this.lastRequestAt + this.minIntervalMs, this.notBefore);
    const own = Math.max(0, earliest - now);
    return this.budget === undefined ? own : Math.max(own, this.budget.delayFor(this.weight));
  }

  /** A request goes out now. */
  sent(): void {
    this.lastRequestAt = this.now();
    this.budget?.take(this.weight);
  }

  /** The request answered with a usable snapshot. */
  succeeded(): void {
    this.failures = 0;
  }

  /** The request failed; `retryAfterMs` is the venue's Retry-After when it sent one. */
  failed(retryAfterMs: number): void {
    this.failures++;
    const backoff = Math.min(this.maxBackoffMs, this.minIntervalMs * 2 ** Math.min(this.failures, 30));
    const wait = retryAfterMs > backoff ? retryAfterMs : backoff;
    this.notBefore = this.now() + wait;
  }
}
