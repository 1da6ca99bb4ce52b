// Bybit fault tests over real sockets against the simulator's `bybit` venue: a managed stream on
// /v5/public/spot and one on /v5/public/linear, each with order books at two depths and trades,
// through every fault. After each case the ledger (ledger.ts) checks, from the payloads, that
// every book delta delivered continues the message before it or follows a snapshot that reloads
// the book (nothing applied on top of a hole), that nothing was delivered twice, and that trades
// are missing only across a reported reconnect. The table printed at the end gives per case the
// messages sent, delivered, snapshots, deltas replaced by a snapshot, and trades missing.
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { startExchange, type Exchange, type Fault } from '../../../simulator/exchange.js';
import { ConnectionGate, ManagedStream, type ManagedStreamOptions } from '../../../src/index.js';
import { bybitLinear, bybitSpot } from '../../../src/venues/bybit/index.js';
import { BybitLedger, waitFor } from './ledger.js';

const SYMBOLS = ['btcusdt', 'ethusdt'];
const TOPICS = SYMBOLS.flatMap((symbol) => {
  const upper = symbol.toUpperCase();
  return [`orderbook.50.${upper}`, `orderbook.1.${upper}`, `publicTrade.${upper}`];
});
const CATEGORIES = [
  ['spot', bybitSpot],
  ['linear', bybitLinear],
] as const;

interface Row {
  name: string;
  sent: number;
  delivered: number;
  snapshots: number;
  replacedBySnapshot: number;
  tradesMissingAcrossReconnects: number;
  reconnects: number;
}
const rows: Row[] = [];

after(() => {
  const header = '| case | sent | delivered | snapshots | deltas replaced by a snapshot | trades missing across reconnects | reconnects |';
  const lines = rows.map((row) => `| ${row.name} | ${row.sent} | ${row.delivered} | ${row.snapshots} | ${row.replacedBySnapshot} | ${row.tradesMissingAcrossReconnects} | ${row.reconnects} |`);
  console.log(['', header, '|---|---|---|---|---|---|---|', ...lines].join('\n'));
});

interface Client {
  category: 'spot' | 'linear';
  stream: ManagedStream;
  ledger: BybitLedger;
}

interface Harness {
  exchange: Exchange;
  clients: Client[];
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    for (const client of h.clients) await client.stream.stop();
    await h.exchange.close();
  }
});

async function harness(options: Partial<ManagedStreamOptions> = {}): Promise<Harness> {
  const exchange = await startExchange({ venue: 'bybit', symbols: SYMBOLS, rate: 200 });
  // Both streams come from one IP: they share its connection-attempt budget and Retry-After
  // ("Do not build over 500 connections in 5 minutes", counted per domain).
  const gate = new ConnectionGate(bybitSpot.limits.connectionAttempts, bybitSpot.limits.connectionAttemptWindowMs);
  const clients = CATEGORIES.map(([category, venue]): Client => {
    const ledger = new BybitLedger();
    const stream = new ManagedStream({ url: exchange.url, venue, onMessage: ledger.onMessage, onEvent: ledger.onEvent, initialDelayMs: 20, maxDelayMs: 200, gate, ...options });
    ledger.stream = stream;
    stream.subscribe(TOPICS);
    stream.start();
    return { category, stream, ledger };
  });
  const h = { exchange, clients };
  open.push(h);
  for (const client of clients) {
    await waitFor(`${client.category} live`, () => client.ledger.count('live') >= 1);
    await waitFor(`${client.category} events on every topic`, () => client.ledger.topics.size === TOPICS.length);
  }
  return h;
}

/** Pauses the exchange, waits until every client has what was sent, verifies and records. */
async function finish(h: Harness, name: string): Promise<void> {
  for (const client of h.clients) {
    const before = client.ledger.delivered;
    await waitFor(`${client.category}: events after the fault`, () => client.ledger.delivered > before + 20);
  }
  h.exchange.pause();
  for (const client of h.clients) {
    for (const symbol of SYMBOLS) {
      const extra = h.exchange.book(symbol).extra!;
      for (const topic of TOPICS.filter((candidate) => candidate.endsWith(symbol.toUpperCase()))) {
        const target = topic.startsWith('publicTrade.') ? Number(extra.tradeNumber) : Number(extra[`${client.category}:${topic}`]);
        await waitFor(`${client.category} ${topic} catches up to ${target}`, () => client.ledger.last(topic) === target);
      }
    }
    const books = client.ledger.verifyBooks();
    const trades = client.ledger.verifyTrades();
    assert.equal(client.stream.stats.delivered, client.ledger.delivered);
    rows.push({
      name: `${name} (${client.category})`,
      sent: h.exchange.stats().messagesSent,
      delivered: client.ledger.delivered,
      snapshots: books.snapshots,
      replacedBySnapshot: books.replacedBySnapshot,
      tradesMissingAcrossReconnects: trades.missingAcrossReconnects,
      reconnects: client.ledger.count('open') - 1,
    });
  }
}

