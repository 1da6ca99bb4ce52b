// The simulator's venue seam: what a venue (Binance Spot, Binance USD-M, SBE, Bybit, OKX) supplies
// so that `startExchange({ venue })` serves its formats and rules over the shared engine.
//
// How to add a venue (notes for the venue helpers):
//  1. simulator/venues/<venue>/index.ts exports a `VenueDialect` (see binance-spot/ and
//     binance-usdm/ for two complete ones) and one line in venues/catalogue.ts names it.
//  2. `catalogue` (registry.ts StreamCatalogue) lists the venue's stream names per symbol and
//     reads them into a StreamSpec. `kind` numbers are the venue's own; the registry only needs
//     isDiff (it keeps a DepthDiff accumulator fed by the market while someone listens — the
//     `gap` fault drops whole accumulated events through `entry.dropEvents`), usesLedger and
//     isBinary (the fan-out sends binary entries with sendBinary, payload only). Venues whose
//     payload names its topic (Bybit, OKX) leave combinedPrefix out; sessions are then never
//     combined.
//  3. `create(context)` returns the VenueRuntime: its `listener` hears the markets (onTop:
//     every step changes the top of the book, onTrade: a trade) and writes events with
//     `context.fanout.begin(entry)` (a JsonWriter; `reserve(n)` for binary) and
//     `fanout.publish(entry, TO_ALL | TO_MILLISECONDS | TO_MICROSECONDS)`. Timed streams
//     (depth every 100 ms, markPrice every 1 s...) are sent from emitTimed(intervalMs) for each
//     interval listed in timerIntervalsMs; flushDiffs() sends pending diff events at once
//     (Exchange.pause()). Honour `entry.dropEvents` (gap fault) and `entry.silenced`
//     (silenceStream: keep accumulating diffs, send nothing) in the diff emitter.
//     In-band snapshots (Bybit `snapshot`, OKX first `books` message) are the runtime's own
//     business: write one to the new subscriber in onSubscribed (sendTextBytes on the session's
//     connection) before the deltas that follow.
//  4. Connections: openConnection(request) checks the upgrade (path, query, headers such as
//     SBE's X-MBX-APIKEY, stream limits) and returns the plan (streams named in the URL,
//     combined, microseconds) or an HTTP status / response. onMessage gets every data message
//     (text and binary) after the venue's incoming-message limit was counted: parse the venue's
//     control messages (JSON ops, text `ping`), apply them with context.registry.subscribe /
//     unsubscribe, and answer on session.connection.
//  5. Heartbeats: ConnectionLimits.pingIntervalMs/pongTimeoutMs are the server's ping frames
//     (0: none); sessionRules.idleTimeoutMs closes a client that sent nothing for that long
//     (OKX 30 s, Bybit). lifetimeMs closes with 1001 at the end of life, and
//     sessionRules.lifetimeNotice runs shutdownNoticeMs before it (Binance serverShutdown).
//  6. rest(request) answers HTTP GETs on the stream port (snapshot endpoints); undefined: 404.
//     book(market) is Exchange.book() in the venue's terms: `lastUpdateId` is the venue's
//     book sequence (Binance u, Bybit u, OKX seqId); extra fields go in `extra`.
//  7. Faults: drop, silent, resume, close, gap, rate, silenceStream, resumeStream, rateLimit and
//     restart are venue-neutral (faults.ts). Venue-only faults (Binance `serverShutdown`) go
//     through injectFault; return undefined for a fault the venue does not have (RangeError).
import type { HttpRequest, HttpResponse } from 'tickwire';
import type { Fanout } from '../fanout.js';
import type { TradeLedger } from '../ledger.js';
import type { MarketListener, SymbolMarket } from '../market.js';
import type { BookLevels, ExchangeOptions, Fault } from '../options.js';
import type { StreamCatalogue, StreamEntry, StreamRegistry } from '../registry.js';
import type { ConnectionLimits, Session, SessionRules } from '../session.js';

/** What the exchange gives a venue runtime: the shared engine and the connection plumbing. */
export interface VenueContext {
  readonly markets: readonly SymbolMarket[];
  /** `ledgers[i]` records the trades of `markets[i]` once a ledger stream is subscribed. */
  readonly ledgers: readonly TradeLedger[];
  /** The streams of `dialect.catalogue`, with their subscribers. */
  readonly registry: StreamRegistry;
  readonly fanout: Fanout;
  /** Open connections. */
  readonly sessions: ReadonlySet<Session>;
  /** The venue's limits with ExchangeOptions.limits applied. */
  readonly limits: ConnectionLimits;
  readonly options: ExchangeOptions;
}

/** An accepted upgrade: how the connection is served and the streams its URL names. */
export interface ConnectionPlan {
  /** Payloads wrapped by the catalogue's combinedPrefix (Binance `/stream?streams=`). */
  combined: boolean;
  /** Time fields in microseconds (Binance `timeUnit=MICROSECOND`). */
  microseconds: boolean;
  /** Streams to subscribe at once (all listed by the catalogue: checked by openConnection). */
  streams: string[];
  /** Route bits of the URL (StreamCatalogue.routeOf); default every route. */
  routeMask?: number;
}

export interface VenueRuntime {
  /** Hears every market step (book changes, trades) and publishes the venue's real-time events. */
  readonly listener: MarketListener;
  /** Update speeds (ms) of the venue's timed streams: emitTimed runs on each. */
  readonly timerIntervalsMs: readonly number[];
  /** Rules for each new connection beyond ConnectionLimits. */
  readonly sessionRules: SessionRules;
  /** Reads the clock once per engine batch (every event of a batch carries the same time). */
  readClock(): void;
  emitTimed(intervalMs: number): void;
  /** Sends the pending diff events now (Exchange.pause(): clients then catch up with book()). */
  flushDiffs(): void;
  /** Upgrade check: the plan, or the HTTP status (404 unknown path, 400 bad request) or response. */
  openConnection(request: HttpRequest): ConnectionPlan | number | HttpResponse;
  /** A subscription was made (from the URL or a control message): in-band snapshots go here. */
  onSubscribed?(session: Session, entry: StreamEntry): void;
  /** A data message from a client (control requests, text pings), after the incoming limit. */
  onMessage(session: Session, data: Uint8Array, start: number, end: number, isText: boolean): void;
  /** REST on the stream port; undefined: not a route (404). */
  rest(request: HttpRequest): HttpResponse | undefined;
  /** Exchange.book() in the venue's terms. */
  book(market: SymbolMarket): BookLevels;
  /** Venue-only faults; undefined when the venue has no such fault. */
  injectFault?(fault: Fault, sessions: readonly Session[]): number | undefined;
}

export interface VenueDialect {
  /** The `venue` option value: 'binance-spot', 'binance-usdm', ... */
  readonly name: string;
  /** The venue's documented connection limits (ExchangeOptions.limits overrides each). */
  readonly limits: ConnectionLimits;
  readonly catalogue: StreamCatalogue;
  create(context: VenueContext): VenueRuntime;
}
