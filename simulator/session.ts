import type { ServerConnection } from 'tickwire';

/** Binance's connection rules; each can be changed for tests (web-socket-streams.md, General WSS information). */
export interface ConnectionLimits {
  /** "The WebSocket server will send a ping frame every 20 seconds." */
  pingIntervalMs: number;
  /** "If the WebSocket server does not receive a pong frame back ... within a minute". */
  pongTimeoutMs: number;
  /** "A single connection to stream.binance.com is only valid for 24 hours". */
  lifetimeMs: number;
  /** How long before the end of life the `serverShutdown` event is sent. */
  shutdownNoticeMs: number;
  /** "WebSocket connections have a limit of 5 incoming messages per second" (0: no limit). */
  maxIncomingPerSecond: number;
  /** "A single connection can listen to a maximum of 1024 streams." */
  maxStreams: number;
  /** "There is a limit of 300 connections per attempt every 5 minutes per IP" (0: no limit). */
  maxConnectionAttempts: number;
  /** The window of `maxConnectionAttempts`, in ms (5 minutes on Binance). */
  connectionAttemptWindowMs: number;
  /** First ban (418) for an IP that retries before Retry-After; it doubles per offence, up to 3 days. 0: no bans (429 again). */
  banMs: number;
}

/** The limits Binance Spot documents (web-socket-streams.md), the simulator's defaults. */
export const BINANCE_LIMITS: ConnectionLimits = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 60_000,
  lifetimeMs: 24 * 60 * 60 * 1000,
  // An earlier revision of the docs said the event comes "10 minutes before disconnection".
  shutdownNoticeMs: 10 * 60 * 1000,
  maxIncomingPerSecond: 5,
  maxStreams: 1024,
  maxConnectionAttempts: 300,
  connectionAttemptWindowMs: 5 * 60 * 1000,
  // "IP bans ... scale in duration for repeat offenders, from 2 minutes to 3 days."
  banMs: 2 * 60 * 1000,
};

/** Close code when the incoming message limit is exceeded (the docs only say "disconnected"). */
export const CLOSE_RATE_LIMIT = 1008;
/** Close code when no pong came back in time. */
export const CLOSE_PONG_TIMEOUT = 1008;
/** Close code at the end of the connection's lifetime. */
export const CLOSE_LIFETIME = 1001;

/**
 * A venue's rules for a connection beyond ConnectionLimits (venues/dialect.ts supplies them).
 * Binance: server pings and a lifetime notice; Bybit/OKX-style venues: no server pings, and a
 * client that sends nothing for idleTimeoutMs is closed.
 */
export interface SessionRules {
  /** Close the connection when no message (data, ping or pong) arrived for this long; 0: never. */
  idleTimeoutMs: number;
  /** Close code for the idle timeout. */
  idleCloseCode: number;
  /** Sent `shutdownNoticeMs` before the end of the connection's lifetime (Binance `serverShutdown`); null: nothing. */
  lifetimeNotice: ((session: Session) => void) | null;
}

/** Outstanding pings remembered; with Binance's 20 s / 60 s at most 3 are ever outstanding. */
const PING_HISTORY = 8;

/** One client connection to the exchange: subscriptions, properties, limits, heartbeat. */
export class Session {
  readonly id: number;
  readonly connection: ServerConnection;
  /** The `combined` property: payloads wrapped as {"stream":..,"data":..}. */
  combined: boolean;
  /** Subscribed stream names, in subscription order (LIST_SUBSCRIPTIONS answers in this order). */
  readonly streams = new Set<string>();
  /** timeUnit=MICROSECOND in the URL: time fields (E, T) in microseconds. */
  readonly microseconds: boolean;
  /** Fault injection: no data, no pings, no pongs; the socket stays open. */
  silent = false;
  /** False once the exchange has started closing the connection (e.g. as a slow consumer). */
  open = true;
  /** URL routes this connection was opened on (StreamCatalogue.routeOf); ~0: all. */
  routeMask = ~0;
  messagesSent = 0;

