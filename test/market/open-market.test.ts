// One strategy, every venue: the same Strategy callbacks (strategy.ts) run unchanged through
// openMarket on each venue's simulator over loopback. Per venue: top of book, trades and book
// reach the strategy for every instrument; after an injected gap and a dropped connection the
// books resync (reported as events); once the simulator pauses, every book is in sync at the
// simulator's update id and equals its book level for level, and the last top of book equals the
// book's best levels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startExchange, type BookLevels } from '../../simulator/exchange.js';
import { BOOK_IN_SYNC, Market, binanceSpotMarket, openMarket, type MarketEvent, type MarketVenue } from '../../src/index.js';
import { binanceSbeMarket } from '../../src/venues/binance-sbe/index.js';
import { binanceUsdmMarket } from '../../src/venues/binance-futures/index.js';
import { bybitMarket } from '../../src/venues/bybit/index.js';
import { okxMarket } from '../../src/venues/okx/index.js';
import { formatUnits, parseUnits } from '../../simulator/decimal.js';
import { waitFor } from '../stream/ledger.js';
import { Strategy } from './strategy.js';

/** One venue's simulator, as the test drives it. */
interface VenueUnderTest {
  venue: MarketVenue;
  instruments: string[];
  url: string;
  restUrl?: string;
  pause(): void;
  resume(): void;
  /** The simulator's book of an instrument, as `LocalOrderBook.book.toLevels()` prints it. */
  truth(symbol: string): BookLevels;
  /** Loses book events (the venue's sequence skips ahead). */
  gap(): void;
  /**
   * False when the venue heals its own gap with a snapshot before the next diff (Bybit's
   * simulator re-sends one): an in-band snapshot restarts the ids without a gap report
   * (VenueDecoder.startsSequence), so the test only checks that the books are in sync after it.
   */
  gapReported?: boolean;
  drop(): void;
  close(): Promise<void>;
}

/** Bybit's simulator serves spot and linear side by side; each category is tested on its own. */
async function bybitUnderTest(category: 'spot' | 'linear'): Promise<VenueUnderTest> {
  const exchange = await startExchange({ venue: 'bybit', symbols: ['btcusdt', 'ethusdt'], rate: 200 });
  const venue = bybitMarket(category);
  return {
    venue,
    instruments: ['BTCUSDT', 'ETHUSDT'],
    url: exchange.url,
    pause: () => exchange.pause(),
    resume: () => exchange.resume(),
    // Bybit's book stream carries its top 50 levels, at the topic's own u.
    truth: (symbol) => {
      const truth = exchange.book(symbol.toLowerCase());
      const topic = venue.bookStream(symbol)!;
      return { lastUpdateId: Number(truth.extra![`${category}:${topic}`]), bids: truth.bids.slice(0, 50), asks: truth.asks.slice(0, 50) };
    },
    gap: () => exchange.injectFault({ type: 'gap', events: 2 }),
    gapReported: false,
    drop: () => exchange.injectFault({ type: 'drop' }),
    close: () => exchange.close(),
  };
}

/** Each venue's simulator; venue helpers add theirs as their adapters land. */
const venues: Array<{ name: string; start: () => Promise<VenueUnderTest> }> = [
  {
    name: 'binance-spot',
    start: async () => {
      const exchange = await startExchange({ symbols: ['btcusdt', 'ethusdt'], rate: 200 });
      return {
        venue: binanceSpotMarket({ snapshotIntervalMs: 100 }),
        instruments: ['BTCUSDT', 'ETHUSDT'],
        url: exchange.url,
        restUrl: exchange.restUrl,
        pause: () => exchange.pause(),
        resume: () => exchange.resume(),
        truth: (symbol) => exchange.book(symbol.toLowerCase()),
        gap: () => exchange.injectFault({ type: 'gap', events: 2 }),
        drop: () => exchange.injectFault({ type: 'drop' }),
        close: () => exchange.close(),
      };
    },
  },
  {
    name: 'binance-sbe',
    start: async () => {
      const exchange = await startExchange({ venue: 'binance-sbe', symbols: ['btcusdt', 'ethusdt'], rate: 200 });
      return {
        venue: binanceSbeMarket({ apiKey: 'test-key', snapshotIntervalMs: 100 }),
        instruments: ['BTCUSDT', 'ETHUSDT'],
        url: exchange.url,
        restUrl: exchange.restUrl,
        pause: () => exchange.pause(),
        resume: () => exchange.resume(),
        truth: (symbol) => exchange.book(symbol.toLowerCase()),
        gap: () => exchange.injectFault({ type: 'gap', events: 2 }),
        drop: () => exchange.injectFault({ type: 'drop' }),
        close: () => exchange.close(),
      };
    },
  },
  {
    name: 'binance-usdm (Public route: top of book and book)',
    start: async () => {
      const exchange = await startExchange({ venue: 'binance-usdm', symbols: ['btcusdt', 'ethusdt'], rate: 200 });
      return {
        venue: binanceUsdmMarket({ snapshotIntervalMs: 100 }),
        instruments: ['BTCUSDT', 'ETHUSDT'],
        url: exchange.url,
        restUrl: exchange.restUrl,
        pause: () => exchange.pause(),
        resume: () => exchange.resume(),
        truth: (symbol) => exchange.book(symbol.toLowerCase()),
        gap: () => exchange.injectFault({ type: 'gap', events: 2 }),
        drop: () => exchange.injectFault({ type: 'drop' }),
        close: () => exchange.close(),
      };
    },
  },
  { name: 'bybit-linear (in-band snapshots)', start: () => bybitUnderTest('linear') },
  { name: 'bybit-spot (in-band snapshots)', start: () => bybitUnderTest('spot') },
  {
    name: 'okx (in-band snapshots, prevSeqId chain, checksums)',
    start: async () => {
      const exchange = await startExchange({ venue: 'okx', symbols: ['btcusdt', 'ethusdt'], rate: 200 });
      // OKX spells levels without trailing zeros; the book prints them at its 8-decimal scale.
      const spelled = (levels: Array<[string, string]>): Array<[string, string]> =>
        levels.map(([price, quantity]) => [formatUnits(parseUnits(price)), formatUnits(parseUnits(quantity))]);
      return {
        venue: okxMarket({ snapshotIntervalMs: 100 }),
        instruments: ['BTC-USDT', 'ETH-USDT'],
        url: exchange.url,
        pause: () => exchange.pause(),
        resume: () => exchange.resume(),
        truth: (instrument) => {
          const truth = exchange.book(instrument.replace('-', '').toLowerCase());
          return { lastUpdateId: truth.lastUpdateId, bids: spelled(truth.bids), asks: spelled(truth.asks) };
        },
        gap: () => exchange.injectFault({ type: 'gap', events: 2 }),
        drop: () => exchange.injectFault({ type: 'drop' }),
        close: () => exchange.close(),
      };
    },
  },
];

