// What the ticker knows about each symbol, in typed arrays indexed by symbol number, so the
// per-message path writes numbers into preallocated slots and the view reads them a few times
// per second.

export const STREAM_BOOK_TICKER = 0;
export const STREAM_TRADE = 1;
export const STREAM_DEPTH = 2;

export type StreamName = 'bookTicker' | 'trade' | 'depth';
export const STREAM_NAMES: readonly StreamName[] = ['bookTicker', 'trade', 'depth'];

/** Binance stream name suffix per kind; depth uses the 100 ms diff stream. */
const STREAM_SUFFIX: readonly string[] = ['@bookTicker', '@trade', '@depth@100ms'];

export function streamKind(name: string): number {
  const kind = STREAM_NAMES.indexOf(name as StreamName);
  if (kind < 0) throw new RangeError(`unknown stream '${name}' (expected ${STREAM_NAMES.join(', ')})`);
  return kind;
}

/** `btcusdt@bookTicker`: the stream name of one symbol's stream, as SUBSCRIBE takes it. */
export function streamFor(symbol: string, kind: number): string {
  return `${symbol.toLowerCase()}${STREAM_SUFFIX[kind]!}`;
}

export class TickerModel {
  readonly symbols: readonly string[];
  readonly kind: number;
  /** Best bid / ask and their sizes (bookTicker, depth); NaN until known. */
  readonly bid: Float64Array;
  readonly bidQuantity: Float64Array;
  readonly ask: Float64Array;
  readonly askQuantity: Float64Array;
  /** Last trade price and quantity (trade). */
  readonly last: Float64Array;
  readonly lastQuantity: Float64Array;
  /** Messages per symbol since start. */
  readonly messages: Float64Array;
  /** Data messages recognised, all symbols. */
  total = 0;
  /** Events the stream delivered that the decoder could not read (malformed, another event type). */
  other = 0;

  constructor(symbols: readonly string[], kind: number) {
    this.symbols = symbols.map((symbol) => symbol.toLowerCase());
    this.kind = kind;
    const count = symbols.length;
    this.bid = new Float64Array(count).fill(NaN);
    this.bidQuantity = new Float64Array(count).fill(NaN);
    this.ask = new Float64Array(count).fill(NaN);
    this.askQuantity = new Float64Array(count).fill(NaN);
    this.last = new Float64Array(count).fill(NaN);
    this.lastQuantity = new Float64Array(count).fill(NaN);
    this.messages = new Float64Array(count);
  }

  /** The stream names of all symbols, in symbol order: `['btcusdt@bookTicker', ...]`. */
  streamNames(): string[] {
    return this.symbols.map((symbol) => streamFor(symbol, this.kind));
  }
}
