// Fault tests over real sockets against the simulator: each one asserts that every event the
// exchange sent on the streams with ids either reached the user exactly once or lies in a
// reported gap (Ledger.verifyContiguous), and the table printed at the end gives, per case,
// messages sent by the exchange, received by the stream, delivered to the user, dropped as
// duplicates, ids reported missing, and ids delivered twice (always 0).
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { startExchange, type Exchange, type ExchangeOptions } from '../../simulator/exchange.js';
import { BOOK_IN_SYNC, BinanceDepthDecoder, ManagedStream, binanceSpotOrderBook, type ManagedStreamOptions } from '../../src/index.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { FaultReport, closedReasons, type FaultRow } from './fault-report.js';
import { Ledger, waitFor } from './ledger.js';

const SYMBOLS = ['btcusdt', 'ethusdt'];
const NAMES = SYMBOLS.flatMap((symbol) => [`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@depth@100ms`, `${symbol}@bookTicker`]);

const report = new FaultReport();
after(() => report.print());

/** Harnesses of the running test, closed after it whether it passed or not. */
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.stream.stop();
    await h.proxy?.close();
    await h.exchange.close();
  }
});


interface Harness {
  exchange: Exchange;
  stream: ManagedStream;
  ledger: Ledger;
  proxy: FaultProxy | null;
  /** Exchanges that served this case before `exchange` (restarts), for the sent count. */
  sentBefore: number;
}

async function harness(exchangeOptions: ExchangeOptions, streamOptions: ManagedStreamOptions, useProxy = false): Promise<Harness> {
  const exchange = await startExchange({ symbols: SYMBOLS, rate: 100, ...exchangeOptions });
  const proxy = useProxy ? await FaultProxy.start(exchange.port) : null;
  const ledger = new Ledger();
  const stream = new ManagedStream({
    url: proxy?.url ?? exchange.url,
    onMessage: ledger.onMessage,
    onEvent: ledger.onEvent,
    initialDelayMs: 20,
    maxDelayMs: 200,
    ...streamOptions,
  });
  ledger.stream = stream;
  const h: Harness = { exchange, stream, ledger, proxy, sentBefore: 0 };
  open.push(h);
  stream.subscribe(NAMES);
  stream.start();
  await waitFor('live', () => ledger.count('live') >= 1);
  await waitFor('events on every stream', () => ledger.streams.size === NAMES.length);
  return h;
}

/** Pauses the exchange (flushing its depth diffs), waits for the user to have everything, checks and records. */
async function finish(h: Harness, name: string, note: string): Promise<FaultRow> {
  const before = h.ledger.delivered;
  await waitFor('events after the fault', () => h.ledger.delivered > before + 20);
  h.exchange.pause();
  for (const symbol of SYMBOLS) {
    const finalId = h.exchange.book(symbol).lastUpdateId;
    await waitFor(`${symbol} depth catches up to ${finalId}`, () => h.ledger.lastId(`${symbol}@depth@100ms`) === finalId);
  }
  return report.record(name, h.sentBefore + h.exchange.stats().messagesSent, h.stream, h.ledger, note);
}


test('TCP drop in the middle of a frame: reconnect, the partial frame discarded, the missed ids reported', async () => {
  const h = await harness({}, {}, true);
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.proxy!.cutMidFrame(), 1);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['dropped:1006']);
  assert.ok(h.proxy!.bytesCut > 0);
  const row = await finish(h, 'TCP drop mid-frame', `${h.proxy!.bytesCut} bytes cut`);
  assert.ok(row.gaps >= 1, 'the ids lost with the connection are reported');
});

test('half-open silence: no frame at all is detected by the unanswered ping within the configured time', async () => {
  const pingAfterMs = 300;
  const pongTimeoutMs = 500;
  const h = await harness({}, { pingAfterMs, pongTimeoutMs });
  const at = performance.now();
  h.exchange.injectFault({ type: 'silent' });
  await waitFor('the silent connection ends', () => h.ledger.count('closed') === 1);
  const detectedMs = performance.now() - at;
  assert.deepEqual(closedReasons(h.ledger), ['pong-timeout:1006']);
  // Lower bound only (it cannot come before the ping's deadline); the figure goes in the table.
  assert.ok(detectedMs >= pingAfterMs + pongTimeoutMs - 50, `detected after ${detectedMs} ms`);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await finish(h, 'half-open silence', `detected in ${Math.round(detectedMs)} ms (ping after ${pingAfterMs} + pong deadline ${pongTimeoutMs})`);
});

