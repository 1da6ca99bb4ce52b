// A market-data connection that stays up by itself: reconnects with exponential backoff and
// jitter when the connection drops, when connecting fails, or when the stream goes silent
// (half-open TCP, a stalled server). The stream's subscriptions live in its URL
// (`/stream?streams=...`), so every new connection resubscribes.
//
// States: IDLE -> CONNECTING -> OPEN -> (drop / silence) -> BACKOFF -> CONNECTING ...; stop()
// moves to STOPPED from anywhere. The message path only counts messages; the silence check runs on
// a timer and compares the count, so no clock is read per message.

import { connect, type Client, type ClientOptions, type MessageCallback } from 'tickwire';

export const LINK_IDLE = 0;
export const LINK_CONNECTING = 1;
export const LINK_OPEN = 2;
export const LINK_BACKOFF = 3;
export const LINK_STOPPED = 4;
const LINK_STATE_NAMES = ['idle', 'connecting', 'open', 'backoff', 'stopped'] as const;

/** First retry delay. */
export const DEFAULT_INITIAL_DELAY_MS = 100;
/** Retry delays double up to this. */
export const DEFAULT_MAX_DELAY_MS = 5_000;
/** No message for this long on an open connection: treat it as dead. */
export const DEFAULT_SILENCE_MS = 5_000;
/** How often the watchdog looks at the message count (the silence check's resolution). */
const WATCHDOG_INTERVAL_MS = 250;

/**
 * Exponential backoff with "equal jitter": the n-th delay is uniform in [d/2, d] with
 * d = min(max, initial * 2^n), so reconnecting clients spread out but never retry at once.
 */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  attempt = 0;
  private readonly random: () => number;

  constructor(initialMs = DEFAULT_INITIAL_DELAY_MS, maxMs = DEFAULT_MAX_DELAY_MS, random: () => number = Math.random) {
    if (!(initialMs > 0) || !(maxMs >= initialMs)) throw new RangeError('Backoff: need 0 < initialMs <= maxMs');
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The delay before the next attempt, in ms; each call counts one attempt. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ceiling / 2 + (ceiling / 2) * this.random();
  }

  reset(): void {
    this.attempt = 0;
  }
}

export interface ReconnectingOptions {
  /** Full URL including the stream path. */
  url: string;
  /** Passed to every connect() (TLS options, stageClock, ...); the callbacks are the link's. */
  client?: Omit<ClientOptions, 'onMessage' | 'onClose' | 'onError'>;
  onMessage: MessageCallback;
  /** A connection is open (reconnect: it is not the first one). */
  onOpen?: (client: Client, reconnect: boolean) => void;
  /** A connection ended (close code and reason as the client reported them). */
  onDown?: (code: number, reason: string) => void;
  /** Connect failures, protocol and socket errors. */
  onError?: (error: Error) => void;
  /** 0 turns the silence check off. Default 5000. */
  silenceMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export class ReconnectingStream {
  state = LINK_IDLE;
  /** The open connection, else null. */
  client: Client | null = null;
  /** Connections opened after the first one. */
  reconnects = 0;
  /** Connections declared dead by the silence check. */
  silences = 0;
  /** Failed connection attempts. */
  connectFailures = 0;
  /** Errors reported (connect failures included). */
  errors = 0;
  /** Messages received on all connections. */
  received = 0;

  private readonly options: ReconnectingOptions;
  private readonly backoff: Backoff;
  private readonly silenceMs: number;
  private readonly userOnMessage: MessageCallback;
  private opened = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private watchedCount = 0;
  private quietSince = 0;
  private stopWaiters: Array<() => void> = [];

  constructor(options: ReconnectingOptions) {
    this.options = options;
    this.backoff = new Backoff(options.initialDelayMs, options.maxDelayMs, options.random);
    this.silenceMs = options.silenceMs ?? DEFAULT_SILENCE_MS;
    this.userOnMessage = options.onMessage;
  }

  get stateName(): (typeof LINK_STATE_NAMES)[number] {
    return LINK_STATE_NAMES[this.state]!;
  }

  start(): void {
    if (this.state !== LINK_IDLE) return;
    this.watchdog = setInterval(() => this.checkSilence(), Math.min(WATCHDOG_INTERVAL_MS, Math.max(10, this.silenceMs / 4 || WATCHDOG_INTERVAL_MS)));
    this.watchdog.unref();
    this.open();
  }

  /** Closes the connection (close handshake, bounded by the client's closeTimeoutMs) and stops retrying. */
  stop(): Promise<void> {
    if (this.state === LINK_STOPPED && this.client === null) return Promise.resolve();
    const wasOpen = this.state === LINK_OPEN;
    this.state = LINK_STOPPED;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    const client = this.client;
    if (client === null) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    if (wasOpen && client.state === 'open') client.close(1000, 'bye');
    else client.terminate();
    return done;
  }

  /** Ends the current connection abruptly (as a drop would); the link reconnects. */
  dropConnection(): void {
    this.client?.terminate();
  }

  private readonly onMessage: MessageCallback = (data, start, end, isText) => {
    this.received++;
    this.userOnMessage(data, start, end, isText);
  };

  private open(): void {
    this.state = LINK_CONNECTING;
    let thisClient: Client | null = null;
    const options: ClientOptions = {
      ...this.options.client,
      onMessage: this.onMessage,
      onError: (error) => this.reportError(error),
      onClose: (code, reason) => {
        if (thisClient !== null && this.client === thisClient) this.onClosed(code, reason);
      },
    };
    connect(this.options.url, options).then(
      (client) => {
        thisClient = client;
        if (this.state === LINK_STOPPED) {
          client.terminate();
          return;
        }
        this.client = client;
        this.state = LINK_OPEN;
        this.watchedCount = this.received;
        this.quietSince = performance.now();
        const reconnect = this.opened++ > 0;
        if (reconnect) this.reconnects++;
        this.options.onOpen?.(client, reconnect);
        // onClose may already have fired if the socket died during onOpen.
        if (client.state === 'closed' && this.client === client) this.onClosed(1006, '');
      },
      (error: unknown) => {
        this.connectFailures++;
        this.reportError(error instanceof Error ? error : new Error(String(error)));
        if (this.state !== LINK_STOPPED) this.scheduleRetry();
      },
    );
  }

  private onClosed(code: number, reason: string): void {
    this.client = null;
    this.options.onDown?.(code, reason);
    if (this.state === LINK_STOPPED) {
      const waiters = this.stopWaiters;
      this.stopWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.state = LINK_BACKOFF;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === LINK_BACKOFF) this.open();
    }, this.backoff.next());
  }

  private checkSilence(): void {
    if (this.state !== LINK_OPEN) return;
    const now = performance.now();
    if (this.received !== this.watchedCount) {
      // Data flows: the connection is healthy, so the next failure starts from the short delay.
      this.watchedCount = this.received;
      this.quietSince = now;
      this.backoff.reset();
      return;
    }
    if (this.silenceMs > 0 && now - this.quietSince >= this.silenceMs) {
      this.silences++;
      // A half-open connection would never answer a close frame: drop it.
      this.client?.terminate();
    }
  }

  private reportError(error: Error): void {
    this.errors++;
    this.options.onError?.(error);
  }
}
