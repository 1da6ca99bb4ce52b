// The managed stream against the simulator over loopback: subscribe by name, events once, in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExchange } from '../../simulator/exchange.js';
import { BinanceDepthDecoder, ManagedStream } from '../../src/index.js';
import { Ledger, waitFor } from './ledger.js';

test('subscribes by name over one connection and delivers every event once, in order', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt', 'ethusdt'], rate: 200 });
  const ledger = new Ledger();
  const stream = new ManagedStream({ url: exchange.url, onMessage: ledger.onMessage, onEvent: ledger.onEvent });
  ledger.stream = stream;
  try {
    const names = ['btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@depth@100ms', 'ethusdt@trade', 'ethusdt@bookTicker'];
    assert.deepEqual(stream.subscribe(names), [0, 1, 2, 3, 4]);
    stream.start();
    await waitFor('live', () => ledger.count('live') === 1);
    await waitFor('events on every stream', () => ledger.streams.size === names.length && ledger.delivered > 200);
    exchange.pause();
    const finalId = exchange.book('btcusdt').lastUpdateId;
    await waitFor('the depth stream catches up', () => ledger.lastId('btcusdt@depth@100ms') === finalId);
    const totals = ledger.verifyContiguous();
    assert.equal(totals.missing, 0);
    assert.equal(totals.duplicated, 0);
    assert.equal(stream.connectionCount, 1);
    assert.equal(stream.stats.gaps, 0);
    assert.equal(stream.stats.delivered, ledger.delivered);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});

test('a dropped connection is replaced, the streams resubscribed, and the ids missed in between reported as gaps', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const ledger = new Ledger();
  const stream = new ManagedStream({ url: exchange.url, onMessage: ledger.onMessage, onEvent: ledger.onEvent, initialDelayMs: 50, maxDelayMs: 100 });
  ledger.stream = stream;
  try {
    stream.subscribe(['btcusdt@trade', 'btcusdt@depth@100ms']);
    stream.start();
    await waitFor('events', () => ledger.delivered > 50);
    exchange.injectFault({ type: 'drop' });
    await waitFor('live again', () => ledger.count('live') === 2);
    const closed = ledger.events.find((event) => event.type === 'closed');
    assert.ok(closed !== undefined && closed.type === 'closed' && closed.reason === 'dropped' && closed.code === 1006);
    const afterDrop = ledger.delivered;
    await waitFor('events after the reconnect', () => ledger.delivered > afterDrop + 50);
    exchange.pause();
    const finalId = exchange.book('btcusdt').lastUpdateId;
    await waitFor('the depth stream catches up', () => ledger.lastId('btcusdt@depth@100ms') === finalId);
    const totals = ledger.verifyContiguous();
    // Trades and depth updates went on while nobody listened: both streams report what they missed.
    assert.ok(totals.gaps >= 1, 'the reconnect gap is reported');
    for (const event of ledger.events) if (event.type === 'gap') assert.equal(event.reconnect, true);
    assert.equal(totals.duplicated, 0);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});

test('the async iterator yields events and messages in order, copies that outlive the callback', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const stream = new ManagedStream({ url: exchange.url });
  try {
    stream.subscribe(['btcusdt@trade']);
    const iterator = stream.messages({ capacity: 1000 });
    stream.start();
    const seen: string[] = [];
    let previous = NaN;
    for await (const item of iterator) {
      if (item.type !== 'message') {
        seen.push(item.type);
        continue;
      }
      const trade = JSON.parse(new TextDecoder().decode(item.data)) as { t: number };
      assert.equal(item.name, 'btcusdt@trade');
      if (!Number.isNaN(previous)) assert.equal(trade.t, previous + 1);
      previous = trade.t;
      if (seen.length > 0 && seen.at(-1) === 'message') continue;
      seen.push('message');
      if (seen.length >= 4) break;
    }
    assert.deepEqual(seen, ['connecting', 'open', 'live', 'message']);
  } finally {
    await stream.stop();
    await exchange.close();
  }
});

test('decodedBook(): during onMessage, the depth diff the stream decoded for its id check, equal to a fresh decode', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  const fresh = new BinanceDepthDecoder();
  let depthMessages = 0;
  let handedOver = 0;
  let otherStreams = 0;
  const mismatches: string[] = [];
  const stream: ManagedStream = new ManagedStream({
    url: exchange.url,
    onMessage: (index, data, start, end) => {
      const diff = stream.decodedBook();
      if (stream.streamName(index) !== 'btcusdt@depth@100ms') {
        if (diff !== null) otherStreams++;
        return;
      }
      depthMessages++;
      if (diff === null) return;
      handedOver++;
      assert.equal(fresh.decode(data, start, end), true);
      const want = fresh.diff;
      const same =
        diff.firstUpdateId === want.firstUpdateId &&
        diff.finalUpdateId === want.finalUpdateId &&
        diff.bidCount === want.bidCount &&
        diff.askCount === want.askCount &&
        diff.bids.subarray(0, 2 * diff.bidCount).every((value, k) => value === want.bids[k]) &&
        diff.asks.subarray(0, 2 * diff.askCount).every((value, k) => value === want.asks[k]);
      if (!same) mismatches.push(`${want.firstUpdateId}..${want.finalUpdateId}`);
    },
  });
  try {
    stream.subscribe(['btcusdt@trade', 'btcusdt@depth@100ms']);
    stream.start();
    await waitFor('depth events', () => depthMessages >= 20);
    assert.equal(handedOver, depthMessages, 'every depth message came with its decoded diff');
    assert.deepEqual(mismatches, []);
    assert.equal(otherStreams, 0, 'trade messages hand over no book');
    assert.equal(stream.decodedBook(), null, 'outside onMessage there is none');
  } finally {
    await stream.stop();
    await exchange.close();
  }
});
