// USD-M futures fault tests over real sockets against the simulator's binance-usdm dialect, in the
// style of test/stream/faults.test.ts: every event the exchange sent on the streams with ids
// reached the user exactly once or lies in a reported gap (Ledger.verifyContiguous, with depth
// ids read as [pu + 1, u]: futures diffs chain by pu and U may skip ahead of it). The table
// printed at the end gives sent / received / delivered / duplicates / gaps per case.
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { startExchange, type Exchange, type ExchangeOptions } from '../../../simulator/exchange.js';
import { BOOK_IN_SYNC, BinanceDepthDecoder, jsonFields, ManagedStream, type ManagedStreamOptions, type VenueProfile } from '../../../src/index.js';
import { binanceUsdm, binanceUsdmMarketStreams, binanceUsdmOrderBook } from '../../../src/venues/binance-futures/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { Ledger, payloadIds, waitFor } from '../../stream/ledger.js';
import { FaultReport, closedReasons, type FaultRow } from '../../stream/fault-report.js';

const SYMBOLS = ['btcusdt', 'ethusdt'];
const PUBLIC_NAMES = SYMBOLS.flatMap((symbol) => [`${symbol}@depth@100ms`, `${symbol}@bookTicker`]);
const MARKET_NAMES = SYMBOLS.flatMap((symbol) => [`${symbol}@aggTrade`, `${symbol}@markPrice@1s`]);

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

const report = new FaultReport('USD-M case');
after(() => report.print());

interface Harness {
  exchange: Exchange;
  stream: ManagedStream;
  ledger: Ledger;
  proxy: FaultProxy | null;
  names: string[];
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.stream.stop();
    await h.proxy?.close();
    await h.exchange.close();
  }
});


async function harness(exchangeOptions: ExchangeOptions, streamOptions: Partial<ManagedStreamOptions>, useProxy = false, venue: VenueProfile = binanceUsdm): Promise<Harness> {
  const exchange = await startExchange({ venue: 'binance-usdm', symbols: SYMBOLS, rate: 100, ...exchangeOptions });
  const proxy = useProxy ? await FaultProxy.start(exchange.port) : null;
  const ledger = new Ledger(usdmIds);
  const names = venue === binanceUsdm ? PUBLIC_NAMES : MARKET_NAMES;
  const stream = new ManagedStream({
    venue,
    url: proxy?.url ?? exchange.url,
    onMessage: ledger.onMessage,
    onEvent: ledger.onEvent,
    initialDelayMs: 20,
    maxDelayMs: 200,
    ...streamOptions,
  });
  ledger.stream = stream;
  const h: Harness = { exchange, stream, ledger, proxy, names };
  open.push(h);
  stream.subscribe(names);
  stream.start();
  await waitFor('live', () => ledger.count('live') >= 1);
  await waitFor('events on every stream', () => ledger.streams.size === names.length);
  return h;
}

/** Pauses the exchange (flushing its depth diffs), waits for the user to have everything, checks and records. */
async function finish(h: Harness, name: string, note: string): Promise<FaultRow> {
  const before = h.ledger.delivered;
  await waitFor('events after the fault', () => h.ledger.delivered > before + 20);
  h.exchange.pause();
  if (h.names === PUBLIC_NAMES) {
    for (const symbol of SYMBOLS) {
      const finalId = h.exchange.book(symbol).lastUpdateId;
      await waitFor(`${symbol} depth catches up to ${finalId}`, () => h.ledger.lastId(`${symbol}@depth@100ms`) === finalId);
    }
  } else {
    // The engine stopped: no trade comes after the last one delivered (messagesSent also counts
    // what went to the dropped connection, so it cannot serve as the target).
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return report.record(name, h.exchange.stats().messagesSent, h.stream, h.ledger, note);
}


test('USD-M: depth ids skip between events (U > pu + 1) without a gap being reported', async () => {
  const h = await harness({ rate: 300 }, {});
  await waitFor('some events', () => h.ledger.delivered > 100);
  const row = await finish(h, 'steady (U skips, pu chains)', 'no fault');
  assert.equal(row.gaps, 0);
  assert.equal(row.missingIds, 0);
});

test('USD-M: TCP drop in the middle of a frame: reconnect, the missed ids reported', async () => {
  const h = await harness({}, {}, true);
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.proxy!.cutMidFrame(), 1);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['dropped:1006']);
  const row = await finish(h, 'TCP drop mid-frame', `${h.proxy!.bytesCut} bytes cut`);
  assert.ok(row.gaps >= 1, 'the ids lost with the connection are reported');
});

test('USD-M: half-open silence is detected by the unanswered ping', async () => {
  const h = await harness({}, { pingAfterMs: 300, pongTimeoutMs: 500 });
  h.exchange.injectFault({ type: 'silent' });
  await waitFor('the silent connection ends', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['pong-timeout:1006']);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await finish(h, 'half-open silence', 'pong timeout, reconnected');
});

test('USD-M: close 1001 going away: reconnect and report what was missed', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'close', code: 1001, reason: 'going away' });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['closed-by-venue:1001']);
  await finish(h, 'close 1001', 'reconnected');
});

