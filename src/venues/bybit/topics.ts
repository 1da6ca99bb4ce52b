// Bybit v5 public topics: their grammar, the order book depths each category serves, and where a
// topic's messages keep their ids. Quoted from Bybit's v5 docs (bybit-exchange/docs,
// docs/v5/websocket/public/orderbook.mdx, trade.mdx, ticker.mdx):
//
//   orderbook: "Topic: `orderbook.{depth}.{symbol}` e.g., orderbook.1.BTCUSDT"
//     "Linear & inverse: Level 1 data, push frequency: 10ms / Level 50 data, push frequency: 20ms /
//      Level 200 data, push frequency: 100ms / Level 1000 data, push frequency: 200ms"
//     "Spot: Level 1 data, push frequency: 10ms / Level 50 data, push frequency: 20ms /
//      Level 200 data, push frequency: 100ms / Level 1000 data, push frequency: 200ms"
//     "Linear, inverse, spot level 1 data has `snapshot` message only"
//   trade: "Topic: `publicTrade.{symbol}`"; "For Futures and Spot, a single message may have up to
//     1024 trades. As such, multiple messages may be sent for the same `seq`."
//   ticker: "Topic: `tickers.{symbol}`"; "Spot & Option tickers message are `snapshot` only";
//     "Push frequency: Derivatives & Options - 100ms, Spot - 50ms"

/** The two categories tickwire serves (`/v5/public/spot`, `/v5/public/linear`). */
export type BybitCategory = 'spot' | 'linear';

/** Order book depths per category, with their documented push interval in ms. */
export const BYBIT_BOOK_DEPTHS: Readonly<Record<BybitCategory, ReadonlyArray<readonly [depth: number, pushMs: number]>>> = {
  spot: [
    [1, 10],
    [50, 20],
    [200, 100],
    [1000, 200],
  ],
  linear: [
    [1, 10],
    [50, 20],
    [200, 100],
    [1000, 200],
  ],
};

/** Topic kinds (also the venue's id layout code handed to the stream decoder). */
export const TOPIC_OTHER = 0;
/** `orderbook.{depth}.{symbol}`: snapshot then deltas, `u` update id and `seq` cross sequence. */
export const TOPIC_ORDERBOOK = 1;
/** `publicTrade.{symbol}`: an array of trades, ids are strings (UUIDs). */
export const TOPIC_TRADE = 2;
/** `tickers.{symbol}`: snapshot (spot), snapshot + delta (linear). */
export const TOPIC_TICKER = 3;

/**
 * Symbols as Bybit spells them: upper-case letters and digits ("BTCUSDT"); linear futures carry
 * a delivery date ("BTC-26DEC25", ticker.mdx's LinearFutures example).
 */
const SYMBOL = /^[A-Z0-9][A-Z0-9-]{0,39}$/;
const ORDERBOOK = /^orderbook\.(\d+)\.(.+)$/;

/** The topic kind of `topic` (TOPIC_*), from its prefix. */
export function bybitTopicKind(topic: string): number {
  if (topic.startsWith('orderbook.')) return TOPIC_ORDERBOOK;
  if (topic.startsWith('publicTrade.')) return TOPIC_TRADE;
  if (topic.startsWith('tickers.')) return TOPIC_TICKER;
  return TOPIC_OTHER;
}

/** The depth of an `orderbook.{depth}.{symbol}` topic, or NaN. */
export function bybitBookDepth(topic: string): number {
  const match = ORDERBOOK.exec(topic);
  return match === null ? NaN : Number(match[1]);
}

/** The symbol of a topic tickwire knows (the part after the last prefix), or null. */
export function bybitTopicSymbol(topic: string): string | null {
  const match = ORDERBOOK.exec(topic);
  if (match !== null) return match[2]!;
  if (topic.startsWith('publicTrade.')) return topic.slice('publicTrade.'.length);
  if (topic.startsWith('tickers.')) return topic.slice('tickers.'.length);
  return null;
}

/**
 * Why `topic` is not a public topic of `category` that tickwire serves, or null when it is.
 * The simulator answers the same reason in its refusal.
 */
export function bybitTopicError(category: BybitCategory, topic: string): string | null {
  const symbol = bybitTopicSymbol(topic);
  if (symbol === null) return `not a Bybit public topic (orderbook.{depth}.{symbol}, publicTrade.{symbol}, tickers.{symbol}): ${JSON.stringify(topic)}`;
  if (!SYMBOL.test(symbol)) return `not a Bybit symbol (upper case, e.g. BTCUSDT): ${JSON.stringify(symbol)}`;
  const depth = bybitBookDepth(topic);
  if (depth === depth && !BYBIT_BOOK_DEPTHS[category].some(([served]) => served === depth)) {
    return `${category} serves order book depths ${BYBIT_BOOK_DEPTHS[category].map(([served]) => served).join(', ')}, not ${depth}`;
  }
  return null;
}
