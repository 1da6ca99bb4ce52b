// One strategy, every venue: openMarket() runs a MarketVenue's streams for a list of instruments
// over one ManagedStream, keeps one LocalOrderBook per instrument, and hands the strategy the
// venue-neutral shapes — TopOfBook, TradeTick, and the book with the DepthDiff just applied —
// through four callbacks. Nothing is allocated per message: one TopOfBook and one TradeTick are
// refilled for every event (their `instrument` field says whose), the book decoder reuses its
// DepthDiff, and the stream index -> (channel, instrument) routing is two typed arrays.
//
// Gaps, resyncs, snapshot errors and connection changes arrive through onEvent: the stream's own
// events (StreamEvent) plus the books' (MarketBookEvent). Books whose venue pushes snapshots in
// the stream (Bybit, OKX) ask for a fresh one by resubscribing their stream.

import type { DepthDiff } from '../book/depth-diff.js';
import { BOOK_IN_SYNC, type BookListener, type LocalOrderBook } from '../book/local-order-book.js';
import type { RequestBudget } from '../book/snapshot-pacer.js';
import { DEFAULT_SCALE } from '../market-json/fixed-point.js';
import type { StreamEvent } from '../stream/events.js';
import { ManagedStream } from '../stream/managed-stream.js';
import type { ManagedStreamOptions } from '../stream/options.js';
import { TopOfBook, TradeTick } from './events.js';
import type { BookDecoder, MarketVenue, TopOfBookDecoder, TradeIterator } from './venue-adapter.js';

/** What a stream carries (routing table of a Market). */
const CHANNEL_NONE = 0;
const CHANNEL_TOP_OF_BOOK = 1;
const CHANNEL_TRADES = 2;
const CHANNEL_BOOK = 3;

/** The book-side events of a Market (the stream's own events come as they are). */
export type MarketBookEvent =
  /** The book of `symbol` changed state (BOOK_* / REASON_* of src/book/local-order-book.ts). */
  | {
      /** Discriminant of this variant. */
      type: 'book-state';
      /** Index of the book's instrument in `MarketOptions.instruments` (and `Market.books`). */
      instrument: number;
      /** The instrument as the venue spells it (`instruments[instrument]`). */
      symbol: string;
      /** The book's new state, a BOOK_* constant (compare with BOOK_IN_SYNC). */
      state: number;
      /** Why it changed, a REASON_* constant. */
      reason: number;
    }
  /** Update ids firstMissing..lastMissing never reached the book of `symbol` (firstMissing > lastMissing: a broken sequence); it resyncs. */
  | {
      /** Discriminant of this variant. */
      type: 'book-gap';
      /** Index of the book's instrument in `MarketOptions.instruments` (and `Market.books`). */
      instrument: number;
      /** The instrument as the venue spells it (`instruments[instrument]`). */
      symbol: string;
      /** First venue update id the book did not receive (inclusive). */
      firstMissing: number;
      /** Last venue update id the book did not receive (inclusive); below firstMissing when the venue's sequence broke rather than skipped. */
      lastMissing: number;
    }
  /** A snapshot request of the book failed or timed out; it is retried with backoff. */
  | {
      /** Discriminant of this variant. */
      type: 'book-snapshot-error';
      /** Index of the book's instrument in `MarketOptions.instruments` (and `Market.books`). */
      instrument: number;
      /** The instrument as the venue spells it (`instruments[instrument]`). */
      symbol: string;
      /** The error the snapshot request failed with, passed on as thrown or rejected. */
      error: unknown;
    }
  /** A payload of a subscribed stream did not decode as its channel says (it was skipped). */
  | {
      /** Discriminant of this variant. */
      type: 'undecodable';
      /** Index in `MarketOptions.instruments` of the instrument the stream was subscribed for. */
      instrument: number;
      /** The instrument as the venue spells it (`instruments[instrument]`). */
      symbol: string;
      /** The venue stream/topic name the payload came on (for logs; not parsed). */
      stream: string;
    };

/** What Market's onEvent receives. */
export type MarketEvent = StreamEvent | MarketBookEvent;

