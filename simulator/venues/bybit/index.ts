// Bybit v5 public market data (`startExchange({ venue: 'bybit' })`): one dialect serving both
// `/v5/public/spot` and `/v5/public/linear` (docs/v5/ws/connect: "Spot:
// wss://stream.bybit.com/v5/public/spot", "USDT, USDC perpetual & USDT Futures:
// wss://stream.bybit.com/v5/public/linear") over the shared market engine.
//
// A connection's category is its path; its topics are registered as `<category>:<topic>`
// (e.g. `spot:orderbook.50.BTCUSDT`), so each category keeps its own update ids and payload
// layouts while the books and trades are the same markets'. Topics are subscribed by
// `{"op":"subscribe"}` only (control.ts); order books start with an in-band snapshot and go on
// with deltas at the documented push interval (topic-book.ts); trades go out as they happen;
// tickers at their interval (spot snapshots, linear snapshot then deltas).
//
// Faults beyond the venue-neutral ones: `gap` drops delta messages (their u is spent) and then
// re-sends a snapshot ("If there is a problem on Bybit's end, a `snapshot` will be re-sent");
// `bookSnapshot` re-sends a snapshot now; `serviceRestart` restarts the book service: every book
// topic starts again from u = 1 with a snapshot ("Occasionally, you'll receive "u"=1, which is a
// snapshot data due to the restart of the service").
import type { HttpRequest } from 'tickwire';
import { bybitTopicError, type BybitCategory } from 'tickwire/bybit';
import { formatUnits } from '../../decimal.js';
import { TO_ALL } from '../../fanout.js';
import { bookLevels, type SymbolMarket } from '../../market.js';
import type { BookLevels, Fault } from '../../options.js';
import type { StreamCatalogue, StreamEntry } from '../../registry.js';
import type { ConnectionLimits, Session } from '../../session.js';
import type { StreamSpec } from '../../streams.js';
import type { ConnectionPlan, VenueContext, VenueDialect, VenueRuntime } from '../dialect.js';
import { connectionId, OP_PING, OP_SUBSCRIBE, parseBybitRequest, pongAnswer, requestAnswer, subscribeError, unsubscribeError } from './control.js';
import { tickerKey, writeOrderbook, writeTicker, writeTrades, type TickerField, type TradeRecord } from './payloads.js';
import { LEVEL1_REPEAT_MS, TopicBook } from './topic-book.js';

export const KIND_ORDERBOOK = 0;
export const KIND_TRADE = 1;
export const KIND_TICKER = 2;

const CATEGORIES: readonly BybitCategory[] = ['spot', 'linear'];
/** docs/v5/websocket/public/orderbook.mdx: depth -> push frequency (ms), the same for spot and linear. */
const BOOK_PUSH_MS = new Map([
  [1, 10],
  [50, 20],
  [200, 100],
  [1000, 200],
]);
/** ticker.mdx: "Push frequency: Derivatives & Options - 100ms, Spot - 50ms". */
const TICKER_PUSH_MS: Record<BybitCategory, number> = { spot: 50, linear: 100 };

/** connect: "Do not build over 500 connections in 5 minutes"; Bybit sends no ping frames (the client pings). */
export const BYBIT_LIMITS: ConnectionLimits = {
  pingIntervalMs: 0,
  pongTimeoutMs: 0,
  lifetimeMs: 0,
  shutdownNoticeMs: 0,
  // The docs state no limit on client messages for public connections.
  maxIncomingPerSecond: 0,
  // Enforced as the 21,000 characters of args per connection (control.ts).
  maxStreams: 2000,
  maxConnectionAttempts: 500,
  connectionAttemptWindowMs: 5 * 60 * 1000,
  // The docs name no ban: an attempt before Retry-After is answered 429 again, not 418.
  banMs: 0,
};
/** "if there is no "ping-pong" and no stream data sent from server end, the connection will be cut off after 10 minutes". */
export const BYBIT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

function categoryOfPath(path: string): BybitCategory | null {
  if (path === '/v5/public/spot') return 'spot';
  if (path === '/v5/public/linear') return 'linear';
  return null;
}

function internalName(category: BybitCategory, topic: string): string {
  return `${category}:${topic}`;
}

