// Binance SBE market-data streams (stream-sbe.binance.com) as a simulator dialect: the same
// engine and book as Binance Spot, its events written as SBE binary frames (sbe-writer.ts) from
// the shared SymbolMarket, control requests and serverShutdown in JSON text, and the API key
// required on the upgrade. Facts from sbe-market-data-streams.md:
//
//   "You can subscribe to a single stream at /ws/<streamName>" and "to multiple streams at
//    /stream?streams=<streamName1>/<streamName2>"; "All symbols in stream names are lowercase".
//   "An API Key is necessary for access ... put your API Key in the X-MBX-APIKEY header when
//    opening the connection" (the status for a missing key is not documented: 401 here).
//   "All time and timestamp fields are in microseconds".
//   Streams: <symbol>@trade (real time), <symbol>@bestBidAsk (real time), <symbol>@depth
//   ("Update Speed: 20ms"), <symbol>@depth20 ("Update Speed: 50ms").
//   Limits as Spot: 5 incoming messages per second, 1024 streams per connection, 300 connection
//   attempts per 5 minutes per IP, 24 h connections, a ping every 20 s answered within a minute.
import type { HttpRequest, HttpResponse } from 'tickwire';
import type { Fanout } from '../../fanout.js';
import { TO_ALL } from '../../fanout.js';
import { SIDE_ASK, SIDE_BID, type DepthDiff, type MarketListener, type SymbolMarket } from '../../market.js';
import type { Fault } from '../../options.js';
import type { StreamCatalogue, StreamEntry, StreamRegistry } from '../../registry.js';
import { handleControlRequest } from '../../requests.js';
import { createRestHandler } from '../../rest.js';
import { BINANCE_LIMITS, CLOSE_LIFETIME, type Session } from '../../session.js';
import { streamsFromPath, type StreamSpec } from '../../streams.js';
import { binanceBookLevels } from '../binance-spot/index.js';
import type { ConnectionPlan, VenueContext, VenueDialect, VenueRuntime } from '../dialect.js';
import {
  exponentFor,
  LevelBatch,
  mantissaOf,
  SBE_STREAM_SCHEMA_ID,
  SbeWriter,
  TradeBatch,
  writeBestBidAskEvent,
  writeDepthDiffEvent,
  writeDepthSnapshotEvent,
  writeTradesEvent,
} from './sbe-writer.js';

export const SBE_KIND_TRADE = 0;
export const SBE_KIND_BEST_BID_ASK = 1;
export const SBE_KIND_DEPTH_DIFF = 2;
export const SBE_KIND_DEPTH_SNAPSHOT = 3;

/** "Diff. Depth Streams ... Update Speed: 20ms". */
export const SBE_DEPTH_INTERVAL_MS = 20;
/** "Partial Book Depth Streams ... Update Speed: 50ms". */
export const SBE_DEPTH20_INTERVAL_MS = 50;
const DEPTH20_LEVELS = 20;

const STREAM_PATTERN = /^([a-z0-9]+)@(trade|bestBidAsk|depth|depth20)$/;
const KINDS: Record<string, number> = { trade: SBE_KIND_TRADE, bestBidAsk: SBE_KIND_BEST_BID_ASK, depth: SBE_KIND_DEPTH_DIFF, depth20: SBE_KIND_DEPTH_SNAPSHOT };

/** The API-key header ("X-MBX-APIKEY"), lower-cased as the server role reports header names. */
const API_KEY_HEADER = 'x-mbx-apikey';

function parse(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
  const match = STREAM_PATTERN.exec(name);
  if (match === null || !symbols.has(match[1]!)) return null;
  const kind = KINDS[match[2]!]!;
  const intervalMs = kind === SBE_KIND_DEPTH_DIFF ? SBE_DEPTH_INTERVAL_MS : kind === SBE_KIND_DEPTH_SNAPSHOT ? SBE_DEPTH20_INTERVAL_MS : 0;
  return { name, symbol: match[1]!, kind, levels: kind === SBE_KIND_DEPTH_SNAPSHOT ? DEPTH20_LEVELS : 0, intervalMs, variant: '', offsetMs: 0 };
}

const catalogue: StreamCatalogue = {
  namesFor: (symbol) => [`${symbol}@trade`, `${symbol}@bestBidAsk`, `${symbol}@depth`, `${symbol}@depth20`],
  globalNames: [],
  parse,
  isDiff: (spec) => spec.kind === SBE_KIND_DEPTH_DIFF,
  usesLedger: () => false,
  isBinary: () => true,
};

