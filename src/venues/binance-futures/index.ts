/**
 * Binance USD-M futures (fstream.binance.com, fapi.binance.com): the `tickwire/binance-futures`
 * subpath export. Stream profiles for the two URL routes (Public: depth and bookTicker; Market:
 * aggTrade, markPrice), zero-allocation decoders for the events that differ from Spot's
 * (bookTicker with e/E/T, markPrice), the local order book with `pu` chaining and the
 * /fapi/v1/depth snapshot, and MarketVenue adapters for the venue-neutral layer. Depth events
 * (with "T" and "pu") decode with BinanceDepthDecoder and aggTrade with AggTradeDecoder from 'tickwire'.
 *
 * @packageDocumentation
 * @module tickwire/binance-futures
 */
export { binanceUsdm, binanceUsdmMarketStreams, usdmIdLayout, isUsdmPublicStream } from './profile.js';
export { UsdmBookTickerDecoder, UsdmMarkPriceDecoder } from './events.js';
export {
  binanceUsdmOrderBook,
  usdmDepthRequestWeight,
  USDM_DEFAULT_SNAPSHOT_LIMIT,
  USDM_SNAPSHOT_LIMITS,
  USDM_SNAPSHOT_PATH,
} from './order-book.js';
export type { BinanceUsdmBookOptions } from './order-book.js';
export { binanceUsdmMarket, binanceUsdmTradesMarket, UsdmTopOfBookDecoder, UsdmTradeIterator } from './market.js';
export type { BinanceUsdmMarketOptions } from './market.js';
