// The end-of-run check: a consumer's book must equal the simulator's own book() level for level.
// Prices and quantities are compared as numbers: every consumer holds what parseFloat of the
// decimal string gives (ccxt and the baseline parse floats; tickwire's reader is parseFloat-exact),
// and the simulator's 8-decimal strings parse to the same doubles.
import type { BookDump } from './protocol.js';

export interface ReferenceBook {
  lastUpdateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

/** Empty string when the books are equal, else the first difference in words. */
export function compareBooks(symbol: string, reference: ReferenceBook, book: BookDump): string {
  if (book.updateId !== reference.lastUpdateId) return `${symbol}: update id ${book.updateId}, simulator ${reference.lastUpdateId}`;
  for (const [side, mine, theirs] of [
    ['bids', book.bids, reference.bids],
    ['asks', book.asks, reference.asks],
  ] as const) {
    const length = Math.max(mine.length, theirs.length);
    for (let index = 0; index < length; index++) {
      const got = mine[index];
      const want = theirs[index];
      if (got === undefined || want === undefined) {
        return `${symbol} ${side}: ${mine.length} levels, simulator ${theirs.length}`;
      }
      if (got[0] !== Number(want[0]) || got[1] !== Number(want[1])) {
        return `${symbol} ${side}[${index}]: ${got[0]} x ${got[1]}, simulator ${want[0]} x ${want[1]}`;
      }
    }
  }
  return '';
}
