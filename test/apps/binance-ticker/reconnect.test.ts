// The ticker's connection against the simulator over loopback: dropped connections and silent
// (half-open) ones are replaced, data keeps flowing, depth books resync after a gap. Plus the
// backoff schedule itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startExchange } from '../../../simulator/exchange.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH } from '../../../apps/binance-ticker/model.js';
import { BOOK_SYNCED } from '../../../apps/binance-ticker/order-book.js';
import { Backoff, LINK_OPEN } from '../../../apps/binance-ticker/reconnect.js';
import { Ticker } from '../../../apps/binance-ticker/ticker.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** Upper bound for waiting on something that normally takes milliseconds. */
const WAIT_LIMIT_MS = 10_000;

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('backoff doubles from the initial delay to the cap, with jitter in [d/2, d], and resets', () => {
  const low = new Backoff(100, 5000, () => 0);
  assert.deepEqual(Array.from({ length: 8 }, () => low.next()), [50, 100, 200, 400, 800, 1600, 2500, 2500]);
  const high = new Backoff(100, 5000, () => 1);
  assert.deepEqual(Array.from({ length: 8 }, () => high.next()), [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  high.reset();
  assert.equal(high.next(), 100);
  assert.throws(() => new Backoff(0, 10), RangeError);
});

test('dropped connection: the ticker reconnects by itself and data keeps coming (wss, test CA)', async () => {
  const exchange = await startExchange({ tls: true, symbols: ['btcusdt', 'ethusdt'], rate: 200, stamp: true });
  const events: string[] = [];
  const ticker = new Ticker({
    symbols: ['btcusdt', 'ethusdt'],
    kind: STREAM_BOOK_TICKER,
    url: exchange.wssUrl!,
    ca: readFileSync(join(root, 'fixtures', 'tls', 'ca.pem')),
    initialDelayMs: 20,
    maxDelayMs: 200,
    onEvent: (text) => events.push(text),
  });
  try {
    ticker.start();
    await waitFor('first messages', () => ticker.model.total >= 20);
    assert.equal(exchange.injectFault({ type: 'drop' }), 1);
    const before = ticker.model.total;
    await waitFor('a reconnect', () => ticker.link.reconnects === 1 && ticker.link.state === LINK_OPEN);
    await waitFor('messages on the new connection', () => ticker.model.total >= before + 20);
    assert.ok(ticker.model.messages[0]! > 0 && ticker.model.messages[1]! > 0, 'both symbols resubscribed');
    assert.ok(ticker.decoder.stamped > 0, 'send stamps are read');
    assert.ok(events.some((text) => text.startsWith('reconnected')), events.join('; '));
  } finally {
    await ticker.stop();
    await exchange.close();
  }
  assert.equal(ticker.link.stateName, 'stopped');
});

test('silent connection: no message for silenceMs -> dropped and replaced', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_BOOK_TICKER, url: exchange.url, silenceMs: 300, initialDelayMs: 20 });
  try {
    ticker.start();
    await waitFor('first messages', () => ticker.model.total >= 10);
    exchange.injectFault({ type: 'silent' });
    await waitFor('the silence check to fire and a new connection', () => ticker.link.silences === 1 && ticker.link.reconnects === 1);
    const before = ticker.model.total;
    await waitFor('messages after the silence', () => ticker.model.total >= before + 10);
  } finally {
    await ticker.stop();
    await exchange.close();
  }
});

test('connection refused: retried with backoff, errors counted, stop() ends the retries', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'] });
  const url = exchange.url;
  await exchange.close();
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_BOOK_TICKER, url, initialDelayMs: 10, maxDelayMs: 40 });
  ticker.start();
  await waitFor('three failed attempts', () => ticker.link.connectFailures >= 3);
  await ticker.stop();
  const failures = ticker.link.connectFailures;
  assert.equal(ticker.errors, failures);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(ticker.link.connectFailures, failures, 'no attempt after stop()');
});

test('depth: book synced from REST, matches the exchange after a gap forced a resync', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_DEPTH, url: exchange.url });
  try {
    ticker.start();
    const book = ticker.decoder.books[0]!;
    await waitFor('the book to sync', () => book.state === BOOK_SYNCED);
    exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
    await waitFor('the gap to be seen', () => book.gaps >= 1);
    await waitFor('the book to resync', () => book.state === BOOK_SYNCED && book.snapshots >= 2);
    // pause() flushes pending diffs: once the book has caught up it must equal the exchange's.
    exchange.pause();
    const expected = exchange.book('btcusdt');
    await waitFor('the last diff', () => book.updateId === expected.lastUpdateId);
    const levels = (side: typeof book.bids): Array<[string, string]> => {
      const out: Array<[string, string]> = [];
      for (let rank = 0; rank < side.count; rank++) out.push([String(side.price(rank)), String(side.quantity(rank))]);
      return out;
    };
    const normalise = (side: Array<[string, string]>): Array<[string, string]> => side.map(([p, q]) => [String(Number(p)), String(Number(q))]);
    assert.deepEqual(levels(book.bids), normalise(expected.bids));
    assert.deepEqual(levels(book.asks), normalise(expected.asks));
    assert.equal(ticker.model.bid[0], Number(expected.bids[0]![0]));
  } finally {
    await ticker.stop();
    await exchange.close();
  }
});
