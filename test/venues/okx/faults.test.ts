// Fault tests for OKX over real sockets: the managed stream with the okxPublic profile against
// the simulator's OKX dialect. Each case asserts that every message the exchange sent reached the
// user once or lies in a reported gap: trades by contiguous trade ids (Ledger.verifyContiguous),
// books by their chain (verifyChained: each update's prevSeqId is the last seqId delivered, or a
// gap ending at it was reported; a snapshot after a resubscribe or reconnect comes after a gap
// over the updates it replaces). The table printed at the end gives the figures per case.
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { startExchange, type Exchange, type ExchangeOptions } from '../../../simulator/exchange.js';
import { ManagedStream, jsonFields, type ManagedStreamOptions } from '../../../src/index.js';
import { DataArrayWalker, okxPublic } from '../../../src/venues/okx/index.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { Ledger, waitFor } from '../../stream/ledger.js';

const SYMBOLS = ['btcusdt', 'ethusdt'];
const INSTRUMENTS = ['BTC-USDT', 'ETH-USDT'];
const NAMES = INSTRUMENTS.flatMap((inst) => [`books:${inst}`, `trades:${inst}`, `bbo-tbt:${inst}`]);

const walker = new DataArrayWalker();
const bookIds = jsonFields(['seqId', 'prevSeqId'], { optional: ['prevSeqId'] });
const tradeIds = jsonFields(['tradeId', 'count']);

/** The test's own reading of a push's ids (the `data` array): books [prevSeqId + 1, seqId], trades [first - count + 1, last]. */
function okxIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  if (!walker.begin(data, start, end)) throw new Error(`${name}: not a data array`);
  let first = NaN;
  let last = NaN;
  while (walker.next()) {
    if (name.startsWith('trades:')) {
      if (!tradeIds.scan(data, walker.objectStart, walker.objectEnd)) throw new Error(`${name}: unreadable trade`);
      if (Number.isNaN(first)) first = tradeIds.integer(0) - tradeIds.integer(1) + 1;
      last = tradeIds.integer(0);
    } else {
      if (!bookIds.scan(data, walker.objectStart, walker.objectEnd)) throw new Error(`${name}: unreadable book push`);
      last = bookIds.integer(0);
      first = name.startsWith('books:') ? (bookIds.has(1) ? bookIds.integer(1) : -1) + 1 : last;
    }
  }
  return [first, last];
}

/**
 * The books chain: from the first event on, each update names the last seqId delivered (a gap
 * reported just before it may end there instead), and a snapshot (first = 0) is never newer
 * than what was delivered or reported. Returns the events and the ids reported missing.
 */
function verifyChained(ledger: Ledger): { events: number; missing: number; gaps: number } {
  let events = 0;
  let missing = 0;
  let gaps = 0;
  for (const stream of ledger.streams.values()) {
    if (!stream.name.startsWith('books:')) continue;
    let last = NaN;
    for (const [first, end, kind] of stream.entries) {
      if (kind === 'reset') {
        last = NaN;
        continue;
      }
      if (kind === 'gap') {
        if (first !== last + 1) throw new Error(`${stream.name}: gap [${first}, ${end}] does not start after ${last}`);
        missing += end - first + 1;
        gaps++;
        last = end;
        continue;
      }
      events++;
      if (Number.isNaN(last)) {
        last = end;
        continue;
      }
      if (first === 0) {
        if (end > last) throw new Error(`${stream.name}: snapshot ${end} after ${last} with no gap reported`);
      } else if (first - 1 !== last) {
        throw new Error(`${stream.name}: update names ${first - 1}, the last seqId delivered was ${last}: lost or duplicated silently`);
      }
      last = end;
    }
  }
  return { events, missing, gaps };
}

interface Row {
  name: string;
  sent: number;
  received: number;
  delivered: number;
  duplicatesDropped: number;
  gaps: number;
  missingIds: number;
  note: string;
}
const rows: Row[] = [];

