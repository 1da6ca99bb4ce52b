// The exchange simulator's public surface (re-exported by src/index.ts).
export { startExchange, DEFAULT_SYMBOLS } from './exchange.js';
export type { Exchange, ExchangeOptions, ExchangeStats, Fault, BookLevels } from './exchange.js';
export type { SymbolConfig } from './market.js';
export { BINANCE_LIMITS } from './session.js';
export type { ConnectionLimits } from './session.js';
export { formatUnits, parseUnits } from './decimal.js';
