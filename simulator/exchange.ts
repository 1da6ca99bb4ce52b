import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type HttpRequest, type PerMessageDeflateOptions, type ServerConnection, type WebSocketServer } from 'tickwire';
import {
  METHOD_GET_PROPERTY,
  METHOD_LIST_SUBSCRIPTIONS,
  METHOD_SET_PROPERTY,
  METHOD_SUBSCRIBE,
  errorResponse,
  parseControlRequest,
  resultResponse,
  type ControlRequest,
} from './control.js';
import { formatUnits } from './decimal.js';
import { DepthDiff, SIDE_ASK, SIDE_BID, SymbolMarket, type MarketListener, type SymbolConfig } from './market.js';
import { BINANCE_LIMITS, Session, type ConnectionLimits } from './session.js';
import {
  KIND_DEPTH_DIFF,
  KIND_DEPTH_PARTIAL,
  combinedPrefix,
  parseStreamName,
  stampField,
  streamNamesFor,
  streamsFromPath,
  timeUnitFromQuery,
  TIME_UNIT_MICROSECONDS,
  writeAggTrade,
  writeBookSnapshot,
  writeBookTicker,
  writeDepthUpdate,
  writeStamp,
  writeTrade,
  type StreamSpec,
} from './streams.js';
import { JsonWriter } from './json-writer.js';
import { Pacer } from './pacer.js';
import { createRestHandler } from './rest.js';

/** In max-rate mode the engine waits for a client whose unsent bytes pass this. */
const MAX_RATE_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** In paced mode a client that lets this much pile up is dropped, as a slow consumer. */
const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Book updates per second per symbol unless told otherwise: a calm market, easy to read by eye. */
const DEFAULT_RATE = 10;

const fixturesTls = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tls');

export const DEFAULT_SYMBOLS: SymbolConfig[] = [
  { symbol: 'btcusdt', price: 65000, tickSize: 0.01, lotSize: 0.00001, maxLots: 100_000 },
  { symbol: 'ethusdt', price: 3500, tickSize: 0.01, lotSize: 0.0001, maxLots: 50_000 },
  { symbol: 'bnbusdt', price: 600, tickSize: 0.01, lotSize: 0.001, maxLots: 10_000 },
];