const catalogue: StreamCatalogue = {
  namesFor(symbol: string): string[] {
    const upper = symbol.toUpperCase();
    const names: string[] = [];
    for (const category of CATEGORIES) {
      for (const depth of BOOK_PUSH_MS.keys()) names.push(internalName(category, `orderbook.${depth}.${upper}`));
      names.push(internalName(category, `publicTrade.${upper}`), internalName(category, `tickers.${upper}`));
    }
    return names;
  },
  globalNames: [],
  parse(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
    const colon = name.indexOf(':');
    const category = name.slice(0, colon) as BybitCategory;
    const topic = name.slice(colon + 1);
    const parts = topic.split('.');
    const symbol = parts[parts.length - 1]!.toLowerCase();
    if (!symbols.has(symbol)) return null;
    const spec = (kind: number, levels: number, intervalMs: number): StreamSpec => ({ name, symbol, kind, levels, intervalMs, variant: category, offsetMs: 0 });
    if (parts[0] === 'orderbook') return spec(KIND_ORDERBOOK, Number(parts[1]), BOOK_PUSH_MS.get(Number(parts[1]))!);
    if (parts[0] === 'publicTrade') return spec(KIND_TRADE, 0, 0);
    if (parts[0] === 'tickers') return spec(KIND_TICKER, 0, TICKER_PUSH_MS[category]);
    return null;
  },
  // Book topics take the `gap` fault (entry.dropEvents); their accumulator is cleared at each push.
  isDiff: (spec) => spec.kind === KIND_ORDERBOOK,
  usesLedger: () => false,
};

/** Per-connection state: its category, conn_id and the topics it holds (wire names). */
interface Client {
  category: BybitCategory;
  connId: string;
  topics: Set<string>;
}

/** Per-topic state of tickers: what was last published (linear sends the changed fields). */
interface TickerState {
  fields: TickerField[];
  published: Float64Array;
}

