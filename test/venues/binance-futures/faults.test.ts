// USD-M futures fault tests over real sockets against the simulator's binance-usdm dialect, with
// the shared cases of test/stream/fault-scenarios.ts: every event the exchange sent on the streams with ids
// reached the user exactly once or lies in a reported gap (Ledger.verifyContiguous, with depth
// ids read as [pu + 1, u]: futures diffs chain by pu and U may skip ahead of it). The table
// printed at the end gives sent / received / delivered / duplicates / gaps per case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinanceDepthDecoder, jsonFields } from '../../../src/index.js';
import { binanceUsdm, binanceUsdmMarketStreams, binanceUsdmOrderBook } from '../../../src/venues/binance-futures/index.js';
import { payloadIds, waitFor } from '../../stream/ledger.js';
import { FAULT_SYMBOLS, FaultScenarios } from '../../stream/fault-scenarios.js';

const PUBLIC_NAMES = FAULT_SYMBOLS.flatMap((symbol) => [`${symbol}@depth@100ms`, `${symbol}@bookTicker`]);
const MARKET_NAMES = FAULT_SYMBOLS.flatMap((symbol) => [`${symbol}@aggTrade`, `${symbol}@markPrice@1s`]);

const linkedDepthIds = jsonFields(['pu', 'u']);

/** USD-M ids: depth diffs cover [pu + 1, u]; aggTrade `a` and bookTicker `u` as on Spot. */
function usdmIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  if (/@depth(@\d+ms)?$/.test(name)) {
    if (!linkedDepthIds.scan(data, start, end)) throw new Error(`${name}: unreadable depth payload`);
    return [linkedDepthIds.integer(0) + 1, linkedDepthIds.integer(1)];
  }
  if (name.includes('@markPrice')) return [NaN, NaN];
  return payloadIds(name, data, start, end);
}

const faults = new FaultScenarios({ title: 'USD-M case', simulator: 'binance-usdm', profile: binanceUsdm, names: PUBLIC_NAMES, ids: usdmIds, bookStream: (symbol) => `${symbol}@depth@100ms` });

test('USD-M: depth ids skip between events (U > pu + 1) without a gap being reported', async () => {
  const h = await faults.harness({ exchange: { rate: 300 } });
  await faults.afterSome(h, 100);
  const row = await faults.finish(h, 'steady (U skips, pu chains)', 'no fault');
  assert.equal(row.gaps, 0);
  assert.equal(row.missingIds, 0);
});

test('USD-M: TCP drop in the middle of a frame: reconnect, the missed ids reported', () => faults.dropMidFrame());

test('USD-M: half-open silence is detected by the unanswered ping', () => faults.halfOpenSilence());

test('USD-M: close 1001 going away: reconnect and report what was missed', () => faults.close1001());

test('USD-M: exchange restart with 500 ms down: reconnect, the ids missed reported', async () => {
  await faults.restartWithDowntime();
});

test('USD-M: injected gap: the event dropped shows as a pu that is not the last u, reported as that range', () => faults.injectedGap('injected gap (2 depth events)'));

test('USD-M: one stream silenced by the exchange is reported and resubscribed', async () => {
  await faults.silencedBySimulator('btcusdt@bookTicker');
});

test('USD-M: 429 and 418 with Retry-After on reconnect, then the simulator limit: no attempt before Retry-After', async () => {
  const h = await faults.harness({ proxy: true });
  await faults.refusedByProxy(h);
  const stats = await faults.limitedBySimulator(h, 3);
  await faults.finish(h, '429 + 418 Retry-After', `proxy: 3 attempts; simulator: ${stats.rejected429} x 429, 0 x 418`);
});

test('USD-M Market route: aggTrade and markPrice through a drop; the trades missed reported', async () => {
  const h = await faults.harness({ proxy: true, stream: { venue: binanceUsdmMarketStreams }, names: MARKET_NAMES, bookStream: null });
  await faults.afterSome(h, 30);
  h.proxy!.cutMidFrame();
  await waitFor('live again', () => h.ledger.count('live') === 2);
  const row = await faults.finish(h, 'Market route: drop', 'aggTrade a chained; markPrice has no ids');
  assert.ok(row.gaps >= 1);
});

test('USD-M: injected gap with a local book: reported by stream and book, resync from /fapi/v1/depth, equal to the exchange', () =>
  faults.bookResync((exchange, onGap) => ({
    book: binanceUsdmOrderBook({ symbol: 'BTCUSDT', restBase: exchange.restUrl, snapshotIntervalMs: 20, listener: { onGap: (_book, from, to) => onGap(from, to) } }),
    depth: new BinanceDepthDecoder(),
    name: 'btcusdt@depth@100ms',
    gapInsideStreams: false,
  })));