after(() => {
  const header = '| case (OKX) | sent | received | delivered | duplicates dropped | gaps | ids reported missing | note |';
  const lines = rows.map((row) => `| ${row.name} | ${row.sent} | ${row.received} | ${row.delivered} | ${row.duplicatesDropped} | ${row.gaps} | ${row.missingIds} | ${row.note} |`);
  console.log(['', header, '|---|---|---|---|---|---|---|---|', ...lines].join('\n'));
});

interface Harness {
  exchange: Exchange;
  stream: ManagedStream;
  ledger: Ledger;
  proxy: FaultProxy | null;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.stream.stop();
    await h.proxy?.close();
    await h.exchange.close();
  }
});

async function harness(exchangeOptions: ExchangeOptions, streamOptions: ManagedStreamOptions, useProxy = false): Promise<Harness> {
  const exchange = await startExchange({ venue: 'okx', symbols: SYMBOLS, rate: 100, ...exchangeOptions });
  const proxy = useProxy ? await FaultProxy.start(exchange.port) : null;
  const ledger = new Ledger(okxIds);
  const stream = new ManagedStream({
    venue: okxPublic,
    url: proxy?.url ?? exchange.url,
    onMessage: ledger.onMessage,
    onEvent: ledger.onEvent,
    initialDelayMs: 20,
    maxDelayMs: 200,
    ...streamOptions,
  });
  ledger.stream = stream;
  const h: Harness = { exchange, stream, ledger, proxy };
  open.push(h);
  stream.subscribe(NAMES);
  stream.start();
  await waitFor('live', () => ledger.count('live') >= 1);
  await waitFor('events on every stream', () => ledger.streams.size === NAMES.length);
  return h;
}

/** Pauses the exchange (flushing the books updates), waits for the user to have them, checks and records. */
async function finish(h: Harness, name: string, note: string): Promise<Row> {
  const before = h.ledger.delivered;
  await waitFor('events after the fault', () => h.ledger.delivered > before + 20);
  h.exchange.pause();
  for (let k = 0; k < SYMBOLS.length; k++) {
    const finalId = h.exchange.book(SYMBOLS[k]!).lastUpdateId;
    await waitFor(`${INSTRUMENTS[k]} books catch up to ${finalId}`, () => h.ledger.lastId(`books:${INSTRUMENTS[k]}`) === finalId);
  }
  const trades = h.ledger.verifyContiguous(/^trades:/);
  const books = verifyChained(h.ledger);
  const stats = h.stream.stats;
  assert.equal(stats.delivered, h.ledger.delivered);
  assert.equal(stats.missingIds, trades.missing + books.missing, 'the stream and the ledger count the same missing ids');
  assert.equal(trades.duplicated, 0);
  const row: Row = {
    name,
    sent: h.exchange.stats().messagesSent,
    received: stats.received,
    delivered: stats.delivered,
    duplicatesDropped: stats.duplicates,
    gaps: stats.gaps,
    missingIds: stats.missingIds,
    note,
  };
  rows.push(row);
  return row;
}

function closedReasons(ledger: Ledger): string[] {
  return ledger.events.flatMap((event) => (event.type === 'closed' ? [`${event.reason}:${event.code}`] : []));
}

test('OKX: TCP drop mid-frame: reconnect, a new books snapshot after a gap over what it replaces', async () => {
  const h = await harness({}, {}, true);
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.proxy!.cutMidFrame(), 1);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['dropped:1006']);
  const row = await finish(h, 'TCP drop mid-frame', `${h.proxy!.bytesCut} bytes cut`);
  assert.ok(row.gaps >= 1);
});

test('OKX: half-open silence detected by the unanswered ping', async () => {
  const h = await harness({}, { pingAfterMs: 300, pongTimeoutMs: 500 });
  h.exchange.injectFault({ type: 'silent' });
  await waitFor('the silent connection ends', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['pong-timeout:1006']);
  await waitFor('live again', () => h.ledger.count('live') === 2);
  await finish(h, 'half-open silence', 'pong timeout, reconnected');
});

