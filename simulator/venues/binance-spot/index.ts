// Binance Spot (stream.binance.com): the simulator's first venue dialect. Its parts keep their
// places in simulator/ (streams.ts names and payloads, publisher.ts, control.ts/requests.ts,
// rest.ts, exchange-info.ts, session.ts BINANCE_LIMITS); this module plugs them into the seam.
import type { HttpRequest } from 'tickwire';
import { formatUnits } from '../../decimal.js';
import { bookLevels, type SymbolMarket } from '../../market.js';
import type { BookLevels, Fault } from '../../options.js';
import { EventPublisher } from '../../publisher.js';
import type { StreamCatalogue } from '../../registry.js';
import { handleControlRequest } from '../../requests.js';
import { createRestHandler } from '../../rest.js';
import { BINANCE_LIMITS, CLOSE_LIFETIME, type Session } from '../../session.js';
import {
  combinedPrefix,
  GLOBAL_STREAM_NAMES,
  KIND_DEPTH_DIFF,
  parseStreamName,
  payloadText,
  streamNamesFor,
  streamsFromPath,
  timeUnitFromQuery,
  TIME_UNIT_MICROSECONDS,
  usesLedger,
  writeServerShutdown,
} from '../../streams.js';
import type { ConnectionPlan, VenueContext, VenueDialect, VenueRuntime } from '../dialect.js';

const catalogue: StreamCatalogue = {
  namesFor: streamNamesFor,
  globalNames: GLOBAL_STREAM_NAMES,
  parse: parseStreamName,
  isDiff: (spec) => spec.kind === KIND_DEPTH_DIFF,
  usesLedger: (spec) => usesLedger(spec.kind),
  combinedPrefix,
};

/** The `serverShutdown` event (web-socket-streams.md, Server Shutdown); the socket stays open. */
export function sendServerShutdown(session: Session): void {
  if (session.silent || !session.connection.isOpen) return;
  const eventTime = session.microseconds ? Math.round((performance.timeOrigin + performance.now()) * 1000) : Date.now();
  const payload = payloadText((writer) => writeServerShutdown(writer, eventTime));
  // Combined: {"stream":"!serverShutdown","data":{...}}.
  session.connection.sendAsciiText(session.combined ? `{"stream":"!serverShutdown","data":${payload}}` : payload);
}

/**
 * A full book in Binance's REST terms: decimal strings, best first, with the update id of the
 * last change (`lastUpdateId`, the `u` of the last depthUpdate sent for it).
 */
export function binanceBookLevels(market: SymbolMarket): BookLevels {
  return bookLevels(market, market.updateId, formatUnits);
}

function create(context: VenueContext): VenueRuntime {
  const { registry, limits } = context;
  const publisher = new EventPublisher(context.fanout);
  publisher.attach(registry);
  const rest = createRestHandler(context.markets);

  function openConnection(request: HttpRequest): ConnectionPlan | number {
    const wanted = streamsFromPath(request.path, request.query);
    if (wanted === null) return 404;
    const unit = timeUnitFromQuery(request.query);
    if (unit === null) return 400;
    if (wanted.names.length > limits.maxStreams) return 400;
    // A name the simulator does not serve is no reason to refuse: on the live server "a listenKey
    // is a stream" and "User Data Streams are accessed at /ws/<listenKey> or
    // /stream?streams=<listenKey>" on the same host, so any name opens the connection and one
    // that names nothing just sends nothing (ccxt connects to /ws/<n> and then SUBSCRIBEs).
    const streams = wanted.names.filter((name) => registry.get(name) !== undefined);
    return { combined: wanted.combined, microseconds: unit === TIME_UNIT_MICROSECONDS, streams };
  }

  return {
    timerIntervalsMs: [100, 1000, 2000],
    sessionRules: { idleTimeoutMs: 0, idleCloseCode: CLOSE_LIFETIME, lifetimeNotice: sendServerShutdown },
    listener: publisher,
    readClock: () => publisher.readClock(),
    emitTimed: (intervalMs) => publisher.emitTimed(intervalMs),
    flushDiffs: () => publisher.flushDiffs(),
    openConnection,
    onMessage(session, data, start, end, isText) {
      if (isText) handleControlRequest(session, Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'), registry, limits);
    },
    rest,
    book: binanceBookLevels,
    injectFault(fault: Fault, sessions: readonly Session[]): number | undefined {
      if (fault.type !== 'serverShutdown') return undefined;
      for (const session of sessions) sendServerShutdown(session);
      return sessions.length;
    },
  };
}

export const binanceSpotDialect: VenueDialect = { name: 'binance-spot', limits: BINANCE_LIMITS, catalogue, create };
