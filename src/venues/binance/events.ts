// Typed, zero-allocation decoders for the Binance Spot market streams (web-socket-streams.md,
// "Detailed Stream information"): one class per event type, each a table of fields over the
// shared EventDecoder (event-decoder.ts). Every decoder reads the symbol ("s") and the event time
// ("E", NaN when absent); the table adds the rest, and defineFields() turns each entry into a
// getter on the prototype (a string field into <name>Start / <name>End / <name>Is(bytes)), so
// reading a field is one typed-array load and nothing is allocated (the `declare` lines only
// tell TypeScript about them). Depth (diffs, partial depth, REST snapshots) has
// its own single-pass decoder: depth-decoder.ts. The `!…@arr` streams: array-events.ts.
//
//   const trades = new TradeDecoder();                 // once
//   onMessage(data, start, end) {
//     if (!trades.decode(data, start, end)) return;    // not a trade event, or malformed
//     use(trades.tradeId, trades.price, trades.quantity, trades.buyerIsMaker === 1);
//   }

import {
  defineFields,
  EventDecoder,
  FIELD_BOOLEAN,
  FIELD_DECIMAL,
  FIELD_INTEGER,
  FIELD_STRING,
  type EventDecoderOptions,
  type NamedField,
} from './event-decoder.js';

const BOOK_TICKER_FIELDS: readonly NamedField[] = [
  { path: 'u', type: FIELD_INTEGER, name: 'updateId' },
  { path: 'b', type: FIELD_DECIMAL, name: 'bidPrice' },
  { path: 'B', type: FIELD_DECIMAL, name: 'bidQuantity' },
  { path: 'a', type: FIELD_DECIMAL, name: 'askPrice' },
  { path: 'A', type: FIELD_DECIMAL, name: 'askQuantity' },
];

/** `<symbol>@bookTicker`: best bid and ask, real time. It has no "e" (nor, on Spot, "E"). */
export class BookTickerDecoder extends EventDecoder {
  /** `u`: Order book update id of this top-of-book change. It only grows, but not by one per event (changes below the top take ids too), so holes mean nothing; a smaller one than before is stale. */
  declare readonly updateId: number;
  /** `b`: Best bid price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidPrice: number;
  /** `B`: Quantity at the best bid. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidQuantity: number;
  /** `a`: Best ask price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askPrice: number;
  /** `A`: Quantity at the best ask. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askQuantity: number;

  constructor(options: EventDecoderOptions = {}) {
    super(BOOK_TICKER_FIELDS, [], options);
  }
}
defineFields(BookTickerDecoder, BOOK_TICKER_FIELDS);

const TRADE_FIELDS: readonly NamedField[] = [
  { path: 't', type: FIELD_INTEGER, name: 'tradeId' },
  { path: 'p', type: FIELD_DECIMAL, name: 'price' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quantity' },
  { path: 'T', type: FIELD_INTEGER, name: 'tradeTime' },
  { path: 'm', type: FIELD_BOOLEAN, name: 'buyerIsMaker' },
];

/** `<symbol>@trade`: one trade. */
export class TradeDecoder extends EventDecoder {
  /** `t`: Trade id: one more per trade of the symbol, so a hole is a missed trade. */
  declare readonly tradeId: number;
  /** `p`: Trade price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly price: number;
  /** `q`: Traded quantity, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quantity: number;
  /** `T`: Trade time. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly tradeTime: number;
  /** `m`: 1 when the buyer was the maker (the taker sold), 0 when the taker bought. */
  declare readonly buyerIsMaker: number;