test('one stream silent while the others go on: reported and resubscribed, its missed ids reported', async () => {
  const h = await harness({}, { streamSilenceMs: 600 }, true);
  h.proxy!.filter = Buffer.from('"stream":"btcusdt@trade"');
  await waitFor('stream-silent', () => h.ledger.count('stream-silent') === 1);
  const silent = h.ledger.events.find((event) => event.type === 'stream-silent');
  assert.ok(silent?.type === 'stream-silent' && silent.name === 'btcusdt@trade');
  h.proxy!.filter = null;
  const index = h.stream.streamIndex('btcusdt@trade');
  const before = h.ledger.streams.get(index)!.entries.length;
  await waitFor('the trade stream flows again', () => h.ledger.streams.get(index)!.entries.length > before + 5);
  assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  const frames = h.proxy!.framesFiltered;
  const row = await finish(h, 'one stream silent', `${frames} frames withheld; resubscribed on the same connection`);
  assert.ok(row.gaps >= 1);
});

test('close 1001 going away: reconnect and report what was missed', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'close', code: 1001, reason: 'going away' });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['closed-by-venue:1001']);
  await finish(h, 'close 1001', 'reconnected');
});

test('serverShutdown: make-before-break, no loss and no duplicates across the overlap', async () => {
  const h = await harness({ rate: 200 }, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'serverShutdown' });
  await waitFor('handover', () => h.ledger.count('handover') === 1);
  const rollover = h.ledger.events.find((event) => event.type === 'rollover');
  assert.ok(rollover?.type === 'rollover' && rollover.reason === 'server-shutdown');
  const handover = h.ledger.events.find((event) => event.type === 'handover');
  assert.ok(handover?.type === 'handover' && !handover.timedOut, 'every stream switched by update id, not by the timeout');
  await waitFor('the old connection closed', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['replaced:1000']);
  const row = await finish(h, 'serverShutdown', 'handover by update id');
  assert.equal(row.gaps, 0, 'nothing missing across the overlap');
  assert.ok(row.duplicatesDropped > 0, 'the overlap really carried events twice');
});

test('24 h lifetime (shortened): the rollover completes before the venue closes the old connection', async () => {
  // The venue closes each connection after 3 s (1001); the stream rolls over 1.5 s before.
  const h = await harness({ rate: 200, limits: { lifetimeMs: 3000, shutdownNoticeMs: 0 } }, { lifetimeMs: 3000, rolloverLeadMs: 1500 });
  await waitFor('two handovers', () => h.ledger.count('handover') >= 2, 20_000);
  for (const event of h.ledger.events) {
    if (event.type === 'rollover') assert.equal(event.reason, 'lifetime');
    if (event.type === 'handover') assert.equal(event.timedOut, false);
  }
  assert.ok(!closedReasons(h.ledger).some((reason) => reason.startsWith('closed-by-venue')), 'no connection reached the venue-side end');
  const row = await finish(h, '24 h lifetime (3 s)', `${h.ledger.count('handover')} handovers`);
  assert.equal(row.gaps, 0);
});

test('exchange restart on the same port: reconnect; ids that start over are reported as a reset', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  const port = h.exchange.port;
  h.sentBefore = h.exchange.stats().messagesSent;
  await h.exchange.close();
  // The same seed: the new process counts its ids from the same start, i.e. backwards.
  h.exchange = await startExchange({ symbols: SYMBOLS, rate: 100, port });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await waitFor('resets on the streams with ids', () => h.ledger.count('reset') >= 4);
  await finish(h, 'restart on the same port', `${h.ledger.count('reset')} resets reported`);
});

test('429 and 418 with Retry-After on reconnect: attempts counted, none before Retry-After', async () => {
  const h = await harness({}, {}, true);
  h.proxy!.refusals.push({ status: 429, retryAfter: '1' }, { status: 418, retryAfter: '1' });
  const attemptsBefore = h.proxy!.attempts;
  h.proxy!.cutMidFrame();
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  assert.equal(h.proxy!.attempts - attemptsBefore, 3);
  const times = h.proxy!.attemptTimes.slice(-3);
  assert.ok(times[1]! - times[0]! >= 999 && times[2]! - times[1]! >= 999, `attempt spacing ${times}`);
  await finish(h, '429 + 418 Retry-After', `3 attempts, ${h.stream.stats.rateLimited} refused`);
});

test('injected gap: the depth ids skipped are reported as exactly that range', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
  await waitFor('gap', () => h.ledger.count('gap') === 1);
  const gap = h.ledger.events.find((event) => event.type === 'gap');
  assert.ok(gap?.type === 'gap' && gap.name === 'btcusdt@depth@100ms' && gap.reconnect === false && gap.to >= gap.from);
  const row = await finish(h, 'injected gap (2 depth events)', `gap [${gap.from}, ${gap.to}]`);
  assert.equal(row.gaps, 1);
});

