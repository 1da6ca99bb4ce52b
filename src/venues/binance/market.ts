// Binance Spot as a MarketVenue for the venue-neutral layer: `<symbol>@bookTicker` for the top of
// book, `<symbol>@trade` for trades, `<symbol>@depth@100ms` diffs plus the REST snapshot
// (GET /api/v3/depth) for the book. The neutral decoders wrap the typed ones (events.ts,
// depth-decoder.ts) in fixed-point mode and copy their fields into TopOfBook / TradeTick.
//
// web-socket-streams.md: bookTicker "Pushes any update to the best bid or ask's price or quantity
// in real-time" and carries no event time on Spot; a trade's "m" is "Is the buyer the market
// maker?", so m = true means the taker sold.

import type { LocalOrderBook } from '../../book/local-order-book.js';
import { SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN, type TopOfBook, type TradeTick } from '../../market/events.js';
import type { BookContext, BookDecoder, MarketVenue, TopOfBookDecoder, TradeIterator } from '../../market/venue-adapter.js';
import type { VenueProfile } from '../../stream/venue.js';
import { BinanceDepthDecoder } from './depth-decoder.js';
import { DECIMALS_UNITS } from './event-decoder.js';
import { BookTickerDecoder, TradeDecoder } from './events.js';
import { binanceSpotOrderBook, type BinanceBookOptions } from './order-book.js';
import { binanceSpot } from './profile.js';

/** Binance sends times in ms; the neutral shapes carry µs. */
const US_PER_MS = 1000;

/**
 * A typed Binance bookTicker decoder as BinanceTopOfBookDecoder reads it: Spot's BookTickerDecoder
 * or USD-M's UsdmBookTickerDecoder, decoding in fixed point (DECIMALS_UNITS).
 */
export interface BookTickerReader {
  /** Decodes data[start, end); false when it is not a readable bookTicker. */
  decode(data: Uint8Array, start: number, end: number): boolean;
  /** `b` in fixed-point units. */
  readonly bidPrice: number;
  /** `B` in fixed-point units. */
  readonly bidQuantity: number;
  /** `a` in fixed-point units. */
  readonly askPrice: number;
  /** `A` in fixed-point units. */
  readonly askQuantity: number;
  /** `u`. */
  readonly updateId: number;
  /** `E` in ms; NaN when the stream sends none (Spot). */
  readonly eventTime: number;
}

/** bookTicker -> TopOfBook (updateId = `u`; eventTimeUs from `E`, NaN on Spot, whose bookTicker has none). */
export class BinanceTopOfBookDecoder implements TopOfBookDecoder {
  private readonly ticker: BookTickerReader;

  /** `ticker` reads the payload at `scale` decimals (default: Spot's BookTickerDecoder). */
  constructor(scale: number, ticker: BookTickerReader = new BookTickerDecoder({ decimals: DECIMALS_UNITS, scale })) {
    this.ticker = ticker;
  }

  /**
   * Fills `out` from a bookTicker payload (prices and quantities exact at `out`'s scale;
   * `eventTimeUs` NaN when the payload has no `E`); false when it is not a readable bookTicker.
   */
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

/**
 * A typed Binance trade decoder as BinanceTradeIterator reads it (Spot's TradeDecoder; USD-M
 * reads aggTrade through a subclass whose `tradeId` is the aggregate id), in fixed point.
 */
export interface TradeReader {
  /** Decodes data[start, end); false when it is not a readable trade. */
  decode(data: Uint8Array, start: number, end: number): boolean;
  /** The id the TradeTick carries. */
  readonly tradeId: number;
  /** `p` in fixed-point units. */
  readonly price: number;
  /** `q` in fixed-point units. */
  readonly quantity: number;
  /** `T` in ms. */
  readonly tradeTime: number;
  /** `E` in ms. */
  readonly eventTime: number;
  /** `m`: 1 when the buyer was the maker, 0 when not, -1 when absent. */
  readonly buyerIsMaker: number;
}

/** trade -> one TradeTick per message (the iterator yields once). */
export class BinanceTradeIterator implements TradeIterator {
  private readonly trade: TradeReader;
  private ready = false;