  constructor(options: EventDecoderOptions = {}) {
    super(TRADE_FIELDS, ['trade'], options);
  }
}
defineFields(TradeDecoder, TRADE_FIELDS);

const AGG_TRADE_FIELDS: readonly NamedField[] = [
  { path: 'a', type: FIELD_INTEGER, name: 'aggregateId' },
  { path: 'p', type: FIELD_DECIMAL, name: 'price' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quantity' },
  { path: 'f', type: FIELD_INTEGER, name: 'firstTradeId' },
  { path: 'l', type: FIELD_INTEGER, name: 'lastTradeId' },
  { path: 'T', type: FIELD_INTEGER, name: 'tradeTime' },
  { path: 'm', type: FIELD_BOOLEAN, name: 'buyerIsMaker' },
];

/** `<symbol>@aggTrade`: the trades of one taker order, aggregated. */
export class AggTradeDecoder extends EventDecoder {
  /** `a`: Aggregate trade id: one more per aggregate, so a hole is a missed event. */
  declare readonly aggregateId: number;
  /** `p`: Price of the aggregated trades (one taker order at one price). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly price: number;
  /** `q`: Quantity of all the trades aggregated, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quantity: number;
  /** `f`: Id of the first trade aggregated. */
  declare readonly firstTradeId: number;
  /** `l`: Id of the last trade aggregated. */
  declare readonly lastTradeId: number;
  /** `T`: Trade time. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly tradeTime: number;
  /** `m`: 1 when the buyer was the maker (the taker sold), 0 when the taker bought. */
  declare readonly buyerIsMaker: number;

  constructor(options: EventDecoderOptions = {}) {
    super(AGG_TRADE_FIELDS, ['aggTrade'], options);
  }
}
defineFields(AggTradeDecoder, AGG_TRADE_FIELDS);

const BLOCK_TRADE_FIELDS: readonly NamedField[] = [
  { path: 't', type: FIELD_INTEGER, name: 'tradeId' },
  { path: 'p', type: FIELD_DECIMAL, name: 'price' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quantity' },
  { path: 'T', type: FIELD_INTEGER, name: 'tradeTime' },
  { path: 'm', type: FIELD_BOOLEAN, name: 'buyerIsMaker' },
];

/** `<symbol>@blockTrade`. */
export class BlockTradeDecoder extends EventDecoder {
  /** `t`: Id of the trade reported as a block trade (the same id as in the `trade` stream). */
  declare readonly tradeId: number;
  /** `p`: Trade price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly price: number;
  /** `q`: Traded quantity, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quantity: number;
  /** `T`: Trade time. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly tradeTime: number;
  /** `m`: 1 when the buyer was the maker (the taker sold), 0 when the taker bought. */
  declare readonly buyerIsMaker: number;

  constructor(options: EventDecoderOptions = {}) {
    super(BLOCK_TRADE_FIELDS, ['blockTrade'], options);
  }
}
defineFields(BlockTradeDecoder, BLOCK_TRADE_FIELDS);

const KLINE_FIELDS: readonly NamedField[] = [
  { path: 'k.t', type: FIELD_INTEGER, name: 'openTime' },
  { path: 'k.T', type: FIELD_INTEGER, name: 'closeTime' },
  { path: 'k.i', type: FIELD_STRING, name: 'interval' },
  { path: 'k.f', type: FIELD_INTEGER, name: 'firstTradeId' },
  { path: 'k.L', type: FIELD_INTEGER, name: 'lastTradeId' },
  { path: 'k.o', type: FIELD_DECIMAL, name: 'open' },
  { path: 'k.c', type: FIELD_DECIMAL, name: 'close' },
  { path: 'k.h', type: FIELD_DECIMAL, name: 'high' },
  { path: 'k.l', type: FIELD_DECIMAL, name: 'low' },
  { path: 'k.v', type: FIELD_DECIMAL, name: 'baseVolume' },
  { path: 'k.n', type: FIELD_INTEGER, name: 'tradeCount' },
  { path: 'k.x', type: FIELD_BOOLEAN, name: 'closed' },
  { path: 'k.q', type: FIELD_DECIMAL, name: 'quoteVolume' },
  { path: 'k.V', type: FIELD_DECIMAL, name: 'takerBuyBaseVolume' },
  { path: 'k.Q', type: FIELD_DECIMAL, name: 'takerBuyQuoteVolume' },
];

/** `<symbol>@kline_<interval>` and `<symbol>@kline_<interval>@+08:00` (same payload): the current candle. */
export class KlineDecoder extends EventDecoder {
  /** `k.t`: Start time of the candle. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly openTime: number;
  /** `k.T`: End time of the candle (its last millisecond). Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly closeTime: number;
  /** `k.i`: Byte range of the interval text (`"1m"`, `"1h"`...) in `data`: start. */
  declare readonly intervalStart: number;
  /** Byte range of the interval text in `data`: end (exclusive). */
  declare readonly intervalEnd: number;
  /** True when the interval equals `expected` (UTF-8 bytes, e.g. of "1m"); no string is made. */
  declare readonly intervalIs: (expected: Uint8Array) => boolean;
  /** `k.f`: Id of the first trade in the candle. */
  declare readonly firstTradeId: number;
  /** `k.L`: Id of the last trade in the candle. */
  declare readonly lastTradeId: number;
  /** `k.o`: Open price of the candle. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly open: number;
  /** `k.c`: Close price of the candle so far (its last trade). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly close: number;
  /** `k.h`: Highest price in the candle. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly high: number;
  /** `k.l`: Lowest price in the candle. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly low: number;
  /** `k.v`: Volume traded in the candle, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly baseVolume: number;
  /** `k.n`: Number of trades in the candle. */
  declare readonly tradeCount: number;
  /** `k.x`: 1 when the candle is closed (its final event), 0 while it is still open. */
  declare readonly closed: number;
  /** `k.q`: Volume traded in the candle, in the quote asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quoteVolume: number;
  /** `k.V`: Part of the base volume bought by takers. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly takerBuyBaseVolume: number;
  /** `k.Q`: Part of the quote volume bought by takers. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly takerBuyQuoteVolume: number;

  constructor(options: EventDecoderOptions = {}) {
    super(KLINE_FIELDS, ['kline'], options);
  }
}
defineFields(KlineDecoder, KLINE_FIELDS);

const MINI_TICKER_FIELDS: readonly NamedField[] = [
  { path: 'c', type: FIELD_DECIMAL, name: 'close' },
  { path: 'o', type: FIELD_DECIMAL, name: 'open' },
  { path: 'h', type: FIELD_DECIMAL, name: 'high' },
  { path: 'l', type: FIELD_DECIMAL, name: 'low' },
  { path: 'v', type: FIELD_DECIMAL, name: 'baseVolume' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quoteVolume' },
];

/** `<symbol>@miniTicker` (and the elements of `!miniTicker@arr`): 24 h rolling window. */
export class MiniTickerDecoder extends EventDecoder {
  /** `c`: Close (last) price of the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly close: number;
  /** `o`: Open price of the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly open: number;
  /** `h`: Highest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly high: number;
  /** `l`: Lowest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly low: number;
  /** `v`: Volume traded in the window, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly baseVolume: number;
  /** `q`: Volume traded in the window, in the quote asset (Σ price × quantity). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quoteVolume: number;

  constructor(options: EventDecoderOptions = {}) {
    super(MINI_TICKER_FIELDS, ['24hrMiniTicker'], options);
  }
}
defineFields(MiniTickerDecoder, MINI_TICKER_FIELDS);

const TICKER_FIELDS: readonly NamedField[] = [
  { path: 'p', type: FIELD_DECIMAL, name: 'priceChange' },
  { path: 'P', type: FIELD_DECIMAL, name: 'priceChangePercent' },
  { path: 'w', type: FIELD_DECIMAL, name: 'weightedAveragePrice' },
  { path: 'x', type: FIELD_DECIMAL, name: 'firstTradeBeforeWindowPrice' },
  { path: 'c', type: FIELD_DECIMAL, name: 'lastPrice' },
  { path: 'Q', type: FIELD_DECIMAL, name: 'lastQuantity' },
  { path: 'b', type: FIELD_DECIMAL, name: 'bidPrice' },
  { path: 'B', type: FIELD_DECIMAL, name: 'bidQuantity' },
  { path: 'a', type: FIELD_DECIMAL, name: 'askPrice' },
  { path: 'A', type: FIELD_DECIMAL, name: 'askQuantity' },
  { path: 'o', type: FIELD_DECIMAL, name: 'open' },
  { path: 'h', type: FIELD_DECIMAL, name: 'high' },
  { path: 'l', type: FIELD_DECIMAL, name: 'low' },
  { path: 'v', type: FIELD_DECIMAL, name: 'baseVolume' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quoteVolume' },
  { path: 'O', type: FIELD_INTEGER, name: 'openTime' },
  { path: 'C', type: FIELD_INTEGER, name: 'closeTime' },
  { path: 'F', type: FIELD_INTEGER, name: 'firstTradeId' },
  { path: 'L', type: FIELD_INTEGER, name: 'lastTradeId' },
  { path: 'n', type: FIELD_INTEGER, name: 'tradeCount' },
];

/** `<symbol>@ticker`: 24 h rolling window statistics. */
export class TickerDecoder extends EventDecoder {
  /** `p`: Last price minus open price (negative when the price fell). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly priceChange: number;
  /** `P`: Price change in percent of the open price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly priceChangePercent: number;
  /** `w`: Volume-weighted average price of the window (quote volume / base volume). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly weightedAveragePrice: number;
  /** `x`: Price of the last trade before the 24 h window began. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly firstTradeBeforeWindowPrice: number;
  /** `c`: Price of the last trade in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly lastPrice: number;
  /** `Q`: Quantity of the last trade in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly lastQuantity: number;
  /** `b`: Best bid price when the statistics were computed. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidPrice: number;
  /** `B`: Quantity at that best bid. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidQuantity: number;
  /** `a`: Best ask price when the statistics were computed. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askPrice: number;
  /** `A`: Quantity at that best ask. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askQuantity: number;
  /** `o`: Open price of the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly open: number;
  /** `h`: Highest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly high: number;
  /** `l`: Lowest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly low: number;
  /** `v`: Volume traded in the window, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly baseVolume: number;
  /** `q`: Volume traded in the window, in the quote asset (Σ price × quantity). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quoteVolume: number;
  /** `O`: Start of the window. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly openTime: number;
  /** `C`: End of the window. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly closeTime: number;
  /** `F`: Id of the first trade in the window. */
  declare readonly firstTradeId: number;
  /** `L`: Id of the last trade in the window. */
  declare readonly lastTradeId: number;
  /** `n`: Number of trades in the window. */
  declare readonly tradeCount: number;

  constructor(options: EventDecoderOptions = {}) {
    super(TICKER_FIELDS, ['24hrTicker'], options);
  }
}
defineFields(TickerDecoder, TICKER_FIELDS);

const WINDOW_TICKER_FIELDS: readonly NamedField[] = [
  { path: 'p', type: FIELD_DECIMAL, name: 'priceChange' },
  { path: 'P', type: FIELD_DECIMAL, name: 'priceChangePercent' },
  { path: 'o', type: FIELD_DECIMAL, name: 'open' },
  { path: 'h', type: FIELD_DECIMAL, name: 'high' },
  { path: 'l', type: FIELD_DECIMAL, name: 'low' },
  { path: 'c', type: FIELD_DECIMAL, name: 'lastPrice' },
  { path: 'w', type: FIELD_DECIMAL, name: 'weightedAveragePrice' },
  { path: 'v', type: FIELD_DECIMAL, name: 'baseVolume' },
  { path: 'q', type: FIELD_DECIMAL, name: 'quoteVolume' },
  { path: 'O', type: FIELD_INTEGER, name: 'openTime' },
  { path: 'C', type: FIELD_INTEGER, name: 'closeTime' },
  { path: 'F', type: FIELD_INTEGER, name: 'firstTradeId' },
  { path: 'L', type: FIELD_INTEGER, name: 'lastTradeId' },
  { path: 'n', type: FIELD_INTEGER, name: 'tradeCount' },
];

/** `<symbol>@ticker_<1h|4h|1d>` (and the elements of `!ticker_<window>@arr`): rolling window statistics. */
export class WindowTickerDecoder extends EventDecoder {
  /** `p`: Last price minus open price (negative when the price fell). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly priceChange: number;
  /** `P`: Price change in percent of the open price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly priceChangePercent: number;
  /** `o`: Open price of the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly open: number;
  /** `h`: Highest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly high: number;
  /** `l`: Lowest price in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly low: number;
  /** `c`: Price of the last trade in the window. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly lastPrice: number;
  /** `w`: Volume-weighted average price of the window (quote volume / base volume). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly weightedAveragePrice: number;
  /** `v`: Volume traded in the window, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly baseVolume: number;
  /** `q`: Volume traded in the window, in the quote asset (Σ price × quantity). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly quoteVolume: number;
  /** `O`: Start of the window. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly openTime: number;
  /** `C`: End of the window. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly closeTime: number;
  /** `F`: Id of the first trade in the window. */
  declare readonly firstTradeId: number;
  /** `L`: Id of the last trade in the window. */
  declare readonly lastTradeId: number;
  /** `n`: Number of trades in the window. */
  declare readonly tradeCount: number;

  constructor(options: EventDecoderOptions = {}) {
    super(WINDOW_TICKER_FIELDS, ['1hTicker', '4hTicker', '1dTicker'], options);
  }
}
defineFields(WindowTickerDecoder, WINDOW_TICKER_FIELDS);

const AVG_PRICE_FIELDS: readonly NamedField[] = [
  { path: 'i', type: FIELD_STRING, name: 'interval' },
  { path: 'w', type: FIELD_DECIMAL, name: 'averagePrice' },
  { path: 'T', type: FIELD_INTEGER, name: 'lastTradeTime' },
];

/** `<symbol>@avgPrice`: the average price over a fixed interval. */
export class AvgPriceDecoder extends EventDecoder {
  /** `i`: Byte range of the averaging interval text (`"5m"`) in `data`: start. */
  declare readonly intervalStart: number;
  /** Byte range of the averaging interval text in `data`: end (exclusive). */
  declare readonly intervalEnd: number;
  /** True when the interval equals `expected` (UTF-8 bytes); no string is made. */
  declare readonly intervalIs: (expected: Uint8Array) => boolean;
  /** `w`: Average price over the interval. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly averagePrice: number;
  /** `T`: Time of the last trade counted. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly lastTradeTime: number;

  constructor(options: EventDecoderOptions = {}) {
    super(AVG_PRICE_FIELDS, ['avgPrice'], options);
  }
}
defineFields(AvgPriceDecoder, AVG_PRICE_FIELDS);

const REFERENCE_PRICE_FIELDS: readonly NamedField[] = [
  { path: 'r', type: FIELD_DECIMAL, name: 'referencePrice', optional: true },
  { path: 't', type: FIELD_INTEGER, name: 'time' },
];

/** `<symbol>@referencePrice`. `referencePrice` is NaN when the venue sends null. */
export class ReferencePriceDecoder extends EventDecoder {
  /** `r`: Reference price; NaN when the venue sends null (no reference price yet). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly referencePrice: number;
  /** `t`: Engine time at which the reference price was valid. Milliseconds since the epoch (microseconds on a stream opened with `timeUnit=MICROSECOND`). */
  declare readonly time: number;

  constructor(options: EventDecoderOptions = {}) {
    super(REFERENCE_PRICE_FIELDS, ['referencePrice'], options);
  }
}
defineFields(ReferencePriceDecoder, REFERENCE_PRICE_FIELDS);
