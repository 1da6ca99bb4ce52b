// The Binance SBE book against the simulator's binance-sbe dialect over loopback: binary depth
// frames (SbeDepthDecoder, mantissa/exponent levels into the book's fixed-point units) on
// /ws/btcusdt@depth with the API-key header, and the Spot book procedure (REST snapshot +
// buffered diffs), through random scenarios of traffic, injected gaps and reconnects
// (book-scenarios.ts); whenever in sync the book equals the simulator's book() level for level.
import { test } from 'node:test';
import { binanceSpotOrderBook } from '../../src/venues/binance/index.js';
import { SbeDepthDecoder } from '../../src/venues/binance-sbe/index.js';
import { runBookScenarios } from './book-scenarios.js';

test('SBE local book equals the simulator book whenever in sync, through random gaps and reconnects', { timeout: 240_000 }, async () => {
  await runBookScenarios({
    exchange: { venue: 'binance-sbe' },
    path: '/ws/btcusdt@depth',
    headers: { 'X-MBX-APIKEY': 'property-test' },
    createDecoder: () => new SbeDepthDecoder(),
    createBook: (restBase, listener) => binanceSpotOrderBook({ symbol: 'BTCUSDT', restBase, snapshotIntervalMs: 20, listener }),
    noSpuriousGaps: true,
  });
});
