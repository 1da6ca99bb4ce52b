// Binance USD-M futures (fstream.binance.com + fapi.binance.com) as a simulator venue dialect:
// `startExchange({ venue: 'binance-usdm' })`. Connection rules from the derivatives docs
// ("Websocket Market Streams"):
//
//   "A single connection is only valid for 24 hours; expect to be disconnected at the 24 hour mark"
//   "The websocket server will send a ping frame every 3 minutes. If the websocket server does not
//    receive a pong frame back from the connection within a 10 minute period, the connection will
//    be disconnected."
//   "WebSocket connections have a limit of 10 incoming messages per second."
//   "A single connection can listen to a maximum of 1024 streams."
//
// Book ids: futures depth events chain by "pu" ("Final update Id in last stream(ie `u` in last
// stream)"), and the next event's U need not be pu + 1: this dialect skips a few update ids every
// SKIP_EVERY_STEPS engine steps, so a client that chains by U instead of pu sees false gaps. The
// book's id (REST lastUpdateId, bookTicker u, depth u) is always the id of the last step that
// changed it, never a skipped one.
import type { HttpRequest } from 'tickwire';
import { formatUnits } from '../../decimal.js';
import { TO_ALL, type Fanout } from '../../fanout.js';
import { bookLevels, type MarketListener, type SymbolMarket } from '../../market.js';
import type { StreamEntry } from '../../registry.js';
import { handleControlRequest } from '../../requests.js';
import { BINANCE_LIMITS, CLOSE_LIFETIME, type ConnectionLimits } from '../../session.js';
import type { ConnectionPlan, VenueContext, VenueDialect, VenueRuntime } from '../dialect.js';
import {
  writeUsdmAggTrade,
  writeUsdmBookTicker,
  writeUsdmDepthUpdate,
  writeUsdmMarkPrice,
  writeUsdmPartialDepth,
  writeUsdmSnapshot,
  type DepthIds,
  type MarkPriceFigures,
} from './payloads.js';
import { createUsdmRestHandler, WEIGHT_PER_MINUTE } from './rest.js';
import {
  usdmCatalogue,
  usdmStreamsFromPath,
  USDM_KIND_DEPTH_DIFF,
  USDM_KIND_DEPTH_PARTIAL,
  USDM_KIND_MARK_PRICE,
  USDM_TIMER_INTERVALS_MS,
} from './streams.js';

export const USDM_LIMITS: ConnectionLimits = {
  ...BINANCE_LIMITS,
  pingIntervalMs: 3 * 60 * 1000,
  pongTimeoutMs: 10 * 60 * 1000,
  maxIncomingPerSecond: 10,
  maxStreams: 1024,
  // The futures docs state no connection-attempt limit; the simulator keeps Spot's 300 per 5 minutes
  // per IP (the rateLimit fault works the same) and sends no serverShutdown notice.
};

/** Every this many engine steps the book's update id skips SKIPPED_IDS ids (see the header). */
const SKIP_EVERY_STEPS = 3;
const SKIPPED_IDS = 2;
/** Funding every 8 hours (00:00, 08:00, 16:00 UTC); the simulated rate is constant. */
const FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;
const FUNDING_RATE_UNITS = 10_000; // 0.00010000

/** Per-symbol state of the futures view of a market. */
class UsdmSymbol {
  /** Id of the last engine step (the book's update id as the venue shows it). */
  lastStepId: number;
  steps = 0;
  readonly market: SymbolMarket;
  readonly bookTicker: StreamEntry;
  readonly aggTrade: StreamEntry;

  constructor(market: SymbolMarket, bookTicker: StreamEntry, aggTrade: StreamEntry) {
    this.market = market;
    this.lastStepId = market.updateId;
    this.bookTicker = bookTicker;
    this.aggTrade = aggTrade;
  }
}

class UsdmPublisher implements MarketListener {
  eventTime = 0;
  private readonly fanout: Fanout;
  private readonly symbols = new Map<SymbolMarket, UsdmSymbol>();
  /**
   * The `u` of the last event of each depth stream (the next event's `pu`), sent or dropped. While
   * nobody listens the venue's stream goes on unseen: when a diff stream gets its first subscriber
   * again, it stands at the book's id of that moment (attach()), so a client that reconnects sees
   * pu ahead of its last u — the missed updates, as a gap.
   */
  private readonly previousFinal = new Map<StreamEntry, number>();
  private readonly ids: DepthIds = { first: 0, final: 0, previous: 0 };
  private readonly mark: MarkPriceFigures = { markUnits: 0, indexUnits: 0, settleUnits: 0, fundingUnits: FUNDING_RATE_UNITS, nextFundingTime: 0 };

  constructor(context: VenueContext) {
    this.fanout = context.fanout;
    for (const market of context.markets) {
      const bookTicker = context.registry.get(`${market.symbol}@bookTicker`)!;
      const aggTrade = context.registry.get(`${market.symbol}@aggTrade`)!;
      this.symbols.set(market, new UsdmSymbol(market, bookTicker, aggTrade));
    }
    this.readClock();
  }

  readClock(): void {
    this.eventTime = Date.now();
  }

  /** A diff stream's accumulator starts collecting now (StreamRegistry.onDiffAttach). */
  attach(entry: StreamEntry): void {
    this.previousFinal.set(entry, this.symbols.get(entry.market!)!.lastStepId);
  }

  /** The book's update id as the venue shows it. */
  bookId(market: SymbolMarket): number {
    return this.symbols.get(market)!.lastStepId;
  }

