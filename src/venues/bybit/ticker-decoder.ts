// Bybit v5 top of book, two ways:
//
// 1. `orderbook.1.{symbol}` (BybitTopOfBookDecoder): the venue-neutral TopOfBook. From
//    docs/v5/websocket/public/orderbook.mdx: "Level 1 data, push frequency: 10ms" (spot and
//    linear) and "Linear, inverse, spot level 1 data has `snapshot` message only"; "if 3 seconds
//    have elapsed without a change in the orderbook, a `snapshot` message will be pushed again,
//    and the field `u` will be the same as that in the previous message". Every message is the
//    whole top of book, so the decoder needs no state; a side with no level is NaN.
//
// 2. `tickers.{symbol}` (BybitTickerDecoder): last/mark/index prices and, on linear, the best bid
//    and ask. From docs/v5/websocket/public/ticker.mdx: "This topic utilises the snapshot field and
//    delta field. If a response param is not found in the message, then its value has not
//    changed." and "Spot & Option tickers message are `snapshot` only" (spot tickers carry no
//    bid1Price/ask1Price at all). "Push frequency: Derivatives & Options - 100ms, Spot - 50ms".
//    The decoder reports which fields the message held (`present`, one bit per TICKER_*), so a
//    delta updates only those: applyTo() writes the present ones into a per-symbol object.
import { DEPTH_DIFF } from '../../book/depth-diff.js';
import type { TopOfBook } from '../../market/events.js';
import { DEFAULT_SCALE, readSignedUnits, readUnits } from '../../market-json/fixed-point.js';
import { jsonFields, KIND_OBJECT, KIND_STRING, type JsonFields } from '../../market-json/index.js';
import { numberSlot, readIntegerField } from './integer-field.js';
import { BybitOrderbookDecoder } from './orderbook-decoder.js';

/** Decodes `orderbook.1.{symbol}` messages into a TopOfBook. */
export class BybitTopOfBookDecoder {
  private readonly book: BybitOrderbookDecoder;

  constructor(scale: number = DEFAULT_SCALE) {
    this.book = new BybitOrderbookDecoder(scale);
  }

  /** Fills `out` (updateId = u, eventTimeUs = ts in µs); false when it is not a valid orderbook message. */
  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean {
    const book = this.book;
    if (!book.decode(data, start, end)) return false;
    const diff = book.diff;
    // A snapshot is the whole top: a side without a level is empty. Level 1 is documented as
    // snapshot only; a delta would name only what changed, so it keeps an unnamed side. A size
    // of 0 empties the side. (Doubles are stored from the typed arrays directly: passed to a
    // helper that V8 does not inline they would be boxed.)
    const bids = diff.bids;
    const asks = diff.asks;
    if (diff.bidCount > 0 && bids[1]! > 0) {
      out.bidPrice = bids[0]!;
      out.bidQuantity = bids[1]!;
    } else if (diff.bidCount > 0 || diff.kind !== DEPTH_DIFF) {
      out.bidPrice = NaN;
      out.bidQuantity = NaN;
    }
    if (diff.askCount > 0 && asks[1]! > 0) {
      out.askPrice = asks[0]!;
      out.askQuantity = asks[1]!;
    } else if (diff.askCount > 0 || diff.kind !== DEPTH_DIFF) {
      out.askPrice = NaN;
      out.askQuantity = NaN;
    }
    out.updateId = diff.finalUpdateId;
    out.eventTimeUs = diff.eventTime * 1000;
    return true;
  }

  /** `seq` of the last message (cross sequence). */
  get crossSequence(): number {
    return this.book.crossSequence;
  }
}


// Ticker fields: index into BybitTickerDecoder.values and bit (1 << index) of `present`.
/** `lastPrice`: last traded price; index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_LAST_PRICE = 0;
/** `bid1Price`: best bid price (linear only: spot tickers carry no bid/ask); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_BID_PRICE = 1;
/** `bid1Size`: quantity at the best bid (linear only); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_BID_SIZE = 2;
/** `ask1Price`: best ask price (linear only); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_ASK_PRICE = 3;
/** `ask1Size`: quantity at the best ask (linear only); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_ASK_SIZE = 4;
/** `markPrice`: mark price (linear only); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_MARK_PRICE = 5;
/** `indexPrice`: index price (linear only); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_INDEX_PRICE = 6;
/** `highPrice24h`: highest price of the last 24 h; index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_HIGH_24H = 7;
/** `lowPrice24h`: lowest price of the last 24 h; index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_LOW_24H = 8;
/** `prevPrice24h`: the price 24 h ago (what price24hPcnt compares with); index into `values` (fixed point at the decoder's scale) and bit of `present`. */
export const TICKER_PREV_PRICE_24H = 9;
/** Signed: percentage change over 24 h as a fraction ("-0.158315"). */
export const TICKER_PRICE_24H_PCNT = 10;
/** Signed: the funding rate ("-0.005"; linear perpetuals). */
export const TICKER_FUNDING_RATE = 11;
// Amounts (float64 in `amounts`, not fixed-point: a 24 h turnover such as "4936790807.6521" is
// past 2^53 units at scale 8). Bits 1 << TICKER_* of `present` as well.
/** `volume24h`: traded quantity over the last 24 h; index into `amounts` (a plain float64) and bit of `present`. */
export const TICKER_VOLUME_24H = 12;
/** `turnover24h`: traded value (price × quantity) over the last 24 h; index into `amounts` (a plain float64) and bit of `present`. */
export const TICKER_TURNOVER_24H = 13;
/** `openInterest`: open interest size (linear only); index into `amounts` (a plain float64) and bit of `present`. */
export const TICKER_OPEN_INTEREST = 14;
const TICKER_NAMES = [
  'lastPrice',
  'bid1Price',
  'bid1Size',
  'ask1Price',
  'ask1Size',
  'markPrice',
  'indexPrice',
  'highPrice24h',
  'lowPrice24h',
  'prevPrice24h',
  'price24hPcnt',
  'fundingRate',
  'volume24h',
  'turnover24h',
  'openInterest',
] as const;
const TICKER_FIELDS = TICKER_NAMES.length;
const SIGNED_FROM = TICKER_PRICE_24H_PCNT;
const AMOUNTS_FROM = TICKER_VOLUME_24H;
const F_TYPE = TICKER_FIELDS;
const F_TS = TICKER_FIELDS + 1;
const F_CS = TICKER_FIELDS + 2;
const F_SYMBOL = TICKER_FIELDS + 3;
const F_DATA = TICKER_FIELDS + 4;
const TICKER_PATHS = [...TICKER_NAMES.map((name) => `data.${name}`), 'type', 'ts', 'cs', 'data.symbol', 'data'];
const SNAPSHOT = new TextEncoder().encode('snapshot');

