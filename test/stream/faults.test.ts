// Fault tests over real sockets against the simulator: each one asserts that every event the
// exchange sent on the streams with ids either reached the user exactly once or lies in a
// reported gap (Ledger.verifyContiguous), and the table printed at the end gives, per case,
// messages sent by the exchange, received by the stream, delivered to the user, dropped as
// duplicates, ids reported missing, and ids delivered twice (always 0).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExchange } from '../../simulator/exchange.js';
import { BinanceDepthDecoder, ManagedStream, binanceSpotOrderBook } from '../../src/index.js';
import { closedReasons } from './fault-report.js';
import { FAULT_SYMBOLS, FaultScenarios } from './fault-scenarios.js';
import { Ledger, payloadIds, waitFor } from './ledger.js';

const NAMES = FAULT_SYMBOLS.flatMap((symbol) => [`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@depth@100ms`, `${symbol}@bookTicker`]);

const faults = new FaultScenarios({ title: 'case', names: NAMES, ids: payloadIds, bookStream: (symbol) => `${symbol}@depth@100ms` });

test('TCP drop in the middle of a frame: reconnect, the partial frame discarded, the missed ids reported', () => faults.dropMidFrame());

test('half-open silence: no frame at all is detected by the unanswered ping within the configured time', () => faults.halfOpenSilence());

test('one stream silent while the others go on: reported and resubscribed, its missed ids reported', async () => {
  const h = await faults.harness({ stream: { streamSilenceMs: 600 }, proxy: true });
  h.proxy!.filter = Buffer.from('"stream":"btcusdt@trade"');
  await waitFor('stream-silent', () => h.ledger.count('stream-silent') === 1);
  const silent = h.ledger.events.find((event) => event.type === 'stream-silent');
  assert.ok(silent?.type === 'stream-silent' && silent.name === 'btcusdt@trade');
  h.proxy!.filter = null;
  await faults.flowsAgain(h, 'btcusdt@trade');
  const frames = h.proxy!.framesFiltered;
  const row = await faults.finish(h, 'one stream silent', `${frames} frames withheld; resubscribed on the same connection`);
  assert.ok(row.gaps >= 1);
});

test('close 1001 going away: reconnect and report what was missed', () => faults.close1001());

test('serverShutdown: make-before-break, no loss and no duplicates across the overlap', async () => {
  const { h } = await faults.serverShutdown('serverShutdown', 'handover by update id');
  const rollover = h.ledger.events.find((event) => event.type === 'rollover');
  assert.ok(rollover?.type === 'rollover' && rollover.reason === 'server-shutdown');
  const handover = h.ledger.events.find((event) => event.type === 'handover');
  assert.ok(handover?.type === 'handover' && !handover.timedOut, 'every stream switched by update id, not by the timeout');
});

test('24 h lifetime (shortened): the rollover completes before the venue closes the old connection', async () => {
  // The venue closes each connection after 3 s (1001); the stream rolls over 1.5 s before.
  const h = await faults.harness({ exchange: { rate: 200, limits: { lifetimeMs: 3000, shutdownNoticeMs: 0 } }, stream: { lifetimeMs: 3000, rolloverLeadMs: 1500 } });
  await waitFor('two handovers', () => h.ledger.count('handover') >= 2, 20_000);
  for (const event of h.ledger.events) {
    if (event.type === 'rollover') assert.equal(event.reason, 'lifetime');
    if (event.type === 'handover') assert.equal(event.timedOut, false);
  }
  assert.ok(!closedReasons(h.ledger).some((reason) => reason.startsWith('closed-by-venue')), 'no connection reached the venue-side end');
  const row = await faults.finish(h, '24 h lifetime (3 s)', `${h.ledger.count('handover')} handovers`);
  assert.equal(row.gaps, 0);
});

