// Public surface of Bybit v5 public market data (`tickwire/bybit`): the spot and linear profiles
// for the managed stream, zero-allocation decoders for the orderbook, publicTrade and tickers
// topics, and the book's sequence rule.
export { bybitSpot, bybitLinear, BYBIT_PING_MESSAGE } from './profile.js';
export {
  BYBIT_CONNECTIONS_PER_WINDOW,
  BYBIT_CONNECTION_WINDOW_MS,
  BYBIT_SPOT_ARGS_PER_REQUEST,
  BYBIT_ARGS_CHARACTERS_PER_CONNECTION,
  BYBIT_PING_INTERVAL_MS,
  BYBIT_IDLE_TIMEOUT_MS,
  BYBIT_REQUESTS_PER_SECOND,
  BYBIT_MAX_TOPIC_LENGTH,
  BYBIT_MAX_TOPICS,
} from './profile.js';
export { BybitStreamDecoder } from './stream-decoder.js';
export { bybitMarket } from './market.js';
export type { BybitMarketOptions } from './market.js';
export { BybitOrderbookDecoder, BYBIT_RESTART_UPDATE_ID } from './orderbook-decoder.js';
export { BybitTradeDecoder } from './trade-decoder.js';
export {
  BybitTopOfBookDecoder,
  BybitTickerDecoder,
  TICKER_LAST_PRICE,
  TICKER_BID_PRICE,
  TICKER_BID_SIZE,
  TICKER_ASK_PRICE,
  TICKER_ASK_SIZE,
  TICKER_MARK_PRICE,
  TICKER_INDEX_PRICE,
  TICKER_HIGH_24H,
  TICKER_LOW_24H,
  TICKER_PREV_PRICE_24H,
  TICKER_VOLUME_24H,
  TICKER_TURNOVER_24H,
  TICKER_OPEN_INTEREST,
  TICKER_PRICE_24H_PCNT,
  TICKER_FUNDING_RATE,
} from './ticker-decoder.js';
export { bybitBookSequence } from './book-rules.js';
export {
  BYBIT_BOOK_DEPTHS,
  TOPIC_OTHER,
  TOPIC_ORDERBOOK,
  TOPIC_TRADE,
  TOPIC_TICKER,
  bybitTopicKind,
  bybitBookDepth,
  bybitTopicSymbol,
  bybitTopicError,
} from './topics.js';
export type { BybitCategory } from './topics.js';
