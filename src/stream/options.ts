// Options of a managed stream, their defaults and their checks.
import type { ClientOptions } from '../client/options.js';
import { binanceSpot } from '../venues/binance/profile.js';
import type { ConnectionGate } from './backoff.js';
import type { StreamEvent } from './events.js';
import type { VenueProfile } from './venue.js';

/**
 * Hot path: one event of stream `stream` (its index; streamName(index) gives the name), as the
 * view data[start, end) on the receive buffer: valid only during the call, copy what you keep.
 */
export type StreamMessageCallback = (stream: number, data: Uint8Array, start: number, end: number) => void;

/** Options of `new ManagedStream(options)`; every duration is in milliseconds. */
export interface ManagedStreamOptions {
  /** The venue's rules. Default: Binance Spot. */
  venue?: VenueProfile;
  /** Base URL (scheme, host, port). Default: the venue's production endpoint. */
  url?: string;
  /** Every event, once, in order per stream. */
  onMessage?: StreamMessageCallback;
  /** Every state change, gap and error, with its reason. */
  onEvent?: (event: StreamEvent) => void;
  /** Passed to every connection (TLS, buffer sizes, stageClock...). */
  client?: Omit<ClientOptions, 'onMessage' | 'onClose' | 'onError' | 'onPing' | 'onPong'>;
  /** First reconnect delay ceiling (full jitter: the delay is uniform below it). Default 500 ms. */
  initialDelayMs?: number;
  /** Reconnect delay ceilings double up to this. Default 30 000 ms. */
  maxDelayMs?: number;
  /** A connection that stayed live this long resets the backoff when it ends. Default 10 000 ms. */
  stableMs?: number;
  /** Random source for the jitter (tests). Default Math.random. */
  random?: () => number;
  /**
   * No frame at all (data, ping, pong, answer) for this long ends the connection as half-open.
   * Default: twice the venue's ping interval plus 5 s (45 s on Binance). 0: off.
   */
  silenceMs?: number;
  /**
   * Quiet for this long: send a ping. Default 10 000 ms; on a venue with an application-level
   * heartbeat (Bybit, OKX), its interval, and the heartbeat message is sent instead. 0: never ping.
   */
  pingAfterMs?: number;
  /**
   * A ping unanswered this long ends the connection ('pong-timeout'). Default 5 000 ms. A WebSocket
   * ping is answered by any frame; a venue heartbeat message only by its answer (MESSAGE_PONG).
   */
  pongTimeoutMs?: number;
  /** A subscribe/unsubscribe request unanswered this long ends the connection. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * Per-stream watchdog: a stream that sends nothing for this long while its connection carries
   * other frames is reported ('stream-silent') and resubscribed. Default 0 (off): many streams are
   * legitimately quiet (a trade stream of an illiquid symbol); set it for streams that never are.
   */
  streamSilenceMs?: number;
  /** Connection lifetime (make-before-break rollover `rolloverLeadMs` before it). Default: the venue's (24 h). 0: none. */
  lifetimeMs?: number;
  /** How long before the end of the lifetime the rollover starts. Default min(10 min, lifetime / 10). */
  rolloverLeadMs?: number;
  /** Longest overlap of the old and the new connection in a rollover. Default 5 000 ms. */
  handoverTimeoutMs?: number;
  /** Streams per connection. Default: the venue's limit (1024 on Binance); lower only. */
  maxStreamsPerConnection?: number;
  /** The connection-attempt budget and Retry-After gate; share one among streams to one venue from one IP. */
  gate?: ConnectionGate;
  /** Wait after a 429 without Retry-After. Default 60 000 ms. */
  retryAfterDefaultMs?: number;
  /** Wait after a 418 (IP banned) without Retry-After. Default 300 000 ms. */
  banDefaultMs?: number;
}

