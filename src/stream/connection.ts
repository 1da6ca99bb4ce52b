// One WebSocket connection of a managed stream: connects, sends its subscribe and unsubscribe
// requests inside the venue's per-second limit and matches their acknowledgements, tracks
// liveness from every frame (data, ping, pong), pings when quiet, and hands each decoded message
// to its owner. It never reconnects itself: the owner (ManagedStream) decides what comes next.
//
// States: CONNECTING -> SUBSCRIBING -> LIVE -> CLOSED, or CONNECTING -> CLOSED when the upgrade
// fails. A connection is LIVE once every subscribe request sent before that point is acknowledged.
import type { Client } from '../client/client.js';
import { connect } from '../client/connect.js';
import type { ClientOptions } from '../client/options.js';
import { WebSocketError } from '../protocol/errors.js';
import { SendWindow } from './backoff.js';
import type { ConnectionEndReason } from './events.js';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_PONG, MESSAGE_REJECT, MESSAGE_SHUTDOWN, type VenueDecoder, type VenueHeartbeat } from './venue.js';

export const CONNECTION_CONNECTING = 0;
export const CONNECTION_SUBSCRIBING = 1;
export const CONNECTION_LIVE = 2;
export const CONNECTION_CLOSED = 3;

/** The sliding window of the venue's per-second message limit, with a margin for clock skew. */
const SEND_WINDOW_MS = 1100;

/** What a connection reports to its owner (ManagedStream). @internal */
export interface ConnectionOwner {
  /** Hot path: a data message, decoded into `connection.decoder`. */
  onData(connection: StreamConnection, data: Uint8Array): void;
  onOpen(connection: StreamConnection): void;
  onLive(connection: StreamConnection): void;
  onShutdownNotice(connection: StreamConnection): void;
  onRejected(connection: StreamConnection, names: string[], code: number, message: string): void;
  onUnknownMessage(connection: StreamConnection, bytes: number): void;
  onConnectFailed(connection: StreamConnection, error: Error): void;
  onClosed(connection: StreamConnection, reason: ConnectionEndReason, code: number, detail: string): void;
  onError(connection: StreamConnection, error: Error): void;
  /** A unique id for a control request. */
  nextRequestId(): number;
}

export interface ConnectionSettings {
  url: string;
  client: Omit<ClientOptions, 'onMessage' | 'onClose' | 'onError' | 'onPing' | 'onPong'>;
  /** Requests we may send per SEND_WINDOW_MS (the venue's limit minus what we keep spare). */
  requestsPerSecond: number;
  subscribeRequest(names: readonly string[], requestId: number): string;
  unsubscribeRequest(names: readonly string[], requestId: number): string;
  maxStreamsPerRequest: number;
  /** The venue answers each stream of a request separately (VenueProfile.acknowledgesEachStream). */
  acknowledgesEachStream: boolean;
  /** Extra upgrade headers, asked for at each connection attempt (null: none). */
  headers: (() => Record<string, string>) | null;
  /** The venue's application-level heartbeat (null: WebSocket pings). */
  heartbeat: VenueHeartbeat | null;
  /** The venue's second, longer limit on subscribe/unsubscribe requests (0: none). */
  maxRequestsPerWindow: number;
  requestWindowMs: number;
}

const REQUEST_SUBSCRIBE = 0;
const REQUEST_UNSUBSCRIBE = 1;

interface ControlRequest {
  kind: number;
  names: string[];
  id: number;
  sentAt: number;
  /** Acknowledgements still expected (1, or one per stream when the venue answers each). */
  acksLeft: number;
}

