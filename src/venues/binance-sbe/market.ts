// Binance SBE as a MarketVenue for the venue-neutral layer: `<symbol>@bestBidAsk` for the top of
// book (with eventTime, which Spot's JSON bookTicker lacks), `<symbol>@trade` (several trades per
// message, one TradeTick per next()), `<symbol>@depth` diffs on the REST snapshot
// (GET /api/v3/depth, JSON) for the book: "Use this stream to maintain a local order book. How to
// manage a local order book" (sbe-market-data-streams.md links the JSON procedure), so the book
// is Binance Spot's LocalOrderBook with binanceSpotSequence; the SBE diff fills the same
// DepthDiff at the same scale.
import type { BookDecoder, MarketVenue, TopOfBookDecoder, TradeIterator } from '../../market/venue-adapter.js';
import type { VenueProfile } from '../../stream/venue.js';
import { binanceRestOrderBook, type RestBookOptions } from '../binance/market.js';
import { SbeBestBidAskDecoder } from './best-bid-ask.js';
import { SbeDepthDecoder } from './depth.js';
import { binanceSbe, type BinanceSbeOptions } from './profile.js';
import { SbeTradesDecoder } from './trades.js';

/** Options of binanceSbeMarket(): the profile's and the REST book's. */
export interface BinanceSbeMarketOptions extends BinanceSbeOptions, RestBookOptions {
  /** The stream profile. Default binanceSbe(options). */
  profile?: VenueProfile;
}

/** Binance SBE (stream-sbe.binance.com + api.binance.com snapshots) as a MarketVenue. Symbols as in REST: "BTCUSDT". */
export function binanceSbeMarket(options: BinanceSbeMarketOptions): MarketVenue {
  const profile = options.profile ?? binanceSbe(options);
  const versions = options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion };
  return {
    name: 'binance-sbe',
    profile,
    topOfBookStream: (symbol) => `${symbol.toLowerCase()}@bestBidAsk`,
    tradeStream: (symbol) => `${symbol.toLowerCase()}@trade`,
    bookStream: (symbol) => `${symbol.toLowerCase()}@depth`,
    createTopOfBookDecoder: (scale): TopOfBookDecoder => new SbeBestBidAskDecoder({ scale, ...versions }),
    createTradeDecoder: (scale): TradeIterator => new SbeTradesDecoder({ scale, ...versions }),
    createBookDecoder: (scale): BookDecoder => new SbeDepthDecoder({ scale, ...versions }),
    createOrderBook: (symbol, context) => binanceRestOrderBook('binance-sbe', symbol, context, options),
  };
}
