// A feed that stays up: streams subscribed by name, spread over as many connections as the
// venue's per-connection limit needs (a "slot" per connection), each slot reconnecting with
// full-jitter backoff through one connection gate (attempt budget, Retry-After), rolling over
// make-before-break on the venue's shutdown notice or lifetime, and every event delivered once or
// reported as a gap. See README "Managed streams".
import { HandshakeError } from '../handshake/handshake-error.js';
import { ConnectionGate, FullJitterBackoff, parseRetryAfter } from './backoff.js';
import {
  CONNECTION_CLOSED,
  CONNECTION_LIVE,
  StreamConnection,
  type ConnectionOwner,
  type ConnectionSettings,
} from './connection.js';
import type { ConnectionEndReason, ResubscribeReason, RolloverReason, StreamEvent, WaitReason } from './events.js';
import { MessageQueue, type MessageIteratorOptions, type StreamItem } from './message-queue.js';
import { StreamNameTable } from './name-table.js';
import { resolveOptions, tickInterval, type ManagedStreamOptions, type ResolvedOptions, type StreamMessageCallback } from './options.js';
import { ADMIT_BACKWARDS, ADMIT_DELIVER, ADMIT_DUPLICATE, ADMIT_GAP, ADMIT_HELD, ADMIT_RESET, SequenceTracker } from './sequence.js';
import { SEQUENCE_NONE, type VenueDecoder } from './venue.js';
import type { DepthDiff } from '../book/depth-diff.js';
import { StreamWatchdog } from './watchdog.js';
import { grownArray } from '../memory/growth.js';

/** Counters since start; all cheap integers updated on the data path. */
export interface ManagedStreamStats {
  /** Data messages received on all connections (duplicates included). */
  received: number;
  /** Events handed to the user (once each). */
  delivered: number;
  /** Events dropped because they were delivered already (overlaps, venue resends). */
  duplicates: number;
  /** Events dropped while another connection was still bringing the events before them. */
  held: number;
  /** Gaps reported, and the ids they cover. */
  gaps: number;
  /** Ids covered by the reported gaps. */
  missingIds: number;
  /** bookTicker-style ids that went backwards (reported, not delivered). */
  backwards: number;
  /** Times a stream's ids restarted below the last one (venue restart). */
  resets: number;
  /** Connection attempts, connections that opened, and those refused with 429/418. */
  attempts: number;
  /** Connections whose WebSocket opened. */
  opened: number;
  /** Upgrades refused with 429 or 418. */
  rateLimited: number;
  /** Make-before-break rollovers started (serverShutdown or lifetime). */
  rollovers: number;
}

class Slot {
  readonly index: number;
  readonly streams: number[] = [];
  current: StreamConnection | null = null;
  successor: StreamConnection | null = null;
  rollover: RolloverReason | null = null;
  timer: NodeJS.Timeout | null = null;
  readonly backoff: FullJitterBackoff;

  constructor(index: number, backoff: FullJitterBackoff) {
    this.index = index;
    this.backoff = backoff;
  }
}

/**
 * A market-data feed that stays up: subscribe to streams by name, `start()`, and every event
 * arrives once through `onMessage` (a view on the receive buffer, with the stream's index) or a
 * `gap` event names the ids that never came. Reconnects, rate limits, rollovers and watchdogs
 * are reported through `onEvent`. See the README section "Managed streams".
 */
export class ManagedStream implements ConnectionOwner {
  /** Counters since start. */
  readonly stats: ManagedStreamStats = {
    received: 0, delivered: 0, duplicates: 0, held: 0, gaps: 0, missingIds: 0, backwards: 0, resets: 0, attempts: 0, opened: 0, rateLimited: 0, rollovers: 0,
  };
  /** The connection-attempt budget and Retry-After gate in use. */
  readonly gate: ConnectionGate;

