/**
 * tickwire: a low-latency, zero-allocation WebSocket client (and server role) for exchange
 * market data on Node.js, with zero-allocation JSON field extraction and WebAssembly SIMD
 * kernels. The exchange simulator is the `tickwire/simulator` subpath export.
 *
 * @packageDocumentation
 * @module tickwire
 */
export { connect } from './client/connect.js';
export { Client } from './client/client.js';
export type { ClientOptions, MessageCallback, ReadyState } from './client/options.js';
export { StageClock } from './client/stage-clock.js';
export type { FrameHandler } from './protocol/handler.js';
export { WebSocketError, type WebSocketErrorCode } from './protocol/errors.js';
export { HandshakeError } from './handshake/handshake-error.js';
export { connectWorker, WorkerClient, WS_ERR_WORKER, type WorkerClientOptions, type RingStats } from './ring/worker-client.js';
export type { PerMessageDeflateOptions, DeflateParameters } from './extensions/permessage-deflate.js';
// Kernels: only what the README documents for users (the scans and masking are internal).
export { allocateKernelBuffer, kernelImplementation } from './kernels/index.js';
export { createServer } from './server/server.js';
export type { ServerOptions, WebSocketServer } from './server/server.js';
export { ServerConnection } from './server/connection.js';
export { DEFAULT_MAX_WRITE_QUEUE_BYTES } from './transport/write-queue.js';
export type { HttpRequest, HttpResponse } from './server/http-request.js';
// Zero-allocation JSON field extraction: market-json/index.ts is its whole public surface.
export * from './market-json/index.js';
// Local order books (venue-neutral) and the Binance Spot venue (decoders, book factory).
export * from './book/index.js';
export * from './venues/binance/index.js';
export { DEFAULT_SCALE, MAX_SCALE, formatUnits, unitsToNumber, readUnits, readSignedUnits } from './market-json/fixed-point.js';
// Managed streams (reconnect, rollover, gaps) and the venue profiles they run on.
export * from './stream/index.js';
export * from './market/index.js';
export { binanceSpot } from './venues/binance/profile.js';
