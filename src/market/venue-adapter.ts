// The contract between the venue-neutral layer (openMarket) and one venue. A venue adapter says
// which streams carry an instrument's top of book, trades and book, decodes their payloads into
// the neutral shapes (TopOfBook, TradeTick, DepthDiff) without allocating, and builds the
// LocalOrderBook that follows the venue's book rules (sequence rule, verifier, snapshot source).
// The stream layer's VenueProfile (src/stream/venue.ts) carries the connection rules; the adapter
// adds what a strategy reads. Every venue folder (src/venues/<venue>/) exports one or more.

import type { DepthDiff } from '../book/depth-diff.js';
import type { BookListener, LocalOrderBook } from '../book/local-order-book.js';
import type { RequestBudget } from '../book/snapshot-pacer.js';
import type { VenueProfile } from '../stream/venue.js';
import type { TopOfBook, TradeTick } from './events.js';

/**
 * Fills a TopOfBook from one message payload (the VenueDecoder's payloadStart..payloadEnd), in
 * place. Returns false when the payload is not a readable top of book (`out` is then undefined).
 * The caller sets `out.instrument`.
 */
export interface TopOfBookDecoder {
  /** Decodes data[start, end) into `out`; false when it is not a readable top of book. */
  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean;
}

/**
 * Reads the trades of one message payload, one TradeTick per next() call, without allocating: a
 * venue whose messages hold one trade (Binance) yields it once, one whose messages hold a list
 * (Bybit publicTrade, OKX trades) yields each in the venue's order.
 */
export interface TradeIterator {
  /** Starts on a payload; false when it is not a readable trade message (next() then yields nothing). */
  begin(data: Uint8Array, start: number, end: number): boolean;
  /** Fills `out` with the next trade (the caller sets `out.instrument`); false when none is left or one is unreadable. */
  next(out: TradeTick): boolean;
}

/** Decodes one book message payload into `diff` (reused for every message: DEPTH_DIFF or DEPTH_SNAPSHOT). */
export interface BookDecoder {
  /** False when the payload is not a readable book message (`diff` is then undefined). */
  decode(data: Uint8Array, start: number, end: number): boolean;
  /** The last decoded message (reused for every message; read it before the next decode()). */
  readonly diff: DepthDiff;
}

/** What the neutral layer hands a venue when it builds the book of one instrument. */
export interface BookContext {
  /** Fixed-point decimals of the book (equal to the decoders' scale). */
  readonly scale: number;
  /** REST base URL for venues whose snapshots come over REST (Binance); null when none was given. */
  readonly restUrl: string | null;
  /** State changes, gaps and snapshot errors of the book (the neutral layer turns them into events). */
  readonly listener: BookListener;
  /**
   * For venues whose snapshots come in-band (Bybit, OKX): asks the stream for a fresh snapshot of
   * this instrument's book (the neutral layer resubscribes the book stream). Pass it to
   * LocalOrderBookOptions' in-band snapshot callback; REST venues ignore it.
   */
  requestSnapshot(): void;
  /** Levels per side the book keeps at most (undefined: the book's default). */
  readonly maxLevels?: number;
  /** One REST weight budget shared by every book of this venue and IP (REST venues). */
  readonly budget?: RequestBudget;
}

/** One venue as the venue-neutral layer sees it. */
export interface MarketVenue {
  /** 'binance-spot', 'binance-usdm', 'binance-sbe', 'bybit-spot', 'bybit-linear', 'okx'. */
  readonly name: string;
  /** The stream layer's rules for the venue's connections. */
  readonly profile: VenueProfile;
  /** Stream (subscription) name carrying the instrument's best bid and ask; null if the venue has none. */
  topOfBookStream(symbol: string): string | null;
  /** Stream name carrying the instrument's trades; null if none. */
  tradeStream(symbol: string): string | null;
  /** Stream name carrying the instrument's book updates (diffs and/or in-band snapshots); null if none. */
  bookStream(symbol: string): string | null;
  /** A decoder for topOfBookStream payloads at `scale` decimals. */
  createTopOfBookDecoder(scale: number): TopOfBookDecoder;
  /** A trade iterator for tradeStream payloads at `scale` decimals. */
  createTradeDecoder(scale: number): TradeIterator;
  /** A decoder for bookStream payloads at `scale` decimals. */
  createBookDecoder(scale: number): BookDecoder;
  /** A LocalOrderBook wired with the venue's SequenceRule, verifier and snapshot source (REST or in-band). */
  createOrderBook(symbol: string, context: BookContext): LocalOrderBook;
}
