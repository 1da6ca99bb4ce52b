/**
 * Binance SBE market-data streams (stream-sbe.binance.com): zero-allocation decoders of the
 * binary events into the neutral shapes (TopOfBook, TradeTick, DepthDiff), the schema's
 * constants, the typed decoding error, the stream profile and the MarketVenue adapter.
 *
 * @packageDocumentation
 * @module tickwire/binance-sbe
 */
export { SbeBestBidAskDecoder } from './best-bid-ask.js';
export { SbeTradesDecoder } from './trades.js';
export { SbeDepthDecoder } from './depth.js';
export { SbeFrame } from './frame.js';
export type { SbeDecoderOptions, SbeVersionOptions } from './frame.js';
export {
  SbeError,
  sbeErrorCode,
  SBE_OK,
  SBE_TRUNCATED,
  SBE_UNKNOWN_SCHEMA,
  SBE_UNKNOWN_TEMPLATE,
  SBE_MALFORMED,
  SBE_NOT_EXACT,
  SBE_SCALE_MISMATCH,
} from './sbe-error.js';
export type { SbeErrorCode } from './sbe-error.js';
export {
  SBE_SCHEMA_ID,
  SBE_SCHEMA_VERSION,
  TEMPLATE_TRADES,
  TEMPLATE_BEST_BID_ASK,
  TEMPLATE_DEPTH_SNAPSHOT,
  TEMPLATE_DEPTH_DIFF,
} from './schema.js';
export { SbeStreamDecoder } from './stream-decoder.js';
export type { SbeStreamDecoderOptions } from './stream-decoder.js';
export { binanceSbe, SBE_API_KEY_HEADER } from './profile.js';
export type { BinanceSbeOptions } from './profile.js';
export { binanceSbeMarket } from './market.js';
export type { BinanceSbeMarketOptions } from './market.js';
