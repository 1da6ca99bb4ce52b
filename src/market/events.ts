// The venue-neutral event shapes: one strategy reads top of book, trades and book updates the same
// way on every venue. Each is a reusable object a venue decoder fills in place (no object per
// message): prices and quantities are exact fixed-point integers at `scale` decimals (value *
// 10^scale, see src/market-json/fixed-point.ts), times are microseconds since the Unix epoch
// (ms venues multiply by 1000; Binance SBE sends µs), ids are the venue's own numbers. A field the
// venue does not send is NaN. Book updates are DepthDiff (src/book/depth-diff.ts), applied to an
// OrderBook by LocalOrderBook.
//
// Fields start as NaN, never as a small integer, so V8 gives them a double representation from the
// start and storing a large id or a µs time never changes the object's shape (see DepthDiff).

import { checkScale, DEFAULT_SCALE, unitsToNumber } from '../market-json/fixed-point.js';

/** TradeTick.side: the taker bought (the trade lifted an ask). */
export const SIDE_BUY = 1;
/** TradeTick.side: the taker sold (the trade hit a bid). */
export const SIDE_SELL = -1;
/** TradeTick.side: the venue does not say. */
export const SIDE_UNKNOWN = 0;

/** Best bid and ask of one instrument. */
export class TopOfBook {
  /** Decimal places of the fixed-point prices and quantities. */
  readonly scale: number;
  /** Index of the instrument in the feed that delivered it (-1 before the first decode). */
  instrument = -1;
  /** Best bid price in fixed-point units (value × 10^scale); NaN when the venue sent no bid (empty side). */
  bidPrice = NaN;
  /** Quantity at the best bid, in units; NaN when there is no bid. */
  bidQuantity = NaN;
  /** Best ask price in units; NaN when the venue sent no ask (empty side). */
  askPrice = NaN;
  /** Quantity at the best ask, in units; NaN when there is no ask. */
  askQuantity = NaN;
  /** The venue's update id for this top of book (Binance `u`, Bybit `u`, OKX `seqId`), NaN if none. */
  updateId = NaN;
  /** When the venue produced the event, µs since the epoch; NaN if the message carries no time. */
  eventTimeUs = NaN;

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = checkScale(scale);
  }

  /** Clears every field a decoder fills. */
  reset(): void {
    this.instrument = -1;
    this.bidPrice = NaN;
    this.bidQuantity = NaN;
    this.askPrice = NaN;
    this.askQuantity = NaN;
    this.updateId = NaN;
    this.eventTimeUs = NaN;
  }

  /** Best bid as a float64 (display and arithmetic that tolerates rounding). */
  get bid(): number {
    return unitsToNumber(this.bidPrice, this.scale);
  }

  /** Best ask as a float64. */
  get ask(): number {
    return unitsToNumber(this.askPrice, this.scale);
  }
}

/** One trade. A venue message holding several trades is delivered as several ticks. */
export class TradeTick {
  /** Decimal places of the fixed-point price and quantity. */
  readonly scale: number;
  /** Index of the instrument in the feed that delivered it (-1 before the first decode). */
  instrument = -1;
  /** Trade price in fixed-point units (value × 10^scale). */
  price = NaN;
  /** Traded quantity in units (base asset, or contracts where the venue counts in contracts). */
  quantity = NaN;
  /** SIDE_BUY, SIDE_SELL or SIDE_UNKNOWN: the taker's side. */
  side = SIDE_UNKNOWN;
  /** The venue's trade id when it is a number (NaN otherwise, e.g. a UUID). */
  tradeId = NaN;
  /** When the trade happened, µs since the epoch. */
  tradeTimeUs = NaN;
  /** When the venue sent the event, µs since the epoch (NaN if the message carries none). */
  eventTimeUs = NaN;

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = checkScale(scale);
  }

  /** Clears every field a decoder fills. */
  reset(): void {
    this.instrument = -1;
    this.price = NaN;
    this.quantity = NaN;
    this.side = SIDE_UNKNOWN;
    this.tradeId = NaN;
    this.tradeTimeUs = NaN;
    this.eventTimeUs = NaN;
  }

  /** Price as a float64. */
  get priceNumber(): number {
    return unitsToNumber(this.price, this.scale);
  }

  /** Quantity as a float64. */
  get quantityNumber(): number {
    return unitsToNumber(this.quantity, this.scale);
  }
}
