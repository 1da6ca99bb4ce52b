// The ticker's per-message path: one event as the managed stream delivers it (the payload, once,
// in order, with the index of its stream) into the model, through the venue's zero-allocation
// decoders of the venue-neutral layer (MarketVenue): TopOfBook for the quotes, a TradeTick
// iterator for trades, and for depth a DepthDiff (diff or in-band snapshot) into the symbol's
// LocalOrderBook. Plus the send-stamp latency when the sender adds one. Nothing here allocates in
// steady state: the stream index maps to the symbol through a typed array, values land in the
// model's typed arrays.

import {
  BOOK_IN_SYNC,
  TopOfBook,
  TradeTick,
  unitsToNumber,
  type BookDecoder,
  type LocalOrderBook,
  type MarketVenue,
  type StageClock,
  type TopOfBookDecoder,
  type TradeIterator,
} from 'tickwire';
import { WireLatency } from './latency.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE, type TickerModel } from './model.js';

/** Fixed-point decimals of every decoder and book (Binance's own precision, enough for the others). */
export const TICKER_SCALE = 8;

export class TickHandler {
  readonly model: TickerModel;
  /** Local books (depth only), one per symbol, in symbol order; empty for the other streams. */
  readonly books: readonly LocalOrderBook[];
  readonly latency: WireLatency;
  /** Trades read (a venue message may hold several: Bybit, OKX). */
  trades = 0;

  private readonly topOfBook: TopOfBookDecoder | null;
  private readonly top = new TopOfBook(TICKER_SCALE);
  private readonly trade: TradeIterator | null;
  private readonly tick = new TradeTick(TICKER_SCALE);
  private readonly depth: BookDecoder | null;
  /** The stream's index -> the symbol's index (-1: not one of ours). */
  private symbolOfStream = new Int32Array(16).fill(-1);
  private readonly stages: StageClock | null;

  /**
   * `venue`: whose decoders read the payloads. `stages`: the StageClock every connection records
   * into (its readTimeNs is the read being delivered), or null for no latency. `books`: one per
   * symbol for STREAM_DEPTH, built at TICKER_SCALE.
   */
  constructor(model: TickerModel, venue: MarketVenue, books: readonly LocalOrderBook[], stages: StageClock | null, stampField?: string) {
    if (model.kind === STREAM_DEPTH && books.length !== model.symbols.length) throw new RangeError('a depth ticker needs one book per symbol');
    this.model = model;
    this.books = books;
    this.stages = stages;
    this.latency = new WireLatency(stampField);
    this.topOfBook = model.kind === STREAM_BOOK_TICKER ? venue.createTopOfBookDecoder(TICKER_SCALE) : null;
    this.trade = model.kind === STREAM_TRADE ? venue.createTradeDecoder(TICKER_SCALE) : null;
    this.depth = model.kind === STREAM_DEPTH ? venue.createBookDecoder(TICKER_SCALE) : null;
  }

  /** Stream `stream` (the managed stream's index) carries `symbol` (the model's index). */
  mapStream(stream: number, symbol: number): void {
    if (stream >= this.symbolOfStream.length) {
      const grown = new Int32Array(Math.max(stream + 1, 2 * this.symbolOfStream.length)).fill(-1);
      grown.set(this.symbolOfStream);
      this.symbolOfStream = grown;
    }
    this.symbolOfStream[stream] = symbol;
  }

  /** The symbol a stream carries, or -1. */
  symbolOf(stream: number): number {
    return stream < this.symbolOfStream.length ? this.symbolOfStream[stream]! : -1;
  }

  /** The managed stream's onMessage: one event, data[start, end) (valid during the call only). */
  readonly onMessage = (stream: number, data: Uint8Array, start: number, end: number): void => {
    const model = this.model;
    const symbol = stream < this.symbolOfStream.length ? this.symbolOfStream[stream]! : -1;
    if (symbol < 0) {
      model.other++;
      return;
    }
    const kind = model.kind;
    let decoded: boolean;
    if (kind === STREAM_BOOK_TICKER) decoded = this.onTopOfBook(symbol, data, start, end);
    else if (kind === STREAM_TRADE) decoded = this.onTrades(symbol, data, start, end);
    else decoded = this.onDepth(symbol, data, start, end);
    if (!decoded) {
      model.other++;
      return;
    }
    model.total++;
    model.messages[symbol]!++;
    if (this.stages !== null) this.latency.record(data, start, end, this.stages);
  };

  /** Copies a book's best levels into the model (called on every applied diff and when a book syncs). */
  publishBest(symbol: number): void {
    const book = this.books[symbol]!;
    const model = this.model;
    const scale = book.scale;
    // best = [price, quantity] in fixed-point units: typed-array loads, never a boxed double.
    model.bid[symbol] = unitsToNumber(book.bids.best[0]!, scale);
    model.bidQuantity[symbol] = unitsToNumber(book.bids.best[1]!, scale);
    model.ask[symbol] = unitsToNumber(book.asks.best[0]!, scale);
    model.askQuantity[symbol] = unitsToNumber(book.asks.best[1]!, scale);
  }

  private onTopOfBook(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const top = this.top;
    if (!this.topOfBook!.decode(data, start, end, top)) return false;
    const model = this.model;
    model.bid[symbol] = unitsToNumber(top.bidPrice, TICKER_SCALE);
    model.bidQuantity[symbol] = unitsToNumber(top.bidQuantity, TICKER_SCALE);
    model.ask[symbol] = unitsToNumber(top.askPrice, TICKER_SCALE);
    model.askQuantity[symbol] = unitsToNumber(top.askQuantity, TICKER_SCALE);
    return true;
  }

  /** Every trade of the message; the model keeps the last one's price and quantity. */
  private onTrades(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const trades = this.trade!;
    if (!trades.begin(data, start, end)) return false;
    const tick = this.tick;
    let read = 0;
    while (trades.next(tick)) {
      this.model.last[symbol] = unitsToNumber(tick.price, TICKER_SCALE);
      this.model.lastQuantity[symbol] = unitsToNumber(tick.quantity, TICKER_SCALE);
      read++;
    }
    this.trades += read;
    return read > 0;
  }

  /** A diff, or a venue's in-band snapshot (the book loads it through onDiff). */
  private onDepth(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const decoder = this.depth!;
    if (!decoder.decode(data, start, end)) return false;
    const book = this.books[symbol]!;
    book.onDiff(decoder.diff);
    if (book.state === BOOK_IN_SYNC) this.publishBest(symbol);
    return true;
  }
}