  private readonly options: ResolvedOptions;
  private readonly onMessageCallback: StreamMessageCallback | null;
  private readonly onEventCallback: ((event: StreamEvent) => void) | null;
  private readonly settings: ConnectionSettings;
  private readonly names = new StreamNameTable();
  private readonly sequence = new SequenceTracker();
  private readonly watchdog: StreamWatchdog;
  /** Per stream: SEQUENCE_* rule, venue id layout, subscribed (1) or not, slot index. */
  private rules = new Uint8Array(64);
  private layouts = new Uint8Array(64);
  private active = new Uint8Array(64);
  private slotOf = new Int32Array(64);
  /**
   * Per stream: the rollover successor that has shown it carries the stream in step (one of its
   * events was delivered or was a copy of one delivered), so the old connection can go.
   */
  private inStepOn = new Int32Array(64).fill(-1);
  private readonly slots: Slot[] = [];
  private readonly queues: MessageQueue[] = [];
  private readonly layoutsView = (): Uint8Array => this.layouts;
  private requestIds = 0;
  private connectionIds = 0;
  private started = false;
  private stopped = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private stopWaiters: Array<() => void> = [];
  /** The decoder of the message being delivered (set only during onMessage). */
  private delivering: VenueDecoder | null = null;

  constructor(options: ManagedStreamOptions = {}) {
    this.options = resolveOptions(options);
    const venue = this.options.venue;
    this.onMessageCallback = options.onMessage ?? null;
    this.onEventCallback = options.onEvent ?? null;
    this.gate = options.gate ?? new ConnectionGate(venue.limits.connectionAttempts, venue.limits.connectionAttemptWindowMs);
    this.watchdog = new StreamWatchdog(this.options.streamSilenceMs);
    this.settings = {
      url: venue.connectionUrl(this.options.url),
      client: options.client ?? {},
      // One message a second stays spare for the pong the client sends to each server ping.
      requestsPerSecond: Math.max(1, venue.limits.maxIncomingPerSecond - 1),
      subscribeRequest: (names, id) => venue.subscribeRequest(names, id),
      unsubscribeRequest: (names, id) => venue.unsubscribeRequest(names, id),
      maxStreamsPerRequest: venue.limits.maxStreamsPerRequest,
      acknowledgesEachStream: venue.acknowledgesEachStream === true,
      headers: venue.connectionHeaders === undefined ? null : () => venue.connectionHeaders!(),
      heartbeat: venue.heartbeat ?? null,
      maxRequestsPerWindow: venue.limits.maxRequestsPerWindow ?? 0,
      requestWindowMs: venue.limits.requestWindowMs ?? 0,
    };
  }

  // ---- public API ------------------------------------------------------------------------

  /** Adds streams by name (already subscribed ones are skipped); returns their indices. Connects if started. */
  subscribe(names: readonly string[]): number[] {
    if (this.stopped) throw new Error('managed stream: subscribe() after stop()');
    const venue = this.options.venue;
    for (const name of names) {
      const problem = venue.validateStreamName(name);
      if (problem !== null) throw new RangeError(problem);
    }
    const indices: number[] = [];
    const added = new Map<Slot, string[]>();
    for (const name of names) {
      const stream = this.names.add(name);
      indices.push(stream);
      this.ensureCapacity(this.names.size);
      if (this.active[stream] === 1) continue;
      this.active[stream] = 1;
      this.rules[stream] = venue.sequenceRule(name);
      this.layouts[stream] = venue.idLayout(name);
      const slot = this.slotWithRoom();
      slot.streams.push(stream);
      this.slotOf[stream] = slot.index;
      this.watchdog.watch(stream, performance.now());
      const list = added.get(slot);
      if (list === undefined) added.set(slot, [name]);
      else list.push(name);
    }
    for (const [slot, list] of added) {
      for (const connection of [slot.current, slot.successor]) {
        if (connection !== null && connection.state !== CONNECTION_CLOSED) connection.subscribe(list);
      }
      if (this.started && slot.current === null && slot.timer === null) this.advance(slot);
    }
    return indices;
  }

