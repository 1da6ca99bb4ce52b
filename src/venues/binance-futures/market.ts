// Binance USD-M futures as MarketVenues for the venue-neutral layer. The venue serves its streams
// on two URL routes and a connection receives only its route's streams ("Connections that do not
// include a routed path ... will only receive data from the Public endpoint"), so it is two
// venues: binanceUsdmMarket() on /public (bookTicker top of book, depth@100ms + /fapi/v1/depth
// book; no trade stream there) and binanceUsdmTradesMarket() on /market (aggTrade trades).
//
// Trades: USD-M publishes no raw `@trade` stream, only aggTrade ("aggregated for fills with same
// price and taking side every 100 milliseconds"); each aggregate is one TradeTick with tradeId =
// the aggregate id `a`. "m": "Is the buyer the market maker?" (true: the taker sold).

import type { LocalOrderBook } from '../../book/local-order-book.js';
import type { BookDecoder, MarketVenue } from '../../market/venue-adapter.js';
import type { VenueProfile } from '../../stream/venue.js';
import { BinanceDepthDecoder } from '../binance/depth-decoder.js';
import { DECIMALS_UNITS } from '../binance/event-decoder.js';
import { binanceRestOrderBook, BinanceTopOfBookDecoder, BinanceTradeIterator } from '../binance/market.js';
import { AggTradeDecoder } from '../binance/events.js';
import { UsdmBookTickerDecoder } from './events.js';
import { binanceUsdmOrderBook } from './order-book.js';
import { binanceUsdm, binanceUsdmMarketStreams } from './profile.js';

/** USD-M bookTicker -> TopOfBook (updateId = `u`, eventTimeUs from `E`). */
export class UsdmTopOfBookDecoder extends BinanceTopOfBookDecoder {
  constructor(scale: number) {
    super(scale, new UsdmBookTickerDecoder({ decimals: DECIMALS_UNITS, scale }));
  }
}

/** aggTrade read as one trade: the aggregate id `a` is the tick's trade id. */
class AggTradeAsTrade extends AggTradeDecoder {
  get tradeId(): number {
    return this.aggregateId;
  }
}

/** aggTrade -> one TradeTick per message (tradeId = the aggregate id `a`). */
export class UsdmTradeIterator extends BinanceTradeIterator {
  constructor(scale: number) {
    super(scale, new AggTradeAsTrade({ decimals: DECIMALS_UNITS, scale }));
  }
}

/** Options of binanceUsdmMarket(). */
export interface BinanceUsdmMarketOptions {
  /** The depth stream's update speed. Default 100 (`@depth@100ms`); 250 is `@depth`, 500 `@depth@500ms`. */
  depthSpeedMs?: 100 | 250 | 500;
  /** Levels per REST snapshot: 5, 10, 20, 50, 100, 500 or 1000 (default). */
  snapshotLimit?: number;
  /** Minimum time between two snapshot requests of one book. Default 1000 ms. */
  snapshotIntervalMs?: number;
  /** Trusted CA for an https REST URL. */
  ca?: string | Buffer;
  /** The stream profile. Default binanceUsdm (the Public route). */
  profile?: VenueProfile;
}

/** USD-M futures on the Public route (fstream /public + fapi): top of book and book. Symbols as in REST: "BTCUSDT". */
export function binanceUsdmMarket(options: BinanceUsdmMarketOptions = {}): MarketVenue {
  const depthSuffix = options.depthSpeedMs === 250 ? '@depth' : options.depthSpeedMs === 500 ? '@depth@500ms' : '@depth@100ms';
  return {
    name: 'binance-usdm',
    profile: options.profile ?? binanceUsdm,
    topOfBookStream: (symbol) => `${symbol.toLowerCase()}@bookTicker`,
    tradeStream: () => null,
    bookStream: (symbol) => `${symbol.toLowerCase()}${depthSuffix}`,
    createTopOfBookDecoder: (scale) => new UsdmTopOfBookDecoder(scale),
    createTradeDecoder: (scale) => new UsdmTradeIterator(scale),
    createBookDecoder: (scale): BookDecoder => new BinanceDepthDecoder({ scale }),
    createOrderBook: (symbol, context) => binanceRestOrderBook('binance-usdm', symbol, context, options, binanceUsdmOrderBook),
  };
}

/** USD-M futures on the Market route (fstream /market): trades from `<symbol>@aggTrade`. */
export function binanceUsdmTradesMarket(options: { profile?: VenueProfile } = {}): MarketVenue {
  return {
    name: 'binance-usdm-market',
    profile: options.profile ?? binanceUsdmMarketStreams,
    topOfBookStream: () => null,
    tradeStream: (symbol) => `${symbol.toLowerCase()}@aggTrade`,
    bookStream: () => null,
    createTopOfBookDecoder: (scale) => new UsdmTopOfBookDecoder(scale),
    createTradeDecoder: (scale) => new UsdmTradeIterator(scale),
    createBookDecoder: (scale): BookDecoder => new BinanceDepthDecoder({ scale }),
    createOrderBook(): LocalOrderBook {
      throw new TypeError('binance-usdm-market: the Market route carries no book stream; use binanceUsdmMarket()');
    },
  };
}
