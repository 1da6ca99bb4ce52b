// Property: a Bybit book kept by tickwire equals the simulator's book whenever it is in sync.
// Each run starts the `bybit` simulator with a random seed and category, follows one symbol's
// orderbook.{depth} through the managed stream into a LocalOrderBook with in-band snapshots
// (bybitMarket's book: a resync resubscribes the topic), injects a random sequence of faults
// (lost deltas then a re-sent snapshot, a re-sent snapshot, a service restart with u = 1, a
// dropped connection), then pauses the exchange: once the client holds the topic again and has
// the last message the simulator sent for it, the book must be in sync and equal the top
// `depth` levels of the simulator's book, level for level.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { startExchange, type Fault } from '../../simulator/exchange.js';
import { BOOK_IN_SYNC, ManagedStream } from '../../src/index.js';
import { bybitMarket, BybitOrderbookDecoder } from '../../src/venues/bybit/index.js';
import { waitFor } from '../stream/ledger.js';

const FAULTS: Fault[] = [{ type: 'gap', events: 2 }, { type: 'bookSnapshot' }, { type: 'serviceRestart' }, { type: 'drop' }];

test('Bybit book equals the simulator\'s top levels whenever in sync, through random faults', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom('spot' as const, 'linear' as const),
      fc.constantFrom(1 as const, 50 as const, 200 as const),
      fc.array(fc.constantFrom(...FAULTS), { maxLength: 3 }),
      async (seed, category, depth, faults) => {
        const exchange = await startExchange({ venue: 'bybit', symbols: ['btcusdt'], rate: 300, seed });
        const venue = bybitMarket(category, { bookDepth: depth });
        const topic = venue.bookStream('BTCUSDT')!;
        const decoder = new BybitOrderbookDecoder();
        let lastU = NaN;
        let stream: ManagedStream | null = null;
        const book = venue.createOrderBook('BTCUSDT', { scale: 8, restUrl: null, listener: {}, requestSnapshot: () => stream!.resubscribe(0, 'book-resync') });
        stream = new ManagedStream({
          url: exchange.url,
          venue: venue.profile,
          initialDelayMs: 20,
          maxDelayMs: 200,
          onMessage(_index, data, start, end) {
            assert.ok(decoder.decode(data, start, end));
            lastU = decoder.diff.finalUpdateId;
            book.onDiff(decoder.diff);
          },
        });
        try {
          stream.subscribe([topic]);
          stream.start();
          await waitFor('the first snapshot', () => book.state === BOOK_IN_SYNC);
          for (const fault of faults) {
            exchange.injectFault(fault);
            const before = book.snapshotsLoaded;
            await waitFor(`${fault.type}: the book reloads`, () => book.snapshotsLoaded > before || fault.type === 'gap');
          }
          exchange.pause();
          // Read while waiting: a `drop` may still be reconnecting, and the topic's u is known
          // (and its book the market's) only once the client holds it again.
          const targetU = (): number => Number(exchange.book('btcusdt').extra![`${category}:${topic}`]);
          await waitFor('the client reaches the topic\'s last u', () => lastU === targetU() && book.state === BOOK_IN_SYNC);
          const truth = exchange.book('btcusdt');
          const mine = book.book.toLevels();
          assert.deepEqual(mine.bids, truth.bids.slice(0, depth));
          assert.deepEqual(mine.asks, truth.asks.slice(0, depth));
        } finally {
          await stream.stop();
          book.close();
          await exchange.close();
        }
      },
    ),
    { numRuns: 6 },
  );
});
