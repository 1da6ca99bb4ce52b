// OKX v5 public market data as a simulator dialect: `startExchange({ venue: 'okx' })` serves the
// channels tickwire/okx decodes over the shared engine, with OKX's rules (OKX v5 docs):
//
//   URL path "/ws/v5/public"; requests {"id":"1512","op":"subscribe","args":[{"channel":"books",
//    "instId":"BTC-USDT"}]}, one {"event":"subscribe","arg":..} answer per argument, errors as
//    {"event":"error","code":"60012","msg":"Invalid request: .."} (control.ts).
//   "Connection limit: 3 requests per second (based on IP)"; "The total number of
//    'subscribe'/'unsubscribe'/'login' requests per connection is limited to 480 times per hour."
//   "The connection will break automatically if the subscription is not established or data has
//    not been pushed for more than 30 seconds." A client keeps it with the text 'ping', answered
//    'pong'. OKX sends no ping frames and states no connection lifetime.
//   books: "400 depth levels will be pushed in the initial full snapshot. Incremental data will
//    be pushed every 100 ms for the changes in the order book during that period of time";
//    "The prevSeqId in the new message matches with seqId of the previous message [...] in
//    snapshot messages [...] the prevSeqId is always -1"; with no change for about 60 s, "a
//    message with 'asks': [], 'bids': [] [...] seqId is the same as the last sent message and
//    prevSeqId equals to seqId".
//   books5: "5 depth levels snapshot [...] pushed every 100 ms when there are changes";
//   bbo-tbt: "1 depth level snapshot [...] pushed every 10 ms when there are changes" (here: at
//    every engine step, which changes the top); trades: "pushed whenever there is a trade";
//   tickers: "The fastest rate is 1 update/100ms. There will be no update if the event is not
//    triggered."
//   Notice: "30 seconds prior to the upgrade of the WebSocket service, the notification message
//    will be sent" (the `serverShutdown` fault sends it here).
//
// Stream names are tickwire/okx's `<channel>:<instId>`; a simulated symbol "btcusdt" is OKX's
// "BTC-USDT". Faults: the venue-neutral ones (a `gap` drops whole books updates while the seqId
// chain moves on, so the next prevSeqId names a message never received) and `checksum` (the next
// books update of a symbol carries a wrong checksum).
import type { HttpRequest, HttpResponse } from 'tickwire';
import { splitSymbol } from '../../exchange-info.js';
import { TO_ALL, type Fanout } from '../../fanout.js';
import { JsonWriter } from '../../json-writer.js';
import { bookLevels, SIDE_ASK, SIDE_BID, type MarketListener, type SymbolMarket } from '../../market.js';
import type { BookLevels, Fault } from '../../options.js';
import type { StreamCatalogue, StreamEntry, StreamRegistry } from '../../registry.js';
import { BINANCE_LIMITS, type ConnectionLimits, type Session } from '../../session.js';
import type { StreamSpec } from '../../streams.js';
import type { ConnectionPlan, VenueContext, VenueDialect, VenueRuntime } from '../dialect.js';
import { okxAck, okxUnknownChannel, okxUpgradeNotice, parseOkxControl } from './control.js';
import { BOOKS5_DEPTH, BOOKS_DEPTH, okxMarketChecksum, writeOkxBookPush, writeOkxTickerPush, writeOkxTradePush, writeOkxUnitsText } from './payloads.js';

export const OKX_KIND_BOOKS = 0;
export const OKX_KIND_BOOKS5 = 1;
export const OKX_KIND_BBO = 2;
export const OKX_KIND_TRADES = 3;
export const OKX_KIND_TICKERS = 4;

/** The URL path of the public service. */
export const OKX_PUBLIC_PATH = '/ws/v5/public';
/** "pushed every 100 ms" (books, books5) and "1 update/100ms" (tickers). */
export const OKX_PUSH_INTERVAL_MS = 100;
/** "data has not been pushed for more than 30 seconds". */
export const OKX_IDLE_MS = 30_000;
/** "If there are no updates to the depth for an extended period (Around 60 seconds)": the keep-alive update. */
export const OKX_BOOKS_KEEPALIVE_MS = 60_000;
/** How often the idle rule is checked. */
const IDLE_CHECK_MS = 1000;
/** Close code when nothing was pushed for the idle limit (OKX documents none: 1001, going away). */
export const OKX_CLOSE_IDLE = 1001;