export interface ExchangeOptions {
  /** Port for ws:// and http:// (0: any free port). */
  port?: number;
  host?: string;
  /** Also serve wss:// and https:// on tlsPort: true uses fixtures/tls/localhost.pem (signed by fixtures/tls/ca.pem). */
  tls?: boolean | { cert: string | Buffer; key: string | Buffer };
  tlsPort?: number;
  /** Symbols to simulate: names (with default settings) or full configs. */
  symbols?: Array<string | SymbolConfig>;
  /** PRNG seed: the sequence of book states and trades is the same for the same seed. */
  seed?: number;
  /** Book updates per second per symbol; 0 or Infinity: as fast as the clients read. Default 10. */
  rate?: number;
  /** Ticks per side of each book. Default 200 (fits one REST snapshot of limit 1000). */
  bookDepth?: number;
  /** Add a send-time stamp (process.hrtime.bigint(), ns) to every event: true for "T_ns", or the field name. */
  stamp?: boolean | string;
  /** Binance's connection limits, each overridable. */
  limits?: Partial<ConnectionLimits>;
  /** Paced mode: drop a client with more unsent bytes than this. */
  maxBufferedBytes?: number;
  /**
   * Accept permessage-deflate from clients that offer it (the server option of the same name).
   * Default false. Most events are shorter than the default 1024-byte threshold: pass
   * `{ threshold: 0 }` to compress every message.
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
}

export type Fault =
  /** Destroy the TCP connections (no close frame). */
  | { type: 'drop' }
  /** Stop sending anything and stop answering pings, keep the sockets open (half-open). */
  | { type: 'silent' }
  /** Undo 'silent'. */
  | { type: 'resume' }
  /** Close with a close frame (default 1001 going away). */
  | { type: 'close'; code?: number; reason?: string }
  /** Send the `serverShutdown` event now. */
  | { type: 'serverShutdown' }
  /** Drop the next diff-depth event(s) of a symbol (all symbols if none), so `U` skips ahead. */
  | { type: 'gap'; symbol?: string; events?: number }
  /** Change the update rate (updates per second per symbol; 0: as fast as possible). */
  | { type: 'rate'; rate: number };

export interface BookLevels {
  lastUpdateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

export interface ExchangeStats {
  connections: number;
  /** Data messages sent to clients since start (each copy counts). */
  messagesSent: number;
  /** Book updates made by the engine since start (all symbols). */
  updates: number;
}

export interface Exchange {
  /** ws://host:port (append /ws/<stream> or /stream?streams=...). */
  readonly url: string;
  /** wss://localhost:tlsPort when TLS is on. */
  readonly wssUrl: string | undefined;
  /** http://host:port for REST (GET /api/v3/depth). */
  readonly restUrl: string;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly symbols: readonly string[];
  /** Full current book of a symbol (prices best first) with its update id. */
  book(symbol: string): BookLevels;
  injectFault(fault: Fault): number;
  setRate(rate: number): void;
  /** Stops the engine; pending diff-depth events are sent first, so clients catch up with book(). */
  pause(): void;
  resume(): void;
  stats(): ExchangeStats;
  close(): Promise<void>;
}

interface StreamEntry {
  spec: StreamSpec;
  /** `{"stream":"<name>","data":` for combined subscribers. */
  prefix: Uint8Array;
  market: SymbolMarket;
  subscribers: Session[];
  /** Diff-depth streams: the changes since the last event. */
  diff: DepthDiff | null;
  /** Fault injection: diff events still to drop. */
  dropEvents: number;
  /** Subscribers that asked for timeUnit=MICROSECOND (time fields are written once per unit). */
  microSubscribers: number;
}

// Which subscribers an event goes to: all (no time field in it), or those of one time unit.
const TO_ALL = 0;
const TO_MILLISECONDS = 1;
const TO_MICROSECONDS = 2;

interface SymbolStreams {
  trade: StreamEntry;
  aggTrade: StreamEntry;
  bookTicker: StreamEntry;
  /** Depth streams by update speed. */
  timed100: StreamEntry[];
  timed1000: StreamEntry[];
}

/** The test certificate for `tls: true`: localhost, 127.0.0.1 and ::1, signed by fixtures/tls/ca.pem. */
function fixtureCertificate(): { cert: Buffer; key: Buffer } {
  const cert = join(fixturesTls, 'localhost.pem');
  if (!existsSync(cert)) {
    throw new Error(`tls: true needs the repository's ${cert} (not shipped in the npm package); pass tls: { cert, key } instead`);
  }
  return { cert: readFileSync(cert), key: readFileSync(join(fixturesTls, 'localhost-key.pem')) };
}

function resolveSymbols(symbols: Array<string | SymbolConfig> | undefined): SymbolConfig[] {
  if (symbols === undefined) return DEFAULT_SYMBOLS;
  const configs = symbols.map((entry) => {
    if (typeof entry !== 'string') return { ...entry, symbol: entry.symbol.toLowerCase() };
    const symbol = entry.toLowerCase();
    return DEFAULT_SYMBOLS.find((known) => known.symbol === symbol) ?? { symbol, price: 100, tickSize: 0.01, lotSize: 0.001, maxLots: 10_000 };
  });
  for (const config of configs) {
    // Stream names are <symbol>@<type> with a lower-case alphanumeric symbol.
    if (!/^[a-z0-9]+$/.test(config.symbol)) throw new RangeError(`invalid symbol ${JSON.stringify(config.symbol)} (letters and digits only)`);
    if (!(config.tickSize > 0 && config.lotSize > 0 && config.price > 0 && config.maxLots >= 1)) {
      throw new RangeError(`symbol ${config.symbol}: price, tickSize, lotSize and maxLots must be positive`);
    }
  }
  if (new Set(configs.map((config) => config.symbol)).size !== configs.length) throw new RangeError('duplicate symbol');
  return configs;
}

/** Starts a Binance-Spot-compatible market stream simulator on loopback. */
export async function startExchange(options: ExchangeOptions = {}): Promise<Exchange> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const bookDepth = options.bookDepth ?? 200;
  const limits: ConnectionLimits = { ...BINANCE_LIMITS, ...options.limits };
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const stampName = options.stamp === true ? 'T_ns' : typeof options.stamp === 'string' ? options.stamp : null;
  const stamp = stampName === null ? null : stampField(stampName);
  const configs = resolveSymbols(options.symbols);

