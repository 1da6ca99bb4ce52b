// Public surface of the venue-neutral layer: event shapes every venue decoder fills.
export { TopOfBook, TradeTick, SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN } from './events.js';
