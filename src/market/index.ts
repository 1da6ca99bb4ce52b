// Public surface of the venue-neutral layer: the event shapes every venue decoder fills and the
// adapter contract each venue implements for it.
export { TopOfBook, TradeTick, SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN } from './events.js';
export type { MarketVenue, BookContext, TopOfBookDecoder, TradeIterator, BookDecoder } from './venue-adapter.js';
export { Market, openMarket } from './open-market.js';
export type { MarketOptions, MarketEvent, MarketBookEvent } from './open-market.js';