  /** Removes streams; their events stop (stragglers already in flight are dropped) and their ids are forgotten. */
  unsubscribe(names: readonly string[]): void {
    const removed = new Map<Slot, string[]>();
    for (const name of names) {
      const stream = this.names.indexOf(name);
      if (stream < 0 || this.active[stream] === 0) continue;
      this.active[stream] = 0;
      this.sequence.lastId[stream] = NaN;
      this.sequence.primary[stream] = -1;
      this.watchdog.unwatch(stream);
      const slot = this.slots[this.slotOf[stream]!]!;
      slot.streams.splice(slot.streams.indexOf(stream), 1);
      const list = removed.get(slot);
      if (list === undefined) removed.set(slot, [name]);
      else list.push(name);
    }
    for (const [slot, list] of removed) {
      for (const connection of [slot.current, slot.successor]) {
        if (connection === null || connection.state === CONNECTION_CLOSED) continue;
        if (slot.streams.length === 0) connection.end('unused', 1000, 'no streams');
        else connection.unsubscribe(list);
      }
    }
  }

  /**
   * Unsubscribes stream `index` and subscribes it again on the connections carrying it: on venues
   * that send a book snapshot when a stream is subscribed (Bybit, OKX), this is how a book asks
   * for a fresh one. The two requests go through the venue's rate limits like any other; one
   * resubscribe per stream waits at a time. Reported as a 'resubscribe' event. Returns false when
   * nothing was sent: the stream is not subscribed, a resubscribe of it is still unanswered, or
   * no connection is open (the next one subscribes the stream anyway).
   */
  resubscribe(index: number, reason: ResubscribeReason = 'requested'): boolean {
    if (this.stopped || index < 0 || index >= this.names.size || this.active[index] === 0) return false;
    const slot = this.slots[this.slotOf[index]!]!;
    const name = this.names.names[index]!;
    let sent = false;
    for (const connection of [slot.current, slot.successor]) {
      // A connection still connecting (or subscribing the stream) sends its subscribe anyway.
      if (connection === null || connection.state === CONNECTION_CLOSED || connection.hasPendingRequest(name)) continue;
      connection.unsubscribe([name]);
      connection.subscribe([name]);
      sent = true;
    }
    if (sent) this.emit({ type: 'resubscribe', stream: index, name, reason });
    return sent;
  }

  /** Opens the connections. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.tickTimer = setInterval(() => this.tick(), tickInterval(this.options));
    this.tickTimer.unref();
    for (const slot of this.slots) if (slot.streams.length !== 0) this.advance(slot);
  }

  /** Closes every connection (close handshakes) and ends the iterators. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    this.tickTimer = null;
    for (const slot of this.slots) {
      if (slot.timer !== null) clearTimeout(slot.timer);
      slot.timer = null;
      slot.current?.end('stopped', 1000, 'bye');
      slot.successor?.end('stopped', 1000, 'bye');
    }
    for (const queue of this.queues.splice(0)) queue.end();
    if (this.openConnections() === 0) return Promise.resolve();
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  /**
   * During onMessage: the book diff the venue decoder already read from this message to find its
   * update ids, or null (not a book stream, or a decoder that reads ids only). Apply it instead of
   * decoding the payload a second time; like the payload view, it is valid only during the call.
   */
  decodedBook(): DepthDiff | null {
    return this.delivering?.book ?? null;
  }

  /** The name of stream `index`. */
  streamName(index: number): string {
    return this.names.names[index] ?? '';
  }

  /** The index of a subscribed stream, or -1. */
  streamIndex(name: string): number {
    const index = this.names.indexOf(name);
    return index >= 0 && this.active[index] === 1 ? index : -1;
  }