/** µs since the epoch now. */
function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** The `serverShutdown` event: "Note that this message will be in JSON" (text frame). */
function sendServerShutdown(session: Session): void {
  if (session.silent || !session.connection.isOpen) return;
  session.connection.sendAsciiText(`{"e":"serverShutdown","E":${nowMicros()}}`);
}

/** Per symbol: its streams, exponents, symbol bytes and the trades not sent yet. */
class SymbolState {
  readonly market: SymbolMarket;
  readonly symbol: Uint8Array;
  /** The fewest decimals that write every price (tick) and quantity (lot) of the market. */
  readonly priceExponent: number;
  readonly qtyExponent: number;
  readonly trade: StreamEntry;
  readonly bestBidAsk: StreamEntry;
  readonly pendingTrades = new TradeBatch();
  pendingTradeTime = 0;

  constructor(market: SymbolMarket, registry: StreamRegistry) {
    this.market = market;
    this.symbol = new TextEncoder().encode(market.upperSymbol);
    this.priceExponent = exponentFor(market.tickUnits);
    this.qtyExponent = exponentFor(market.lotUnits);
    this.trade = registry.get(`${market.symbol}@trade`)!;
    this.bestBidAsk = registry.get(`${market.symbol}@bestBidAsk`)!;
  }
}

/**
 * Writes SBE events from the engine. Trades of one engine batch travel together in one
 * TradesStreamEvent (the schema's `trades` group), sent when the next batch starts, on a timer
 * tick or at pause(); bestBidAsk goes out at every step; depth and depth20 on their timers.
 */
class SbePublisher implements MarketListener {
  eventTimeUs = 0;
  private readonly sbe = new SbeWriter();
  private readonly bids = new LevelBatch();
  private readonly asks = new LevelBatch();
  private readonly states: Map<SymbolMarket, SymbolState>;
  private readonly fanout: Fanout;
  private readonly registry: StreamRegistry;

  constructor(fanout: Fanout, registry: StreamRegistry, markets: readonly SymbolMarket[]) {
    this.fanout = fanout;
    this.registry = registry;
    this.states = new Map(markets.map((market) => [market, new SymbolState(market, registry)]));
    this.readClock();
  }

  /** The header's schemaId and version from now on (fault injection). */
  setSchema(schemaId: number, version: number): void {
    this.sbe.schemaId = schemaId;
    this.sbe.version = version;
  }

  readClock(): void {
    this.flushTrades();
    this.eventTimeUs = nowMicros();
  }

