// The ticker over the library's managed stream against the simulator, over loopback: dropped
// and silent connections are replaced, refused ones retried with their errors counted, a
// serverShutdown is rolled over make-before-break with nothing missing, and a depth book resyncs
// after a gap and then equals the exchange's. Every case reads what the ticker reports (its
// StreamReport, built from the stream's events, and the books' listeners).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startExchange } from '../../../simulator/exchange.js';
import { BOOK_IN_SYNC, unitsToNumber } from '../../../src/index.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE } from '../../../apps/binance-ticker/model.js';
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
    assert.equal(ticker.report.state, 'live');
    assert.equal(exchange.injectFault({ type: 'drop' }), 1);
    const before = ticker.model.total;
    await waitFor('a reconnect', () => ticker.report.reconnects === 1 && ticker.report.state === 'live');
    await waitFor('messages on the new connection', () => ticker.model.total >= before + 20);
    assert.ok(ticker.model.messages[0]! > 0 && ticker.model.messages[1]! > 0, 'both symbols resubscribed');
    assert.ok(ticker.handler.latency.stamped > 0, 'send stamps are read');
    assert.ok(ticker.stages.readToDelivered.count > 0, 'the stage clock is shared by the connections');
    assert.ok(events.some((text) => /^connection 1 closed \(dropped, 1006\), reconnecting$/.test(text)), events.join('; '));
    assert.ok(events.includes('reconnected (#1)'), events.join('; '));
  } finally {
    await ticker.stop();
    await exchange.close();
  }
  assert.equal(ticker.report.state, 'stopped');
});

test('silent connection: no frame for silenceMs -> dropped and replaced, counted as a silence', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_BOOK_TICKER, url: exchange.url, silenceMs: 300, initialDelayMs: 20 });
  try {
    ticker.start();
    await waitFor('first messages', () => ticker.model.total >= 10);
    exchange.injectFault({ type: 'silent' });
    await waitFor('the silence check to fire and a new connection', () => ticker.report.silences === 1 && ticker.report.reconnects === 1);
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
  const errors: Error[] = [];
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_BOOK_TICKER, url, initialDelayMs: 10, maxDelayMs: 40, onError: (error) => errors.push(error) });
  ticker.start();
  await waitFor('three failed attempts', () => ticker.report.connectFailures >= 3);
  await ticker.stop();
  const failures = ticker.report.connectFailures;
  assert.equal(ticker.errors, failures);
  assert.ok(errors.length >= 3 && errors.every((error) => /^connect failed/.test(error.message)), errors.map(String).join('; '));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(ticker.report.connectFailures, failures, 'no attempt after stop()');
});

test('serverShutdown: rolled over make-before-break; trade ids continue with no gap and nothing twice', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const events: string[] = [];
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_TRADE, url: exchange.url, onEvent: (text) => events.push(text) });
  try {
    ticker.start();
    await waitFor('first trades', () => ticker.model.total >= 10);
    exchange.injectFault({ type: 'serverShutdown' });
    await waitFor('the handover', () => ticker.report.handovers === 1);
    const before = ticker.model.total;
    await waitFor('trades on the new connection', () => ticker.model.total >= before + 10);
    const report = ticker.report;
    assert.equal(report.rollovers, 1);
    assert.equal(report.reconnects, 0, 'a rollover is not a reconnect');
    assert.equal(report.gaps, 0, 'nothing missing across the overlap');
    assert.equal(ticker.stream.stats.delivered, ticker.model.total, 'every delivered trade reached the model once');
    assert.ok(events.some((text) => text.startsWith('rollover (server-shutdown)')), events.join('; '));
    assert.ok(events.some((text) => /^handover: connection 1 -> 2/.test(text)), events.join('; '));
  } finally {
    await ticker.stop();
  }
  await exchange.close();
});

test('depth: book synced from REST; a gap is reported by the stream, the book resyncs and then equals the exchange', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const events: string[] = [];
  const ticker = new Ticker({ symbols: ['btcusdt'], kind: STREAM_DEPTH, url: exchange.url, onEvent: (text) => events.push(text) });
  try {
    ticker.start();
    const book = ticker.books[0]!;
    await waitFor('the book to sync', () => book.state === BOOK_IN_SYNC);
    exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
    await waitFor('the gap to be seen', () => book.gaps >= 1 && ticker.report.gaps >= 1);
    await waitFor('the book to resync', () => book.state === BOOK_IN_SYNC && book.snapshotsLoaded >= 2);
    assert.equal(ticker.resyncs, 1);
    assert.ok(events.some((text) => /^btcusdt@depth@100ms: ids \d+\.\.\d+ missing/.test(text)), events.join('; '));
    assert.ok(events.some((text) => /^btcusdt: book missed ids \d+\.\.\d+, resyncing/.test(text)), events.join('; '));
    // pause() flushes pending diffs: once the book has caught up it must equal the exchange's.
    exchange.pause();
    const expected = exchange.book('btcusdt');
    await waitFor('the last diff', () => book.updateId === expected.lastUpdateId);
    const levels = (side: typeof book.bids): Array<[number, number]> => {
      const out: Array<[number, number]> = [];
      for (let rank = 0; rank < side.count; rank++) out.push([unitsToNumber(side.price(rank), book.scale), unitsToNumber(side.quantity(rank), book.scale)]);
      return out;
    };
    const numbers = (side: Array<[string, string]>): Array<[number, number]> => side.map(([p, q]) => [Number(p), Number(q)]);
    assert.deepEqual(levels(book.bids), numbers(expected.bids));
    assert.deepEqual(levels(book.asks), numbers(expected.asks));
    assert.equal(ticker.model.bid[0], Number(expected.bids[0]![0]));
  } finally {
    await ticker.stop();
    await exchange.close();
  }
});
