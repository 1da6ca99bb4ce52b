// startExchange: wires the simulator's parts together — markets and engine pacing, the stream
// registry, the event publisher and fan-out, control requests, connection admission, faults,
// and the ws/wss servers (with REST on the same port).
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type HttpRequest, type HttpResponse, type ServerConnection, type ServerOptions, type WebSocketServer } from 'tickwire';
import { ConnectionAdmission } from './admission.js';
import { formatUnits } from './decimal.js';
import { TradeLedger } from './ledger.js';
import { DEFAULT_MAX_BUFFERED_BYTES, Fanout } from './fanout.js';
import { applyFault } from './faults.js';
import { SIDE_ASK, SIDE_BID, SymbolMarket } from './market.js';
import { fixtureCertificate, resolveSymbols, type BookLevels, type Exchange, type ExchangeOptions, type ExchangeStats, type Fault, type RestartOptions } from './options.js';
import { Pacer } from './pacer.js';
import { EventPublisher } from './publisher.js';
import { StreamRegistry } from './registry.js';
import { handleControlRequest } from './requests.js';
import { createRestHandler } from './rest.js';
import { BINANCE_LIMITS, Session, type ConnectionLimits } from './session.js';
import { GLOBAL_STREAM_NAMES, stampField, streamsFromPath, timeUnitFromQuery, TIME_UNIT_MICROSECONDS } from './streams.js';

export { DEFAULT_SYMBOLS } from './options.js';
export type { BookLevels, Exchange, ExchangeOptions, ExchangeStats, Fault, RestartOptions } from './options.js';

/** Book updates per second per symbol unless told otherwise: a calm market, easy to read by eye. */
const DEFAULT_RATE = 10;