/** Options of openMarket(). */
export interface MarketOptions {
  /** The venue adapter (binanceSpotMarket(), bybitMarket(...), okxMarket(...), ...). */
  venue: MarketVenue;
  /** The venue's symbols, as its REST API spells them ("BTCUSDT", "BTC-USDT"). */
  instruments: readonly string[];
  /** WebSocket base URL. Default: the venue profile's production endpoint. */
  url?: string;
  /** REST base URL, for venues whose book snapshots come over REST (Binance). */
  restUrl?: string;
  /** Fixed-point decimals of every price and quantity. Default 8. */
  scale?: number;
  /** Best bid/ask changed (the venue's top-of-book stream). `top` is reused: copy what you keep. */
  onTopOfBook?: (top: TopOfBook) => void;
  /** One trade (a message holding several calls this once per trade). `tick` is reused. */
  onTrade?: (tick: TradeTick) => void;
  /**
   * A book message was handled: `book` (check `book.state === BOOK_IN_SYNC`), the diff or
   * snapshot it took, and the instrument's index in `instruments`.
   */
  onBook?: (book: LocalOrderBook, diff: DepthDiff, instrument: number) => void;
  /** Connection changes, gaps, resyncs, errors. */
  onEvent?: (event: MarketEvent) => void;
  /**
   * Subscribe to top of book / trades / book. Default: each whose callback is given, when the
   * venue has the stream (`Market.missingChannels` lists those it lacks). Asked for explicitly
   * here, a channel the venue lacks is an error.
   */
  channels?: {
    /** The venue's best bid/ask stream, delivered to onTopOfBook. */
    topOfBook?: boolean;
    /** The venue's public trade stream, delivered to onTrade. */
    trades?: boolean;
    /** The venue's depth stream (plus its snapshot source), kept as one LocalOrderBook per instrument. */
    book?: boolean;
  };
  /** Levels per side each book keeps at most. */
  maxLevels?: number;
  /** One REST weight budget shared by all books (REST venues). */
  budget?: RequestBudget;
  /** Passed to the ManagedStream (timeouts, backoff, client options...). */
  stream?: Omit<ManagedStreamOptions, 'venue' | 'url' | 'onMessage' | 'onEvent'>;
}

/** A running venue-neutral feed; see openMarket(). */
export class Market {
  /** The venue adapter given in MarketOptions.venue. */
  readonly venue: MarketVenue;
  /** A copy of MarketOptions.instruments; an event's `instrument` index points into it. */
  readonly instruments: readonly string[];
  /** The managed stream carrying every channel. */
  readonly stream: ManagedStream;
  /** One book per instrument (same order as `instruments`); empty when there is no book channel. */
  readonly books: LocalOrderBook[] = [];
  /** Channels the callbacks asked for that the venue has no stream for (e.g. 'trades' on USD-M's Public route). */
  readonly missingChannels: string[] = [];
  /** The object handed to onTopOfBook, refilled for every update: copy what you keep. */
  readonly top: TopOfBook;
  /** The object handed to onTrade, refilled for every trade: copy what you keep. */
  readonly tick: TradeTick;

  private readonly topDecoder: TopOfBookDecoder;
  private readonly tradeDecoder: TradeIterator;
  private readonly bookDecoder: BookDecoder;
  private readonly onTopOfBook: (top: TopOfBook) => void;
  private readonly onTrade: (tick: TradeTick) => void;
  private readonly onBook: (book: LocalOrderBook, diff: DepthDiff, instrument: number) => void;
  private readonly onEventCallback: ((event: MarketEvent) => void) | null;
  /** Per stream index: CHANNEL_* and the instrument index. */
  private channelOf = new Uint8Array(16);
  private instrumentOf = new Int32Array(16);

  constructor(options: MarketOptions) {
    const venue = options.venue;
    const scale = options.scale ?? DEFAULT_SCALE;
    this.venue = venue;
    this.instruments = [...options.instruments];
    if (this.instruments.length === 0) throw new RangeError('openMarket: no instruments');
    this.top = new TopOfBook(scale);
    this.tick = new TradeTick(scale);
    this.topDecoder = venue.createTopOfBookDecoder(scale);
    this.tradeDecoder = venue.createTradeDecoder(scale);
    this.bookDecoder = venue.createBookDecoder(scale);
    this.onTopOfBook = options.onTopOfBook ?? ignore;
    this.onTrade = options.onTrade ?? ignore;
    this.onBook = options.onBook ?? ignore;
    this.onEventCallback = options.onEvent ?? null;
    this.stream = new ManagedStream({
      ...options.stream,
      venue: venue.profile,
      ...(options.url !== undefined && { url: options.url }),
      onMessage: (stream, data, start, end) => this.route(stream, data, start, end),
      onEvent: (event) => this.emit(event),
    });
    const channels = options.channels ?? {};
    const wants = {
      topOfBook: channels.topOfBook ?? options.onTopOfBook !== undefined,
      trades: channels.trades ?? options.onTrade !== undefined,
      book: channels.book ?? options.onBook !== undefined,
    };
    // A channel implied by a callback is skipped (and listed) when the venue lacks it; one asked for is required.
    const present = (name: string | null, what: 'top of book' | 'trades' | 'book', required: boolean | undefined): name is string => {
      if (name !== null) return true;
      if (required === true) throw new RangeError(`openMarket: ${venue.name} has no ${what} stream`);
      if (!this.missingChannels.includes(what)) this.missingChannels.push(what);
      return false;
    };
    this.instruments.forEach((symbol, instrument) => {
      const topName = wants.topOfBook ? venue.topOfBookStream(symbol) : null;
      if (wants.topOfBook && present(topName, 'top of book', channels.topOfBook)) this.add(topName, CHANNEL_TOP_OF_BOOK, instrument);
      const tradeName = wants.trades ? venue.tradeStream(symbol) : null;
      if (wants.trades && present(tradeName, 'trades', channels.trades)) this.add(tradeName, CHANNEL_TRADES, instrument);
      const bookName = wants.book ? venue.bookStream(symbol) : null;
      if (wants.book && present(bookName, 'book', channels.book)) {
        const bookStream = this.add(bookName, CHANNEL_BOOK, instrument);
        this.books.push(
          venue.createOrderBook(symbol, {
            scale,
            restUrl: options.restUrl ?? null,
            listener: this.bookListener(instrument, symbol),
            requestSnapshot: () => {
              this.stream.resubscribe(bookStream, 'book-resync');
            },
            ...(options.maxLevels !== undefined && { maxLevels: options.maxLevels }),
            ...(options.budget !== undefined && { budget: options.budget }),
          }),
        );
      }
    });
  }

