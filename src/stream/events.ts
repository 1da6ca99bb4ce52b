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
  /** A connection attempt starts. */
  | {
      /** 'connecting': A connection attempt starts. */
      type: 'connecting';
      /** The group of streams the connection carries (one slot per `maxStreamsPerConnection` streams: 1024 on Binance). */
      slot: number;
      /** The connection's id, unique within the stream (1, 2, ...): later events name it. */
      connection: number;
      /** Failed attempts of this slot since its backoff was last reset (0: the first try). */
      attempt: number;
      /** True when it is the successor of a make-before-break rollover, opened while the old connection still delivers. */
      rollover: boolean;
    }
  /** The attempt failed before the WebSocket opened. */
  | {
      /** 'connect-failed': The attempt failed before the WebSocket opened. */
      type: 'connect-failed';
      /** The slot whose connection failed. */
      slot: number;
      /** The id of the failed connection. */
      connection: number;
      /** The HTTP status of a refused upgrade; 0 when there was none (DNS, TCP, TLS, timeout). */
      status: number;
      /** What failed (a HandshakeError for a refused upgrade). */
      error: Error;
    }
  /** The venue refused the upgrade with 429 or 418; no attempt (of any slot sharing the gate) is made before `retryAfterMs` passes. */
  | {
      /** 'rate-limited': The venue refused the upgrade with 429 or 418; no attempt (of any slot sharing the gate) is made before `retryAfterMs` passes. */
      type: 'rate-limited';
      /** The slot whose attempt was refused. */
      slot: number;
      /** The id of the refused connection. */
      connection: number;
      /** 429 (too many requests) or 418 (IP banned). */
      status: number;
      /** The wait in ms: the venue's Retry-After, or retryAfterDefaultMs / banDefaultMs without one. */
      retryAfterMs: number;
    }
  /** The next attempt for `slot` waits `delayMs`. */
  | {
      /** 'waiting': The next attempt for `slot` waits `delayMs`. */
      type: 'waiting';
      /** The slot that waits. */
      slot: number;
      /** The wait in ms before the next attempt. */
      delayMs: number;
      /** Why: backoff after a failure, a venue's Retry-After, or the spent attempt budget. */
      reason: WaitReason;
    }
  /** The WebSocket is open; subscriptions are being sent. */
  | {
      /** 'open': The WebSocket is open; subscriptions are being sent. */
      type: 'open';
      /** The slot of the connection. */
      slot: number;
      /** The id of the connection that opened. */
      connection: number;
    }
  /** Every subscription of the connection is acknowledged. */
  | {
      /** 'live': Every subscription of the connection is acknowledged. */
      type: 'live';
      /** The slot of the connection. */
      slot: number;
      /** The id of the connection that is live. */
      connection: number;
      /** Streams the connection carries now. */
      streams: number;
    }
  /** A connection ended. */
  | {
      /** 'closed': A connection ended. */
      type: 'closed';
      /** The slot of the connection. */
      slot: number;
      /** The id of the connection that ended. */
      connection: number;
      /** Why it ended. */
      reason: ConnectionEndReason;
      /** The close code (1006 when TCP ended without a close frame, or the connection never opened). */
      code: number;
      /** The venue's close reason, or the error code of a protocol error; '' when none. */
      detail: string;
    }
  /** Make-before-break started: `to` connects and subscribes while `from` goes on. */
  | {
      /** 'rollover': Make-before-break started: `to` connects and subscribes while `from` goes on. */
      type: 'rollover';
      /** The slot being rolled over. */
      slot: number;
      /** The connection being replaced (it keeps delivering until the handover). */
      from: number;
      /** The id the successor gets if it can connect at once (a `connecting` event with `rollover: true` follows). */
      to: number;
      /** The venue's shutdown notice, or the connection's lifetime. */
      reason: RolloverReason;
    }
  /** Make-before-break finished: every stream now comes from `to`. */
  | {
      /** 'handover': Make-before-break finished: every stream now comes from `to`. */
      type: 'handover';
      /** The slot handed over. */
      slot: number;
      /** The replaced connection (closed next, reason `replaced`). */
      from: number;
      /** The connection that carries the slot's streams now. */
      to: number;
      /**
       * True when handoverTimeoutMs passed before every stream with ids had shown, on the new
       * connection, an event that continues the old one (some streams sent nothing to switch on).
       */
      timedOut: boolean;
    }
  /**
   * Ids were skipped: the events with ids [from, to] of `name` never arrived. `reconnect`: the
   * missing ids fell between two connections (the last id before a drop and the first after).
   */
  | {
      /** 'gap': Ids were skipped: the events with ids [from, to] of `name` never arrived. */
      type: 'gap';
      /** The stream's index (as onMessage gets it). */
      stream: number;
      /** The stream's name. */
      name: string;
      /** First missing id. */
      from: number;
      /** Last missing id (inclusive). */
      to: number;
      /** True when the missing ids fell between two connections rather than inside one. */
      reconnect: boolean;
    }
  /** An id went backwards on a stream whose ids only grow (bookTicker `u`); the stale event was not delivered. */
  | {
      /** 'backwards': An id went backwards on a stream whose ids only grow (bookTicker `u`); the stale event was not delivered. */
      type: 'backwards';
      /** The stream's index. */
      stream: number;
      /** The stream's name. */
      name: string;
      /** The last id delivered. */
      previous: number;
      /** The smaller id received (dropped). */
      received: number;
    }
  /**
   * The venue's ids restarted: the first event on a new connection is older than the last one
   * delivered (a venue restart). It was delivered and is the new baseline; ids after `previous`
   * up to the restart may be missing and cannot be named.
   */
  | {
      /** 'reset': The venue's ids restarted: the first event on a new connection is older than the last one delivered (a venue restart). */
      type: 'reset';
      /** The stream's index. */
      stream: number;
      /** The stream's name. */
      name: string;
      /** The last id delivered before the restart. */
      previous: number;
      /** The id of the event taken as the new baseline (delivered). */
      received: number;
    }
  /** A data event for a stream with a sequence rule had no readable ids; it was not delivered. */
  | {
      /** 'unreadable': A data event for a stream with a sequence rule had no readable ids; it was not delivered. */
      type: 'unreadable';
      /** The stream's index. */
      stream: number;
      /** The stream's name. */
      name: string;
      /** The connection that brought it. */
      connection: number;
    }
  /** One stream went quiet while its connection stayed busy; it is being resubscribed. */
  | {
      /** 'stream-silent': One stream went quiet while its connection stayed busy; it is being resubscribed. */
      type: 'stream-silent';
      /** The stream's index. */
      stream: number;
      /** The stream's name. */
      name: string;
      /** How long it had been silent, in ms. */
      silentMs: number;
    }
  /** Stream `stream` is being unsubscribed and subscribed again on its connection, for `reason`. */
  | {
      /** 'resubscribe': Stream `stream` is being unsubscribed and subscribed again on its connection. */
      type: 'resubscribe';
      /** The stream's index. */
      stream: number;
      /** The stream's name. */
      name: string;
      /** Asked for by the user, or by a book that needs a fresh in-band snapshot. */
      reason: ResubscribeReason;
    }
  /** The venue refused a subscribe or unsubscribe request. */
  | {
      /** 'request-rejected': The venue refused a subscribe or unsubscribe request. */
      type: 'request-rejected';
      /** The connection the request went out on. */
      connection: number;
      /** The streams the request named ([] when the answer matched no request). */
      names: string[];
      /** The venue's error code (Binance: 2 = invalid request...). */
      code: number;
      /** The venue's error text. */
      message: string;
    }
  /** A message the venue decoder could not classify (not JSON, an unknown stream). */
  | {
      /** 'unknown-message': A message the venue decoder could not classify (not JSON, an unknown stream). */
      type: 'unknown-message';
      /** The connection it came on. */
      connection: number;
      /** Its length in bytes. */
      bytes: number;
    }
  /** The async iterator's queue was full: `dropped` items were discarded (policy 'drop-oldest'). */
  | {
      /** 'queue-overflow': The async iterator's queue was full: `dropped` items were discarded (policy 'drop-oldest'). */
      type: 'queue-overflow';
      /** Items discarded (oldest first). */
      dropped: number;
    }
  /** Socket and protocol errors, exceptions from callbacks. */
  | {
      /** 'error': Socket and protocol errors, exceptions from callbacks. */
      type: 'error';
      /** The connection it happened on. */
      connection: number;
      /** The error (a WebSocketError for protocol errors). */
      error: Error;
    };

/** The `type` of every StreamEvent. */
export type StreamEventType = StreamEvent['type'];