  const sessions = new Set<Session>();
  const entries = new Map<string, StreamEntry>();
  const bySymbol = new Map<string, SymbolStreams>();
  const symbolSet = new Set(configs.map((config) => config.symbol));
  let nextSessionId = 1;
  let messagesSent = 0;
  let updates = 0;
  // Event times of the current batch, in milliseconds (default) and microseconds (timeUnit=MICROSECOND).
  let eventTime = 0;
  let eventTimeMicros = 0;
  function readClock(): void {
    eventTimeMicros = Math.round((performance.timeOrigin + performance.now()) * 1000);
    eventTime = Math.floor(eventTimeMicros / 1000);
  }
  readClock();

  // ---- fan-out -------------------------------------------------------------------------

  // Every event is written once, as `{"stream":"<name>","data":<payload>}`, into one reusable
  // buffer: raw subscribers get the payload slice, combined ones the whole thing.
  const writer = new JsonWriter();
  let payloadStart = 0;

  /** Starts an event for `entry`: the combined prefix, then the payload writer runs. */
  function begin(entry: StreamEntry): JsonWriter {
    writer.reset();
    writer.bytes(entry.prefix);
    payloadStart = writer.position;
    return writer;
  }

  /** Sends the event written since begin() to every subscriber of `entry`. */
  function publish(entry: StreamEntry, audience: number): void {
    if (stamp !== null) writeStamp(writer, stamp);
    const payloadEnd = writer.position;
    writer.byte(0x7d); // the combined wrapper's closing brace
    const buffer = writer.buffer;
    const subscribers = entry.subscribers;
    for (let index = 0; index < subscribers.length; index++) {
      const session = subscribers[index]!;
      if (session.silent || (audience !== TO_ALL && session.microseconds !== (audience === TO_MICROSECONDS))) continue;
      if (session.combined) session.connection.sendTextBytes(buffer, 0, payloadEnd + 1);
      else session.connection.sendTextBytes(buffer, payloadStart, payloadEnd);
      session.messagesSent++;
      messagesSent++;
    }
  }

  const listener: MarketListener = {
    onTop(market) {
      const entry = bySymbol.get(market.symbol)!.bookTicker;
      if (entry.subscribers.length === 0) return;
      writeBookTicker(begin(entry), market);
      publish(entry, TO_ALL);
    },
    onTrade(market, priceUnits, quantityUnits, buyerIsMaker) {
      const streams = bySymbol.get(market.symbol)!;
      const trade = streams.trade;
      if (trade.subscribers.length > trade.microSubscribers) {
        writeTrade(begin(trade), market, eventTime, priceUnits, quantityUnits, buyerIsMaker);
        publish(trade, TO_MILLISECONDS);
      }
      if (trade.microSubscribers !== 0) {
        writeTrade(begin(trade), market, eventTimeMicros, priceUnits, quantityUnits, buyerIsMaker);
        publish(trade, TO_MICROSECONDS);
      }
      const aggTrade = streams.aggTrade;
      if (aggTrade.subscribers.length > aggTrade.microSubscribers) {
        writeAggTrade(begin(aggTrade), market, eventTime, priceUnits, quantityUnits, buyerIsMaker);
        publish(aggTrade, TO_MILLISECONDS);
      }
      if (aggTrade.microSubscribers !== 0) {
        writeAggTrade(begin(aggTrade), market, eventTimeMicros, priceUnits, quantityUnits, buyerIsMaker);
        publish(aggTrade, TO_MICROSECONDS);
      }
    },
  };