const CHANNELS: ReadonlyArray<[string, number]> = [
  ['books', OKX_KIND_BOOKS],
  ['books5', OKX_KIND_BOOKS5],
  ['bbo-tbt', OKX_KIND_BBO],
  ['trades', OKX_KIND_TRADES],
  ['tickers', OKX_KIND_TICKERS],
];
const KIND_BY_CHANNEL = new Map(CHANNELS);

/**
 * OKX's limits as the simulator applies them: 3 connection attempts a second per IP, no ping
 * frames, no lifetime, and no per-second message cap (OKX counts requests per hour, not per
 * second). The notice comes 30 s ahead.
 */
export const OKX_LIMITS: ConnectionLimits = {
  pingIntervalMs: 0,
  pongTimeoutMs: 0,
  lifetimeMs: 0,
  shutdownNoticeMs: 30_000,
  maxIncomingPerSecond: 0,
  maxStreams: 0,
  maxConnectionAttempts: 3,
  connectionAttemptWindowMs: 1000,
  banMs: BINANCE_LIMITS.banMs,
};

/** "BTC-USDT" for the simulated "btcusdt". */
export function okxInstrumentOf(symbol: string): string {
  const [base, quote] = splitSymbol(symbol.toUpperCase());
  return `${base}-${quote}`;
}

function parse(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
  const colon = name.indexOf(':');
  if (colon <= 0) return null;
  const kind = KIND_BY_CHANNEL.get(name.slice(0, colon));
  const symbol = name.slice(colon + 1).replaceAll('-', '').toLowerCase();
  if (kind === undefined || !symbols.has(symbol) || okxInstrumentOf(symbol) !== name.slice(colon + 1)) return null;
  const timed = kind === OKX_KIND_BOOKS || kind === OKX_KIND_BOOKS5 || kind === OKX_KIND_TICKERS;
  const levels = kind === OKX_KIND_BOOKS ? BOOKS_DEPTH : kind === OKX_KIND_BOOKS5 ? BOOKS5_DEPTH : 0;
  return { name, symbol, kind, levels, intervalMs: timed ? OKX_PUSH_INTERVAL_MS : 0, variant: '', offsetMs: 0 };
}

const catalogue: StreamCatalogue = {
  namesFor: (symbol) => CHANNELS.map(([channel]) => `${channel}:${okxInstrumentOf(symbol)}`),
  globalNames: [],
  parse,
  isDiff: (spec) => spec.kind === OKX_KIND_BOOKS,
  usesLedger: () => false,
};

const encoder = new TextEncoder();

/** What the runtime keeps per stream. */
interface StreamState {
  readonly channel: Uint8Array;
  readonly instId: Uint8Array;
  /** books: seqId of the last message of the chain (sent, or dropped by a `gap` fault). */
  lastSeqId: number;
  /** books: when the last message went out (keep-alive after OKX_BOOKS_KEEPALIVE_MS). */
  lastSentAt: number;
  /** books5, tickers: market.updateId when last sent ("when there are changes"). */
  lastUpdateId: number;
  /** `checksum` fault: books updates still to send with a wrong checksum. */
  corruptChecksums: number;
}

/** OKX dialect options (tests shorten the idle limit). */
export interface OkxDialectOptions {
  /** Close a connection nothing was pushed to for this long. Default 30 000 ms (0: never). */
  idleMs?: number;
  /** Keep-alive update of an unchanged `books` stream after this long. Default 60 000 ms. */
  booksKeepAliveMs?: number;
}

class OkxRuntime implements MarketListener {
  eventTime = Date.now();
  private readonly states = new Map<StreamEntry, StreamState>();
  private readonly writer = new JsonWriter();
  /** Per session: messagesSent at the last idle check, and since when it has not moved. */
  private readonly idle = new Map<Session, [number, number]>();
  private readonly lastTradePrice = new Map<SymbolMarket, [number, number]>();
  /** Per market: its bbo-tbt and trades streams, looked up once. */
  private readonly realTime = new Map<SymbolMarket, { bbo: StreamEntry; trades: StreamEntry }>();