test('USD-M: exchange restart with 500 ms down: reconnect, the ids missed reported', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  await h.exchange.restart({ downtimeMs: 500 });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  const row = await finish(h, 'restart, 500 ms down', `${h.ledger.count('connect-failed')} refused attempts`);
  assert.ok(row.gaps >= 1);
});

test('USD-M: injected gap: the event dropped shows as a pu that is not the last u, reported as that range', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
  await waitFor('gap', () => h.ledger.count('gap') === 1);
  const gap = h.ledger.events.find((event) => event.type === 'gap');
  assert.ok(gap?.type === 'gap' && gap.name === 'btcusdt@depth@100ms' && gap.reconnect === false && gap.to >= gap.from);
  const row = await finish(h, 'injected gap (2 depth events)', `gap [${gap.from}, ${gap.to}]`);
  assert.equal(row.gaps, 1);
});

test('USD-M: one stream silenced by the exchange is reported and resubscribed', async () => {
  const h = await harness({}, { streamSilenceMs: 600 });
  assert.equal(h.exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@bookTicker' }), 1);
  await waitFor('stream-silent', () => h.ledger.count('stream-silent') >= 1);
  h.exchange.injectFault({ type: 'resumeStream', stream: 'btcusdt@bookTicker' });
  const index = h.stream.streamIndex('btcusdt@bookTicker');
  const before = h.ledger.streams.get(index)!.entries.length;
  await waitFor('the bookTicker stream flows again', () => h.ledger.streams.get(index)!.entries.length > before + 5);
  assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  await finish(h, 'one stream silent (simulator)', `${h.ledger.count('stream-silent')} stream-silent reports`);
});

test('USD-M: 429 and 418 with Retry-After on reconnect, then the simulator limit: no attempt before Retry-After', async () => {
  const h = await harness({}, {}, true);
  h.proxy!.refusals.push({ status: 429, retryAfter: '1' }, { status: 418, retryAfter: '1' });
  const attemptsBefore = h.proxy!.attempts;
  h.proxy!.cutMidFrame();
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  assert.equal(h.proxy!.attempts - attemptsBefore, 3);
  const times = h.proxy!.attemptTimes.slice(-3);
  assert.ok(times[1]! - times[0]! >= 999 && times[2]! - times[1]! >= 999, `attempt spacing ${times}`);
  h.exchange.injectFault({ type: 'rateLimit', retryAfterMs: 1000 });
  h.exchange.injectFault({ type: 'drop' });
  await waitFor('live a third time', () => h.ledger.count('live') === 3, 20_000);
  const stats = h.exchange.stats();
  assert.ok(stats.rejected429 >= 1);
  assert.equal(stats.rejected418, 0, 'an attempt before Retry-After would have been answered 418');
  await finish(h, '429 + 418 Retry-After', `proxy: 3 attempts; simulator: ${stats.rejected429} x 429, 0 x 418`);
});

test('USD-M Market route: aggTrade and markPrice through a drop; the trades missed reported', async () => {
  const h = await harness({}, {}, true, binanceUsdmMarketStreams);
  await waitFor('some trades', () => h.ledger.delivered > 30);
  h.proxy!.cutMidFrame();
  await waitFor('live again', () => h.ledger.count('live') === 2);
  const row = await finish(h, 'Market route: drop', 'aggTrade a chained; markPrice has no ids');
  assert.ok(row.gaps >= 1);
});

test('USD-M: injected gap with a local book: reported by stream and book, resync from /fapi/v1/depth, equal to the exchange', async () => {
  const exchange = await startExchange({ venue: 'binance-usdm', symbols: ['btcusdt'], rate: 200 });
  const bookGaps: Array<[number, number]> = [];
  const book = binanceUsdmOrderBook({
    symbol: 'BTCUSDT',
    restBase: exchange.restUrl,
    snapshotIntervalMs: 20,
    listener: { onGap: (_book, from, to) => bookGaps.push([from, to]) },
  });
  const depth = new BinanceDepthDecoder();
  const ledger = new Ledger(usdmIds);
  const stream = new ManagedStream({
    venue: binanceUsdm,
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
    const snapshotsBefore = book.snapshotsLoaded;
    exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 3 });
    await waitFor('the gap reported', () => ledger.count('gap') === 1);
    await waitFor('the book saw the gap', () => bookGaps.length === 1);
    exchange.pause();
    const truth = exchange.book('btcusdt');
    await waitFor('the book resynced to the exchange', () => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId);
    assert.ok(book.snapshotsLoaded > snapshotsBefore, 'a new /fapi/v1/depth snapshot was loaded');
    assert.deepEqual(book.book.toLevels(), truth);
    await waitFor('every message sent received', () => stream.stats.received === exchange.stats().messagesSent);
    const gap = ledger.events.find((event) => event.type === 'gap');
    assert.ok(gap?.type === 'gap');
    report.record('injected gap + book resync', exchange.stats().messagesSent, stream, ledger, `gap [${gap.from}, ${gap.to}]; book resynced, equal to the exchange's`);
  } finally {
    await stream.stop();
    book.close();
    await exchange.close();
  }
});