export class StreamConnection {
  readonly id: number;
  readonly slot: number;
  /** True while this connection is the successor in a make-before-break rollover. */
  successor: boolean;
  /** Opened as a rollover successor (false: it replaced a connection that had closed). */
  readonly madeBeforeBreak: boolean;
  state = CONNECTION_CONNECTING;
  readonly decoder: VenueDecoder;
  /** Frames received (data, control answers, pings, pongs): the liveness counter. */
  frames = 0;
  /** When the WebSocket opened (performance.now()); 0 before. */
  openedAt = 0;
  /** When it became LIVE; 0 before. */
  liveAt = 0;
  /** Liveness bookkeeping, updated by check(). */
  private framesSeen = 0;
  private quietSince = 0;
  /** A ping (frame or heartbeat message) awaits its answer since then; 0: none. */
  private pingSentAt = 0;
  /** When the last application-level heartbeat was sent (or the connection opened). */
  private heartbeatAt = 0;

  private client: Client | null = null;
  private readonly owner: ConnectionOwner;
  private readonly settings: ConnectionSettings;
  private readonly sendWindow: SendWindow;
  /** The venue's longer request limit (OKX 480 per hour), or null. */
  private readonly requestWindow: SendWindow | null;
  /** Requests not sent yet, in order. */
  private readonly queue: ControlRequest[] = [];
  /** Requests sent and not answered, by id. */
  private readonly awaiting = new Map<number, ControlRequest>();
  private pumpTimer: NodeJS.Timeout | null = null;
  private endReason: ConnectionEndReason | null = null;

  constructor(id: number, slot: number, successor: boolean, owner: ConnectionOwner, settings: ConnectionSettings, decoder: VenueDecoder) {
    this.id = id;
    this.slot = slot;
    this.successor = successor;
    this.madeBeforeBreak = successor;
    this.owner = owner;
    this.settings = settings;
    this.decoder = decoder;
    this.sendWindow = new SendWindow(settings.requestsPerSecond, SEND_WINDOW_MS);
    this.requestWindow = settings.maxRequestsPerWindow > 0 ? new SendWindow(settings.maxRequestsPerWindow, settings.requestWindowMs) : null;
  }