  constructor(
    private readonly fanout: Fanout,
    private readonly registry: StreamRegistry,
    private readonly sessions: ReadonlySet<Session>,
    private readonly options: Required<OkxDialectOptions>,
  ) {
    for (const entry of registry.entries.values()) {
      const [channel, instId] = entry.spec.name.split(':') as [string, string];
      this.states.set(entry, { channel: encoder.encode(channel), instId: encoder.encode(instId), lastSeqId: -1, lastSentAt: 0, lastUpdateId: -1, corruptChecksums: 0 });
    }
    for (const market of registry.markets) {
      const instId = okxInstrumentOf(market.symbol);
      this.realTime.set(market, { bbo: registry.get(`bbo-tbt:${instId}`)!, trades: registry.get(`trades:${instId}`)! });
    }
  }

  readClock(): void {
    this.eventTime = Date.now();
  }

  // ---- engine events ----

  onTop(market: SymbolMarket): void {
    const entry = this.realTime.get(market)!.bbo;
    if (entry.subscribers.length === 0) return;
    const state = this.states.get(entry)!;
    const bids: Array<[number, number]> = [[market.bestBidTick, market.bestBidQuantity]];
    const asks: Array<[number, number]> = [[market.bestAskTick, market.bestAskQuantity]];
    writeOkxBookPush(this.fanout.begin(entry), state.channel, state.instId, bids, asks, market.tickUnits, { ts: this.eventTime, checksum: null, prevSeqId: null, seqId: market.updateId });
    this.fanout.publish(entry, TO_ALL);
  }

  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    this.lastTradePrice.set(market, [priceUnits, quantityUnits]);
    const entry = this.realTime.get(market)!.trades;
    if (entry.subscribers.length === 0) return;
    const state = this.states.get(entry)!;
    // "side: Trade side of taker": the buyer is the maker when the taker sold.
    writeOkxTradePush(this.fanout.begin(entry), state.channel, state.instId, market.tradeId, priceUnits, quantityUnits, !buyerIsMaker, this.eventTime, market.updateId);
    this.fanout.publish(entry, TO_ALL);
  }

  emitTimed(intervalMs: number): void {
    this.readClock();
    if (intervalMs === IDLE_CHECK_MS) {
      this.checkIdle();
      return;
    }
    const entries = this.registry.timed.get(intervalMs);
    if (entries === undefined) return;
    for (const entry of entries) this.emit(entry, false);
  }

  flushDiffs(): void {
    this.readClock();
    for (const entry of this.registry.diffStreams()) this.emit(entry, true);
  }

  private emit(entry: StreamEntry, flush: boolean): void {
    if (entry.subscribers.length === 0) return;
    const market = entry.market!;
    const state = this.states.get(entry)!;
    switch (entry.spec.kind) {
      case OKX_KIND_BOOKS:
        this.emitBooksUpdate(entry, state, market, flush);
        return;
      case OKX_KIND_BOOKS5:
        if (state.lastUpdateId === market.updateId || entry.silenced) return;
        state.lastUpdateId = market.updateId;
        writeOkxBookPush(this.fanout.begin(entry), state.channel, state.instId, market.topLevels(SIDE_BID, BOOKS5_DEPTH), market.topLevels(SIDE_ASK, BOOKS5_DEPTH), market.tickUnits, {
          ts: this.eventTime,
          checksum: null,
          prevSeqId: null,
          seqId: market.updateId,
        });
        this.fanout.publish(entry, TO_ALL);
        return;
      case OKX_KIND_TICKERS: {
        if (state.lastUpdateId === market.updateId || entry.silenced) return;
        state.lastUpdateId = market.updateId;
        const last = this.lastTradePrice.get(market) ?? [market.bestBidTick * market.tickUnits, 0];
        writeOkxTickerPush(this.fanout.begin(entry), state.channel, state.instId, market, last[0], last[1], this.eventTime);
        this.fanout.publish(entry, TO_ALL);
        return;
      }
      default:
    }
  }

  /** The changes since the last update, chained to it by prevSeqId; a keep-alive when nothing changed for long. */
  private emitBooksUpdate(entry: StreamEntry, state: StreamState, market: SymbolMarket, flush: boolean): void {
    const diff = entry.diff!;
    // A silenced stream keeps collecting: its first update after resumeStream covers the silence.
    if (entry.silenced) return;
    if (!diff.pending) {
      if (flush || this.eventTime - state.lastSentAt < this.options.booksKeepAliveMs) return;
      // "a message with 'asks': [], 'bids': [] [...] seqId is the same as the last sent message and prevSeqId equals to seqId"
      this.sendBooks(entry, state, [], [], state.lastSeqId, state.lastSeqId, okxMarketChecksum(market));
      return;
    }
    const seqId = market.updateId;
    if (entry.dropEvents > 0) {
      // The `gap` fault: this update is never sent, but the chain moves past it.
      entry.dropEvents--;
      state.lastSeqId = seqId;
      diff.clear();
      return;
    }
    const bids = [...diff.bids.entries()].sort((x, y) => y[0] - x[0]);
    const asks = [...diff.asks.entries()].sort((x, y) => x[0] - y[0]);
    diff.clear();
    let checksum = okxMarketChecksum(market);
    if (state.corruptChecksums > 0) {
      state.corruptChecksums--;
      checksum ^= 1;
    }
    this.sendBooks(entry, state, bids, asks, state.lastSeqId, seqId, checksum);
  }

  private sendBooks(entry: StreamEntry, state: StreamState, bids: Array<[number, number]>, asks: Array<[number, number]>, prevSeqId: number, seqId: number, checksum: number): void {
    writeOkxBookPush(this.fanout.begin(entry), state.channel, state.instId, bids, asks, entry.market!.tickUnits, { ts: this.eventTime, checksum, prevSeqId, seqId });
    this.fanout.publish(entry, TO_ALL);
    state.lastSeqId = seqId;
    state.lastSentAt = this.eventTime;
  }

  /**
   * The books snapshot for one new subscriber: the book as it is now, numbered with the chain's
   * last seqId, so the next update (prevSeqId = that seqId) follows on for every subscriber; its
   * changes since that seqId are already in the snapshot and set the same quantities again.
   */
  sendSnapshot(session: Session, entry: StreamEntry): void {
    const market = entry.market!;
    const state = this.states.get(entry)!;
    if (entry.subscribers.length === 1 || state.lastSeqId < 0) {
      // A fresh chain: the accumulator started with this subscription.
      state.lastSeqId = market.updateId;
      state.lastSentAt = this.eventTime;
      entry.diff!.clear();
    }
    const writer = this.writer;
    writer.reset();
    writeOkxBookPush(writer, state.channel, state.instId, market.topLevels(SIDE_BID, BOOKS_DEPTH), market.topLevels(SIDE_ASK, BOOKS_DEPTH), market.tickUnits, {
      ts: this.eventTime,
      checksum: okxMarketChecksum(market),
      prevSeqId: -1,
      seqId: state.lastSeqId,
    });
    send(session, writer);
    this.fanout.messagesSent++; // a data message like the fan-out's (Exchange.stats().messagesSent)
  }

  corruptNextChecksum(symbol: string | undefined, events: number): number {
    let affected = 0;
    for (const entry of this.registry.diffStreams(symbol?.toLowerCase())) {
      this.states.get(entry)!.corruptChecksums += events;
      affected += entry.subscribers.length;
    }
    return affected;
  }

  /** "data has not been pushed for more than 30 seconds": close the connections nothing reached. */
  private checkIdle(): void {
    const limit = this.options.idleMs;
    if (limit <= 0) return;
    const now = performance.now();
    for (const session of this.sessions) {
      const seen = this.idle.get(session);
      if (seen === undefined || seen[0] !== session.messagesSent) {
        this.idle.set(session, [session.messagesSent, now]);
        continue;
      }
      if (now - seen[1] >= limit && session.open && !session.silent) {
        session.open = false;
        session.connection.close(OKX_CLOSE_IDLE, 'No data pushed for 30 seconds');
      }
    }
    for (const session of this.idle.keys()) if (!this.sessions.has(session)) this.idle.delete(session);
  }
}

