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
  declare readonly updateId: number; // `u`: order book update id
  declare readonly bidPrice: number; // `b`
  declare readonly bidQuantity: number; // `B`
  declare readonly askPrice: number; // `a`
  declare readonly askQuantity: number; // `A`

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
  declare readonly tradeId: number; // `t`
  declare readonly price: number; // `p`
  declare readonly quantity: number; // `q`
  declare readonly tradeTime: number; // `T`
  declare readonly buyerIsMaker: number; // `m`: 1 when the buyer is the market maker, else 0

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
  declare readonly aggregateId: number; // `a`
  declare readonly price: number; // `p`
  declare readonly quantity: number; // `q`
  declare readonly firstTradeId: number; // `f`
  declare readonly lastTradeId: number; // `l`
  declare readonly tradeTime: number; // `T`
  declare readonly buyerIsMaker: number; // `m`

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
  declare readonly tradeId: number; // `t`
  declare readonly price: number; // `p`
  declare readonly quantity: number; // `q`
  declare readonly tradeTime: number; // `T`
  declare readonly buyerIsMaker: number; // `m`

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
  declare readonly openTime: number; // `k.t`
  declare readonly closeTime: number; // `k.T`
  declare readonly intervalStart: number; // `k.i`
  declare readonly intervalEnd: number;
  declare readonly intervalIs: (expected: Uint8Array) => boolean;
  declare readonly firstTradeId: number; // `k.f`
  declare readonly lastTradeId: number; // `k.L`
  declare readonly open: number; // `k.o`
  declare readonly close: number; // `k.c`
  declare readonly high: number; // `k.h`
  declare readonly low: number; // `k.l`
  declare readonly baseVolume: number; // `k.v`
  declare readonly tradeCount: number; // `k.n`
  declare readonly closed: number; // `k.x`: 1 when the kline is closed
  declare readonly quoteVolume: number; // `k.q`
  declare readonly takerBuyBaseVolume: number; // `k.V`
  declare readonly takerBuyQuoteVolume: number; // `k.Q`

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
  declare readonly close: number; // `c`
  declare readonly open: number; // `o`
  declare readonly high: number; // `h`
  declare readonly low: number; // `l`
  declare readonly baseVolume: number; // `v`
  declare readonly quoteVolume: number; // `q`

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
  declare readonly priceChange: number; // `p`
  declare readonly priceChangePercent: number; // `P`
  declare readonly weightedAveragePrice: number; // `w`
  declare readonly firstTradeBeforeWindowPrice: number; // `x`
  declare readonly lastPrice: number; // `c`
  declare readonly lastQuantity: number; // `Q`
  declare readonly bidPrice: number; // `b`
  declare readonly bidQuantity: number; // `B`
  declare readonly askPrice: number; // `a`
  declare readonly askQuantity: number; // `A`
  declare readonly open: number; // `o`
  declare readonly high: number; // `h`
  declare readonly low: number; // `l`
  declare readonly baseVolume: number; // `v`
  declare readonly quoteVolume: number; // `q`
  declare readonly openTime: number; // `O`
  declare readonly closeTime: number; // `C`
  declare readonly firstTradeId: number; // `F`
  declare readonly lastTradeId: number; // `L`
  declare readonly tradeCount: number; // `n`

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
  declare readonly priceChange: number; // `p`
  declare readonly priceChangePercent: number; // `P`
  declare readonly open: number; // `o`
  declare readonly high: number; // `h`
  declare readonly low: number; // `l`
  declare readonly lastPrice: number; // `c`
  declare readonly weightedAveragePrice: number; // `w`
  declare readonly baseVolume: number; // `v`
  declare readonly quoteVolume: number; // `q`
  declare readonly openTime: number; // `O`
  declare readonly closeTime: number; // `C`
  declare readonly firstTradeId: number; // `F`
  declare readonly lastTradeId: number; // `L`
  declare readonly tradeCount: number; // `n`

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
  declare readonly intervalStart: number; // `i`: "5m"
  declare readonly intervalEnd: number;
  declare readonly intervalIs: (expected: Uint8Array) => boolean;
  declare readonly averagePrice: number; // `w`
  declare readonly lastTradeTime: number; // `T`

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
  declare readonly referencePrice: number; // `r`
  declare readonly time: number; // `t`: engine time when the reference price was valid

  constructor(options: EventDecoderOptions = {}) {
    super(REFERENCE_PRICE_FIELDS, ['referencePrice'], options);
  }
}
defineFields(ReferencePriceDecoder, REFERENCE_PRICE_FIELDS);