  onTop(market: SymbolMarket): void {
    const state = this.states.get(market)!;
    const entry = state.bestBidAsk;
    if (entry.subscribers.length === 0) return;
    const sbe = this.sbe;
    sbe.reset();
    const pe = state.priceExponent;
    const qe = state.qtyExponent;
    writeBestBidAskEvent(
      sbe,
      state.symbol,
      this.eventTimeUs,
      market.updateId,
      pe,
      qe,
      mantissaOf(market.bestBidTick * market.tickUnits, pe),
      mantissaOf(market.bestBidQuantity, qe),
      mantissaOf(market.bestAskTick * market.tickUnits, pe),
      mantissaOf(market.bestAskQuantity, qe),
    );
    this.publish(entry);
  }

  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    const state = this.states.get(market)!;
    if (state.trade.subscribers.length === 0) return;
    if (state.pendingTrades.count === 0) state.pendingTradeTime = this.eventTimeUs;
    state.pendingTrades.add(market.tradeId, mantissaOf(priceUnits, state.priceExponent), mantissaOf(quantityUnits, state.qtyExponent), buyerIsMaker);
  }

  emitTimed(intervalMs: number): void {
    this.readClock();
    const entries = this.registry.timed.get(intervalMs);
    if (entries === undefined) return;
    for (const entry of entries) this.emit(entry);
  }

  flushDiffs(): void {
    this.readClock();
    for (const entry of this.registry.diffStreams()) this.emit(entry);
  }

  private flushTrades(): void {
    for (const state of this.states.values()) {
      const trades = state.pendingTrades;
      if (trades.count === 0) continue;
      const sbe = this.sbe;
      sbe.reset();
      writeTradesEvent(sbe, state.symbol, this.eventTimeUs, state.pendingTradeTime, state.priceExponent, state.qtyExponent, trades);
      trades.clear();
      this.publish(state.trade);
    }
  }

  private emit(entry: StreamEntry): void {
    if (entry.subscribers.length === 0) return;
    const market = entry.market!;
    const state = this.states.get(market)!;
    const sbe = this.sbe;
    if (entry.spec.kind === SBE_KIND_DEPTH_SNAPSHOT) {
      this.levels(this.bids, market.topLevels(SIDE_BID, entry.spec.levels), market, state);
      this.levels(this.asks, market.topLevels(SIDE_ASK, entry.spec.levels), market, state);
      sbe.reset();
      writeDepthSnapshotEvent(sbe, state.symbol, this.eventTimeUs, market.updateId, state.priceExponent, state.qtyExponent, this.bids, this.asks);
      this.publish(entry);
      return;
    }
    const diff = entry.diff!;
    // A silenced diff stream keeps collecting: its first event after resumeStream covers the
    // silent time, so the update ids continue without a gap.
    if (!diff.pending || entry.silenced) return;
    if (entry.dropEvents > 0) {
      entry.dropEvents--;
    } else {
      this.diffLevels(diff, market, state);
      sbe.reset();
      writeDepthDiffEvent(sbe, state.symbol, this.eventTimeUs, diff.firstUpdateId, market.updateId, state.priceExponent, state.qtyExponent, this.bids, this.asks);
      this.publish(entry);
    }
    diff.clear();
  }

  /** Bids best (highest) first, asks best (lowest) first, as JSON depthUpdate lists them. */
  private diffLevels(diff: DepthDiff, market: SymbolMarket, state: SymbolState): void {
    this.levels(this.bids, [...diff.bids.entries()].sort((x, y) => y[0] - x[0]), market, state);
    this.levels(this.asks, [...diff.asks.entries()].sort((x, y) => x[0] - y[0]), market, state);
  }

  private levels(batch: LevelBatch, levels: Array<[number, number]>, market: SymbolMarket, state: SymbolState): void {
    batch.clear();
    for (const [tick, quantity] of levels) batch.add(mantissaOf(tick * market.tickUnits, state.priceExponent), mantissaOf(quantity, state.qtyExponent));
  }

  /** Copies the SBE bytes into the fan-out's writer and sends them as one binary message. */
  private publish(entry: StreamEntry): void {
    const bytes = this.sbe.bytes();
    const writer = this.fanout.begin(entry);
    const at = writer.reserve(bytes.length);
    writer.buffer.set(bytes, at);
    this.fanout.publish(entry, TO_ALL);
  }
}

function create(context: VenueContext): VenueRuntime {
  const { registry, limits } = context;
  const publisher = new SbePublisher(context.fanout, registry, context.markets);
  const rest = createRestHandler(context.markets);

  function openConnection(request: HttpRequest): ConnectionPlan | number | HttpResponse {
    const wanted = streamsFromPath(request.path, request.query);
    if (wanted === null) return 404;
    const apiKey = request.headers[API_KEY_HEADER];
    if (apiKey === undefined || apiKey.trim() === '') {
      return { status: 401, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: '{"code":-2014,"msg":"API-key format invalid."}' };
    }
    if (wanted.names.length > limits.maxStreams) return 400;
    for (const name of wanted.names) if (registry.get(name) === undefined) return 400;
    return { combined: wanted.combined, microseconds: true, streams: wanted.names };
  }

  return {
    timerIntervalsMs: [SBE_DEPTH_INTERVAL_MS, SBE_DEPTH20_INTERVAL_MS],
    sessionRules: { idleTimeoutMs: 0, idleCloseCode: CLOSE_LIFETIME, lifetimeNotice: sendServerShutdown },
    listener: publisher,
    readClock: () => publisher.readClock(),
    emitTimed: (intervalMs) => publisher.emitTimed(intervalMs),
    flushDiffs: () => publisher.flushDiffs(),
    openConnection,
    onMessage(session, data, start, end, isText) {
      // "You must send subscription requests in JSON in WebSocket text frames."
      if (isText) handleControlRequest(session, Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'), registry, limits);
    },
    rest,
    book: binanceBookLevels,
    injectFault(fault: Fault, sessions: readonly Session[]): number | undefined {
      if (fault.type === 'sbeSchema') {
        publisher.setSchema(fault.schemaId ?? SBE_STREAM_SCHEMA_ID, fault.version);
        return sessions.length;
      }
      if (fault.type !== 'serverShutdown') return undefined;
      for (const session of sessions) sendServerShutdown(session);
      return sessions.length;
    },
  };
}

/** `startExchange({ venue: 'binance-sbe' })`. */
export const binanceSbeDialect: VenueDialect = { name: 'binance-sbe', limits: BINANCE_LIMITS, catalogue, create };