/** Starts a Binance-Spot-compatible market stream simulator on loopback. */
export async function startExchange(options: ExchangeOptions = {}): Promise<Exchange> {
  const host = options.host ?? '127.0.0.1';
  const limits: ConnectionLimits = { ...BINANCE_LIMITS, ...options.limits };
  const stampName = options.stamp === true ? 'T_ns' : typeof options.stamp === 'string' ? options.stamp : null;
  const configs = resolveSymbols(options.symbols);

  const sessions = new Set<Session>();
  const fanout = new Fanout(sessions, stampName === null ? null : stampField(stampName), options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
  const publisher = new EventPublisher(fanout);
  const markets = configs.map((config) => new SymbolMarket(config, options.seed ?? 1, options.bookDepth ?? 200, publisher));
  const ledgers = markets.map((market) => new TradeLedger(market.midTick * market.tickUnits, market.tickUnits, market.lotUnits));
  const registry = new StreamRegistry(markets, ledgers, GLOBAL_STREAM_NAMES);
  publisher.attach(registry);
  const admission = new ConnectionAdmission(limits);
  let nextSessionId = 1;
  let updates = 0;

  // ---- engine --------------------------------------------------------------------------

  const pacer = new Pacer(
    {
      step(count) {
        publisher.readClock();
        for (let round = 0; round < count; round++) {
          for (let index = 0; index < markets.length; index++) markets[index]!.step();
        }
        updates += count * markets.length;
        fanout.enforceQueueBound();
      },
      backlogged: () => fanout.allBacklogged(),
      hasListeners: () => sessions.size !== 0,
    },
    options.rate === undefined ? DEFAULT_RATE : options.rate,
  );
  const timers = [100, 1000, 2000].map((intervalMs) => {
    const timer = setInterval(() => publisher.emitTimed(intervalMs), intervalMs);
    timer.unref();
    return timer;
  });

  // ---- connections ---------------------------------------------------------------------

  function verifyUpgrade(request: HttpRequest): true | number | HttpResponse {
    const admitted = admission.admit(request.remoteAddress);
    if (admitted !== true) return admitted;
    const wanted = streamsFromPath(request.path, request.query);
    if (wanted === null) return 404;
    if (timeUnitFromQuery(request.query) === null) return 400;
    if (wanted.names.length > limits.maxStreams) return 400;
    for (const name of wanted.names) if (registry.get(name) === undefined) return 400;
    return true;
  }

  function onConnection(connection: ServerConnection, request: HttpRequest): void {
    const wanted = streamsFromPath(request.path, request.query)!;
    const microseconds = timeUnitFromQuery(request.query) === TIME_UNIT_MICROSECONDS;
    const session = new Session(nextSessionId++, connection, wanted.combined, microseconds, limits);
    sessions.add(session);
    for (const name of wanted.names) registry.subscribe(session, registry.get(name)!);
    connection.onMessage = (data, start, end, isText) => {
      if (!session.countIncoming() || session.silent) return;
      if (isText) handleControlRequest(session, Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'), registry, limits);
    };
    connection.onPing = () => {
      session.countIncoming();
    };
    connection.onPong = (data, start, end) => {
      if (session.countIncoming()) session.pongReceived(data, start, end);
    };
    connection.onDrain = () => pacer.wake();
    connection.onClose = () => {
      session.open = false;
      session.dispose();
      sessions.delete(session);
      registry.unsubscribeAll(session);
      pacer.wake();
    };
    pacer.wake();
  }

  // ---- servers -------------------------------------------------------------------------

  // Control requests are small JSON; a 1 s close timeout keeps close() quick with dead clients.
  const serverOptions: ServerOptions = {
    onConnection,
    verifyUpgrade,
    onHttpRequest: createRestHandler(markets),
    maxPayload: 64 * 1024,
    closeTimeoutMs: 1000,
    // The simulator applies its own slow-consumer bound after each engine batch (fanout.ts); the
    // server role's limit stays a backstop above it, for a batch that overshoots.
    maxWriteQueueBytes: 2 * (options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES),
    perMessageDeflate: options.perMessageDeflate ?? false,
  };
  const tls = options.tls === undefined || options.tls === false ? null : options.tls === true ? fixtureCertificate() : options.tls;
  let plain: WebSocketServer = createServer(serverOptions);
  const port = (await plain.listen(options.port ?? 0, host)).port;
  let secure: WebSocketServer | null = tls === null ? null : createServer({ ...serverOptions, tls });
  const tlsPort = secure === null ? undefined : (await secure.listen(options.tlsPort ?? 0, host)).port;
  pacer.start();

  let closed = false;
  let restarting: Promise<void> | null = null;

  async function stopServers(closeCode: number | undefined): Promise<void> {
    if (closeCode === undefined) for (const session of [...sessions]) session.connection.terminate();
    await Promise.all([plain.close(closeCode ?? 1001), secure === null ? undefined : secure.close(closeCode ?? 1001)]);
  }

  async function restart(restartOptions: RestartOptions = {}): Promise<void> {
    if (closed) throw new Error('exchange closed');
    if (restarting !== null) return restarting;
    restarting = (async () => {
      await stopServers(restartOptions.closeCode);
      if (restartOptions.downtimeMs !== undefined && restartOptions.downtimeMs > 0) await sleep(restartOptions.downtimeMs);
      if (closed) return;
      plain = createServer(serverOptions);
      await plain.listen(port, host);
      if (tls !== null) {
        secure = createServer({ ...serverOptions, tls });
        await secure.listen(tlsPort, host);
      }
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${urlHost}:${port}`,
    wssUrl: tlsPort === undefined ? undefined : `wss://localhost:${tlsPort}`,
    restUrl: `http://${urlHost}:${port}`,
    port,
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
      return applyFault(fault, { sessions, registry, pacer, admission });
    },

    restart,

    setRate(rate: number): void {
      pacer.setRate(rate);
    },

    pause(): void {
      pacer.stop();
      publisher.flushDiffs();
    },

    resume(): void {
      if (!closed) pacer.start();
    },

    stats(): ExchangeStats {
      return {
        connections: sessions.size,
        messagesSent: fanout.messagesSent,
        updates,
        connectionAttempts: admission.attempts,
        rejected429: admission.rejected429,
        rejected418: admission.rejected418,
        slowConsumersClosed: fanout.slowConsumersClosed,
      };
    },

    async close(): Promise<void> {
      closed = true;
      pacer.stop();
      for (const timer of timers) clearInterval(timer);
      if (restarting !== null) await restarting.catch(() => {});
      for (const session of sessions) session.dispose();
      await Promise.all([plain.close(1001), secure === null ? undefined : secure.close(1001)]);
    },
  };
}
