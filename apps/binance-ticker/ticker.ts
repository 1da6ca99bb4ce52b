// The ticker without its terminal: the library's managed stream (reconnects, rollovers, gaps)
// carrying one stream per symbol, the handler that keeps the model, and for depth one
// LocalOrderBook per symbol (Binance: REST snapshot + buffered diffs; in-band snapshot venues:
// the book asks for a resubscription), all from the venue's MarketVenue adapter (the
// venue-neutral layer; Binance Spot by default). main.ts adds argument parsing, the embedded
// simulator and the view.

import {
  binanceSpotMarket,
  BOOK_IN_SYNC,
  BOOK_SYNCING,
  ManagedStream,
  REASON_RESET,
  REASON_SNAPSHOT_LOADED,
  StageClock,
  type LocalOrderBook,
  type ManagedStreamOptions,
  type MarketVenue,
  type StreamEvent,
} from 'tickwire';
import { TICKER_SCALE, TickHandler } from './handler.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_NAMES, STREAM_TRADE, TickerModel } from './model.js';
import { StreamReport } from './stream-report.js';

export interface TickerOptions {
  /** The venue (its MarketVenue adapter). Default: Binance Spot. */
  venue?: MarketVenue;
  /** Symbols as the venue's adapter takes them (Binance: 'btcusdt' or 'BTCUSDT'). */
  symbols: readonly string[];
  /** STREAM_BOOK_TICKER, STREAM_TRADE or STREAM_DEPTH. */
  kind: number;
  /** Stream base URL, e.g. wss://stream.binance.com:9443 (the venue's profile adds its path). */
  url: string;
  /** REST base for depth snapshots (REST-snapshot venues); derived from url by default. */
  restUrl?: string;
  /** Trusted CA (PEM) for wss/https. */
  ca?: string | Buffer;
  /** Send-stamp field at the end of each event's payload. Default T_ns. */
  stampField?: string;
  /** No frame at all (data, ping, pong) for this long ends a connection as dead. 0: never. Default 5000. */
  silenceMs?: number;
  /** Reconnect delay ceilings (full jitter): first, and the cap they double up to. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Further managed-stream options (tests: lifetimeMs, handoverTimeoutMs, streamSilenceMs...). */
  stream?: Omit<ManagedStreamOptions, 'venue' | 'url' | 'onMessage' | 'onEvent' | 'client'>;
  /** Errors as they happen (the ticker counts them either way). */
  onError?: (error: Error) => void;
  /** Stream and book events worth a log line. */
  onEvent?: (text: string) => void;
}

/**
 * The REST base that belongs to a stream URL: Binance streams (stream.binance.com,
 * data-stream.binance.vision) map to their API hosts; anything else (the simulator, a proxy)
 * serves REST on the same host and port, wss -> https, ws -> http.
 */
