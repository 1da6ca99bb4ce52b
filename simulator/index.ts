/**
 * The exchange simulator: an embedded exchange on loopback (market streams, REST depth
 * snapshots, connection limits, fault injection) for tests, benchmarks and demos — Binance Spot
 * by default, another venue with `startExchange({ venue })` (VENUE_NAMES lists them);
 * the `tickwire/simulator` subpath export. It is built on tickwire's public API only
 * ('tickwire'); nothing in the library imports it.
 *
 * ```text
 *   const exchange = await startExchange({ symbols: ['btcusdt'], rate: 1000 });
 *   exchange.url / wssUrl / restUrl            ws://, wss://localhost, http:// (REST on the same port)
 *   exchange.injectFault({ type: 'drop' })     destroy TCP connections (no close frame)
 *   exchange.injectFault({ type: 'silent' })   half-open: no data, no pings, no pongs ('resume' undoes)
 *   exchange.injectFault({ type: 'close', code: 1001 })
 *   exchange.injectFault({ type: 'serverShutdown' })          the documented event; the socket stays
 *   exchange.injectFault({ type: 'gap', symbol: 'btcusdt' })  drop the next depthUpdate: U skips
 *   exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@trade' })  one stream stops,
 *        the others go on ('resumeStream' undoes; diff depth resumes without a U/u gap)
 *   exchange.injectFault({ type: 'rateLimit', retryAfterMs: 2000 })  next upgrades get 429 +
 *        Retry-After; an address that retries before Retry-After passed gets 418 (banned)
 *   await exchange.restart({ downtimeMs: 500 })  connections destroyed, port refuses for 500 ms,
 *        then serves again on the same port; the market (update ids) goes on
 *   limits: { maxConnectionAttempts: 300, connectionAttemptWindowMs: 300_000, banMs: 120_000 }
 *        the connection-attempt budget per IP (429 + Retry-After, then 418)
 *   exchange.stats()  connections, messagesSent, connectionAttempts, rejected429/418, slowConsumersClosed
 * ```
 *
 * @packageDocumentation
 * @module tickwire/simulator
 */
export { startExchange, DEFAULT_SYMBOLS } from './exchange.js';
export type { Exchange, ExchangeOptions, ExchangeStats, Fault, BookLevels, RestartOptions } from './exchange.js';
export type { SymbolConfig } from './market.js';
export { BINANCE_LIMITS } from './session.js';
export { VENUE_NAMES } from './venues/catalogue.js';
export type { ConnectionLimits } from './session.js';
export { formatUnits, parseUnits } from './decimal.js';