  /** The last id delivered on stream `index` (NaN: none, or a stream without ids). */
  lastId(index: number): number {
    return this.sequence.lastId[index] ?? NaN;
  }

  /** Connections carrying streams now (current ones and rollover successors). */
  get connectionCount(): number {
    return this.openConnections();
  }

  /** The convenience form: every message (copied) and every event, in order, through a bounded queue. */
  messages(options: MessageIteratorOptions = {}): AsyncIterableIterator<StreamItem> {
    const queue = new MessageQueue(options, (done) => {
      const index = this.queues.indexOf(done);
      if (index >= 0) this.queues.splice(index, 1);
    });
    if (this.stopped) queue.end();
    else this.queues.push(queue);
    return queue;
  }

  /** Test and operations hook: drops every TCP connection now, as a network fault would. */
  dropConnections(): void {
    for (const slot of this.slots) {
      slot.current?.terminate();
      slot.successor?.terminate();
    }
  }

  // ---- data path -------------------------------------------------------------------------

  /** @internal hot path: one decoded data message. */
  onData(connection: StreamConnection, data: Uint8Array): void {
    const decoder = connection.decoder;
    const stream = decoder.stream;
    this.stats.received++;
    if (this.active[stream] === 0) return; // unsubscribed: a straggler
    this.watchdog.seen(stream);
    const rule = this.rules[stream]!;
    if (rule === SEQUENCE_NONE) {
      // No ids to de-duplicate by: one connection at a time is the source (switched when a rollover successor is live).
      const primary = this.sequence.primary[stream]!;
      if (primary !== connection.id) {
        if (primary !== -1) {
          this.stats.held++;
          return;
        }
        this.sequence.setPrimary(stream, connection.id);
      }
      this.deliver(stream, data, decoder);
      return;
    }
    const verdict =
      decoder.startsSequence === true
        ? this.sequence.admitStart(stream, connection.id, decoder.lastId)
        : this.sequence.admit(stream, rule, connection.id, !connection.madeBeforeBreak, decoder.firstId, decoder.lastId);
    if (connection.successor && (verdict === ADMIT_DELIVER || verdict === ADMIT_DUPLICATE)) this.inStepOn[stream] = connection.id;
    if (verdict === ADMIT_DELIVER) {
      this.deliver(stream, data, decoder);
      return;
    }
    this.judged(verdict, stream, connection, data);
  }

  /** The rarer verdicts of the sequence check. */
  private judged(verdict: number, stream: number, connection: StreamConnection, data: Uint8Array): void {
    const sequence = this.sequence;
    const decoder = connection.decoder;
    switch (verdict) {
      case ADMIT_GAP:
        this.stats.gaps++;
        this.stats.missingIds += sequence.gapTo - sequence.gapFrom + 1;
        this.emit({ type: 'gap', stream, name: this.streamName(stream), from: sequence.gapFrom, to: sequence.gapTo, reconnect: sequence.gapAcrossConnections });
        this.deliver(stream, data, decoder);
        return;
      case ADMIT_RESET:
        this.stats.resets++;
        this.emit({ type: 'reset', stream, name: this.streamName(stream), previous: sequence.resetFrom, received: decoder.lastId });
        this.deliver(stream, data, decoder);
        return;
      case ADMIT_DUPLICATE:
        this.stats.duplicates++;
        return;
      case ADMIT_HELD:
        this.stats.held++;
        return;
      case ADMIT_BACKWARDS:
        this.stats.backwards++;
        this.emit({ type: 'backwards', stream, name: this.streamName(stream), previous: sequence.lastId[stream]!, received: decoder.lastId });
        return;
      default:
        this.emit({ type: 'unreadable', stream, name: this.streamName(stream), connection: connection.id });
    }
  }