/** Decodes `tickers.{symbol}` messages (spot snapshots, linear snapshots and deltas). */
export class BybitTickerDecoder {
  /** Fixed-point prices, sizes and rates at `scale` by TICKER_* index; only the `present` ones are this message's. */
  readonly values = new Float64Array(TICKER_FIELDS);
  /** Float64 amounts (TICKER_VOLUME_24H, TICKER_TURNOVER_24H, TICKER_OPEN_INTEREST) by TICKER_* index. */
  readonly amounts = new Float64Array(TICKER_FIELDS);
  /** Bit (1 << TICKER_*) set for each field the message held with a value ("" counts as absent). */
  present = 0;
  /** `type`: snapshot (every field the venue has) or delta (only the changed ones). */
  snapshot = false;
  /** `cs`: cross sequence of the last message (NaN when absent). */
  crossSequence = NaN;
  /** `ts`: when the system generated the last message, in µs since the epoch (the venue's ms × 1000; NaN when absent). */
  eventTimeUs = NaN;
  /** Start in the buffer of the last message's `data.symbol` (0, with symbolEnd, when absent). */
  symbolStart = 0;
  /** End (exclusive) of `data.symbol`: the symbol is data[symbolStart, symbolEnd) until the buffer is reused. */
  symbolEnd = 0;
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(TICKER_PATHS, { optional: TICKER_PATHS.filter((path) => path !== 'data' && path !== 'type') });

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = scale;
  }

  /**
   * Decodes the ticker message data[start, end) into `values`, `amounts`, `present` and the
   * fields above; false when it is not a valid ticker message (malformed JSON, no `data` object
   * or `type`, or a field that is not a decimal). A delta sets only the fields it changed.
   */
  decode(data: Uint8Array, start = 0, end: number = data.length): boolean {
    const fields = this.fields;
    this.present = 0;
    if (!fields.scan(data, start, end) || fields.kind(F_DATA) !== KIND_OBJECT || fields.kind(F_TYPE) !== KIND_STRING) return false;
    this.snapshot = fields.equals(F_TYPE, SNAPSHOT);
    readIntegerField(fields, F_CS, data);
    this.crossSequence = numberSlot[0]!;
    readIntegerField(fields, F_TS, data);
    this.eventTimeUs = numberSlot[0]! * 1000;
    this.symbolStart = fields.kind(F_SYMBOL) === KIND_STRING ? fields.start(F_SYMBOL) : 0;
    this.symbolEnd = fields.kind(F_SYMBOL) === KIND_STRING ? fields.end(F_SYMBOL) : 0;
    const values = this.values;
    const scale = this.scale;
    let present = 0;
    for (let field = 0; field < TICKER_FIELDS; field++) {
      // An empty string (e.g. "fundingRate":"" on a dated future) holds no value.
      if (fields.kind(field) !== KIND_STRING || fields.start(field) === fields.end(field)) continue;
      if (field >= AMOUNTS_FROM) {
        fields.numberInto(field, this.amounts, field);
        if (this.amounts[field] !== this.amounts[field]) return false;
      } else {
        const read = field >= SIGNED_FROM ? readSignedUnits : readUnits;
        if (!read(data, fields.start(field), fields.end(field), scale, values, field)) return false;
      }
      present |= 1 << field;
    }
    this.present = present;
    return true;
  }

  /** True when the last message held field `field` (TICKER_*). */
  has(field: number): boolean {
    return (this.present & (1 << field)) !== 0;
  }

  /** Writes the best bid/ask the message held into `out` (the others keep their value: a delta). */
  applyTo(out: TopOfBook): void {
    const values = this.values;
    if (this.has(TICKER_BID_PRICE)) out.bidPrice = values[TICKER_BID_PRICE]!;
    if (this.has(TICKER_BID_SIZE)) out.bidQuantity = values[TICKER_BID_SIZE]!;
    if (this.has(TICKER_ASK_PRICE)) out.askPrice = values[TICKER_ASK_PRICE]!;
    if (this.has(TICKER_ASK_SIZE)) out.askQuantity = values[TICKER_ASK_SIZE]!;
    out.updateId = this.crossSequence;
    out.eventTimeUs = this.eventTimeUs;
  }
}
