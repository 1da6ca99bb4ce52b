// The USD-M futures local order book against the simulator's binance-usdm dialect over loopback:
// the client on /public/ws/<symbol>@depth@100ms and binanceUsdmOrderBook (pu chaining,
// GET /fapi/v1/depth), through random scenarios of traffic, injected gaps and reconnects
// (book-scenarios.ts). The simulator skips update ids between events (U > pu + 1), which the book
// must not take for gaps; whenever in sync the book equals the simulator's book() level for level.
import { test } from 'node:test';
import { binanceUsdmOrderBook } from '../../src/venues/binance-futures/index.js';
import { runBookScenarios } from './book-scenarios.js';

test('USD-M local book equals the simulator book whenever in sync, through random gaps and reconnects', { timeout: 240_000 }, async () => {
  await runBookScenarios({
    exchange: { venue: 'binance-usdm' },
    path: '/public/ws/btcusdt@depth@100ms',
    createBook: (restBase, listener) => binanceUsdmOrderBook({ symbol: 'BTCUSDT', restBase, snapshotIntervalMs: 20, listener }),
    noSpuriousGaps: true,
  });
});