/** Sends the writer's text to one session (answers, snapshots), counted like the fan-out's sends. */
function send(session: Session, writer: JsonWriter): void {
  if (!session.takesData) return;
  session.connection.sendTextBytes(writer.buffer, 0, writer.position);
  session.messagesSent++;
}

function sendText(session: Session, text: string): void {
  if (!session.takesData) return;
  session.connection.sendText(text);
  session.messagesSent++;
}

/** OKX's connection id: 8 hex digits per connection. */
function connIdOf(session: Session): string {
  return (Math.imul(session.id + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
}

function createRuntime(context: VenueContext, options: Required<OkxDialectOptions>): VenueRuntime {
  const { registry } = context;
  const runtime = new OkxRuntime(context.fanout, registry, context.sessions, options);
  const decoder = new TextDecoder();

  function onSubscribed(session: Session, entry: StreamEntry): void {
    if (entry.spec.kind === OKX_KIND_BOOKS) runtime.sendSnapshot(session, entry);
  }

  function openConnection(request: HttpRequest): ConnectionPlan | number | HttpResponse {
    return request.path === OKX_PUBLIC_PATH ? { combined: false, microseconds: false, streams: [] } : 404;
  }

  function onMessage(session: Session, data: Uint8Array, start: number, end: number, isText: boolean): void {
    if (!isText) return;
    const connId = connIdOf(session);
    const control = parseOkxControl(decoder.decode(data.subarray(start, end)), connId);
    if (control.kind === 'ping') {
      sendText(session, 'pong');
      return;
    }
    if (control.kind === 'invalid') {
      sendText(session, control.response);
      return;
    }
    for (const arg of control.args) {
      const entry = registry.get(`${arg.channel}:${arg.instId}`);
      if (entry === undefined) {
        sendText(session, okxUnknownChannel(arg, control.id, connId));
        continue;
      }
      sendText(session, okxAck(control.op, arg, control.id, connId));
      if (control.op === 'subscribe') {
        if (session.streams.has(entry.spec.name)) continue;
        registry.subscribe(session, entry);
        onSubscribed(session, entry);
      } else {
        registry.unsubscribe(session, entry);
      }
    }
  }

  return {
    timerIntervalsMs: [OKX_PUSH_INTERVAL_MS, IDLE_CHECK_MS],
    // OKX's idle rule is about data pushed, not received: the runtime checks it (checkIdle).
    sessionRules: { idleTimeoutMs: 0, idleCloseCode: OKX_CLOSE_IDLE, lifetimeNotice: (session) => sendText(session, okxUpgradeNotice(connIdOf(session))) },
    listener: runtime,
    readClock: () => runtime.readClock(),
    emitTimed: (intervalMs) => runtime.emitTimed(intervalMs),
    flushDiffs: () => runtime.flushDiffs(),
    openConnection,
    onSubscribed,
    onMessage,
    rest: () => undefined,
    book: okxBookLevels,
    injectFault(fault: Fault, sessions: readonly Session[]): number | undefined {
      if (fault.type === 'serverShutdown') {
        // OKX's equivalent: the 64008 service-upgrade notice.
        for (const session of sessions) sendText(session, okxUpgradeNotice(connIdOf(session)));
        return sessions.length;
      }
      if (fault.type === 'checksum') return runtime.corruptNextChecksum(fault.symbol, fault.events ?? 1);
      return undefined;
    },
  };
}

/** Exchange.book() in OKX's terms: levels as OKX spells them, seqId, and the checksum. */
export function okxBookLevels(market: SymbolMarket): BookLevels {
  return { ...bookLevels(market, market.updateId, writeOkxUnitsText), extra: { checksum: okxMarketChecksum(market) } };
}

/** An OKX dialect with other idle or keep-alive times (tests); `okxDialect` is the documented one. */
export function createOkxDialect(options: OkxDialectOptions = {}): VenueDialect {
  const resolved: Required<OkxDialectOptions> = { idleMs: options.idleMs ?? OKX_IDLE_MS, booksKeepAliveMs: options.booksKeepAliveMs ?? OKX_BOOKS_KEEPALIVE_MS };
  return { name: 'okx', limits: OKX_LIMITS, catalogue, create: (context) => createRuntime(context, resolved) };
}

/** `startExchange({ venue: 'okx' })`. */
export const okxDialect: VenueDialect = createOkxDialect();