  const markets = configs.map((config) => new SymbolMarket(config, seed, bookDepth, listener));
  for (const market of markets) {
    const make = (name: string): StreamEntry => {
      const spec = parseStreamName(name, symbolSet)!;
      const entry: StreamEntry = { spec, prefix: combinedPrefix(name), market, subscribers: [], diff: spec.kind === KIND_DEPTH_DIFF ? new DepthDiff() : null, dropEvents: 0, microSubscribers: 0 };
      entries.set(name, entry);
      return entry;
    };
    const all = streamNamesFor(market.symbol).map(make);
    bySymbol.set(market.symbol, {
      trade: entries.get(`${market.symbol}@trade`)!,
      aggTrade: entries.get(`${market.symbol}@aggTrade`)!,
      bookTicker: entries.get(`${market.symbol}@bookTicker`)!,
      timed100: all.filter((entry) => entry.spec.intervalMs === 100),
      timed1000: all.filter((entry) => entry.spec.intervalMs === 1000),
    });
  }

  function emitTimed(entry: StreamEntry): void {
    if (entry.subscribers.length === 0) return;
    if (entry.spec.kind === KIND_DEPTH_PARTIAL) {
      writeBookSnapshot(begin(entry), entry.market, entry.spec.levels);
      publish(entry, TO_ALL);
      return;
    }
    const diff = entry.diff!;
    if (!diff.pending) return;
    if (entry.dropEvents > 0) {
      entry.dropEvents--;
    } else {
      if (entry.subscribers.length > entry.microSubscribers) {
        writeDepthUpdate(begin(entry), entry.market, diff, eventTime);
        publish(entry, TO_MILLISECONDS);
      }
      if (entry.microSubscribers !== 0) {
        writeDepthUpdate(begin(entry), entry.market, diff, eventTimeMicros);
        publish(entry, TO_MICROSECONDS);
      }
    }
    diff.clear();
  }

  function emitTimedAll(interval: 100 | 1000): void {
    readClock();
    for (const streams of bySymbol.values()) {
      for (const entry of interval === 100 ? streams.timed100 : streams.timed1000) emitTimed(entry);
    }
  }

  // ---- subscriptions -------------------------------------------------------------------

  function subscribe(session: Session, entry: StreamEntry): void {
    if (session.streams.has(entry.spec.name)) return;
    session.streams.add(entry.spec.name);
    entry.subscribers.push(session);
    if (session.microseconds) entry.microSubscribers++;
    // Diff changes are collected only while someone listens; a new first subscriber starts a
    // fresh range, so its first event has U right after the subscription.
    if (entry.diff !== null && entry.subscribers.length === 1) entry.market.diffs.push(entry.diff);
  }

  function unsubscribe(session: Session, entry: StreamEntry): void {
    if (!session.streams.delete(entry.spec.name)) return;
    const index = entry.subscribers.indexOf(session);
    if (index !== -1) entry.subscribers.splice(index, 1);
    if (session.microseconds) entry.microSubscribers--;
    if (entry.diff !== null && entry.subscribers.length === 0) {
      const diffs = entry.market.diffs;
      diffs.splice(diffs.indexOf(entry.diff), 1);
      entry.diff.clear();
    }
  }

