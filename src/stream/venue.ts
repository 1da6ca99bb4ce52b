// The seam between the managed stream and a venue. The stream layer knows nothing about Binance:
// endpoints, the subscribe/unsubscribe messages and their acknowledgements, heartbeat rules,
// limits and how sequence numbers chain all come from a VenueProfile; one decoder per connection
// classifies each message and reads its stream and ids without allocating.

import type { DepthDiff } from '../book/depth-diff.js';

/** How the ids of one stream chain from one event to the next. */
export const SEQUENCE_NONE = 0;
/**
 * Every event covers the ids [first, last] and the next one starts at last + 1: Binance depth
 * diffs (`U`..`u`), trades (`t`, first = last) and aggregate trades (`a`). A venue whose events
 * name their predecessor instead (futures `pu`, OKX `prevSeqId`) reports first = previous + 1.
 */
export const SEQUENCE_CONTIGUOUS = 1;
/** Ids only grow, with holes that mean nothing (Binance bookTicker `u`). */
export const SEQUENCE_MONOTONIC = 2;
/**
 * Each event names the last id of the one before it (OKX books `prevSeqId` = the previous
 * message's `seqId`), reported as first = previous + 1, last = its own id. An event whose
 * previous id is the last one delivered follows on, whatever its own id: OKX's keep-alive update
 * repeats the id ("prevSeqId equals to seqId") and after maintenance "users will receive an
 * incremental message with seqId smaller than prevSeqId". first = 0 (previous -1) starts a new
 * chain: an in-band snapshot ("in snapshot messages [...] the prevSeqId is always -1").
 */
export const SEQUENCE_CHAINED = 3;

/** What one message is (VenueDecoder.decode's result). */
export const MESSAGE_DATA = 0;
/** The positive answer to a control request (subscribe, unsubscribe): `requestId` is set. */
export const MESSAGE_ACK = 1;
/** A control request refused: `requestId` (-1 if none), `errorCode` and errorText(). */
export const MESSAGE_REJECT = 2;
/** The venue announces that this connection ends soon: open a new one now (make-before-break). */
export const MESSAGE_SHUTDOWN = 3;
/** Data for a stream this connection does not know, or a message the decoder cannot read. */
export const MESSAGE_UNKNOWN = 4;
/**
 * The answer to the venue's application-level heartbeat (VenueProfile.heartbeat: Bybit's
 * `{"op":"pong",...}`, OKX's text `pong`): counts as liveness, never delivered as data.
 */
export const MESSAGE_PONG = 5;

/** Maps stream names (as bytes inside a message) to the stream's index, without a string. */
export interface StreamNameLookup {
  /** The index of the stream whose name is data[start, end), or -1. */
  find(data: Uint8Array, start: number, end: number): number;
}

/** One per connection; it keeps its results in fields so that decode() allocates nothing. */
export interface VenueDecoder {
  /** Classifies one complete text message and fills the fields below; returns MESSAGE_*. */
  decode(data: Uint8Array, start: number, end: number): number;
  /**
   * Classifies one complete binary message (Binance SBE sends its events as binary frames and
   * its control answers as JSON text). Absent: binary messages are reported as unknown.
   */
  decodeBinary?(data: Uint8Array, start: number, end: number): number;
  /** MESSAGE_DATA: index of the stream (from the lookup). */
  stream: number;
  /** MESSAGE_DATA: the event itself (inside any wrapper the venue adds). */
  payloadStart: number;
  /** MESSAGE_DATA: end (exclusive) of the event. */
  payloadEnd: number;
  /** MESSAGE_DATA: the ids the event covers per the stream's sequence rule (NaN: the event has none). */
  firstId: number;
  /** MESSAGE_DATA: the last id the event covers (NaN: none). */
  lastId: number;
  /**
   * MESSAGE_DATA: the event starts its stream's id chain afresh (an in-band book snapshot: Bybit
   * `snapshot`, OKX's first `books` message): it is delivered whenever it is not older than the
   * last event delivered, without a gap report (the book reloads from it), and an older one from
   * the connection in charge is a venue reset. Absent or false: the event continues the chain.
   */
  startsSequence?: boolean;
  /**
   * MESSAGE_ACK / MESSAGE_REJECT: the id of the request answered (-1: the venue's answers carry
   * none, and each answer goes to the oldest unanswered request: venues answer in order).
   */
  requestId: number;
  /** MESSAGE_REJECT: the venue's error code. */
  errorCode: number;
  /** MESSAGE_REJECT: the venue's error text (allocates; control messages are rare). */
  errorText(): string;
  /**
   * MESSAGE_DATA on a book stream: the diff this decoder read in full to find the ids, or null.
   * ManagedStream.decodedBook() hands it to the user, so the payload is not decoded twice.
   * Optional: a decoder that reads the ids without the levels leaves it out.
   */
  readonly book?: DepthDiff | null;
}