async function afterSome(h: Harness, count = 50): Promise<void> {
  for (const client of h.clients) {
    const before = client.ledger.delivered;
    await waitFor('some events', () => client.ledger.delivered > before + count);
  }
}

const reconnectCases: Array<[string, Fault]> = [
  ['drop', { type: 'drop' }],
  ['close 1001', { type: 'close', code: 1001 }],
];
for (const [name, fault] of reconnectCases) {
  test(`${name}: reconnect, every book reloads from its snapshot, trades missing only across the reconnect`, async () => {
    const h = await harness();
    await afterSome(h);
    assert.equal(h.exchange.injectFault(fault), 2);
    for (const client of h.clients) await waitFor(`${client.category} live again`, () => client.ledger.count('live') >= 2);
    await finish(h, name);
  });
}

test('silent exchange: the Bybit ping goes unanswered, pong-timeout, reconnect', async () => {
  const h = await harness({ pingAfterMs: 200, pongTimeoutMs: 400 });
  await afterSome(h);
  h.exchange.injectFault({ type: 'silent' });
  for (const client of h.clients) await waitFor(`${client.category} pong timeout`, () => client.ledger.events.some((event) => event.type === 'closed' && event.reason === 'pong-timeout'));
  h.exchange.injectFault({ type: 'resume' });
  for (const client of h.clients) await waitFor(`${client.category} live again`, () => client.ledger.count('live') >= 2);
  await finish(h, 'silent');
});

test('gap: Bybit loses deltas and re-sends a snapshot; nothing applied on top of the hole', async () => {
  const h = await harness();
  await afterSome(h);
  assert.ok(h.exchange.injectFault({ type: 'gap', events: 3 }) > 0);
  await afterSome(h, 200);
  await finish(h, 'gap');
  for (const client of h.clients) assert.ok(client.ledger.verifyBooks().replacedBySnapshot > 0, `${client.category}: the lost deltas were replaced by a snapshot`);
});

test('bookSnapshot: Bybit re-sends a snapshot mid-stream; the book reloads in-band', async () => {
  const h = await harness();
  await afterSome(h);
  assert.ok(h.exchange.injectFault({ type: 'bookSnapshot' }) > 0);
  await afterSome(h);
  await finish(h, 'bookSnapshot');
});

test('serviceRestart (u = 1): the book reloads in-band; the stream reports the restart as a reset', async () => {
  const h = await harness();
  await afterSome(h);
  assert.ok(h.exchange.injectFault({ type: 'serviceRestart', symbol: 'btcusdt' }) > 0);
  for (const client of h.clients) await waitFor(`${client.category} restart snapshot`, () => client.ledger.last('orderbook.50.BTCUSDT') < 100);
  await finish(h, 'serviceRestart');
  for (const client of h.clients) assert.ok(client.ledger.count('reset') >= 1, `${client.category}: u going back to 1 is reported`);
});

test('silenceStream: the quiet topic is resubscribed and starts again from a snapshot', async () => {
  const h = await harness({ streamSilenceMs: 500 });
  await afterSome(h);
  for (const [category] of CATEGORIES) h.exchange.injectFault({ type: 'silenceStream', stream: `${category}:orderbook.50.BTCUSDT` });
  for (const client of h.clients) await waitFor(`${client.category} stream-silent`, () => client.ledger.count('stream-silent') >= 1);
  for (const [category] of CATEGORIES) h.exchange.injectFault({ type: 'resumeStream', stream: `${category}:orderbook.50.BTCUSDT` });
  await finish(h, 'silenceStream');
});

test('rateLimit + drop: the reconnect waits for Retry-After, then every book reloads', async () => {
  const h = await harness();
  await afterSome(h);
  h.exchange.injectFault({ type: 'rateLimit', retryAfterMs: 300 });
  h.exchange.injectFault({ type: 'drop' });
  // The first refused attempt sets the shared gate's Retry-After; the other stream then waits without trying.
  await waitFor('rate-limited', () => h.clients.some((client) => client.ledger.count('rate-limited') >= 1));
  for (const client of h.clients) await waitFor(`${client.category} live again`, () => client.ledger.count('live') >= 2, 20_000);
  assert.ok(h.exchange.stats().rejected429 >= 1);
  assert.equal(h.exchange.stats().rejected418, 0, 'no ban: Bybit documents none');
  await finish(h, 'rateLimit');
});

test('exchange restart: every connection drops, the streams reconnect and reload', async () => {
  const h = await harness();
  await afterSome(h);
  await h.exchange.restart({ downtimeMs: 100 });
  for (const client of h.clients) await waitFor(`${client.category} live again`, () => client.ledger.count('live') >= 2);
  await finish(h, 'restart');
});