test("the simulator's own faults: silenceStream is reported and resubscribed; resumeStream brings the trades back with the skipped ids reported", async () => {
  const h = await harness({}, { streamSilenceMs: 600 });
  assert.equal(h.exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@trade' }), 1);
  await waitFor('stream-silent', () => h.ledger.count('stream-silent') >= 1);
  h.exchange.injectFault({ type: 'resumeStream', stream: 'btcusdt@trade' });
  const index = h.stream.streamIndex('btcusdt@trade');
  const before = h.ledger.streams.get(index)!.entries.length;
  await waitFor('the trade stream flows again', () => h.ledger.streams.get(index)!.entries.length > before + 5);
  assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  const row = await finish(h, 'one stream silent (simulator)', `${h.ledger.count('stream-silent')} stream-silent reports`);
  assert.ok(row.gaps >= 1, 'the trades made while silent are reported missing');
});

test("the simulator's connection limit: 429 + Retry-After on reconnect, and never a 418 because no attempt comes early", async () => {
  const h = await harness({}, {});
  const attemptsBefore = h.exchange.stats().connectionAttempts;
  h.exchange.injectFault({ type: 'rateLimit', retryAfterMs: 1000 });
  h.exchange.injectFault({ type: 'drop' });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  const stats = h.exchange.stats();
  assert.ok(stats.rejected429 >= 1);
  assert.equal(stats.rejected418, 0, 'an attempt before Retry-After would have been answered 418');
  const limited = h.ledger.events.filter((event) => event.type === 'rate-limited');
  assert.equal(limited.length, stats.rejected429);
  await finish(h, '429 Retry-After (simulator)', `${stats.connectionAttempts - attemptsBefore} attempts, ${stats.rejected429} x 429, 0 x 418`);
});

test('exchange restart on the same port with the market going on: reconnect after the downtime, the ids missed reported', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  await h.exchange.restart({ downtimeMs: 500 });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  assert.equal(h.ledger.count('reset'), 0);
  const failed = h.ledger.count('connect-failed');
  const row = await finish(h, 'restart, 500 ms down (simulator)', `${failed} refused attempts during the downtime`);
  assert.ok(row.gaps >= 1);
});

test('injected gap with a local book: the stream reports the range, the book resyncs and equals the exchange', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const bookGaps: Array<[number, number]> = [];
  const book = binanceSpotOrderBook({
    symbol: 'BTCUSDT',
    restBase: exchange.restUrl,
    snapshotIntervalMs: 20,
    listener: { onGap: (_book, from, to) => bookGaps.push([from, to]) },
  });
  const depth = new BinanceDepthDecoder();
  const ledger = new Ledger();
  const stream = new ManagedStream({
    url: exchange.url,
    onMessage(index, data, start, end) {
      ledger.onMessage(index, data, start, end);
      if (depth.decode(data, start, end)) book.onDiff(depth.diff);
    },
    onEvent: ledger.onEvent,
  });
  ledger.stream = stream;
  try {
    stream.subscribe(['btcusdt@depth@100ms']);
    stream.start();
    await waitFor('the book in sync', () => book.state === BOOK_IN_SYNC);
    exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 3 });
    await waitFor('the gap reported', () => ledger.count('gap') === 1);
    const gap = ledger.events.find((event) => event.type === 'gap');
    assert.ok(gap?.type === 'gap');
    await waitFor('the book saw the same gap', () => bookGaps.length === 1);
    // The book counts from its own position, which a snapshot newer than the last event may have moved past the stream's.
    const [bookFrom, bookTo] = bookGaps[0]!;
    assert.ok(bookFrom >= gap.from && bookFrom <= gap.to && bookTo === gap.to, `book gap [${bookFrom}, ${bookTo}] inside the stream's [${gap.from}, ${gap.to}]`);
    exchange.pause();
    const truth = exchange.book('btcusdt');
    await waitFor('the book resynced to the exchange', () => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId);
    assert.deepEqual(book.book.toLevels(), truth);
    // The resync snapshot can reach the final id before the last diff does: wait for that diff too.
    await waitFor('every message sent received', () => stream.stats.received === exchange.stats().messagesSent);
    report.record('injected gap + book resync', exchange.stats().messagesSent, stream, ledger, `gap [${gap.from}, ${gap.to}]; book resynced, equal to the exchange's`);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});

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
    report.record('1,500 streams / 2 connections', exchange.stats().messagesSent, stream, ledger, `${seen.size} streams seen after the drop; 1024 + 476 streams, 8 SUBSCRIBE requests`);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});