  function handleRequest(session: Session, text: string): void {
    const parsed = parseControlRequest(text);
    if (!parsed.ok) {
      session.connection.sendText(parsed.response);
      return;
    }
    const request: ControlRequest = parsed.request;
    switch (request.method) {
      case METHOD_LIST_SUBSCRIPTIONS:
        session.connection.sendText(resultResponse([...session.streams], request.id));
        return;
      case METHOD_GET_PROPERTY:
        session.connection.sendText(resultResponse(session.combined, request.id));
        return;
      case METHOD_SET_PROPERTY:
        session.combined = request.value;
        session.connection.sendText(resultResponse(null, request.id));
        return;
      default: {
        const found: StreamEntry[] = [];
        for (const name of request.streams) {
          const entry = entries.get(name);
          if (entry === undefined) {
            session.connection.sendText(errorResponse(2, `Invalid request: unknown stream \`${name}\``, request.id));
            return;
          }
          found.push(entry);
        }
        if (request.method === METHOD_SUBSCRIBE) {
          const added = new Set(found.map((entry) => entry.spec.name).filter((name) => !session.streams.has(name)));
          if (session.streams.size + added.size > limits.maxStreams) {
            session.connection.sendText(
              errorResponse(2, `Invalid request: too many streams, a connection can listen to at most ${limits.maxStreams}`, request.id),
            );
            return;
          }
          for (const entry of found) subscribe(session, entry);
        } else {
          for (const entry of found) unsubscribe(session, entry);
        }
        session.connection.sendText(resultResponse(null, request.id));
      }
    }
  }

  // ---- connections ---------------------------------------------------------------------

  function verifyUpgrade(request: HttpRequest): true | number {
    const wanted = streamsFromPath(request.path, request.query);
    if (wanted === null) return 404;
    if (timeUnitFromQuery(request.query) === null) return 400;
    if (wanted.names.length > limits.maxStreams) return 400;
    for (const name of wanted.names) if (!entries.has(name)) return 400;
    return true;
  }