export interface ResolvedOptions {
  venue: VenueProfile;
  url: string;
  initialDelayMs: number;
  maxDelayMs: number;
  stableMs: number;
  random: () => number;
  silenceMs: number;
  pingAfterMs: number;
  pongTimeoutMs: number;
  requestTimeoutMs: number;
  streamSilenceMs: number;
  lifetimeMs: number;
  rolloverLeadMs: number;
  handoverTimeoutMs: number;
  maxStreamsPerConnection: number;
  retryAfterDefaultMs: number;
  banDefaultMs: number;
}

function duration(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(`managed stream: ${name} must be a finite number >= 0, got ${String(value)}`);
  return value;
}

export function resolveOptions(options: ManagedStreamOptions): ResolvedOptions {
  const venue = options.venue ?? binanceSpot;
  const limits = venue.limits;
  const lifetimeMs = duration(options.lifetimeMs, 'lifetimeMs', limits.connectionLifetimeMs);
  const maxStreams = options.maxStreamsPerConnection ?? limits.maxStreamsPerConnection;
  if (!Number.isInteger(maxStreams) || maxStreams < 1 || maxStreams > limits.maxStreamsPerConnection) {
    throw new RangeError(`managed stream: maxStreamsPerConnection must be an integer in [1, ${limits.maxStreamsPerConnection}]`);
  }
  const initialDelayMs = duration(options.initialDelayMs, 'initialDelayMs', 500);
  const maxDelayMs = duration(options.maxDelayMs, 'maxDelayMs', 30_000);
  if (!(initialDelayMs > 0) || maxDelayMs < initialDelayMs) throw new RangeError('managed stream: need 0 < initialDelayMs <= maxDelayMs');
  return {
    venue,
    url: options.url ?? venue.defaultUrl,
    initialDelayMs,
    maxDelayMs,
    stableMs: duration(options.stableMs, 'stableMs', 10_000),
    random: options.random ?? Math.random,
    silenceMs: duration(options.silenceMs, 'silenceMs', limits.serverPingIntervalMs > 0 ? 2 * limits.serverPingIntervalMs + 5_000 : 30_000),
    pingAfterMs: duration(options.pingAfterMs, 'pingAfterMs', venue.heartbeat?.intervalMs ?? 10_000),
    pongTimeoutMs: duration(options.pongTimeoutMs, 'pongTimeoutMs', 5_000),
    requestTimeoutMs: duration(options.requestTimeoutMs, 'requestTimeoutMs', 10_000),
    streamSilenceMs: duration(options.streamSilenceMs, 'streamSilenceMs', 0),
    lifetimeMs,
    rolloverLeadMs: duration(options.rolloverLeadMs, 'rolloverLeadMs', Math.min(10 * 60_000, lifetimeMs / 10)),
    handoverTimeoutMs: duration(options.handoverTimeoutMs, 'handoverTimeoutMs', 5_000),
    maxStreamsPerConnection: maxStreams,
    retryAfterDefaultMs: duration(options.retryAfterDefaultMs, 'retryAfterDefaultMs', 60_000),
    banDefaultMs: duration(options.banDefaultMs, 'banDefaultMs', 300_000),
  };
}

/**
 * How often the stream's timer checks liveness, lifetimes and watchdogs: a quarter of the shortest
 * deadline, within [10, 1000] ms, so a deadline is noticed at most a quarter (and at most 1 s)
 * after it passes. Not more often: each tick is a timer wakeup whose code runs cold and
 * unoptimized (it runs a few times a second), and at 4 ticks/s with the default 5 s deadlines
 * that was ~3% of a 100-stream book consumer's CPU (perf, pipeline bench, Node 22).
 */
export function tickInterval(options: ResolvedOptions): number {
  let shortest = 4000;
  for (const value of [options.silenceMs, options.pingAfterMs, options.pongTimeoutMs, options.streamSilenceMs, options.handoverTimeoutMs]) {
    if (value > 0) shortest = Math.min(shortest, value);
  }
  return Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
}