  private deliver(stream: number, data: Uint8Array, decoder: VenueDecoder): void {
    this.stats.delivered++;
    const start = decoder.payloadStart;
    const end = decoder.payloadEnd;
    if (this.onMessageCallback !== null) {
      this.delivering = decoder;
      try {
        this.onMessageCallback(stream, data, start, end);
      } finally {
        this.delivering = null;
      }
    }
    if (this.queues.length !== 0) {
      const name = this.streamName(stream);
      for (const queue of this.queues) queue.push({ type: 'message', stream, name, data: data.slice(start, end) });
    }
  }

  private emit(event: StreamEvent): void {
    if (this.onEventCallback !== null) {
      try {
        this.onEventCallback(event);
      } catch (error) {
        // An exception in the user's handler must not unwind through a socket callback or a timer.
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'ManagedStreamEventHandler');
      }
    }
    for (const queue of this.queues) queue.push(event);
  }

  // ---- connection owner ------------------------------------------------------------------

  /** @internal */
  nextRequestId(): number {
    return ++this.requestIds;
  }

  /** @internal */
  onOpen(connection: StreamConnection): void {
    this.stats.opened++;
    this.emit({ type: 'open', slot: connection.slot, connection: connection.id });
  }

  /** @internal */
  onLive(connection: StreamConnection): void {
    const slot = this.slots[connection.slot]!;
    const now = performance.now();
    // Streams without ids switch to the newest live connection; streams with ids switch by id.
    for (const stream of slot.streams) {
      if (this.rules[stream] === SEQUENCE_NONE) this.sequence.setPrimary(stream, connection.id);
      this.watchdog.watch(stream, now);
    }
    this.emit({ type: 'live', slot: slot.index, connection: connection.id, streams: slot.streams.length });
  }

  /** @internal */
  onShutdownNotice(connection: StreamConnection): void {
    const slot = this.slots[connection.slot]!;
    if (slot.current === connection) this.startRollover(slot, 'server-shutdown');
  }

  /** @internal */
  onRejected(connection: StreamConnection, names: string[], code: number, message: string): void {
    this.emit({ type: 'request-rejected', connection: connection.id, names, code, message });
  }

  /** @internal */
  onUnknownMessage(connection: StreamConnection, bytes: number): void {
    this.emit({ type: 'unknown-message', connection: connection.id, bytes });
  }

  /** @internal */
  onError(connection: StreamConnection, error: Error): void {
    this.emit({ type: 'error', connection: connection.id, error });
  }

  /** @internal */
  onConnectFailed(connection: StreamConnection, error: Error): void {
    const slot = this.slots[connection.slot]!;
    const status = error instanceof HandshakeError ? error.statusCode : 0;
    this.emit({ type: 'connect-failed', slot: slot.index, connection: connection.id, status, error });
    if (status === 429 || status === 418) {
      // Never retry before Retry-After: Binance bans IPs (418) that keep trying after a 429.
      const header = error instanceof HandshakeError ? error.headers?.['retry-after'] : undefined;
      const retryAfterMs = parseRetryAfter(header, Date.now()) ?? (status === 418 ? this.options.banDefaultMs : this.options.retryAfterDefaultMs);
      this.gate.block(performance.now(), retryAfterMs);
      this.stats.rateLimited++;
      this.emit({ type: 'rate-limited', slot: slot.index, connection: connection.id, status, retryAfterMs });
    }
    this.detach(slot, connection);
    this.scheduleRetry(slot);
  }

  /** @internal */
  onClosed(connection: StreamConnection, reason: ConnectionEndReason, code: number, detail: string): void {
    const slot = this.slots[connection.slot]!;
    this.sequence.connectionClosed(connection.id, this.names.size);
    this.emit({ type: 'closed', slot: slot.index, connection: connection.id, reason, code, detail });
    const now = performance.now();
    if (slot.current === connection) {
      if (connection.liveAt !== 0 && now - connection.liveAt >= this.options.stableMs) slot.backoff.reset();
      const successor = slot.successor;
      if (successor !== null && successor.state !== CONNECTION_CLOSED) {
        // The old connection went first (the venue closed it after its notice): the successor takes over.
        this.promote(slot, connection, successor, false);
      } else {
        slot.current = null;
        slot.rollover = null;
        if (!this.stopped && slot.streams.length !== 0) this.scheduleRetry(slot);
      }
    } else if (slot.successor === connection) {
      slot.successor = null;
      if (!this.stopped && slot.rollover !== null) this.scheduleRetry(slot);
    }
    if (this.stopped && this.openConnections() === 0) {
      for (const resolve of this.stopWaiters.splice(0)) resolve();
    }
  }

  // ---- slots and connections -------------------------------------------------------------

  private slotWithRoom(): Slot {
    for (const slot of this.slots) if (slot.streams.length < this.options.maxStreamsPerConnection) return slot;
    const slot = new Slot(this.slots.length, new FullJitterBackoff(this.options.initialDelayMs, this.options.maxDelayMs, this.options.random));
    this.slots.push(slot);
    return slot;
  }

  /** Opens what the slot lacks: its connection, or the successor of a pending rollover. */
  private advance(slot: Slot): void {
    if (this.stopped || slot.timer !== null || slot.streams.length === 0) return;
    const successor = slot.current !== null;
    if (successor && (slot.rollover === null || slot.successor !== null)) return;
    const now = performance.now();
    const wait = this.gate.waitMs(now);
    if (wait > 0) {
      this.wait(slot, wait, this.gate.notBefore > now ? 'retry-after' : 'attempt-budget');
      return;
    }
    this.gate.record(now);
    this.stats.attempts++;
    const connection = new StreamConnection(++this.connectionIds, slot.index, successor, this, this.settings, this.options.venue.createDecoder(this.names, this.layoutsView));
    if (successor) slot.successor = connection;
    else slot.current = connection;
    this.emit({ type: 'connecting', slot: slot.index, connection: connection.id, attempt: slot.backoff.attempt, rollover: successor });
    connection.start(slot.streams.map((stream) => this.names.names[stream]!));
  }

  private scheduleRetry(slot: Slot): void {
    if (this.stopped || slot.timer !== null || slot.streams.length === 0) return;
    const now = performance.now();
    const backoff = slot.backoff.next();
    const gateWait = this.gate.waitMs(now);
    if (gateWait > backoff) this.wait(slot, gateWait, this.gate.notBefore > now ? 'retry-after' : 'attempt-budget');
    else this.wait(slot, backoff, 'backoff');
  }

  private wait(slot: Slot, delayMs: number, reason: WaitReason): void {
    this.emit({ type: 'waiting', slot: slot.index, delayMs, reason });
    slot.timer = setTimeout(() => {
      slot.timer = null;
      this.advance(slot);
      // +1: Node's timers may fire up to a millisecond before performance.now() reaches the deadline.
    }, Math.ceil(delayMs) + 1);
  }

  private detach(slot: Slot, connection: StreamConnection): void {
    if (slot.current === connection) slot.current = null;
    if (slot.successor === connection) slot.successor = null;
  }

  private startRollover(slot: Slot, reason: RolloverReason): void {
    if (this.stopped || slot.rollover !== null || slot.current === null) return;
    slot.rollover = reason;
    this.stats.rollovers++;
    // `to` is the id the successor will get if it can connect now; a 'connecting' event with rollover: true follows.
    this.emit({ type: 'rollover', slot: slot.index, from: slot.current.id, to: this.connectionIds + 1, reason });
    this.advance(slot);
  }

  /**
   * The successor is live: the old connection goes once the successor carries every stream with
   * ids in step with it. An event the successor brings that was delivered already (or that it
   * delivers first) shows that nothing lies between the two connections for that stream; one
   * that skips ahead is held back and the old connection stays until the ids meet.
   */
  private checkHandover(slot: Slot, now: number): void {
    const current = slot.current!;
    const successor = slot.successor!;
    const lastId = this.sequence.lastId;
    let pending = false;
    for (const stream of slot.streams) {
      // A stream that never delivered anything has nothing to lose in the switch.
      if (this.rules[stream] !== SEQUENCE_NONE && this.inStepOn[stream] !== successor.id && lastId[stream] === lastId[stream]) {
        pending = true;
        break;
      }
    }
    const timedOut = now - successor.liveAt >= this.options.handoverTimeoutMs;
    if (pending && !timedOut) return;
    this.promote(slot, current, successor, pending);
    current.end('replaced', 1000, 'replaced');
  }

  private promote(slot: Slot, old: StreamConnection, successor: StreamConnection, timedOut: boolean): void {
    slot.current = successor;
    slot.successor = null;
    slot.rollover = null;
    successor.successor = false;
    this.emit({ type: 'handover', slot: slot.index, from: old.id, to: successor.id, timedOut });
  }

  private tick(): void {
    const now = performance.now();
    const options = this.options;
    for (const slot of this.slots) {
      this.checkConnection(slot.current, now);
      this.checkConnection(slot.successor, now);
      const current = slot.current;
      if (current === null || current.state !== CONNECTION_LIVE) continue;
      if (slot.successor !== null) {
        if (slot.successor.state === CONNECTION_LIVE) this.checkHandover(slot, now);
      } else if (options.lifetimeMs > 0 && now - current.openedAt >= options.lifetimeMs - options.rolloverLeadMs) {
        this.startRollover(slot, 'lifetime');
      }
    }
    if (options.streamSilenceMs > 0) this.checkStreams(now);
  }

  private checkConnection(connection: StreamConnection | null, now: number): void {
    if (connection === null) return;
    const options = this.options;
    const reason = connection.check(now, options.silenceMs, options.pingAfterMs, options.pongTimeoutMs, options.requestTimeoutMs);
    if (reason !== null) connection.end(reason);
  }

  /** Per-stream watchdog: a stream quiet for streamSilenceMs on a connection that is not quiet is resubscribed. */
  private checkStreams(now: number): void {
    const watchdog = this.watchdog;
    for (const slot of this.slots) {
      const connection = slot.current;
      if (connection === null || connection.state !== CONNECTION_LIVE || slot.successor !== null) continue;
      for (const stream of slot.streams) {
        const silentMs = watchdog.silentFor(stream, now);
        if (silentMs < this.options.streamSilenceMs) continue;
        // The connection itself quiet too: that is the connection's silence check's business.
        if (connection.quietFor(now) >= this.options.streamSilenceMs) continue;
        watchdog.watch(stream, now);
        const name = this.names.names[stream]!;
        this.emit({ type: 'stream-silent', stream, name, silentMs });
        connection.unsubscribe([name]);
        connection.subscribe([name]);
      }
    }
  }

  private openConnections(): number {
    let count = 0;
    for (const slot of this.slots) {
      if (slot.current !== null && slot.current.state !== CONNECTION_CLOSED) count++;
      if (slot.successor !== null && slot.successor.state !== CONNECTION_CLOSED) count++;
    }
    return count;
  }

  private ensureCapacity(count: number): void {
    this.sequence.ensure(count);
    this.watchdog.ensure(count);
    if (count <= this.rules.length) return;
    this.rules = grownArray(this.rules, count);
    this.inStepOn = grownArray(this.inStepOn, count, -1);
    this.layouts = grownArray(this.layouts, count);
    this.active = grownArray(this.active, count);
    this.slotOf = grownArray(this.slotOf, count);
  }
}

/** Creates a managed stream, subscribes `names` and starts it. */
export function openStream(names: readonly string[], options: ManagedStreamOptions = {}): ManagedStream {
  const stream = new ManagedStream(options);
  stream.subscribe(names);
  stream.start();
  return stream;
}
