// startExchange: wires the simulator's parts together — markets and engine pacing, the stream
// registry, the fan-out, connection admission, faults, and the ws/wss servers (with REST on the
// same port). What the venue serves (stream names, payloads, control messages, heartbeat rules,
// REST routes) comes from its dialect (venues/dialect.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type HttpRequest, type HttpResponse, type ServerConnection, type ServerOptions, type WebSocketServer } from 'tickwire';
import { ConnectionAdmission } from './admission.js';
import { TradeLedger } from './ledger.js';
import { DEFAULT_MAX_BUFFERED_BYTES, Fanout } from './fanout.js';
import { applyFault } from './faults.js';
import { SymbolMarket, type MarketListener } from './market.js';
import { fixtureCertificate, resolveSymbols, type BookLevels, type Exchange, type ExchangeOptions, type ExchangeStats, type Fault, type RestartOptions } from './options.js';
import { Pacer } from './pacer.js';
import { StreamRegistry } from './registry.js';
import { Session, type ConnectionLimits } from './session.js';
import { stampField } from './streams.js';
import { DEFAULT_VENUE, findDialect } from './venues/catalogue.js';
import type { ConnectionPlan, VenueRuntime } from './venues/dialect.js';

export { DEFAULT_SYMBOLS } from './options.js';
export type { BookLevels, Exchange, ExchangeOptions, ExchangeStats, Fault, RestartOptions } from './options.js';

/** Book updates per second per symbol unless told otherwise: a calm market, easy to read by eye. */
const DEFAULT_RATE = 10;

/**
 * The markets are built before the venue runtime that listens to them (the runtime needs the
 * markets): this forwards to it once it exists. One monomorphic call per market event.
 */
class ListenerRelay implements MarketListener {
  target: MarketListener | null = null;
  onTop(market: SymbolMarket): void {
    this.target!.onTop(market);
  }
  onTrade(market: SymbolMarket, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
    this.target!.onTrade(market, priceUnits, quantityUnits, buyerIsMaker);
  }
}

/** Starts a market stream simulator on loopback for `options.venue` (default Binance Spot). */
export async function startExchange(options: ExchangeOptions = {}): Promise<Exchange> {
  const dialect = typeof options.venue === 'object' ? options.venue : findDialect(options.venue ?? DEFAULT_VENUE);
  const host = options.host ?? '127.0.0.1';
  const limits: ConnectionLimits = { ...dialect.limits, ...options.limits };
  const stampName = options.stamp === true ? 'T_ns' : typeof options.stamp === 'string' ? options.stamp : null;
  const configs = resolveSymbols(options.symbols);

  const sessions = new Set<Session>();
  const fanout = new Fanout(sessions, stampName === null ? null : stampField(stampName), options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
  const relay = new ListenerRelay();
  const markets = configs.map((config) => new SymbolMarket(config, options.seed ?? 1, options.bookDepth ?? 200, relay));
  const ledgers = markets.map((market) => new TradeLedger(market.midTick * market.tickUnits, market.tickUnits, market.lotUnits));
  const registry = new StreamRegistry(markets, ledgers, dialect.catalogue);
  const venue: VenueRuntime = dialect.create({ markets, ledgers, registry, fanout, sessions, limits, options });
  relay.target = venue.listener;
  const admission = new ConnectionAdmission(limits);
  let nextSessionId = 1;
  let updates = 0;

  // ---- engine --------------------------------------------------------------------------

  const pacer = new Pacer(
    {
      step(count) {
        venue.readClock();
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
  const timers = venue.timerIntervalsMs.map((intervalMs) => {
    const timer = setInterval(() => venue.emitTimed(intervalMs), intervalMs);
    timer.unref();
    return timer;
  });

  // ---- connections ---------------------------------------------------------------------

  // The plan verifyUpgrade accepted, for onConnection (the server calls them back to back).
  const plans = new WeakMap<HttpRequest, ConnectionPlan>();

  function verifyUpgrade(request: HttpRequest): true | number | HttpResponse {
    const admitted = admission.admit(request.remoteAddress);
    if (admitted !== true) return admitted;
    const plan = venue.openConnection(request);
    if (typeof plan === 'number' || !('streams' in plan)) return plan;
    plans.set(request, plan);
    return true;
  }

  function onConnection(connection: ServerConnection, request: HttpRequest): void {
    const plan = plans.get(request);
    if (plan === undefined) return connection.terminate();
    plans.delete(request);
    const session = new Session(nextSessionId++, connection, plan.combined, plan.microseconds, limits, venue.sessionRules);
    if (plan.routeMask !== undefined) session.routeMask = plan.routeMask;
    sessions.add(session);
    for (const name of plan.streams) {
      const entry = registry.get(name)!;
      registry.subscribe(session, entry);
      venue.onSubscribed?.(session, entry);
    }
    connection.onMessage = (data, start, end, isText) => {
      if (!session.countIncoming() || session.silent) return;
      venue.onMessage(session, data, start, end, isText);
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
    onHttpRequest: (request) => venue.rest(request),
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

    venue: dialect.name,

    book(symbol: string): BookLevels {
      const market = markets.find((candidate) => candidate.symbol === symbol.toLowerCase());
      if (market === undefined) throw new RangeError(`unknown symbol ${symbol}`);
      return venue.book(market);
    },

    injectFault(fault: Fault): number {
      return applyFault(fault, { sessions, registry, pacer, admission, venue, venueName: dialect.name });
    },

    restart,

    setRate(rate: number): void {
      pacer.setRate(rate);
    },

    pause(): void {
      pacer.stop();
      venue.flushDiffs();
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