function create(context: VenueContext): VenueRuntime {
  const { registry, fanout } = context;
  const clients = new WeakMap<Session, Client>();
  const books = new Map<StreamEntry, TopicBook>();
  const tickers = new Map<StreamEntry, TickerState>();
  /** Book topics that send a snapshot at their next push (after a `gap`, or `bookSnapshot`). */
  const resend = new Set<StreamEntry>();
  /** Last trade price per market (units), for tickers. */
  const lastPrice = new Map<SymbolMarket, number>();
  const trade: TradeRecord = { time: 0, priceUnits: 0, quantityUnits: 0, takerBuy: false, number: 0, seq: 0 };
  const trades = [trade];
  let now = Date.now();

  const topicOf = (entry: StreamEntry): string => entry.spec.name.slice(entry.spec.name.indexOf(':') + 1);
  const categoryOf = (entry: StreamEntry): BybitCategory => entry.spec.variant as BybitCategory;

  function bookOf(entry: StreamEntry): TopicBook {
    let book = books.get(entry);
    if (book === undefined) {
      book = new TopicBook(entry.spec.levels);
      books.set(entry, book);
    }
    return book;
  }

  /** Writes one orderbook message of `entry` (its published book when a snapshot) and returns nothing. */
  function writeBook(entry: StreamEntry, book: TopicBook, snapshot: boolean, levels: ReturnType<TopicBook['snapshot']>): void {
    const market = entry.market!;
    const writer = fanout.begin(entry);
    writeOrderbook(writer, {
      topic: topicOf(entry),
      symbol: market.upperSymbol,
      snapshot,
      // "Spot (all levels) & Futures (Level 1): the "ts" field appears before the "type" field".
      tsFirst: categoryOf(entry) === 'spot' || book.depth === 1,
      ts: now,
      bids: levels.bids,
      asks: levels.asks,
      u: book.u,
      seq: market.updateId,
      cts: now,
    });
  }

  /** One push of a book topic: a delta (or, for level 1 and after a fault, a snapshot). */
  function pushBook(entry: StreamEntry): void {
    const book = bookOf(entry);
    if (!book.live || entry.silenced) return; // silenced: the changes wait for the next push
    const market = entry.market!;
    entry.diff?.clear();
    const levelOne = book.depth === 1;
    if (resend.has(entry) && entry.dropEvents === 0) {
      resend.delete(entry);
      book.load(market);
      book.u++;
      book.lastSentAt = now;
      writeBook(entry, book, true, book.snapshot());
      fanout.publish(entry, TO_ALL);
      return;
    }
    const changes = book.delta(market);
    if (changes === null) {
      if (levelOne && now - book.lastSentAt >= LEVEL1_REPEAT_MS) {
        // Level 1 repeats its snapshot after 3 s without a change, with the same u.
        book.lastSentAt = now;
        writeBook(entry, book, true, book.snapshot());
        fanout.publish(entry, TO_ALL);
      }
      return;
    }
    book.u++;
    book.lastSentAt = now;
    if (entry.dropEvents > 0) {
      // `gap`: this message is lost on Bybit's side; a snapshot follows once the drops are done.
      entry.dropEvents--;
      resend.add(entry);
      return;
    }
    writeBook(entry, book, levelOne, levelOne ? book.snapshot() : changes);
    fanout.publish(entry, TO_ALL);
  }

  function tickerOf(entry: StreamEntry): TickerState {
    let state = tickers.get(entry);
    if (state === undefined) {
      const names = categoryOf(entry) === 'spot' ? ['lastPrice', 'highPrice24h', 'lowPrice24h'] : ['lastPrice', 'markPrice', 'indexPrice', 'bid1Price', 'bid1Size', 'ask1Price', 'ask1Size'];
      state = { fields: names.map((name) => ({ key: tickerKey(name), value: NaN, signed: false })), published: new Float64Array(names.length).fill(NaN) };
      tickers.set(entry, state);
    }
    return state;
  }

  /** The ticker's current values (units) into state.fields. */
  function readTicker(entry: StreamEntry, state: TickerState): void {
    const market = entry.market!;
    const bid = market.bestBidTick * market.tickUnits;
    const ask = market.bestAskTick * market.tickUnits;
    const mid = Math.round((bid + ask) / 2);
    const last = lastPrice.get(market) ?? mid;
    const fields = state.fields;
    if (categoryOf(entry) === 'spot') {
      fields[0]!.value = last;
      fields[1]!.value = Math.max(fields[1]!.value === fields[1]!.value ? fields[1]!.value : last, last);
      fields[2]!.value = Math.min(fields[2]!.value === fields[2]!.value ? fields[2]!.value : last, last);
    } else {
      const values = [last, mid, mid, bid, market.bestBidQuantity, ask, market.bestAskQuantity];
      values.forEach((value, index) => (fields[index]!.value = value));
    }
  }

  function writeTickerMessage(entry: StreamEntry, state: TickerState, snapshot: boolean): void {
    const market = entry.market!;
    const category = categoryOf(entry);
    const writer = fanout.begin(entry);
    const fields = snapshot ? state.fields : state.fields.map((field, index) => (field.value === state.published[index] ? { ...field, value: NaN } : field));
    writeTicker(writer, topicOf(entry), market.upperSymbol, snapshot, category === 'spot', now, market.updateId, fields);
  }

  function pushTicker(entry: StreamEntry): void {
    if (entry.subscribers.length === 0 || entry.silenced) return;
    const state = tickerOf(entry);
    readTicker(entry, state);
    const changed = state.fields.some((field, index) => field.value !== state.published[index]);
    if (!changed) return;
    // "Spot & Option tickers message are `snapshot` only"; linear sends what changed.
    writeTickerMessage(entry, state, categoryOf(entry) === 'spot');
    state.fields.forEach((field, index) => (state.published[index] = field.value));
    fanout.publish(entry, TO_ALL);
  }

  function send(session: Session, text: string): void {
    if (session.takesData) session.connection.sendAsciiText(text);
  }

  /** A new subscriber: its in-band snapshot (books), or the ticker's current snapshot (linear). */
  function onSubscribed(session: Session, entry: StreamEntry): void {
    if (entry.spec.kind === KIND_ORDERBOOK) {
      const book = bookOf(entry);
      // Alone on the topic: start from the market's book. Its published book may be live but
      // stale: a connection that drops leaves its topics without onUnsubscribed, and pushes skip
      // a topic nobody holds, so the market may have moved since its last message.
      if (!book.live || entry.subscribers.length === 1) {
        book.load(entry.market!);
        book.u++;
        book.lastSentAt = now;
      }
      const writer = fanout.begin(entry);
      writeBook(entry, book, true, book.snapshot());
      if (session.takesData) session.connection.sendTextBytes(writer.buffer, entry.prefix.length, writer.position);
    } else if (entry.spec.kind === KIND_TICKER && categoryOf(entry) === 'linear') {
      const state = tickerOf(entry);
      readTicker(entry, state);
      const writer = fanout.begin(entry);
      writeTickerMessage(entry, state, true);
      if (session.takesData) session.connection.sendTextBytes(writer.buffer, entry.prefix.length, writer.position);
    }
  }

  function onUnsubscribed(entry: StreamEntry): void {
    if (entry.subscribers.length !== 0) return;
    books.get(entry)?.stop();
    resend.delete(entry);
    tickers.delete(entry);
  }

  function control(session: Session, client: Client, text: string): void {
    const request = parseBybitRequest(text);
    if ('error' in request) return send(session, requestAnswer(client.category, request.opName, false, request.error, client.connId, request.reqId));
    if (request.op === OP_PING) return send(session, pongAnswer(client.category, client.connId, request.reqId));
    const known = (topic: string): boolean => bybitTopicError(client.category, topic) === null && registry.get(internalName(client.category, topic)) !== undefined;
    const subscribing = request.op === OP_SUBSCRIBE;
    const error = subscribing ? subscribeError(client.category, request.args, client.topics, known) : unsubscribeError(request.args, client.topics);
    send(session, requestAnswer(client.category, request.opName, error === null, error ?? '', client.connId, request.reqId));
    if (error !== null) return;
    for (const topic of request.args) {
      const entry = registry.get(internalName(client.category, topic))!;
      if (subscribing) {
        client.topics.add(topic);
        registry.subscribe(session, entry);
        onSubscribed(session, entry);
      } else {
        client.topics.delete(topic);
        registry.unsubscribe(session, entry);
        onUnsubscribed(entry);
      }
    }
  }

  function clientOf(session: Session): Client {
    let client = clients.get(session);
    if (client === undefined) {
      client = { category: categoryOfPath(session.connection.request.path)!, connId: connectionId(session.id), topics: new Set() };
      clients.set(session, client);
    }
    return client;
  }

  const decoder = new TextDecoder();
  return {
    // Book pushes (10, 20, 100, 200 ms) and tickers (spot 50, linear 100 ms).
    timerIntervalsMs: [10, 20, 50, 100, 200],
    sessionRules: { idleTimeoutMs: BYBIT_IDLE_TIMEOUT_MS, idleCloseCode: 1000, lifetimeNotice: null },
    listener: {
      onTop(): void {
        // Books are pushed on their timers from the market's state.
      },
      onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
        lastPrice.set(market, priceUnits);
        trade.time = now;
        trade.priceUnits = priceUnits;
        trade.quantityUnits = quantityUnits;
        trade.takerBuy = !buyerIsMaker;
        trade.number = market.tradeId;
        trade.seq = market.updateId;
        for (const category of CATEGORIES) {
          const entry = registry.get(internalName(category, `publicTrade.${market.upperSymbol}`));
          if (entry === undefined || entry.subscribers.length === 0) continue;
          writeTrades(fanout.begin(entry), topicOf(entry), market.upperSymbol, now, trades, category === 'linear');
          fanout.publish(entry, TO_ALL);
        }
      },
    },
    readClock(): void {
      now = Date.now();
    },
    emitTimed(intervalMs: number): void {
      now = Date.now();
      for (const entry of registry.timed.get(intervalMs) ?? []) {
        if (entry.subscribers.length === 0) continue;
        if (entry.spec.kind === KIND_ORDERBOOK) pushBook(entry);
        else pushTicker(entry);
      }
    },
    flushDiffs(): void {
      now = Date.now();
      for (const entry of books.keys()) {
        if (entry.subscribers.length === 0) continue;
        pushBook(entry);
        // A `gap` still running ends here with its snapshot, so that clients can catch up with book().
        if (resend.has(entry)) {
          entry.dropEvents = 0;
          pushBook(entry);
        }
      }
    },
    openConnection(request: HttpRequest): ConnectionPlan | number {
      // Topics come by subscription only; the URL names none.
      if (categoryOfPath(request.path) === null) return 404;
      return { combined: false, microseconds: false, streams: [] };
    },
    onSubscribed,
    onMessage(session: Session, data: Uint8Array, start: number, end: number, isText: boolean): void {
      if (!isText) return;
      control(session, clientOf(session), decoder.decode(data.subarray(start, end)));
    },
    rest: () => undefined,
    book(market: SymbolMarket): BookLevels {
      // The engine's update id is what every book message carries as `seq` (the cross sequence).
      // extra: `u` of each book topic that has subscribers' state ("<category>:<topic>"), and the
      // number of the last trade (inside the UUID ids) — what a test waits for after pause().
      const extra: Record<string, number> = { tradeNumber: market.tradeId };
      // Only topics someone holds: the published book of a topic nobody holds is not kept up to date.
      for (const [entry, book] of books) if (entry.market === market && book.live && entry.subscribers.length > 0) extra[entry.spec.name] = book.u;
      return { ...bookLevels(market, market.updateId, formatUnits), extra };
    },
    injectFault(fault: Fault): number | undefined {
      if (fault.type !== 'bookSnapshot' && fault.type !== 'serviceRestart') return undefined;
      let affected = 0;
      for (const [entry, book] of books) {
        if (!book.live || (fault.symbol !== undefined && entry.spec.symbol !== fault.symbol.toLowerCase())) continue;
        if (fault.type === 'serviceRestart') book.u = 0; // the snapshot below carries u = 1
        resend.add(entry);
        affected += entry.subscribers.length;
      }
      return affected;
    },
  };
}

export const bybitDialect: VenueDialect = { name: 'bybit', limits: BYBIT_LIMITS, catalogue, create };