/** A venue's limits as its docs state them. */
export interface VenueLimits {
  /** Streams one connection may carry. */
  maxStreamsPerConnection: number;
  /** Messages the client may send per second on one connection (pings, pongs and requests count). */
  maxIncomingPerSecond: number;
  /** Streams named in one subscribe request (the stream layer's batch size). */
  maxStreamsPerRequest: number;
  /** Connection attempts allowed per window, per IP. */
  connectionAttempts: number;
  /** The window of `connectionAttempts`, in ms. */
  connectionAttemptWindowMs: number;
  /** A connection is closed by the venue after this long (0: never). */
  connectionLifetimeMs: number;
  /** The venue pings this often (0: it does not); any frame counts as liveness. */
  serverPingIntervalMs: number;
  /**
   * A second limit on subscribe/unsubscribe requests alone, over a longer window (OKX: 480
   * subscribe/unsubscribe/login requests per hour per connection); absent: none.
   */
  maxRequestsPerWindow?: number;
  /** The window of `maxRequestsPerWindow`, in ms. */
  requestWindowMs?: number;
}

/**
 * An application-level heartbeat: a text message the client sends, answered by a message the
 * decoder classifies as MESSAGE_PONG. An answer missing for `pongTimeoutMs` ends the connection
 * as 'pong-timeout'. Replaces the WebSocket ping frame the stream sends otherwise.
 */
export interface VenueHeartbeat {
  /** The text to send (Bybit `{"op":"ping"}`, OKX `ping`). */
  readonly message: string;
  /** Default interval in ms (ManagedStreamOptions.pingAfterMs overrides it). Bybit 20 000. */
  readonly intervalMs: number;
  /**
   * true: send only after `intervalMs` without any frame received (OKX: "set a timer of N
   * seconds whenever a response message is received... if the timer is triggered, send ping");
   * false: every `intervalMs` whatever arrives (Bybit's recommended 20 s ping).
   */
  readonly whenQuiet: boolean;
}

/** Everything the managed stream needs to know about one venue. */
export interface VenueProfile {
  /** Short name for reports, e.g. 'binance-spot'. */
  readonly name: string;
  /** The production endpoint (scheme, host and port). */
  readonly defaultUrl: string;
  /** Connection, message and stream limits. */
  readonly limits: VenueLimits;
  /** An application-level heartbeat (Bybit, OKX); absent: WebSocket ping frames when quiet (Binance). */
  readonly heartbeat?: VenueHeartbeat;
  /** Extra headers for every upgrade request (Binance SBE: `X-MBX-APIKEY`); asked for at each connection attempt. */
  connectionHeaders?(): Record<string, string>;
  /** The URL of a connection that receives streams it subscribes to by request. */
  connectionUrl(baseUrl: string): string;
  /** A subscribe request for `names`, carrying `requestId` to match the acknowledgement. */
  subscribeRequest(names: readonly string[], requestId: number): string;
  /** An unsubscribe request for `names`, carrying `requestId`. */
  unsubscribeRequest(names: readonly string[], requestId: number): string;
  /**
   * True when the venue acknowledges a subscribe or unsubscribe request once per stream named in
   * it (OKX: one `"event":"subscribe"` answer per argument, each with the request's id) rather
   * than once per request. Default false.
   */
  readonly acknowledgesEachStream?: boolean;
  /** SEQUENCE_* for a stream name. */
  sequenceRule(name: string): number;
  /** Where a stream's events keep their ids: a venue-specific code handed back to its decoder. */
  idLayout(name: string): number;
  /** Rejects a name the venue would refuse (returns the reason) before anything is sent. */
  validateStreamName(name: string): string | null;
  /**
   * A decoder for one connection: stream names resolve through `lookup`, and `idLayouts[stream]`
   * holds idLayout(name) of every stream (the array grows with the subscriptions: read it live).
   */
  createDecoder(lookup: StreamNameLookup, idLayouts: () => Uint8Array): VenueDecoder;
}
