// The ticker's per-message path: one event as the managed stream delivers it (the payload of a
// combined-stream message, once, in order, with the index of its stream) into the model, through
// the library's typed zero-allocation decoders: BookTickerDecoder and TradeDecoder for the quotes,
// BinanceDepthDecoder into the symbol's LocalOrderBook for depth. Plus the send-stamp latency when
// the sender adds one. Nothing here allocates in steady state: the stream index maps to the
// symbol through a typed array, values land in the model's typed arrays.

import { BinanceDepthDecoder, BookTickerDecoder, BOOK_IN_SYNC, DEPTH_DIFF, TradeDecoder, unitsToNumber, type LocalOrderBook, type StageClock } from 'tickwire';
import { WireLatency } from './latency.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE, type TickerModel } from './model.js';

export class TickHandler {
  readonly model: TickerModel;
  /** Local books (depth only), one per symbol, in symbol order; empty for the other streams. */
  readonly books: readonly LocalOrderBook[];
  readonly latency: WireLatency;
  /** Depth payloads that were snapshots, not diffs (a diff stream never sends one); also counted in model.other. */
  unexpectedSnapshots = 0;

  private readonly bookTicker = new BookTickerDecoder();
  private readonly trade = new TradeDecoder();
  private readonly depth: BinanceDepthDecoder;
  /** The stream's index -> the symbol's index (-1: not one of ours). */
  private symbolOfStream = new Int32Array(16).fill(-1);
  private readonly stages: StageClock | null;

  /**
   * `stages`: the StageClock every connection records into (its readTimeNs is the read being
   * delivered), or null for no latency. `books`: one per symbol for STREAM_DEPTH.
   */
  constructor(model: TickerModel, books: readonly LocalOrderBook[], stages: StageClock | null, stampField?: string) {
    if (model.kind === STREAM_DEPTH && books.length !== model.symbols.length) throw new RangeError('a depth ticker needs one book per symbol');
    this.model = model;
    this.books = books;
    this.stages = stages;
    this.latency = new WireLatency(stampField);
    this.depth = new BinanceDepthDecoder({ scale: books[0]?.scale ?? 8 });
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
    if (kind === STREAM_BOOK_TICKER) decoded = this.onBookTicker(symbol, data, start, end);
    else if (kind === STREAM_TRADE) decoded = this.onTrade(symbol, data, start, end);
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

  private onBookTicker(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const decoder = this.bookTicker;
    if (!decoder.decode(data, start, end)) return false;
    const model = this.model;
    model.bid[symbol] = decoder.bidPrice;
    model.bidQuantity[symbol] = decoder.bidQuantity;
    model.ask[symbol] = decoder.askPrice;
    model.askQuantity[symbol] = decoder.askQuantity;
    return true;
  }

  private onTrade(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const decoder = this.trade;
    if (!decoder.decode(data, start, end)) return false;
    this.model.last[symbol] = decoder.price;
    this.model.lastQuantity[symbol] = decoder.quantity;
    return true;
  }

  private onDepth(symbol: number, data: Uint8Array, start: number, end: number): boolean {
    const decoder = this.depth;
    if (!decoder.decode(data, start, end)) return false;
    if (decoder.diff.kind !== DEPTH_DIFF) {
      this.unexpectedSnapshots++;
      return false;
    }
    const book = this.books[symbol]!;
    book.onDiff(decoder.diff);
    if (book.state === BOOK_IN_SYNC) this.publishBest(symbol);
    return true;
  }
}