  /** Opens the WebSocket; `names` are subscribed as soon as it is open. */
  start(names: readonly string[]): void {
    this.subscribe(names);
    const venueHeaders = this.settings.headers?.();
    const options: ClientOptions = {
      ...this.settings.client,
      ...(venueHeaders !== undefined && { headers: { ...venueHeaders, ...this.settings.client.headers } }),
      onMessage: this.onMessage,
      onPing: this.onFrame,
      onPong: this.onFrame,
      onError: (error) => this.owner.onError(this, error),
      onClose: (code, reason) => this.closed(code, reason),
    };
    connect(this.settings.url, options).then(
      (client) => {
        if (this.state === CONNECTION_CLOSED) {
          client.terminate();
          return;
        }
        this.client = client;
        this.state = CONNECTION_SUBSCRIBING;
        this.openedAt = this.quietSince = this.heartbeatAt = performance.now();
        this.owner.onOpen(this);
        this.pump();
      },
      (error: unknown) => {
        if (this.state === CONNECTION_CLOSED) return;
        this.state = CONNECTION_CLOSED;
        this.owner.onConnectFailed(this, error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Queues subscribe requests for `names` (in batches of the venue's request size). */
  subscribe(names: readonly string[]): void {
    this.enqueue(REQUEST_SUBSCRIBE, names);
  }

  unsubscribe(names: readonly string[]): void {
    this.enqueue(REQUEST_UNSUBSCRIBE, names);
  }

  /** True while a request naming `name` is queued or unanswered (rare path: a scan). */
  hasPendingRequest(name: string): boolean {
    for (const request of this.queue) if (request.names.includes(name)) return true;
    for (const request of this.awaiting.values()) if (request.names.includes(name)) return true;
    return false;
  }

  /** Requests queued or unanswered. */
  get pendingRequests(): number {
    return this.queue.length + this.awaiting.size;
  }

  /**
   * Liveness and request deadlines, called by the owner's timer. Returns the reason to end the
   * connection, or null while it is healthy.
   */
  check(now: number, silenceMs: number, pingAfterMs: number, pongTimeoutMs: number, requestTimeoutMs: number): ConnectionEndReason | null {
    if (this.state !== CONNECTION_SUBSCRIBING && this.state !== CONNECTION_LIVE) return null;
    const heartbeat = this.settings.heartbeat;
    if (this.frames !== this.framesSeen) {
      this.framesSeen = this.frames;
      this.quietSince = now;
      // Any frame answers a WebSocket ping; a heartbeat message wants its own answer (MESSAGE_PONG).
      if (heartbeat === null) this.pingSentAt = 0;
    }
    const quiet = now - this.quietSince;
    if (this.pingSentAt !== 0 && now - this.pingSentAt >= pongTimeoutMs) return 'pong-timeout';
    if (silenceMs > 0 && quiet >= silenceMs) return 'silent';
    if (pingAfterMs > 0 && this.pingSentAt === 0 && this.sendWindow.waitMs(now) === 0) {
      if (heartbeat === null) {
        // Unsolicited pings are answered by a pong (RFC 6455 5.5.2); the ping counts against the
        // venue's incoming-message limit, so it goes through the same window as the requests.
        if (quiet >= pingAfterMs) this.sendPing(now);
      } else if ((heartbeat.whenQuiet ? quiet : now - this.heartbeatAt) >= pingAfterMs) {
        this.sendHeartbeat(now, heartbeat.message);
      }
    }
    if (this.awaiting.size !== 0) {
      for (const request of this.awaiting.values()) if (now - request.sentAt >= requestTimeoutMs) return 'request-timeout';
    }
    return null;
  }

  /** How long no frame has arrived, as of the last check() (0 when frames came since). */
  quietFor(now: number): number {
    return this.frames !== this.framesSeen ? 0 : now - this.quietSince;
  }

  /** Ends the connection: a close handshake, or a drop when the peer cannot be trusted to answer. */
  end(reason: ConnectionEndReason, code = 1000, detail = ''): void {
    if (this.state === CONNECTION_CLOSED || this.endReason !== null) return;
    this.endReason = reason;
    const client = this.client;
    if (client === null) {
      // Still connecting: the open callback terminates the client when it arrives.
      this.state = CONNECTION_CLOSED;
      this.clearPump();
      this.owner.onClosed(this, reason, 1006, detail);
      return;
    }
    if (reason === 'silent' || reason === 'pong-timeout') client.terminate(); // half-open: no close frame would be answered
    else if (client.state === 'open') client.close(code, detail.slice(0, 60));
    else client.terminate();
  }

  /** Test hook: drop the TCP connection now, as a network fault would. */
  terminate(): void {
    this.client?.terminate();
  }

  // ---- receive ---------------------------------------------------------------------------

  private readonly onFrame = (): void => {
    this.frames++;
  };

  private readonly onMessage = (data: Uint8Array, start: number, end: number, isText: boolean): void => {
    this.frames++;
    const decoder = this.decoder;
    let kind: number;
    if (isText) kind = decoder.decode(data, start, end);
    else if (decoder.decodeBinary !== undefined) kind = decoder.decodeBinary(data, start, end);
    else {
      this.owner.onUnknownMessage(this, end - start);
      return;
    }
    if (kind === MESSAGE_DATA) {
      this.owner.onData(this, data);
      return;
    }
    this.onControl(kind, end - start);
  };

  private onControl(kind: number, bytes: number): void {
    const decoder = this.decoder;
    switch (kind) {
      case MESSAGE_PONG:
        this.pingSentAt = 0;
        return;
      case MESSAGE_ACK: {
        const request = this.answered(decoder.requestId);
        if (request === undefined) {
          this.owner.onUnknownMessage(this, bytes);
          return;
        }
        if (--request.acksLeft > 0) return;
        this.awaiting.delete(request.id);
        this.maybeLive();
        return;
      }
      case MESSAGE_REJECT: {
        // A refusal ends the request whatever answers were still expected for it.
        const request = this.answered(decoder.requestId);
        if (request !== undefined) this.awaiting.delete(request.id);
        this.owner.onRejected(this, request === undefined ? [] : request.names, decoder.errorCode, decoder.errorText());
        this.maybeLive();
        return;
      }
      case MESSAGE_SHUTDOWN:
        this.owner.onShutdownNotice(this);
        return;
      default:
        this.owner.onUnknownMessage(this, bytes);
    }
  }

  /** The request an answer is for: by id, or the oldest unanswered one when the venue's answers carry no id. */
  private answered(requestId: number): ControlRequest | undefined {
    if (requestId >= 0) return this.awaiting.get(requestId);
    // A Map iterates in insertion order, which is the order the requests were sent.
    for (const request of this.awaiting.values()) return request;
    return undefined;
  }

  private maybeLive(): void {
    if (this.state !== CONNECTION_SUBSCRIBING || this.awaiting.size !== 0 || this.queue.length !== 0) return;
    this.state = CONNECTION_LIVE;
    this.liveAt = performance.now();
    this.owner.onLive(this);
  }

  private closed(code: number, reason: string): void {
    if (this.state === CONNECTION_CLOSED) return;
    this.state = CONNECTION_CLOSED;
    this.clearPump();
    this.queue.length = 0;
    this.awaiting.clear();
    const endReason = this.endReason ?? (code === 1006 ? 'dropped' : code === 1002 || code === 1007 || code === 1009 ? 'protocol-error' : 'closed-by-venue');
    this.owner.onClosed(this, endReason, code, reason);
  }

  // ---- send ------------------------------------------------------------------------------

  private enqueue(kind: number, names: readonly string[]): void {
    const batch = Math.max(1, this.settings.maxStreamsPerRequest);
    for (let index = 0; index < names.length; index += batch) {
      const slice = names.slice(index, index + batch);
      this.queue.push({ kind, names: slice, id: 0, sentAt: 0, acksLeft: this.settings.acknowledgesEachStream ? slice.length : 1 });
    }
    if (this.state === CONNECTION_SUBSCRIBING || this.state === CONNECTION_LIVE) this.pump();
  }

  /** Sends queued requests as fast as the venue's limit allows, then waits for the window. */
  private pump(): void {
    const client = this.client;
    if (client === null || this.pumpTimer !== null) return;
    while (this.queue.length !== 0 && client.state === 'open') {
      const now = performance.now();
      const wait = Math.max(this.sendWindow.waitMs(now), this.requestWindow === null ? 0 : this.requestWindow.waitMs(now));
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = null;
          this.pump();
        }, Math.ceil(wait));
        this.pumpTimer.unref();
        return;
      }
      const request = this.queue.shift()!;
      request.id = this.owner.nextRequestId();
      request.sentAt = now;
      this.sendWindow.record(now);
      this.requestWindow?.record(now);
      this.awaiting.set(request.id, request);
      const text = request.kind === REQUEST_SUBSCRIBE ? this.settings.subscribeRequest(request.names, request.id) : this.settings.unsubscribeRequest(request.names, request.id);
      try {
        client.send(text);
      } catch (error) {
        this.owner.onError(this, error instanceof WebSocketError ? error : new Error(String(error)));
        return;
      }
    }
    this.maybeLive();
  }

  private sendPing(now: number): void {
    this.sendWindow.record(now);
    this.pingSentAt = now;
    this.client?.ping();
  }

  /** The venue's heartbeat message; it counts against the incoming-message limit like a ping. */
  private sendHeartbeat(now: number, message: string): void {
    const client = this.client;
    if (client === null || client.state !== 'open') return;
    this.sendWindow.record(now);
    this.pingSentAt = this.heartbeatAt = now;
    try {
      client.send(message);
    } catch (error) {
      this.owner.onError(this, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private clearPump(): void {
    if (this.pumpTimer !== null) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
  }
}
