// Typed, zero-allocation decoders for the USD-M futures events that differ from Spot's, on the
// Binance Spot decoders' machinery (../binance/event-decoder.ts). aggTrade has Spot's shape (the
// futures event has no "M"): use AggTradeDecoder. depthUpdate (with "T" and "pu") and the REST
// snapshot (with "E" and "T") go through BinanceDepthDecoder.

import {
  defineFields,
  EventDecoder,
  FIELD_DECIMAL,
  FIELD_INTEGER,
  type EventDecoderOptions,
  type NamedField,
} from '../binance/event-decoder.js';

const BOOK_TICKER_FIELDS: readonly NamedField[] = [
  { path: 'u', type: FIELD_INTEGER, name: 'updateId' },
  { path: 'T', type: FIELD_INTEGER, name: 'transactionTime' },
  { path: 'b', type: FIELD_DECIMAL, name: 'bidPrice' },
  { path: 'B', type: FIELD_DECIMAL, name: 'bidQuantity' },
  { path: 'a', type: FIELD_DECIMAL, name: 'askPrice' },
  { path: 'A', type: FIELD_DECIMAL, name: 'askQuantity' },
];

/**
 * `<symbol>@bookTicker` on USD-M futures (Individual Symbol Book Ticker Streams): unlike Spot's it
 * carries "e":"bookTicker", "E" event time and "T" transaction time:
 * `{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000",...}`.
 */
export class UsdmBookTickerDecoder extends EventDecoder {
  declare readonly updateId: number; // `u`: order book update id
  declare readonly transactionTime: number; // `T`
  declare readonly bidPrice: number; // `b`
  declare readonly bidQuantity: number; // `B`
  declare readonly askPrice: number; // `a`
  declare readonly askQuantity: number; // `A`

  constructor(options: EventDecoderOptions = {}) {
    super(BOOK_TICKER_FIELDS, ['bookTicker'], options);
  }
}
defineFields(UsdmBookTickerDecoder, BOOK_TICKER_FIELDS);

const MARK_PRICE_FIELDS: readonly NamedField[] = [
  { path: 'p', type: FIELD_DECIMAL, name: 'markPrice' },
  { path: 'i', type: FIELD_DECIMAL, name: 'indexPrice' },
  { path: 'P', type: FIELD_DECIMAL, name: 'estimatedSettlePrice' },
  { path: 'r', type: FIELD_DECIMAL, name: 'fundingRate', optional: true },
  { path: 'T', type: FIELD_INTEGER, name: 'nextFundingTime' },
];

/**
 * `<symbol>@markPrice` (every 3 s) and `<symbol>@markPrice@1s` (Mark Price Stream):
 * `{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091",
 * "P":"11784.25641265","r":"0.00038167","T":1562306400000}`. A funding rate of "" (delivery
 * contracts) reads NaN.
 */
export class UsdmMarkPriceDecoder extends EventDecoder {
  declare readonly markPrice: number; // `p`
  declare readonly indexPrice: number; // `i`
  declare readonly estimatedSettlePrice: number; // `P`: "only useful in the last hour before the settlement starts"
  declare readonly fundingRate: number; // `r`
  declare readonly nextFundingTime: number; // `T`

  constructor(options: EventDecoderOptions = {}) {
    super(MARK_PRICE_FIELDS, ['markPriceUpdate'], options);
  }
}
defineFields(UsdmMarkPriceDecoder, MARK_PRICE_FIELDS);