  function onConnection(connection: ServerConnection, request: HttpRequest): void {
    const wanted = streamsFromPath(request.path, request.query)!;
    const session = new Session(nextSessionId++, connection, wanted.combined, timeUnitFromQuery(request.query) === TIME_UNIT_MICROSECONDS, limits);
    sessions.add(session);
    for (const name of wanted.names) subscribe(session, entries.get(name)!);
    connection.onMessage = (data, start, end, isText) => {
      if (!session.countIncoming() || session.silent) return;
      if (isText) handleRequest(session, Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'));
    };
    connection.onPing = () => {
      session.countIncoming();
    };
    connection.onPong = (data, start, end) => {
      if (session.countIncoming()) session.pongReceived(data, start, end);
    };
    connection.onDrain = wake;
    connection.onClose = () => {
      session.dispose();
      sessions.delete(session);
      for (const name of [...session.streams]) unsubscribe(session, entries.get(name)!);
      pacer.wake();
    };
    pacer.wake();
  }

  // ---- engine --------------------------------------------------------------------------

  let closed = false;
  const pacer = new Pacer(
    {
      step(count) {
        readClock();
        for (let round = 0; round < count; round++) {
          for (let index = 0; index < markets.length; index++) markets[index]!.step();
        }
        updates += count * markets.length;
      },
      afterPacedTick() {
        // A client that lets this much pile up is dropped, as a slow consumer.
        for (const session of sessions) {
          if (session.connection.bufferedAmount > maxBufferedBytes) session.connection.terminate();
        }
      },
      backlogged() {
        for (const session of sessions) {
          if (!session.silent && session.connection.bufferedAmount > MAX_RATE_HIGH_WATER_BYTES) return true;
        }
        return false;
      },
      hasListeners() {
        return sessions.size !== 0;
      },
    },
    options.rate === undefined ? DEFAULT_RATE : options.rate,
  );
  function wake(): void {
    pacer.wake();
  }

  const timer100 = setInterval(() => emitTimedAll(100), 100);
  const timer1000 = setInterval(() => emitTimedAll(1000), 1000);
  timer100.unref();
  timer1000.unref();

  // ---- servers -------------------------------------------------------------------------

  // Control requests are small JSON; a 1 s close timeout keeps close() quick with dead clients.
  const onHttpRequest = createRestHandler(markets);
  const serverOptions = { onConnection, verifyUpgrade, onHttpRequest, maxPayload: 64 * 1024, closeTimeoutMs: 1000, perMessageDeflate: options.perMessageDeflate ?? false };
  const plain: WebSocketServer = createServer(serverOptions);
  const address = await plain.listen(options.port ?? 0, host);
  let secure: WebSocketServer | null = null;
  let tlsPort: number | undefined;
  if (options.tls !== undefined && options.tls !== false) {
    const tls = options.tls === true ? fixtureCertificate() : options.tls;
    secure = createServer({ ...serverOptions, tls });
    tlsPort = (await secure.listen(options.tlsPort ?? 0, host)).port;
  }
  pacer.start();

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${urlHost}:${address.port}`,
    wssUrl: tlsPort === undefined ? undefined : `wss://localhost:${tlsPort}`,
    restUrl: `http://${urlHost}:${address.port}`,
    port: address.port,
    tlsPort,
    symbols: configs.map((config) => config.symbol),

    book(symbol: string): BookLevels {
      const market = markets.find((candidate) => candidate.symbol === symbol.toLowerCase());
      if (market === undefined) throw new RangeError(`unknown symbol ${symbol}`);
      const format = (levels: Array<[number, number]>): Array<[string, string]> =>
        levels.map(([tick, quantity]) => [formatUnits(tick * market.tickUnits), formatUnits(quantity)]);
      return {
        lastUpdateId: market.updateId,
        bids: format(market.topLevels(SIDE_BID, Infinity)),
        asks: format(market.topLevels(SIDE_ASK, Infinity)),
      };
    },

    injectFault(fault: Fault): number {
      const targets = [...sessions];
      switch (fault.type) {
        case 'drop':
          for (const session of targets) session.connection.terminate();
          return targets.length;
        case 'silent':
          for (const session of targets) {
            session.silent = true;
            session.connection.autoPong = false;
          }
          return targets.length;
        case 'resume':
          for (const session of targets) {
            session.silent = false;
            session.connection.autoPong = true;
          }
          return targets.length;
        case 'close':
          for (const session of targets) session.connection.close(fault.code ?? 1001, fault.reason ?? '');
          return targets.length;
        case 'serverShutdown':
          for (const session of targets) session.sendServerShutdown();
          return targets.length;
        case 'gap': {
          let affected = 0;
          for (const streams of bySymbol.values()) {
            if (fault.symbol !== undefined && streams.bookTicker.market.symbol !== fault.symbol.toLowerCase()) continue;
            for (const entry of [...streams.timed100, ...streams.timed1000]) {
              if (entry.spec.kind !== KIND_DEPTH_DIFF) continue;
              entry.dropEvents += fault.events ?? 1;
              affected += entry.subscribers.length;
            }
          }
          return affected;
        }
        case 'rate':
          pacer.setRate(fault.rate);
          return sessions.size;
      }
    },

    setRate(rate: number): void {
      pacer.setRate(rate);
    },

    pause(): void {
      pacer.stop();
      readClock();
      for (const streams of bySymbol.values()) {
        for (const entry of [...streams.timed100, ...streams.timed1000]) if (entry.spec.kind === KIND_DEPTH_DIFF) emitTimed(entry);
      }
    },

    resume(): void {
      if (!closed) pacer.start();
    },

    stats(): ExchangeStats {
      return { connections: sessions.size, messagesSent, updates };
    },

    async close(): Promise<void> {
      closed = true;
      pacer.stop();
      clearInterval(timer100);
      clearInterval(timer1000);
      for (const session of sessions) session.dispose();
      await Promise.all([plain.close(1001), secure === null ? Promise.resolve() : secure.close(1001)]);
    },
  };
}