  /** `trade` reads the payload at `scale` decimals (default: Spot's TradeDecoder). */
  constructor(scale: number, trade: TradeReader = new TradeDecoder({ decimals: DECIMALS_UNITS, scale })) {
    this.trade = trade;
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
    out.tradeId = trade.tradeId;
    out.tradeTimeUs = trade.tradeTime * US_PER_MS;
    out.eventTimeUs = trade.eventTime * US_PER_MS;
    return true;
  }
}

/** Options of binanceSpotMarket(). */
export interface BinanceSpotMarketOptions {
  /** The depth stream's update speed. Default 100 (`@depth@100ms`); 1000 is `@depth`. */
  depthSpeedMs?: 100 | 1000;
  /** Levels asked for in each REST snapshot. Default 1000. */
  snapshotLimit?: number;
  /** Minimum time between two snapshot requests of one book. Default 1000 ms. */
  snapshotIntervalMs?: number;
  /** Trusted CA for an https REST URL. */
  ca?: string | Buffer;
  /** The stream profile. Default binanceSpot. */
  profile?: VenueProfile;
}

/** Binance Spot (stream.binance.com + api.binance.com) as a MarketVenue. Symbols as in REST: "BTCUSDT". */
export function binanceSpotMarket(options: BinanceSpotMarketOptions = {}): MarketVenue {
  const depthSuffix = options.depthSpeedMs === 1000 ? '@depth' : '@depth@100ms';
  return {
    name: 'binance-spot',
    profile: options.profile ?? binanceSpot,
    topOfBookStream: (symbol) => `${symbol.toLowerCase()}@bookTicker`,
    tradeStream: (symbol) => `${symbol.toLowerCase()}@trade`,
    bookStream: (symbol) => `${symbol.toLowerCase()}${depthSuffix}`,
    createTopOfBookDecoder: (scale) => new BinanceTopOfBookDecoder(scale),
    createTradeDecoder: (scale) => new BinanceTradeIterator(scale),
    createBookDecoder: (scale): BookDecoder => new BinanceDepthDecoder({ scale }),
    createOrderBook: (symbol, context) => binanceRestOrderBook('binance-spot', symbol, context, options),
  };
}

/** What binanceRestOrderBook takes from a venue's options. */
export interface RestBookOptions {
  /** Levels asked for in each REST snapshot. Default 1000. */
  snapshotLimit?: number;
  /** Minimum time between two snapshot requests of one book. Default 1000 ms. */
  snapshotIntervalMs?: number;
  /** Trusted CA for an https REST URL. */
  ca?: string | Buffer;
}

/**
 * The book of one symbol for a Binance MarketVenue whose book is a REST snapshot plus diffs:
 * `createBook` (default binanceSpotOrderBook: Spot JSON, and SBE, the same procedure;
 * binanceUsdmOrderBook for USD-M) given the context's and the venue's options. `venue` names it
 * in errors.
 */
export function binanceRestOrderBook(
  venue: string,
  symbol: string,
  context: BookContext,
  options: RestBookOptions,
  createBook: (options: BinanceBookOptions) => LocalOrderBook = binanceSpotOrderBook,
): LocalOrderBook {
  if (context.restUrl === null) throw new TypeError(`${venue}: the book needs a REST URL for its snapshots (restUrl)`);
  return createBook({
    symbol: symbol.toUpperCase(),
    restBase: context.restUrl,
    scale: context.scale,
    listener: context.listener,
    ...(options.snapshotLimit !== undefined && { limit: options.snapshotLimit }),
    ...(options.snapshotIntervalMs !== undefined && { snapshotIntervalMs: options.snapshotIntervalMs }),
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(context.maxLevels !== undefined && { maxLevels: context.maxLevels }),
    ...(context.budget !== undefined && { budget: context.budget }),
  });
}