  private readonly limits: ConnectionLimits;
  /** Arrival times of the last maxIncomingPerSecond incoming messages (a ring). */
  private readonly incoming: Float64Array;
  private incomingCount = 0;
  private pingSequence = 0;
  private answeredSequence = 0;
  private readonly pingSentAt = new Float64Array(PING_HISTORY);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly rules: SessionRules;
  /** performance.now() of the last incoming message (idle timeout). */
  private lastIncomingAt = performance.now();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(id: number, connection: ServerConnection, combined: boolean, microseconds: boolean, limits: ConnectionLimits, rules: SessionRules) {
    this.id = id;
    this.connection = connection;
    this.combined = combined;
    this.microseconds = microseconds;
    this.limits = limits;
    this.rules = rules;
    this.incoming = new Float64Array(Math.max(1, limits.maxIncomingPerSecond));
    if (limits.pingIntervalMs > 0) this.addTimer(setInterval(() => this.heartbeat(), limits.pingIntervalMs));
    if (limits.lifetimeMs > 0) {
      const notice = rules.lifetimeNotice;
      const noticeAt = Math.max(0, limits.lifetimeMs - limits.shutdownNoticeMs);
      if (notice !== null) this.addTimer(setTimeout(() => notice(this), noticeAt));
      this.addTimer(setTimeout(() => this.connection.close(CLOSE_LIFETIME, 'Connection lifetime reached'), limits.lifetimeMs));
    }
    if (rules.idleTimeoutMs > 0) this.scheduleIdleCheck(rules.idleTimeoutMs);
  }

  /** Whether events are sent to this connection now. */
  get takesData(): boolean {
    // isOpen: a connection the client (or a protocol error) started closing takes no more sends.
    return this.open && !this.silent && this.connection.isOpen;
  }

  /**
   * Counts an incoming message (ping, pong or request). Returns false, after closing the
   * connection, when it is the one that broke the per-second limit.
   */
  countIncoming(): boolean {
    const now = performance.now();
    this.lastIncomingAt = now;
    const limit = this.limits.maxIncomingPerSecond;
    if (limit === 0) return true;
    const slot = this.incomingCount % limit;
    // The message `limit` arrivals ago shares this slot: if it is less than a second old, this
    // is the (limit + 1)th message within one second.
    if (this.incomingCount >= limit && now - this.incoming[slot]! < 1000) {
      this.connection.close(CLOSE_RATE_LIMIT, 'Too many messages');
      return false;
    }
    this.incoming[slot] = now;
    this.incomingCount++;
    return true;
  }

  /** A pong arrived: it answers our pings up to the sequence number it carries. */
  pongReceived(data: Uint8Array, start: number, end: number): void {
    // "Unsolicited pong frames are allowed, but will not prevent disconnection": only a pong
    // echoing one of our ping payloads counts.
    let sequence = 0;
    for (let index = start; index < end; index++) {
      const digit = data[index]! - 0x30;
      if (digit < 0 || digit > 9) return;
      sequence = sequence * 10 + digit;
    }
    if (end > start && sequence <= this.pingSequence && sequence > this.answeredSequence) this.answeredSequence = sequence;
  }

  /** Stops timers (the connection is gone). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Idle rule: one timer, re-armed for the time left since the last incoming message. */
  private scheduleIdleCheck(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.connection.isOpen) return;
      // A silenced (half-open) exchange closes nothing either: the fault keeps the socket open.
      if (this.silent) return this.scheduleIdleCheck(this.rules.idleTimeoutMs);
      const idleMs = performance.now() - this.lastIncomingAt;
      if (idleMs >= this.rules.idleTimeoutMs) {
        this.connection.close(this.rules.idleCloseCode, 'Idle timeout');
        return;
      }
      this.scheduleIdleCheck(Math.max(1, this.rules.idleTimeoutMs - idleMs));
    }, delayMs);
    this.idleTimer.unref();
  }

  private heartbeat(): void {
    if (this.silent || !this.connection.isOpen) return;
    const now = performance.now();
    const oldestUnanswered = this.answeredSequence + 1;
    if (oldestUnanswered <= this.pingSequence) {
      const sentAt = this.pingSequence - oldestUnanswered >= PING_HISTORY ? 0 : this.pingSentAt[oldestUnanswered % PING_HISTORY]!;
      if (now - sentAt >= this.limits.pongTimeoutMs) {
        this.connection.close(CLOSE_PONG_TIMEOUT, 'Pong timeout');
        return;
      }
    }
    this.pingSequence++;
    this.pingSentAt[this.pingSequence % PING_HISTORY] = now;
    this.connection.ping(Buffer.from(String(this.pingSequence), 'latin1'));
  }

  private addTimer(timer: NodeJS.Timeout): void {
    timer.unref();
    this.timers.push(timer);
  }
}
