// Consumer (c): tickwire's public API end to end: the client (`connect()`, messages as views of
// its receive buffer), the Binance depth decoder (levels straight into fixed-point, no string, no
// JSON.parse) and one LocalOrderBook per symbol (binanceSpotOrderBook: REST snapshot + buffered
// diffs, the documented U/u rules, resync on a gap), on the same raw
// `/ws/<symbol>@depth@100ms/...` stream as the ws baseline.
import { BinanceDepthDecoder, DIFF_APPLIED, binanceSpotOrderBook, connect, type Client, type LocalOrderBook } from 'tickwire';
import { BookSetConsumer } from './book-set.js';
import type { ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

const encoder = new TextEncoder();

/** Symbol bytes -> book, by FNV-1a hash with linear probing: no string per message. */
class SymbolTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly symbolBytes: Uint8Array[] = [];

  constructor(private readonly books: readonly LocalOrderBook[]) {
    let size = 16;
    while (size < books.length * 4) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    books.forEach((book, index) => {
      const bytes = encoder.encode(book.symbol);
      this.symbolBytes.push(bytes);
      let slot = SymbolTable.hash(bytes, 0, bytes.length) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
    });
  }

  static hash(data: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ data[i]!, 0x01000193);
    return hash >>> 0;
  }

  find(data: Uint8Array, start: number, end: number): LocalOrderBook | undefined {
    let slot = SymbolTable.hash(data, start, end) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return undefined;
      const bytes = this.symbolBytes[index]!;
      if (bytes.length === end - start) {
        let same = true;
        for (let k = 0; k < bytes.length; k++) {
          if (bytes[k] !== data[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return this.books[index];
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

export class TickwireConsumer extends BookSetConsumer implements PipelineConsumer {
  events = 0;
  private readonly table: SymbolTable;
  private readonly decoder = new BinanceDepthDecoder();
  private client: Client | null = null;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {
    super(spec.symbols, spec.symbols.map((symbol) => binanceSpotOrderBook({ symbol: symbol.toUpperCase(), restBase: spec.restUrl })));
    this.table = new SymbolTable(this.books);
  }

  async start(): Promise<void> {
    const streams = this.spec.symbols.map((symbol) => `${symbol}@depth@100ms`).join('/');
    this.client = await connect(`${this.spec.wsUrl}/ws/${streams}`, {
      onMessage: (data, start, end) => this.onMessage(data, start, end),
    });
  }

  private onMessage(data: Uint8Array, start: number, end: number): void {
    const decoder = this.decoder;
    if (!decoder.decode(data, start, end)) return;
    const diff = decoder.diff;
    const book = this.table.find(data, diff.symbolStart, diff.symbolEnd);
    if (book === undefined) return;
    if (book.onDiff(diff) !== DIFF_APPLIED) return;
    this.events++;
    this.user.onBook(book.book.bestBid, book.book.bestAsk);
  }

  close(): Promise<void> {
    this.closeBooks();
    this.client?.terminate();
    return Promise.resolve();
  }
}
