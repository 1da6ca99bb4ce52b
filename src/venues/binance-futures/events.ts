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
  /** `u`: Order book update id of this top-of-book change. It grows, but not by one per event (changes below the top take ids too): holes mean nothing, a smaller one than before is stale. */
  declare readonly updateId: number;
  /** `T`: Transaction time of the change in the matching engine, milliseconds since the epoch (`E`, eventTime, is when it was pushed). */
  declare readonly transactionTime: number;
  /** `b`: Best bid price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidPrice: number;
  /** `B`: Quantity at the best bid, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly bidQuantity: number;
  /** `a`: Best ask price. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askPrice: number;
  /** `A`: Quantity at the best ask, in the base asset. Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly askQuantity: number;

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
  /** `p`: Mark price (what unrealized PnL and liquidations use). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly markPrice: number;
  /** `i`: Index price (the weighted spot price the mark price is anchored to). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly indexPrice: number;
  /** `P`: Estimated settle price, "only useful in the last hour before the settlement starts". Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly estimatedSettlePrice: number;
  /** `r`: Funding rate as a fraction per funding interval (0.0001 = 0.01 %); NaN when absent or "" (delivery contracts have no funding). Read per the decoder's `decimals`: a float64, or fixed-point units (value × 10^scale). */
  declare readonly fundingRate: number;
  /** `T`: Next funding time, milliseconds since the epoch. */
  declare readonly nextFundingTime: number;

  constructor(options: EventDecoderOptions = {}) {
    super(MARK_PRICE_FIELDS, ['markPriceUpdate'], options);
  }
}
defineFields(UsdmMarkPriceDecoder, MARK_PRICE_FIELDS);
