// Fault tests of Binance SBE streams over real sockets against the simulator's binance-sbe
// dialect (binary SBE events, JSON control): each asserts that every event the exchange sent on
// the streams with ids (trade, depth) reached the user exactly once or lies in a reported gap
// (Ledger.verifyContiguous, with the ids read from the SBE bytes by the test itself), and the
// table printed at the end gives the figures per case. Also: the simulator refuses a connection
// without the API-key header; a schema the client does not know is reported (typed error and
// unknown-message events) and its events become a gap, never data read with the wrong layout;
// the local book built from SBE diffs on the REST snapshot equals the exchange's after a gap.
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { startExchange, type Exchange, type ExchangeOptions } from '../../../simulator/exchange.js';
import { BOOK_IN_SYNC, ManagedStream, type ManagedStreamOptions, type VenueProfile } from '../../../src/index.js';
import { binanceSbe, binanceSbeMarket, type SbeError } from '../../../src/venues/binance-sbe/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { FaultReport, closedReasons, type FaultRow } from '../../stream/fault-report.js';
import { Ledger, waitFor } from '../../stream/ledger.js';

const SYMBOLS = ['btcusdt', 'ethusdt'];
const NAMES = SYMBOLS.flatMap((symbol) => [`${symbol}@trade`, `${symbol}@depth`, `${symbol}@bestBidAsk`]);
const API_KEY = 'test-ed25519-api-key';

/** Ids [first, last] of an SBE event, read at the schema's offsets (independently of the library's decoders). */
function sbeIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  const view = new DataView(data.buffer, data.byteOffset + start, end - start);
  const blockLength = view.getUint16(0, true);
  const template = view.getUint16(2, true);
  const int64 = (at: number): number => Number(view.getBigInt64(at, true));
  switch (template) {
    case 10000: {
      // trades: groupSizeEncoding (u16 blockLength, u32 numInGroup) after the root block; id first in each entry.
      const group = 8 + blockLength;
      const entryLength = view.getUint16(group, true);
      const count = view.getUint32(group + 2, true);
      return [int64(group + 6), int64(group + 6 + (count - 1) * entryLength)];
    }
    case 10001:
      return [int64(16), int64(16)];
    case 10003:
      return [int64(16), int64(24)];
    default:
      throw new Error(`${name}: template ${template} has no ids`);
  }
}

const report = new FaultReport('case (SBE)');
after(() => report.print());

interface Harness {
  exchange: Exchange;
  stream: ManagedStream;
  ledger: Ledger;
  proxy: FaultProxy | null;
  decodeErrors: SbeError[];
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.stream.stop();
    await h.proxy?.close();
    await h.exchange.close();
  }
});


async function harness(exchangeOptions: ExchangeOptions, streamOptions: ManagedStreamOptions, useProxy = false, profile?: VenueProfile): Promise<Harness> {
  const exchange = await startExchange({ venue: 'binance-sbe', symbols: SYMBOLS, rate: 100, ...exchangeOptions });
  const proxy = useProxy ? await FaultProxy.start(exchange.port) : null;
  const ledger = new Ledger(sbeIds);
  const decodeErrors: SbeError[] = [];
  const stream = new ManagedStream({
    url: proxy?.url ?? exchange.url,
    venue: profile ?? binanceSbe({ apiKey: API_KEY, onDecodeError: (error) => decodeErrors.push(error) }),
    onMessage: ledger.onMessage,
    onEvent: ledger.onEvent,
    initialDelayMs: 20,
    maxDelayMs: 200,
    ...streamOptions,
  });
  ledger.stream = stream;
  const h: Harness = { exchange, stream, ledger, proxy, decodeErrors };
  open.push(h);
  stream.subscribe(NAMES);
  stream.start();
  if (profile === undefined) {
    await waitFor('live', () => ledger.count('live') >= 1);
    await waitFor('events on every stream', () => ledger.streams.size === NAMES.length);
  }
  return h;
}