export function restBaseFor(streamBase: string): string {
  const url = new URL(streamBase);
  if (url.hostname === 'stream.binance.com') return 'https://api.binance.com';
  if (url.hostname === 'data-stream.binance.vision') return 'https://data-api.binance.vision';
  if (url.hostname === 'stream.testnet.binance.vision') return 'https://testnet.binance.vision';
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${url.host}`;
}

export class Ticker {
  readonly venue: MarketVenue;
  readonly model: TickerModel;
  readonly handler: TickHandler;
  readonly stream: ManagedStream;
  readonly report = new StreamReport();
  /** Local books (depth only), one per symbol. */
  readonly books: readonly LocalOrderBook[];
  /** One stage clock for every connection of the stream (reads never interleave on one thread). */
  readonly stages = new StageClock();
  readonly url: string;
  readonly restUrl: string;
  /** Snapshot requests that failed. */
  snapshotErrors = 0;

  private readonly options: TickerOptions;
  private stopped = false;
  /** The managed stream's index of each symbol's stream (for resubscribe: in-band snapshots). */
  private streamOfSymbol: number[] = [];

  constructor(options: TickerOptions) {
    this.options = options;
    this.venue = options.venue ?? binanceSpotMarket({ ...(options.ca !== undefined && { ca: options.ca }) });
    this.model = new TickerModel(options.symbols, options.kind);
    this.url = options.url.replace(/\/+$/, '');
    this.restUrl = options.restUrl ?? restBaseFor(this.url);
    const names = this.model.symbols.map((symbol) => this.streamName(symbol));
    this.books = options.kind === STREAM_DEPTH ? this.model.symbols.map((symbol, index) => this.createBook(symbol, index)) : [];
    this.handler = new TickHandler(this.model, this.venue, this.books, this.stages, options.stampField);
    const silenceMs = options.silenceMs ?? 5000;
    this.stream = new ManagedStream({
      ...options.stream,
      venue: this.venue.profile,
      url: this.url,
      client: { stageClock: this.stages, ...(options.ca !== undefined && { ca: options.ca }) },
      silenceMs,
      // Ping a quiet connection well before the silence check gives up on it: a healthy venue
      // answers (any frame counts), a half-open connection does not.
      ...(silenceMs > 0 && options.stream?.pingAfterMs === undefined && { pingAfterMs: silenceMs / 2 }),
      ...(options.initialDelayMs !== undefined && { initialDelayMs: options.initialDelayMs }),
      ...(options.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs }),
      onMessage: this.handler.onMessage,
      onEvent: (event) => this.onStreamEvent(event),
    });
    this.streamOfSymbol = this.stream.subscribe(names);
    this.streamOfSymbol.forEach((stream, symbol) => this.handler.mapStream(stream, symbol));
  }

  /** The venue's stream of `symbol` for the ticker's kind; a RangeError when the venue has none. */
  private streamName(symbol: string): string {
    const kind = this.model.kind;
    const name = venueStreamName(this.venue, kind, symbol);
    if (name === null) throw new RangeError(`${this.venue.name} has no ${STREAM_NAMES[kind]} stream`);
    return name;
  }

  /** Errors of every kind: stream (socket, protocol, connect, refused requests) and snapshots. */
  get errors(): number {
    return this.report.errors + this.snapshotErrors;
  }

  /** Gaps the stream reported (ids that never arrived). */
  get gaps(): number {
    return this.report.gaps;
  }

  /** Book resyncs (depth): a gap, a broken sequence or an id reset discarded a book. */
  get resyncs(): number {
    let resyncs = 0;
    for (const book of this.books) resyncs += book.resyncs;
    return resyncs;
  }

  start(): void {
    this.stream.start();
  }

  /** Stops the books' snapshot requests and closes the connections (close handshakes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.report.stopping();
    for (const book of this.books) book.close();
    await this.stream.stop();
  }

  private onStreamEvent(event: StreamEvent): void {
    const text = this.report.onEvent(event);
    if (event.type === 'reset' && this.books.length > 0) {
      // The venue's ids restarted below the book's: every diff would look stale. Start over.
      const symbol = this.handler.symbolOf(event.stream);
      if (symbol >= 0) this.books[symbol]!.reset();
    }
    if (text === null || this.stopped) return;
    if (event.type === 'error') this.options.onError?.(event.error);
    else if (event.type === 'connect-failed') this.options.onError?.(new Error(text));
    else this.options.onEvent?.(text);
  }

  private createBook(symbol: string, index: number): LocalOrderBook {
    return this.venue.createOrderBook(symbol, {
      scale: TICKER_SCALE,
      restUrl: this.restUrl,
      // In-band snapshot venues (Bybit, OKX): a fresh snapshot comes with a resubscription.
      requestSnapshot: () => {
        const stream = this.streamOfSymbol[index];
        if (stream !== undefined) this.stream.resubscribe(stream, 'book-resync');
      },
      listener: {
        onStateChange: (book, state, reason) => {
          if (state === BOOK_IN_SYNC && reason === REASON_SNAPSHOT_LOADED) {
            this.handler.publishBest(index);
            if (!this.stopped) this.options.onEvent?.(`${symbol}: book in sync at id ${book.updateId}`);
          } else if (state === BOOK_SYNCING && reason === REASON_RESET && !this.stopped) {
            this.options.onEvent?.(`${symbol}: book discarded (the venue's ids restarted), resyncing`);
          }
        },
        onGap: (_book, firstMissing, lastMissing) => {
          if (this.stopped) return;
          this.options.onEvent?.(
            firstMissing <= lastMissing
              ? `${symbol}: book missed ids ${firstMissing}..${lastMissing}, resyncing from a new snapshot`
              : `${symbol}: a diff overlapped the book without continuing it at id ${firstMissing - 1}, resyncing`,
          );
        },
        onSnapshotError: (_book, error) => {
          this.snapshotErrors++;
          if (!this.stopped) this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        },
      },
    });
  }
}

/** The venue's stream of `symbol` for a stream kind, or null when the venue has no stream of that kind. */
export function venueStreamName(venue: MarketVenue, kind: number, symbol: string): string | null {
  return kind === STREAM_BOOK_TICKER ? venue.topOfBookStream(symbol) : kind === STREAM_TRADE ? venue.tradeStream(symbol) : venue.bookStream(symbol);
}
