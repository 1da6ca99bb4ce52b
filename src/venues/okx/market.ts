// OKX v5 as a MarketVenue for the venue-neutral layer, and the OKX local order book.
//
// Streams per instrument (OKX instId, "BTC-USDT"): `bbo-tbt` for the top of book ("1 depth level
// snapshot [...] every 10 ms when there are changes"), `trades`, and `books` for the book ("400
// depth levels will be pushed in the initial full snapshot. Incremental data will be pushed every
// 100 ms"). The book's snapshots come in-band: the first `books` message after subscribing is the
// snapshot, and OKX documents no other way to get a new one than subscribing again, so a gap in
// the prevSeqId chain or a checksum that differs from the book's makes the book ask the stream to
// resubscribe (BookContext.requestSnapshot -> ManagedStream.resubscribe).
import { LocalOrderBook, type BookListener } from '../../book/local-order-book.js';
import type { BookContext, BookDecoder, MarketVenue, TopOfBookDecoder, TradeIterator } from '../../market/venue-adapter.js';
import type { VenueProfile } from '../../stream/venue.js';
import { OkxBookDecoder } from './book-decoder.js';
import { okxStreamName } from './channels.js';
import { OkxChecksumVerifier } from './checksum.js';
import { OkxTopOfBookDecoder, OkxTradeIterator } from './events.js';
import { okxPublic } from './profile.js';
import { okxSequence } from './sequence.js';

/** Options of okxOrderBook(). */
export interface OkxOrderBookOptions {
  /** The OKX instId ("BTC-USDT"). */
  symbol: string;
  /** Asks the stream for a new snapshot: resubscribe the book's stream (ManagedStream.resubscribe). */
  requestSnapshot: () => void;
  /** Fixed-point decimals; must equal the decoder's. Default 8. */
  scale?: number;
  /** Levels per side at most. */
  maxLevels?: number;
  /**
   * Verify the checksum after every update (default true). OKX fixed the field to 0 in 2026
   * ("must no longer be used for integrity verification"): a 0 is never checked either way.
   */
  verifyChecksum?: boolean;
  /** The verifier to use (to read its counters); default a new one. */
  verifier?: OkxChecksumVerifier;
  /** Minimum time between two resubscribes of the book. Default 1000 ms (OKX counts 480 requests an hour). */
  snapshotIntervalMs?: number;
  /** No snapshot this long after a resubscribe: ask again. Default 5000 ms. */
  snapshotTimeoutMs?: number;
  /** Told of the book's state changes, gaps and snapshot errors. Default: none. */
  listener?: BookListener;
}

/** A LocalOrderBook with OKX's rules: in-band snapshots, the prevSeqId chain, the checksum. */
export function okxOrderBook(options: OkxOrderBookOptions): LocalOrderBook {
  const verifier = options.verifyChecksum === false ? undefined : (options.verifier ?? new OkxChecksumVerifier());
  const requestSnapshot = options.requestSnapshot;
  return new LocalOrderBook({
    symbol: options.symbol,
    requestInBandSnapshot: () => requestSnapshot(),
    sequence: okxSequence,
    ...(verifier !== undefined && { verify: verifier.verify }),
    ...(options.scale !== undefined && { scale: options.scale }),
    ...(options.maxLevels !== undefined && { maxLevels: options.maxLevels }),
    ...(options.snapshotTimeoutMs !== undefined && { inBandSnapshotTimeoutMs: options.snapshotTimeoutMs }),
    pacing: { minIntervalMs: options.snapshotIntervalMs ?? 1000 },
    ...(options.listener !== undefined && { listener: options.listener }),
  });
}

/** Options of okxMarket(). */
export interface OkxMarketOptions {
  /** The book channel. Default `books` (books-l2-tbt and books50-l2-tbt need VIP4 and a login). */
  bookChannel?: 'books' | 'books-l2-tbt' | 'books50-l2-tbt';
  /** The top-of-book channel. Default `bbo-tbt`; `tickers` pushes at most every 100 ms. */
  topOfBookChannel?: 'bbo-tbt' | 'tickers';
  /** Verify book checksums (default true; OKX's 0 is never checked). */
  verifyChecksum?: boolean;
  /** Minimum time between two resubscribes of one book. Default 1000 ms. */
  snapshotIntervalMs?: number;
  /** The stream profile. Default okxPublic. */
  profile?: VenueProfile;
}

/**
 * OKX v5 public (ws.okx.com:8443/ws/v5/public) as a MarketVenue. Symbols are OKX instIds, in any
 * case: "BTC-USDT" (OKX spells them upper case; the other adapters normalise case the same way).
 */
export function okxMarket(options: OkxMarketOptions = {}): MarketVenue {
  const bookChannel = options.bookChannel ?? 'books';
  const topChannel = options.topOfBookChannel ?? 'bbo-tbt';
  return {
    name: 'okx',
    profile: options.profile ?? okxPublic,
    topOfBookStream: (symbol) => okxStreamName(topChannel, symbol.toUpperCase()),
    tradeStream: (symbol) => okxStreamName('trades', symbol.toUpperCase()),
    bookStream: (symbol) => okxStreamName(bookChannel, symbol.toUpperCase()),
    createTopOfBookDecoder: (scale): TopOfBookDecoder => new OkxTopOfBookDecoder(scale),
    createTradeDecoder: (scale): TradeIterator => new OkxTradeIterator(scale),
    createBookDecoder: (scale): BookDecoder => new OkxBookDecoder(scale),
    createOrderBook(symbol: string, context: BookContext): LocalOrderBook {
      return okxOrderBook({
        symbol: symbol.toUpperCase(),
        requestSnapshot: () => context.requestSnapshot(),
        scale: context.scale,
        listener: context.listener,
        ...(context.maxLevels !== undefined && { maxLevels: context.maxLevels }),
        ...(options.verifyChecksum !== undefined && { verifyChecksum: options.verifyChecksum }),
        ...(options.snapshotIntervalMs !== undefined && { snapshotIntervalMs: options.snapshotIntervalMs }),
      });
    },
  };
}