/** Pauses the exchange (flushing diffs and trades), waits for the user to have everything, checks and records. */
async function finish(h: Harness, name: string, note: string, sentBefore = 0): Promise<FaultRow> {
  const before = h.ledger.delivered;
  await waitFor('events after the fault', () => h.ledger.delivered > before + 20);
  h.exchange.pause();
  for (const symbol of SYMBOLS) {
    const finalId = h.exchange.book(symbol).lastUpdateId;
    await waitFor(`${symbol} depth catches up to ${finalId}`, () => h.ledger.lastId(`${symbol}@depth`) === finalId);
  }
  return report.record(name, sentBefore + h.exchange.stats().messagesSent, h.stream, h.ledger, note);
}


test('SBE: no API-key header, no connection (401); with it, live', async () => {
  const withKey = binanceSbe({ apiKey: API_KEY });
  const { connectionHeaders: _dropped, ...withoutHeaders } = withKey;
  const h = await harness({}, { maxDelayMs: 50 }, false, withoutHeaders);
  await waitFor('refused attempts', () => h.ledger.count('connect-failed') >= 2);
  const failed = h.ledger.events.filter((event) => event.type === 'connect-failed');
  assert.ok(failed.every((event) => event.type === 'connect-failed' && event.status === 401));
  assert.equal(h.ledger.count('live'), 0);
  assert.equal(h.ledger.delivered, 0);
  assert.throws(() => binanceSbe({ apiKey: '' }), TypeError);
  assert.throws(() => binanceSbe({ apiKey: 'key\r\nX-Other: 1' }), TypeError);
});

test('SBE: TCP drop in the middle of a frame: reconnect, the missed ids reported', async () => {
  const h = await harness({}, {}, true);
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.proxy!.cutMidFrame(), 1);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['dropped:1006']);
  const row = await finish(h, 'TCP drop mid-frame', `${h.proxy!.bytesCut} bytes cut`);
  assert.ok(row.gaps >= 1, 'the ids lost with the connection are reported');
});

test('SBE: half-open silence is detected by the unanswered ping', async () => {
  const h = await harness({}, { pingAfterMs: 300, pongTimeoutMs: 500 });
  h.exchange.injectFault({ type: 'silent' });
  await waitFor('the silent connection ends', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['pong-timeout:1006']);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await finish(h, 'half-open silence', 'pong-timeout, reconnected');
});

test('SBE: trade frames withheld while the others flow: stream-silent, resubscribed, the missed trades reported', async () => {
  const h = await harness({}, { streamSilenceMs: 600 }, true);
  // Every TradesStreamEvent starts with blockLength 18, template 10000, schema 1, version 0.
  h.proxy!.filter = Buffer.from([18, 0, 0x10, 0x27, 1, 0, 0, 0]);
  await waitFor('stream-silent on both trade streams', () => h.ledger.count('stream-silent') >= 2);
  h.proxy!.filter = null;
  const index = h.stream.streamIndex('btcusdt@trade');
  const before = h.ledger.streams.get(index)!.entries.length;
  await waitFor('the trade stream flows again', () => h.ledger.streams.get(index)!.entries.length > before + 5);
  assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  const row = await finish(h, 'trade streams silent', `${h.proxy!.framesFiltered} frames withheld`);
  assert.ok(row.gaps >= 1);
});

test('SBE: close 1001: reconnect and report what was missed', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'close', code: 1001, reason: 'going away' });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['closed-by-venue:1001']);
  await finish(h, 'close 1001', 'reconnected');
});

test('SBE: serverShutdown (JSON text): make-before-break, no loss and no duplicates', async () => {
  const h = await harness({ rate: 200 }, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'serverShutdown' });
  await waitFor('handover', () => h.ledger.count('handover') === 1);
  await waitFor('the old connection closed', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['replaced:1000']);
  const row = await finish(h, 'serverShutdown', 'handover by update id');
  assert.equal(row.gaps, 0, 'nothing missing across the overlap');
  assert.ok(row.duplicatesDropped > 0, 'the overlap really carried events twice');
});

