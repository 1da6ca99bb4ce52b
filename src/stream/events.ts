// Everything the managed stream reports besides data: one typed event per state change, each
// with its reason. Events are rare (connections, gaps, rollovers), so they are plain objects;
// the data path never creates one.

/** Why a connection ended. */
export type ConnectionEndReason =
  /** The venue closed it with a close frame (`code`, `detail` = its reason). */
  | 'closed-by-venue'
  /** TCP ended without a close frame (1006). */
  | 'dropped'
  /** No frame at all (data, ping or pong) for `silenceMs`: half-open or stalled. */
  | 'silent'
  /** Our ping got no answer within `pongTimeoutMs`. */
  | 'pong-timeout'
  /** A subscribe request got no answer within `requestTimeoutMs`. */
  | 'request-timeout'
  /** A protocol error (the client failed the connection; `detail` = the error code). */
  | 'protocol-error'
  /** Make-before-break finished: its successor carries its streams now. */
  | 'replaced'
  /** It carried no stream any more. */
  | 'unused'
  /** stop() was called. */
  | 'stopped';

/** Why a connection is being replaced while it still works. */
export type RolloverReason =
  /** The venue sent `serverShutdown`. */
  | 'server-shutdown'
  /** The connection nears the venue's lifetime limit (Binance: 24 h). */
  | 'lifetime';

/** Why the next connection attempt waits. */
export type WaitReason =
  /** Exponential backoff after a failure. */
  | 'backoff'
  /** The venue answered 429 or 418 with Retry-After. */
  | 'retry-after'
  /** The venue's connection-attempt budget (Binance: 300 per 5 minutes per IP) is spent. */
  | 'attempt-budget';

/** Why one stream was unsubscribed and subscribed again (ManagedStream.resubscribe). */
export type ResubscribeReason =
  /** The user (or a layer above the stream) asked for it. */
  | 'requested'
  /** A book fed by the stream lost its sequence or failed its checksum: a fresh in-band snapshot is wanted (Bybit, OKX). */
  | 'book-resync';

/** What `onEvent` receives (and the async iterator yields besides messages): discriminated by `type`. */
export type StreamEvent =
  /** A connection attempt starts. `slot`: the group of streams it carries (1024 per slot on Binance). */
  | { type: 'connecting'; slot: number; connection: number; attempt: number; rollover: boolean }
  /** The attempt failed before the WebSocket opened (`status`: HTTP status, 0 if none). */
  | { type: 'connect-failed'; slot: number; connection: number; status: number; error: Error }
  /** The venue refused the upgrade with 429 or 418; no attempt is made before `retryAfterMs` passes. */
  | { type: 'rate-limited'; slot: number; connection: number; status: number; retryAfterMs: number }
  /** The next attempt for `slot` waits `delayMs`. */
  | { type: 'waiting'; slot: number; delayMs: number; reason: WaitReason }
  /** The WebSocket is open; subscriptions are being sent. */
  | { type: 'open'; slot: number; connection: number }
  /** Every subscription of the connection is acknowledged. */
  | { type: 'live'; slot: number; connection: number; streams: number }
  /** A connection ended. */
  | { type: 'closed'; slot: number; connection: number; reason: ConnectionEndReason; code: number; detail: string }
  /** Make-before-break started: `to` connects and subscribes while `from` goes on. */
  | { type: 'rollover'; slot: number; from: number; to: number; reason: RolloverReason }
  /** Make-before-break finished: every stream now comes from `to` (`timedOut`: some streams sent nothing to switch on). */
  | { type: 'handover'; slot: number; from: number; to: number; timedOut: boolean }
  /**
   * Ids were skipped: the events with ids [from, to] of `name` never arrived. `reconnect`: the
   * missing ids fell between two connections (the last id before a drop and the first after).
   */
  | { type: 'gap'; stream: number; name: string; from: number; to: number; reconnect: boolean }
  /** An id went backwards on a stream whose ids only grow (bookTicker `u`); the stale event was not delivered. */
  | { type: 'backwards'; stream: number; name: string; previous: number; received: number }
  /**
   * The venue's ids restarted: the first event on a new connection is older than the last one
   * delivered (a venue restart). It was delivered and is the new baseline; ids after `previous`
   * up to the restart may be missing and cannot be named.
   */
  | { type: 'reset'; stream: number; name: string; previous: number; received: number }
  /** A data event for a stream with a sequence rule had no readable ids; it was not delivered. */
  | { type: 'unreadable'; stream: number; name: string; connection: number }
  /** One stream went quiet while its connection stayed busy; it is being resubscribed. */
  | { type: 'stream-silent'; stream: number; name: string; silentMs: number }
  /** Stream `stream` is being unsubscribed and subscribed again on its connection, for `reason`. */
  | { type: 'resubscribe'; stream: number; name: string; reason: ResubscribeReason }
  /** The venue refused a subscribe or unsubscribe request. */
  | { type: 'request-rejected'; connection: number; names: string[]; code: number; message: string }
  /** A message the venue decoder could not classify (not JSON, an unknown stream). */
  | { type: 'unknown-message'; connection: number; bytes: number }
  /** The async iterator's queue was full: `dropped` items were discarded (policy 'drop-oldest'). */
  | { type: 'queue-overflow'; dropped: number }
  /** Socket and protocol errors, exceptions from callbacks. */
  | { type: 'error'; connection: number; error: Error };

/** The `type` of every StreamEvent. */
export type StreamEventType = StreamEvent['type'];
