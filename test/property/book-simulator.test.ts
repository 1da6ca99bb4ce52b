// The Binance Spot local order book against the simulator over loopback, through random
// scenarios of traffic, injected gaps and reconnects (book-scenarios.ts): whenever in sync it
// equals the simulator's book() level for level, and every injected gap is reported.
import { test } from 'node:test';
import { binanceSpotOrderBook } from '../../src/venues/binance/index.js';
import { runBookScenarios } from './book-scenarios.js';

test('local book equals the simulator book whenever in sync, through random gaps and reconnects', { timeout: 240_000 }, async () => {
  await runBookScenarios({
    exchange: {},
    path: '/ws/btcusdt@depth@100ms',
    createBook: (restBase, listener) => binanceSpotOrderBook({ symbol: 'BTCUSDT', restBase, snapshotIntervalMs: 20, listener }),
  });
});