test('SBE: restart with 500 ms downtime: reconnect, the missed ids reported', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  await h.exchange.restart({ downtimeMs: 500 });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  const row = await finish(h, 'restart, 500 ms down', `${h.ledger.count('connect-failed')} refused attempts`);
  assert.ok(row.gaps >= 1);
});

test('SBE: 429 and 418 with Retry-After: no attempt before Retry-After', async () => {
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

test('SBE: an unknown schema version is reported (SbeError + unknown-message), its events become a gap', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.exchange.injectFault({ type: 'sbeSchema', version: 1 }), 1);
  await waitFor('refused messages', () => h.decodeErrors.length >= 20 && h.ledger.count('unknown-message') >= 20);
  const delivered = h.ledger.delivered;
  assert.ok(h.decodeErrors.every((error) => error.code === 'TW_ERR_SBE_UNKNOWN_SCHEMA' && error.version === 1 && error.schemaId === 1));
  h.exchange.injectFault({ type: 'sbeSchema', version: 0 });
  const row = await finish(h, 'unknown schema version', `${h.decodeErrors.length} frames refused as TW_ERR_SBE_UNKNOWN_SCHEMA`);
  assert.ok(h.ledger.delivered > delivered);
  assert.ok(row.gaps >= 2, 'the depth and trade ids carried by the refused frames are reported missing');
});

test('SBE: injected gap with a local book: the range reported, the book resyncs and equals the exchange', async () => {
  const exchange = await startExchange({ venue: 'binance-sbe', symbols: ['btcusdt'], rate: 200 });
  const market = binanceSbeMarket({ apiKey: API_KEY, snapshotIntervalMs: 20 });
  const bookGaps: Array<[number, number]> = [];
  const book = market.createOrderBook('BTCUSDT', {
    scale: 8,
    restUrl: exchange.restUrl,
    listener: { onGap: (_book, from, to) => bookGaps.push([from, to]) },
    requestSnapshot: () => {},
  });
  const depth = market.createBookDecoder(8);
  const ledger = new Ledger(sbeIds);
  const stream = new ManagedStream({
    url: exchange.url,
    venue: market.profile,
    onMessage(index, data, start, end) {
      ledger.onMessage(index, data, start, end);
      if (depth.decode(data, start, end)) book.onDiff(depth.diff);
    },
    onEvent: ledger.onEvent,
  });
  ledger.stream = stream;
  try {
    stream.subscribe([market.bookStream('BTCUSDT')!]);
    stream.start();
    await waitFor('the book in sync', () => book.state === BOOK_IN_SYNC);
    exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 3 });
    await waitFor('the gap reported', () => ledger.count('gap') === 1);
    const gap = ledger.events.find((event) => event.type === 'gap');
    assert.ok(gap?.type === 'gap' && gap.name === 'btcusdt@depth' && !gap.reconnect);
    await waitFor('the book saw the same gap', () => bookGaps.length === 1);
    const [bookFrom, bookTo] = bookGaps[0]!;
    assert.ok(bookFrom >= gap.from && bookFrom <= gap.to && bookTo === gap.to, `book gap [${bookFrom}, ${bookTo}] inside [${gap.from}, ${gap.to}]`);
    exchange.pause();
    const truth = exchange.book('btcusdt');
    await waitFor('the book resynced to the exchange', () => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId);
    assert.deepEqual(book.book.toLevels(), truth);
    await waitFor('every message sent received', () => stream.stats.received === exchange.stats().messagesSent);
    report.record('injected gap + book resync', exchange.stats().messagesSent, stream, ledger, `gap [${gap.from}, ${gap.to}]; book equal to the exchange's`);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});