  onTop(market: SymbolMarket): void {
    const symbol = this.symbols.get(market)!;
    symbol.lastStepId = market.updateId;
    const entry = symbol.bookTicker;
    if (entry.subscribers.length !== 0) {
      // "T" transaction time precedes "E" event time in the docs' examples.
      writeUsdmBookTicker(this.fanout.begin(entry), market, symbol.lastStepId, this.eventTime, this.eventTime - 1);
      this.fanout.publish(entry, TO_ALL);
    }
    if (++symbol.steps % SKIP_EVERY_STEPS === 0) market.skipUpdateIds(SKIPPED_IDS);
  }

  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    const entry = this.symbols.get(market)!.aggTrade;
    if (entry.subscribers.length === 0) return;
    writeUsdmAggTrade(this.fanout.begin(entry), market, this.eventTime, priceUnits, quantityUnits, buyerIsMaker);
    this.fanout.publish(entry, TO_ALL);
  }

  emit(entry: StreamEntry): void {
    if (entry.subscribers.length === 0) return;
    const market = entry.market!;
    const symbol = this.symbols.get(market)!;
    const ids = this.ids;
    switch (entry.spec.kind) {
      case USDM_KIND_DEPTH_DIFF:
        return this.emitDiff(entry, symbol);
      case USDM_KIND_DEPTH_PARTIAL:
        ids.first = ids.final = symbol.lastStepId;
        ids.previous = this.previousFinal.get(entry) ?? symbol.lastStepId;
        this.previousFinal.set(entry, ids.final);
        writeUsdmPartialDepth(this.fanout.begin(entry), market, entry.spec.levels, ids, this.eventTime, this.eventTime - 1);
        this.fanout.publish(entry, TO_ALL);
        return;
      case USDM_KIND_MARK_PRICE:
        this.writeMarkPrice(entry, market);
        return;
    }
  }

  private emitDiff(entry: StreamEntry, symbol: UsdmSymbol): void {
    const diff = entry.diff!;
    // A silenced diff stream keeps collecting: its first event after resumeStream covers the
    // silent time, so pu still equals the last u sent.
    if (!diff.pending || entry.silenced) return;
    const ids = this.ids;
    ids.first = diff.firstUpdateId;
    ids.final = symbol.lastStepId;
    ids.previous = this.previousFinal.get(entry) ?? diff.firstUpdateId - 1;
    // A dropped event (gap fault) still moves the stream on: the next event's pu names it.
    this.previousFinal.set(entry, ids.final);
    if (entry.dropEvents > 0) entry.dropEvents--;
    else {
      writeUsdmDepthUpdate(this.fanout.begin(entry), symbol.market, diff, ids, this.eventTime, this.eventTime - 1);
      this.fanout.publish(entry, TO_ALL);
    }
    diff.clear();
  }

  private writeMarkPrice(entry: StreamEntry, market: SymbolMarket): void {
    const mark = this.mark;
    // Mark price at the mid of the book, the index a tick below, settle price equal to the index.
    mark.markUnits = market.midTick * market.tickUnits;
    mark.indexUnits = mark.markUnits - market.tickUnits;
    mark.settleUnits = mark.indexUnits;
    mark.nextFundingTime = (Math.floor(this.eventTime / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
    writeUsdmMarkPrice(this.fanout.begin(entry), market, mark, this.eventTime);
    this.fanout.publish(entry, TO_ALL);
  }
}

function create(context: VenueContext): VenueRuntime {
  const { registry, limits } = context;
  const publisher = new UsdmPublisher(context);
  registry.onDiffAttach = (entry) => publisher.attach(entry);
  const rest = createUsdmRestHandler({
    markets: context.markets,
    weightPerMinute: WEIGHT_PER_MINUTE,
    writeSnapshot(writer, market, limit) {
      writeUsdmSnapshot(writer, market, publisher.bookId(market), limit, publisher.eventTime, publisher.eventTime - 1);
    },
  });

  function openConnection(request: HttpRequest): ConnectionPlan | number {
    const wanted = usdmStreamsFromPath(request.path, request.query);
    if (wanted === null) return 404;
    if (wanted.names.length > limits.maxStreams) return 400;
    for (const name of wanted.names) if (registry.get(name) === undefined) return 400;
    return { combined: wanted.combined, microseconds: false, streams: wanted.names, routeMask: wanted.routeMask };
  }

  function emitTimed(intervalMs: number): void {
    publisher.readClock();
    const entries = registry.timed.get(intervalMs);
    if (entries !== undefined) for (const entry of entries) publisher.emit(entry);
  }

  return {
    listener: publisher,
    timerIntervalsMs: USDM_TIMER_INTERVALS_MS,
    sessionRules: { idleTimeoutMs: 0, idleCloseCode: CLOSE_LIFETIME, lifetimeNotice: null },
    readClock: () => publisher.readClock(),
    emitTimed,
    flushDiffs() {
      publisher.readClock();
      for (const entry of registry.diffStreams()) publisher.emit(entry);
    },
    openConnection,
    onMessage(session, data, start, end, isText) {
      // Live subscribing works as on Spot: SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET/GET_PROPERTY.
      if (isText) handleControlRequest(session, Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'), registry, limits);
    },
    rest,
    book: (market) => bookLevels(market, publisher.bookId(market), formatUnits),
  };
}

export const binanceUsdmDialect: VenueDialect = { name: 'binance-usdm', limits: USDM_LIMITS, catalogue: usdmCatalogue, create };
