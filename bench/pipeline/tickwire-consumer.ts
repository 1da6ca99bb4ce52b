// Consumer (c): tickwire's public API end to end: the client (`connect()`, messages as views of
// its receive buffer), the Binance depth decoder (levels straight into fixed-point, no string, no
// JSON.parse) and one LocalOrderBook per symbol (binanceSpotOrderBook: REST snapshot + buffered
// diffs, the documented U/u rules, resync on a gap), on the same raw
// `/ws/<symbol>@depth@100ms/...` stream as the ws baseline.
import { BinanceDepthDecoder, DIFF_APPLIED, StreamNameTable, binanceSpotOrderBook, connect, type Client } from 'tickwire';
import { BookSetConsumer } from './book-set.js';
import type { ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

export class TickwireConsumer extends BookSetConsumer implements PipelineConsumer {
  events = 0;
  /** Symbol bytes -> index in `books`, looked up from the message (no string per message). */
  private readonly symbols = new StreamNameTable();
  private readonly decoder = new BinanceDepthDecoder();
  private client: Client | null = null;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {
    super(spec.symbols, spec.symbols.map((symbol) => binanceSpotOrderBook({ symbol: symbol.toUpperCase(), restBase: spec.restUrl })));
    for (const book of this.books) this.symbols.add(book.symbol);
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
    const index = this.symbols.find(data, diff.symbolStart, diff.symbolEnd);
    if (index < 0) return;
    const book = this.books[index]!;
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
