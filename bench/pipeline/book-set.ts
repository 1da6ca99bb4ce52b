// The base of the tickwire consumers: their books as the pipeline harness reads them between
// measured windows (sync state, update ids, resyncs, and a dump to compare with the simulator's
// book(); allocates, used only outside the measured window).
import { BOOK_IN_SYNC, type LocalOrderBook } from 'tickwire';
import type { BookDump } from './protocol.js';

const toNumbers = (levels: Array<[string, string]>): Array<[number, number]> => levels.map(([price, quantity]) => [Number(price), Number(quantity)]);

export abstract class BookSetConsumer {
  /** Book by the harness's upper-case symbol ("BTCUSDT", whatever the venue calls the instrument). */
  private readonly bySymbol: Map<string, LocalOrderBook>;

  /** `books[k]` is the book of `symbols[k]` (the spec's lower-case symbols). */
  constructor(symbols: readonly string[], protected readonly books: readonly LocalOrderBook[]) {
    this.bySymbol = new Map(symbols.map((symbol, k) => [symbol.toUpperCase(), books[k]!]));
  }

  get resyncs(): number {
    let resyncs = 0;
    for (const book of this.books) resyncs += book.resyncs;
    return resyncs;
  }

  syncedBooks(): number {
    let synced = 0;
    for (const book of this.books) if (book.state === BOOK_IN_SYNC) synced++;
    return synced;
  }

  /** Update id of a symbol's book (upper case), NaN before it synced. */
  updateId(symbol: string): number {
    const book = this.bySymbol.get(symbol);
    return book?.state === BOOK_IN_SYNC ? book.updateId : NaN;
  }

  dump(symbol: string): BookDump {
    const levels = this.bySymbol.get(symbol)!.book.toLevels();
    return { updateId: levels.lastUpdateId, bids: toNumbers(levels.bids), asks: toNumbers(levels.asks) };
  }

  protected closeBooks(): void {
    for (const book of this.books) book.close();
  }
}