describe('one strategy, every venue (openMarket over each simulator)', () => {
  for (const { name, start } of venues) {
    it(name, { timeout: 120_000 }, async () => {
      const sim = await start();
      const strategy = new Strategy(sim.instruments.length);
      const events: MarketEvent[] = [];
      const market = openMarket({
        venue: sim.venue,
        instruments: sim.instruments,
        url: sim.url,
        ...(sim.restUrl !== undefined && { restUrl: sim.restUrl }),
        onTopOfBook: strategy.onTopOfBook,
        onTrade: strategy.onTrade,
        onBook: strategy.onBook,
        onEvent: (event) => events.push(event),
        stream: { initialDelayMs: 20, maxDelayMs: 100 },
      });
      const count = (type: MarketEvent['type']): number => events.filter((event) => event.type === type).length;
      const everyInstrument = (values: Int32Array, atLeast: number): boolean => values.every((value) => value >= atLeast);
      try {
        // A venue may lack a channel (USD-M's Public route carries no trades): the strategy runs without it.
        const hasTrades = !market.missingChannels.includes('trades');
        const hasTop = !market.missingChannels.includes('top of book');
        assert.ok(market.books.length === sim.instruments.length, 'every venue has books');
        await waitFor('top of book, trades and in-sync book updates on every instrument', () =>
          (!hasTop || everyInstrument(strategy.tops, 5)) && (!hasTrades || everyInstrument(strategy.trades, 5)) && everyInstrument(strategy.inSyncUpdates, 5),
        );
        // A venue-side gap in the book's sequence: reported (by the book, or by the stream when the
        // venue heals it with a snapshot of its own, as Bybit does), and the books in sync again.
        sim.gap();
        if (sim.gapReported !== false) await waitFor('gap reported', () => count('book-gap') + count('gap') >= 1);
        else await waitFor('the healing snapshot', () => market.books.some((book) => book.snapshotsLoaded >= 2));
        await waitFor('books in sync again', () => market.booksInSync);
        // A dropped connection: reconnected, books resynced if ids were lost.
        const liveBefore = count('live');
        sim.drop();
        await waitFor('live again', () => count('live') > liveBefore);
        const updatesAfterDrop = Int32Array.from(strategy.inSyncUpdates);
        await waitFor('in-sync book updates after the reconnect', () => strategy.inSyncUpdates.every((value, index) => value > updatesAfterDrop[index]! + 2));
        // The simulator stops: every book catches up and equals the simulator's.
        sim.pause();
        for (const [index, symbol] of sim.instruments.entries()) {
          const truth = sim.truth(symbol);
          const book = market.books[index]!;
          await waitFor(`${symbol}: in sync at ${truth.lastUpdateId}`, () => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId);
          assert.deepEqual(book.book.toLevels(), truth);
          assert.equal(strategy.bookMid[index], (book.bids.bestPrice + book.asks.bestPrice) / 2);
          if (!hasTop) continue;
          await waitFor(`${symbol}: the last top of book is the book's best`, () => strategy.mid[index] === strategy.bookMid[index]);
          assert.ok(strategy.spread[index]! > 0);
        }
        assert.deepEqual(strategy.problems, []);
        if (hasTrades) assert.ok(strategy.buys > 0 && strategy.sells > 0, `taker sides: ${strategy.buys} buys, ${strategy.sells} sells`);
        assert.equal(count('undecodable'), 0);
        assert.ok(events.some((event) => event.type === 'book-state' && event.state === BOOK_IN_SYNC));
      } finally {
        await market.stop();
        await sim.close();
      }
    });
  }
});

describe('openMarket channels', () => {
  const noTrades: MarketVenue = { ...binanceSpotMarket(), tradeStream: () => null };

  it('a channel implied by a callback and missing on the venue is skipped and listed; asked for, it is an error', async () => {
    const market = new Market({ venue: noTrades, instruments: ['BTCUSDT'], restUrl: 'http://127.0.0.1:9', onTrade: () => undefined, onTopOfBook: () => undefined });
    assert.deepEqual(market.missingChannels, ['trades']);
    assert.deepEqual([market.stream.streamIndex('btcusdt@bookTicker'), market.stream.streamIndex('btcusdt@trade')], [0, -1]);
    assert.equal(market.books.length, 0, 'no onBook: no book');
    await market.stop();
    assert.throws(() => new Market({ venue: noTrades, instruments: ['BTCUSDT'], onTrade: () => undefined, channels: { trades: true } }), /no trades stream/);
    assert.throws(() => new Market({ venue: noTrades, instruments: [] }), /no instruments/);
  });
});
