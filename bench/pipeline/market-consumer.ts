// Consumer (d): tickwire the way an application holding many books uses it: a ManagedStream
// (reconnects, gap and duplicate checks by update id) subscribed to every symbol's book stream,
// one LocalOrderBook per symbol from the venue's MarketVenue adapter (binanceSpotMarket: REST
// snapshot + buffered diffs), and the depth diff the stream's decoder already read for the
// sequence check (ManagedStream.decodedBook()) applied as it is: each payload is decoded once.
// Same stream and books as consumer (c), which decodes on the bare client instead.
import { DIFF_APPLIED, ManagedStream, type BookContext, type BookDecoder, type DepthDiff, type LocalOrderBook, type MarketVenue } from 'tickwire';
import { BookSetConsumer } from './book-set.js';
import type { ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';
import { pipelineVenue } from './venues.js';

const SCALE = 8;

export class MarketConsumer extends BookSetConsumer implements PipelineConsumer {
  events = 0;
  /** Diffs decoded here because the stream's decoder had none to hand over (should stay 0 on Binance). */
  decodedAgain = 0;
  private readonly venue: MarketVenue;
  /** The venue's instrument id of each of spec.symbols. */
  private readonly instruments: string[];
  /** Stream index -> book. */
  private readonly bookOfStream: Array<LocalOrderBook | undefined> = [];
  private readonly decoder: BookDecoder;
  private readonly stream: ManagedStream;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {
    const { market, instrument } = pipelineVenue(spec.venue ?? 'binance-spot');
    const venue = market();
    const context: BookContext = { scale: SCALE, restUrl: spec.restUrl, listener: {}, requestSnapshot: () => {} };
    const instruments = spec.symbols.map(instrument);
    super(spec.symbols, instruments.map((name) => venue.createOrderBook(name, context)));
    this.venue = venue;
    this.instruments = instruments;
    this.decoder = venue.createBookDecoder(SCALE);
    this.stream = new ManagedStream({
      venue: this.venue.profile,
      url: spec.wsUrl,
      onMessage: (stream, data, start, end) => this.onMessage(stream, data, start, end),
    });
  }

  start(): Promise<void> {
    const names = this.instruments.map((instrument) => this.venue.bookStream(instrument)!);
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
