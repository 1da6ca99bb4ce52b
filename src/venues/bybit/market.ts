// Bybit v5 public (spot or linear) as a MarketVenue for the venue-neutral layer:
//   top of book  `orderbook.1.{symbol}`  — "Level 1 data, push frequency: 10ms", snapshot only
//                (tickers are 50/100 ms, and spot tickers carry no bid/ask at all);
//   trades       `publicTrade.{symbol}`  — one message holds up to 1024 trades (one tick each);
//   book         `orderbook.{depth}.{symbol}` (default 50: "push frequency: 20ms") — in-band
//                snapshot, then deltas; a resync subscribes again for a fresh snapshot.
// Quotes and rules: docs/v5/websocket/public/orderbook.mdx, trade.mdx, ticker.mdx (see the
// decoders and book-rules.ts).
import { LocalOrderBook } from '../../book/local-order-book.js';
import type { BookContext, MarketVenue } from '../../market/venue-adapter.js';
import { bybitBookSequence } from './book-rules.js';
import { BybitOrderbookDecoder } from './orderbook-decoder.js';
import { bybitLinear, bybitSpot } from './profile.js';
import { BybitTopOfBookDecoder } from './ticker-decoder.js';
import type { BybitCategory } from './topics.js';
import { BybitTradeDecoder } from './trade-decoder.js';

/** Options of bybitMarket(): which book depth to subscribe to and how long to wait for its snapshot. */
export interface BybitMarketOptions {
  /** Depth of the book stream: 1, 50 (default), 200 or 1000 levels. */
  bookDepth?: 1 | 50 | 200 | 1000;
  /** Wait for the in-band snapshot after resubscribing before asking again. Default: the book's (5 s). */
  snapshotTimeoutMs?: number;
}

/** Bybit v5 public `category` ('spot' or 'linear') as a MarketVenue. Symbols as Bybit spells them: "BTCUSDT". */
export function bybitMarket(category: BybitCategory, options: BybitMarketOptions = {}): MarketVenue {
  const depth = options.bookDepth ?? 50;
  if (![1, 50, 200, 1000].includes(depth)) throw new RangeError(`bybit: book depth ${depth} is not one of 1, 50, 200, 1000`);
  return {
    name: `bybit-${category}`,
    profile: category === 'spot' ? bybitSpot : bybitLinear,
    topOfBookStream: (symbol) => `orderbook.1.${symbol.toUpperCase()}`,
    tradeStream: (symbol) => `publicTrade.${symbol.toUpperCase()}`,
    bookStream: (symbol) => `orderbook.${depth}.${symbol.toUpperCase()}`,
    createTopOfBookDecoder: (scale) => new BybitTopOfBookDecoder(scale),
    createTradeDecoder: (scale) => new BybitTradeDecoder(scale),
    createBookDecoder: (scale) => new BybitOrderbookDecoder(scale),
    createOrderBook(symbol: string, context: BookContext): LocalOrderBook {
      return new LocalOrderBook({
        symbol: symbol.toUpperCase(),
        // Snapshots come in the stream; a resync resubscribes the book topic for a new one.
        requestInBandSnapshot: () => context.requestSnapshot(),
        ...(options.snapshotTimeoutMs !== undefined && { inBandSnapshotTimeoutMs: options.snapshotTimeoutMs }),
        sequence: bybitBookSequence,
        scale: context.scale,
        listener: context.listener,
        ...(context.maxLevels !== undefined && { maxLevels: context.maxLevels }),
      });
    },
  };
}