test('exchange restart on the same port: reconnect; ids that start over are reported as a reset', async () => {
  const h = await faults.harness();
  await faults.afterSome(h);
  const port = h.exchange.port;
  h.sentBefore = h.exchange.stats().messagesSent;
  await h.exchange.close();
  // The same seed: the new process counts its ids from the same start, i.e. backwards.
  h.exchange = await startExchange({ symbols: FAULT_SYMBOLS, rate: 100, port });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await waitFor('resets on the streams with ids', () => h.ledger.count('reset') >= 4);
  await faults.finish(h, 'restart on the same port', `${h.ledger.count('reset')} resets reported`);
});

test('429 and 418 with Retry-After on reconnect: attempts counted, none before Retry-After', () => faults.refusedByProxyCase());

test('injected gap: the depth ids skipped are reported as exactly that range', () => faults.injectedGap('injected gap (2 depth events)'));

test("the simulator's own faults: silenceStream is reported and resubscribed; resumeStream brings the trades back with the skipped ids reported", async () => {
  const row = await faults.silencedBySimulator('btcusdt@trade');
  assert.ok(row.gaps >= 1, 'the trades made while silent are reported missing');
});

test("the simulator's connection limit: 429 + Retry-After on reconnect, and never a 418 because no attempt comes early", async () => {
  const { h, stats } = await faults.limitedBySimulatorCase();
  const limited = h.ledger.events.filter((event) => event.type === 'rate-limited');
  assert.equal(limited.length, stats.rejected429);
});

test('exchange restart on the same port with the market going on: reconnect after the downtime, the ids missed reported', async () => {
  const { h } = await faults.restartWithDowntime();
  assert.equal(h.ledger.count('reset'), 0);
});

test('injected gap with a local book: the stream reports the range, the book resyncs and equals the exchange', () =>
  faults.bookResync((exchange, onGap) => ({
    book: binanceSpotOrderBook({ symbol: 'BTCUSDT', restBase: exchange.restUrl, snapshotIntervalMs: 20, listener: { onGap: (_book, from, to) => onGap(from, to) } }),
    depth: new BinanceDepthDecoder(),
    name: 'btcusdt@depth@100ms',
    gapInsideStreams: true,
  })));

test('1,500 streams over two connections, resubscribed within the rate limit after a drop', async () => {
  const symbols = Array.from({ length: 137 }, (_, index) => `s${index}usdt`);
  const names = symbols.flatMap((symbol) => [`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@depth`, `${symbol}@depth@100ms`, `${symbol}@depth5`, `${symbol}@depth5@100ms`, `${symbol}@depth10`, `${symbol}@depth10@100ms`, `${symbol}@depth20`, `${symbol}@depth20@100ms`]).slice(0, 1500);
  const exchange = await startExchange({ symbols, rate: 2 });
  const ledger = new Ledger();
  const seen = new Set<number>();
  const stream = new ManagedStream({
    url: exchange.url,
    initialDelayMs: 20,
    maxDelayMs: 200,
    onMessage: (index, data, start, end) => {
      seen.add(index);
      ledger.onMessage(index, data, start, end);
    },
    onEvent: ledger.onEvent,
  });
  ledger.stream = stream;
  try {
    stream.subscribe(names);
    stream.start();
    await waitFor('two live connections', () => ledger.count('live') === 2, 30_000);
    assert.equal(stream.connectionCount, 2);
    const lives = ledger.events.flatMap((event) => (event.type === 'live' ? [event.streams] : []));
    assert.deepEqual(lives.sort((a, b) => b - a), [1024, 476]);
    await waitFor('events on the partial-depth streams of both connections', () => seen.size >= 1000, 30_000);
    exchange.injectFault({ type: 'drop' });
    await waitFor('both live again', () => ledger.count('live') === 4, 30_000);
    seen.clear();
    await waitFor('events again', () => seen.size >= 1000, 30_000);
    // The simulator closes a connection that sends more than 5 messages a second with 1008.
    assert.ok(!closedReasons(ledger).some((reason) => reason.endsWith(':1008')), closedReasons(ledger).join());
    faults.report.record('1,500 streams / 2 connections', exchange.stats().messagesSent, stream, ledger, `${seen.size} streams seen after the drop; 1024 + 476 streams, 8 SUBSCRIBE requests`);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});
