// One strategy callback set, written once against the venue-neutral shapes: mid price and spread
// from the top of book, a trade count and volume by taker side, and book-derived mids while the
// book is in sync. The market tests run it unchanged on every venue's simulator.
import { BOOK_IN_SYNC, SIDE_BUY, SIDE_SELL, type DepthDiff, type LocalOrderBook, type TopOfBook, type TradeTick } from '../../src/index.js';

export class Strategy {
  readonly mid: Float64Array;
  readonly spread: Float64Array;
  readonly bookMid: Float64Array;
  readonly tops: Int32Array;
  readonly trades: Int32Array;
  readonly bookUpdates: Int32Array;
  readonly inSyncUpdates: Int32Array;
  buys = 0;
  sells = 0;
  /** Anything the strategy found wrong in what it was handed (crossed quotes, bad numbers). */
  readonly problems: string[] = [];

  constructor(instruments: number) {
    this.mid = new Float64Array(instruments).fill(NaN);
    this.spread = new Float64Array(instruments).fill(NaN);
    this.bookMid = new Float64Array(instruments).fill(NaN);
    this.tops = new Int32Array(instruments);
    this.trades = new Int32Array(instruments);
    this.bookUpdates = new Int32Array(instruments);
    this.inSyncUpdates = new Int32Array(instruments);
  }

  readonly onTopOfBook = (top: TopOfBook): void => {
    const index = top.instrument;
    this.tops[index]!++;
    this.mid[index] = (top.bidPrice + top.askPrice) / 2;
    this.spread[index] = top.askPrice - top.bidPrice;
    if (!(top.askPrice > top.bidPrice) && this.problems.length < 10) this.problems.push(`crossed top of book on ${index}: ${top.bidPrice} / ${top.askPrice}`);
  };

  readonly onTrade = (tick: TradeTick): void => {
    this.trades[tick.instrument]!++;
    if (tick.side === SIDE_BUY) this.buys++;
    else if (tick.side === SIDE_SELL) this.sells++;
    if (!(tick.price > 0 && tick.quantity > 0) && this.problems.length < 10) this.problems.push(`bad trade on ${tick.instrument}: ${tick.price} x ${tick.quantity}`);
  };

  readonly onBook = (book: LocalOrderBook, _diff: DepthDiff, index: number): void => {
    this.bookUpdates[index]!++;
    if (book.state !== BOOK_IN_SYNC) return;
    this.inSyncUpdates[index]!++;
    this.bookMid[index] = (book.bids.bestPrice + book.asks.bestPrice) / 2;
  };
}
