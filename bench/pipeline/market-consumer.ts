// Consumer (d): tickwire the way an application holding many books uses it: a ManagedStream
// (reconnects, gap and duplicate checks by update id) subscribed to every symbol's book stream,
// one LocalOrderBook per symbol from the venue's MarketVenue adapter (binanceSpotMarket: REST
// snapshot + buffered diffs), and the depth diff the stream's decoder already read for the
// sequence check (ManagedStream.decodedBook()) applied as it is: each payload is decoded once.
// Same stream and books as consumer (c), which decodes on the bare client instead.
import {
  DIFF_APPLIED,
  ManagedStream,
  binanceSpotMarket,
  type BookContext,
  type BookDecoder,
  type DepthDiff,
  type LocalOrderBook,
  type MarketVenue,
} from 'tickwire';
import { binanceSbeMarket } from 'tickwire/binance-sbe';
import { binanceUsdmMarket } from 'tickwire/binance-futures';
import { bybitMarket } from 'tickwire/bybit';
import { okxMarket } from 'tickwire/okx';
import { BookSetConsumer } from './book-set.js';
import type { ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

const SCALE = 8;

/** The venue adapters this consumer can drive, by MarketVenue name. */
function venueAdapter(name: string): MarketVenue {
  switch (name) {
    case 'binance-spot':
      return binanceSpotMarket();
    case 'binance-sbe':
      // The simulator's SBE endpoint wants an X-MBX-APIKEY header, as the live one does; any key.
      return binanceSbeMarket({ apiKey: 'pipeline-bench' });
    case 'binance-usdm':
      return binanceUsdmMarket();
    // Bybit's deepest book stream (1000 levels) holds the simulator's whole book, so it compares level for level.
    case 'bybit':
      return bybitMarket('linear', { bookDepth: 1000 });
    case 'okx':
      return okxMarket();
    default:
      throw new Error(`pipeline: no MarketVenue adapter for ${name}`);
  }
}

/** The venue's spelling of a simulated symbol ("btcusdt"): OKX names instruments BASE-QUOTE. */
export function venueInstrument(venue: string, symbol: string): string {
  const upper = symbol.toUpperCase();
  return venue === 'okx' ? `${upper.slice(0, -4)}-${upper.slice(-4)}` : upper;
}

export class MarketConsumer extends BookSetConsumer implements PipelineConsumer {
  events = 0;
  /** Diffs decoded here because the stream's decoder had none to hand over (should stay 0 on Binance). */
  decodedAgain = 0;
  private readonly venue: MarketVenue;
  /** Stream index -> book. */
  private readonly bookOfStream: Array<LocalOrderBook | undefined> = [];
  private readonly decoder: BookDecoder;
  private readonly stream: ManagedStream;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
    venue: MarketVenue = venueAdapter(spec.venue ?? 'binance-spot'),
  ) {
    const context: BookContext = { scale: SCALE, restUrl: spec.restUrl, listener: {}, requestSnapshot: () => {} };
    super(spec.symbols.map((symbol) => venue.createOrderBook(venueInstrument(spec.venue ?? 'binance-spot', symbol), context)));
    this.venue = venue;
    this.decoder = venue.createBookDecoder(SCALE);
    this.stream = new ManagedStream({
      venue: this.venue.profile,
      url: spec.wsUrl,
      onMessage: (stream, data, start, end) => this.onMessage(stream, data, start, end),
    });
  }

  start(): Promise<void> {
    const names = this.spec.symbols.map((symbol) => this.venue.bookStream(venueInstrument(this.spec.venue ?? 'binance-spot', symbol))!);
    const indices = this.stream.subscribe(names);
    indices.forEach((index, k) => (this.bookOfStream[index] = this.books[k]));
    this.stream.start();
    return Promise.resolve();
  }

  private onMessage(stream: number, data: Uint8Array, start: number, end: number): void {
    const book = this.bookOfStream[stream];
    if (book === undefined) return;
    let diff: DepthDiff | null = this.stream.decodedBook();
    if (diff === null || diff.scale !== SCALE) {
      if (!this.decoder.decode(data, start, end)) return;
      diff = this.decoder.diff;
      this.decodedAgain++;
    }
    if (book.onDiff(diff) !== DIFF_APPLIED) return;
    this.events++;
    this.user.onBook(book.book.bestBid, book.book.bestAsk);
  }

  async close(): Promise<void> {
    this.closeBooks();
    await this.stream.stop();
  }
}
