// Public surface of the Binance Spot venue: typed zero-allocation decoders for every market
// stream, the depth decoder that feeds the order book, and the Binance book factory.
export { BinanceDepthDecoder } from './depth-decoder.js';
export type { DepthDecoderOptions } from './depth-decoder.js';
export { EventDecoder, DECIMALS_NUMBER, DECIMALS_UNITS } from './event-decoder.js';
export type { EventDecoderOptions } from './event-decoder.js';
export {
  BookTickerDecoder,
  TradeDecoder,
  AggTradeDecoder,
  BlockTradeDecoder,
  KlineDecoder,
  MiniTickerDecoder,
  TickerDecoder,
  WindowTickerDecoder,
  AvgPriceDecoder,
  ReferencePriceDecoder,
} from './events.js';
export { ArrayEvents } from './array-events.js';
export { binanceSpotOrderBook, binanceSnapshotDecoder } from './order-book.js';
export type { BinanceBookOptions } from './order-book.js';
export { httpSnapshotSource, depthRequestWeight, DEFAULT_SNAPSHOT_LIMIT } from './snapshot-request.js';
export type { SnapshotRequestOptions } from './snapshot-request.js';
export { binanceSpotMarket, BinanceTopOfBookDecoder, BinanceTradeIterator } from './market.js';
export type { BinanceSpotMarketOptions, BookTickerReader, TradeReader } from './market.js';
