// tickwire public API.
export { connect } from './client/connect.js';
export { Client } from './client/client.js';
export type { ClientOptions, MessageCallback, ReadyState } from './client/options.js';
export { StageClock } from './client/stage-clock.js';
export { WebSocketError, type WebSocketErrorCode } from './protocol/errors.js';
export { HandshakeError } from './handshake/handshake-error.js';
export { connectWorker, WorkerClient, WS_ERR_WORKER, type WorkerClientOptions, type RingStats } from './ring/worker-client.js';
export type { PerMessageDeflateOptions, DeflateParameters } from './extensions/permessage-deflate.js';
export {
  mask,
  isAscii,
  indexOfNonAscii,
  indexOfQuoteOrBackslash,
  indexOfStringStop,
  indexOfStructural,
  allocateKernelBuffer,
  isKernelBuffer,
  kernelImplementation,
  kernelThresholds,
  simdSupported,
} from './kernels/index.js';
export { createServer } from './server/server.js';
export type { ServerOptions, WebSocketServer } from './server/server.js';
export { ServerConnection } from './server/connection.js';
export type { HttpRequest, HttpResponse } from './server/http-request.js';
export { startExchange, DEFAULT_SYMBOLS, BINANCE_LIMITS } from '../simulator/index.js';
export type { Exchange, ExchangeOptions, ExchangeStats, Fault, BookLevels, SymbolConfig, ConnectionLimits } from '../simulator/index.js';
export {
  jsonFields,
  JsonFields,
  LevelIterator,
  MarketJsonPathError,
  parseDecimal,
  parseSafeInteger,
  decimalFallbackCount,
  SCAN_OK,
  SCAN_MALFORMED,
  SCAN_MISSING_FIELD,
  SCAN_TOO_DEEP,
  KIND_MISSING,
  KIND_STRING,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_ARRAY,
  KIND_TRUE,
  KIND_FALSE,
  KIND_NULL,
} from './market-json/index.js';
export type { JsonFieldsOptions, FieldPath } from './market-json/index.js';