test('OKX: close 1001: reconnect and report what was missed', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'close', code: 1001, reason: 'going away' });
  await waitFor('live again', () => h.ledger.count('live') === 2);
  assert.deepEqual(closedReasons(h.ledger), ['closed-by-venue:1001']);
  await finish(h, 'close 1001', 'reconnected');
});

test('OKX: the 64008 service-upgrade notice: make-before-break with no loss and no duplicate', async () => {
  const h = await harness({ rate: 200 }, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'serverShutdown' });
  await waitFor('handover', () => h.ledger.count('handover') === 1);
  const rollover = h.ledger.events.find((event) => event.type === 'rollover');
  assert.ok(rollover?.type === 'rollover' && rollover.reason === 'server-shutdown');
  await waitFor('the old connection closed', () => h.ledger.count('closed') === 1);
  assert.deepEqual(closedReasons(h.ledger), ['replaced:1000']);
  const row = await finish(h, 'upgrade notice (64008)', 'handover by seqId / tradeId');
  assert.equal(row.gaps, 0, 'nothing missing across the overlap');
  assert.ok(row.duplicatesDropped > 0, 'the overlap really carried pushes twice');
});

test('OKX: injected gap: a books update never sent, its seqIds reported up to the prevSeqId that names it', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  h.exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
  await waitFor('gap', () => h.ledger.count('gap') === 1);
  const gap = h.ledger.events.find((event) => event.type === 'gap');
  assert.ok(gap?.type === 'gap' && gap.name === 'books:BTC-USDT' && gap.reconnect === false && gap.to >= gap.from);
  const row = await finish(h, 'injected gap (2 books updates)', `gap [${gap.from}, ${gap.to}]`);
  assert.equal(row.gaps, 1);
});

test('OKX: injected bad checksum: every push delivered once, no gap (the book, not the stream, checks it)', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  assert.equal(h.exchange.injectFault({ type: 'checksum', symbol: 'btcusdt' }), 1);
  const row = await finish(h, 'bad checksum', 'delivered as sent');
  assert.equal(row.gaps, 0);
});

test('OKX: one stream silent (silenceStream): reported and resubscribed; the new snapshot comes after a gap', async () => {
  const h = await harness({}, { streamSilenceMs: 600 });
  assert.equal(h.exchange.injectFault({ type: 'silenceStream', stream: 'trades:BTC-USDT' }), 1);
  await waitFor('stream-silent', () => h.ledger.count('stream-silent') >= 1);
  h.exchange.injectFault({ type: 'resumeStream', stream: 'trades:BTC-USDT' });
  const index = h.stream.streamIndex('trades:BTC-USDT');
  const before = h.ledger.streams.get(index)!.entries.length;
  await waitFor('the trades flow again', () => h.ledger.streams.get(index)!.entries.length > before + 5);
  assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  const row = await finish(h, 'one stream silent', `${h.ledger.count('stream-silent')} stream-silent reports`);
  assert.ok(row.gaps >= 1, 'the trades made while silent are reported missing');
});

test("OKX: the connection limit (3 a second): 429 + Retry-After on reconnect, never a 418", async () => {
  const h = await harness({}, {});
  h.exchange.injectFault({ type: 'rateLimit', retryAfterMs: 1000 });
  h.exchange.injectFault({ type: 'drop' });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  const stats = h.exchange.stats();
  assert.ok(stats.rejected429 >= 1);
  assert.equal(stats.rejected418, 0);
  await finish(h, '429 Retry-After', `${stats.rejected429} x 429, 0 x 418`);
});

test('OKX: exchange restart (500 ms down): reconnect, the ids missed reported', async () => {
  const h = await harness({}, {});
  await waitFor('some events', () => h.ledger.delivered > 50);
  await h.exchange.restart({ downtimeMs: 500 });
  await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
  const row = await finish(h, 'restart, 500 ms down', `${h.ledger.count('connect-failed')} refused attempts`);
  assert.ok(row.gaps >= 1);
});
