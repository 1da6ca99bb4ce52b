// The exchange simulator's public surface: the `tickwire/simulator` subpath export.
// It is built on tickwire's public API only ('tickwire'); nothing in the library imports it.
export { startExchange, DEFAULT_SYMBOLS } from './exchange.js';
export type { Exchange, ExchangeOptions, ExchangeStats, Fault, BookLevels } from './exchange.js';
export type { SymbolConfig } from './market.js';
export { BINANCE_LIMITS } from './session.js';
export type { ConnectionLimits } from './session.js';
export { formatUnits, parseUnits } from './decimal.js';
