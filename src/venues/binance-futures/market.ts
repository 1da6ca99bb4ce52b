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
import { SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN, type TopOfBook, type TradeTick } from '../../market/events.js';
import type { BookDecoder, MarketVenue, TopOfBookDecoder, TradeIterator } from '../../market/venue-adapter.js';
import type { VenueProfile } from '../../stream/venue.js';
import { BinanceDepthDecoder } from '../binance/depth-decoder.js';
import { DECIMALS_UNITS } from '../binance/event-decoder.js';
import { binanceRestOrderBook } from '../binance/market.js';
import { AggTradeDecoder } from '../binance/events.js';
import { UsdmBookTickerDecoder } from './events.js';
import { binanceUsdmOrderBook } from './order-book.js';
import { binanceUsdm, binanceUsdmMarketStreams } from './profile.js';

/** Binance sends times in ms; the neutral shapes carry µs. */
const US_PER_MS = 1000;

/** USD-M bookTicker -> TopOfBook (updateId = `u`, eventTimeUs from `E`). */
export class UsdmTopOfBookDecoder implements TopOfBookDecoder {
  private readonly ticker: UsdmBookTickerDecoder;

  constructor(scale: number) {
    this.ticker = new UsdmBookTickerDecoder({ decimals: DECIMALS_UNITS, scale });
  }

  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean {
    const ticker = this.ticker;
    if (!ticker.decode(data, start, end)) return false;
    out.bidPrice = ticker.bidPrice;
    out.bidQuantity = ticker.bidQuantity;
    out.askPrice = ticker.askPrice;
    out.askQuantity = ticker.askQuantity;
    out.updateId = ticker.updateId;
    out.eventTimeUs = ticker.eventTime * US_PER_MS;
    return true;
  }
}

/** aggTrade -> one TradeTick per message. */
export class UsdmTradeIterator implements TradeIterator {
  private readonly trade: AggTradeDecoder;
  private ready = false;

  constructor(scale: number) {
    this.trade = new AggTradeDecoder({ decimals: DECIMALS_UNITS, scale });
  }

  begin(data: Uint8Array, start: number, end: number): boolean {
    this.ready = this.trade.decode(data, start, end);
    return this.ready;
  }

  next(out: TradeTick): boolean {
    if (!this.ready) return false;
    this.ready = false;
    const trade = this.trade;
    out.price = trade.price;
    out.quantity = trade.quantity;
    const buyerIsMaker = trade.buyerIsMaker;
    out.side = buyerIsMaker === 1 ? SIDE_SELL : buyerIsMaker === 0 ? SIDE_BUY : SIDE_UNKNOWN;
    out.tradeId = trade.aggregateId;
    out.tradeTimeUs = trade.tradeTime * US_PER_MS;
    out.eventTimeUs = trade.eventTime * US_PER_MS;
    return true;
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