  /** Connects. */
  start(): void {
    this.stream.start();
  }

  /** Closes the connections and the books (no more snapshot requests). */
  async stop(): Promise<void> {
    for (const book of this.books) book.close();
    await this.stream.stop();
  }

  /** The book of instrument `index` (as in `instruments`), or undefined when the book channel is off. */
  book(index: number): LocalOrderBook | undefined {
    return this.books[index];
  }

  /** True when every book is in sync (vacuously true without books). */
  get booksInSync(): boolean {
    for (const book of this.books) if (book.state !== BOOK_IN_SYNC) return false;
    return true;
  }

  // ---- hot path --------------------------------------------------------------------------

  private route(stream: number, data: Uint8Array, start: number, end: number): void {
    const instrument = this.instrumentOf[stream]!;
    switch (this.channelOf[stream]) {
      case CHANNEL_TOP_OF_BOOK: {
        const top = this.top;
        if (!this.topDecoder.decode(data, start, end, top)) {
          this.undecodable(stream, instrument);
          return;
        }
        top.instrument = instrument;
        this.onTopOfBook(top);
        return;
      }
      case CHANNEL_TRADES: {
        const trades = this.tradeDecoder;
        if (!trades.begin(data, start, end)) {
          this.undecodable(stream, instrument);
          return;
        }
        const tick = this.tick;
        while (trades.next(tick)) {
          tick.instrument = instrument;
          this.onTrade(tick);
        }
        return;
      }
      case CHANNEL_BOOK: {
        // The stream's decoder may have read the whole diff already to check its ids (Binance,
        // Bybit): take it rather than decode the payload a second time.
        let diff = this.stream.decodedBook();
        if (diff === null || diff.scale !== this.bookDecoder.diff.scale) {
          const decoder = this.bookDecoder;
          if (!decoder.decode(data, start, end)) {
            this.undecodable(stream, instrument);
            return;
          }
          diff = decoder.diff;
        }
        const book = this.books[instrument]!;
        book.onDiff(diff);
        this.onBook(book, diff, instrument);
        return;
      }
      default:
        return;
    }
  }

  // ---- set-up and events (rare) ----------------------------------------------------------

  private add(name: string, channel: number, instrument: number): number {
    const [stream] = this.stream.subscribe([name]) as [number];
    if (stream >= this.channelOf.length) {
      const size = Math.max(stream + 1, 2 * this.channelOf.length);
      const channels = new Uint8Array(size);
      channels.set(this.channelOf);
      const instruments = new Int32Array(size);
      instruments.set(this.instrumentOf);
      this.channelOf = channels;
      this.instrumentOf = instruments;
    }
    if (this.channelOf[stream] !== CHANNEL_NONE) throw new RangeError(`openMarket: stream ${name} named twice`);
    this.channelOf[stream] = channel;
    this.instrumentOf[stream] = instrument;
    return stream;
  }

  private bookListener(instrument: number, symbol: string): BookListener {
    return {
      onStateChange: (_book, state, reason) => this.emit({ type: 'book-state', instrument, symbol, state, reason }),
      onGap: (_book, firstMissing, lastMissing) => this.emit({ type: 'book-gap', instrument, symbol, firstMissing, lastMissing }),
      onSnapshotError: (_book, error) => this.emit({ type: 'book-snapshot-error', instrument, symbol, error }),
    };
  }

  private undecodable(stream: number, instrument: number): void {
    this.emit({ type: 'undecodable', instrument, symbol: this.instruments[instrument]!, stream: this.stream.streamName(stream) });
  }

  private emit(event: MarketEvent): void {
    if (this.onEventCallback === null) return;
    try {
      this.onEventCallback(event);
    } catch (error) {
      // The user's handler must not unwind through a socket callback, a timer or a book.
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'MarketEventHandler');
    }
  }
}

function ignore(): void {}

/**
 * Opens a venue-neutral feed: the venue's top-of-book, trade and book streams of every instrument
 * over one ManagedStream, decoded into TopOfBook / TradeTick / the instrument's LocalOrderBook,
 * and started. The same callbacks run unchanged on every venue. See README "One strategy, every venue".
 */
export function openMarket(options: MarketOptions): Market {
  const market = new Market(options);
  market.start();
  return market;
}
