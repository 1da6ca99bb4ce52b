// What the ticker tells about its feed: every StreamEvent of the managed stream counted for the
// view and the summary (reconnects, silences, gaps with their missing ids, rollovers and
// handovers, id resets, streams resubscribed by the watchdog, errors), the state of each
// connection slot for the header, and one line of text per event worth a log line.
// Events are rare (connections, gaps, rollovers), so this may build strings freely.

import type { StreamEvent } from 'tickwire';

/** The state of one connection slot, as the header shows it. */
export type LinkState = 'idle' | 'connecting' | 'subscribing' | 'live' | 'rolling over' | 'down' | 'waiting' | 'stopped';

export class StreamReport {
  /** Connections whose WebSocket opened. */
  opened = 0;
  /** Connections opened to replace one that ended (not rollover successors). */
  reconnects = 0;
  /** Connections ended because nothing arrived (silence) or a ping went unanswered. */
  silences = 0;
  /** Connection attempts that failed before the WebSocket opened. */
  connectFailures = 0;
  /** Upgrades refused with 429 / 418 (the stream waits Retry-After). */
  rateLimited = 0;
  /** Make-before-break rollovers started (serverShutdown, 24 h lifetime) and finished. */
  rollovers = 0;
  handovers = 0;
  /** Gap reports and the ids they name. */
  gaps = 0;
  missingIds = 0;
  /** Ids that went backwards (dropped) and id restarts (venue restart: new baseline). */
  backwards = 0;
  resets = 0;
  /** Streams resubscribed (by the per-stream watchdog, or on request); events without readable ids (dropped). */
  streamsResubscribed = 0;
  unreadable = 0;
  /** Subscribe/unsubscribe requests the venue refused. */
  rejected = 0;
  /** Messages the venue decoder could not classify. */
  unknownMessages = 0;
  /** Errors: socket and protocol errors, failed connects, refused requests. */
  errors = 0;

  /** Per slot: its state and its current connection. */
  private readonly states: LinkState[] = [];
  private readonly currentConnection: number[] = [];
  /** Connections opened as rollover successors (their 'open' is not a reconnect). */
  private readonly successors = new Set<number>();
  private stopped = false;

  /** The slots' states: one word for one connection, joined with '/' for several. */
  get state(): string {
    if (this.stopped) return 'stopped';
    return this.states.length === 0 ? 'idle' : this.states.join('/');
  }

  /** The stream is being stopped: its closing events are not failures. */
  stopping(): void {
    this.stopped = true;
  }

  /** Counts one event; returns the line to log, or null for routine ones. */
  onEvent(event: StreamEvent): string | null {
    switch (event.type) {
      case 'connecting':
        if (event.rollover) {
          this.successors.add(event.connection);
        } else {
          this.currentConnection[event.slot] = event.connection;
          this.states[event.slot] = 'connecting';
        }
        return null;
      case 'connect-failed':
        this.connectFailures++;
        this.errors++;
        this.successors.delete(event.connection);
        return `connect failed${event.status === 0 ? '' : ` (HTTP ${event.status})`}: ${event.error.message}`;
      case 'rate-limited':
        this.rateLimited++;
        return `rate limited (HTTP ${event.status}): no attempt for ${(event.retryAfterMs / 1000).toFixed(1)} s`;
      case 'waiting':
        if (this.currentConnection[event.slot] !== undefined && this.states[event.slot] !== 'rolling over') this.states[event.slot] = 'waiting';
        return event.reason === 'backoff' ? null : `next attempt in ${(event.delayMs / 1000).toFixed(1)} s (${event.reason})`;
      case 'open': {
        this.opened++;
        if (this.successors.has(event.connection)) return null;
        this.states[event.slot] = 'subscribing';
        if (this.opened === 1) return null;
        this.reconnects++;
        return `reconnected (#${this.reconnects})`;
      }
      case 'live':
        if (!this.successors.has(event.connection)) this.states[event.slot] = 'live';
        return null;
      case 'closed':
        return this.onClosed(event);
      case 'rollover':
        this.rollovers++;
        this.states[event.slot] = 'rolling over';
        return `rollover (${event.reason}): connection ${event.from} stays until its successor carries every stream`;
      case 'handover':
        this.handovers++;
        this.successors.delete(event.to);
        this.currentConnection[event.slot] = event.to;
        this.states[event.slot] = 'live';
        return `handover: connection ${event.from} -> ${event.to}${event.timedOut ? ' (timed out: some streams sent nothing to switch on)' : ', no event lost or doubled'}`;
      case 'gap':
        this.gaps++;
        this.missingIds += event.to - event.from + 1;
        return `${event.name}: ids ${event.from}..${event.to} missing (${event.to - event.from + 1})${event.reconnect ? ' across a reconnect' : ''}`;
      case 'backwards':
        this.backwards++;
        return `${event.name}: id went back from ${event.previous} to ${event.received}; that event was dropped`;
      case 'reset':
        this.resets++;
        return `${event.name}: ids restarted (${event.previous} -> ${event.received}): the venue restarted, ids in between cannot be named`;
      case 'unreadable':
        this.unreadable++;
        return `${event.name}: an event without readable ids was dropped`;
      case 'stream-silent':
        this.streamsResubscribed++;
        return `${event.name}: silent for ${(event.silentMs / 1000).toFixed(1)} s while its connection is busy, resubscribing`;
      case 'resubscribe':
        this.streamsResubscribed++;
        return `${event.name}: resubscribing (${event.reason})`;
      case 'request-rejected':
        this.rejected++;
        this.errors++;
        return `subscribe refused (${event.code} ${event.message}): ${event.names.join(' ')}`;
      case 'unknown-message':
        this.unknownMessages++;
        return null;
      case 'queue-overflow':
        return `queue overflow: ${event.dropped} dropped`;
      case 'error':
        this.errors++;
        return `error: ${event.error.message}`;
    }
  }

  private onClosed(event: Extract<StreamEvent, { type: 'closed' }>): string | null {
    const current = this.currentConnection[event.slot] === event.connection;
    this.successors.delete(event.connection);
    if (event.reason === 'silent' || event.reason === 'pong-timeout') this.silences++;
    if (event.reason === 'stopped' || event.reason === 'replaced' || event.reason === 'unused' || this.stopped) return null;
    const detail = event.detail === '' ? '' : ` ${event.detail}`;
    const text = `connection ${event.connection} closed (${event.reason}, ${event.code}${detail})`;
    if (!current) return text;
    // The venue closed the old connection of a rollover first: its successor takes over.
    if (this.states[event.slot] === 'rolling over') return `${text}, its successor takes over`;
    this.states[event.slot] = 'down';
    return `${text}, reconnecting`;
  }
}
