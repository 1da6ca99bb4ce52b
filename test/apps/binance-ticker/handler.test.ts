// The ticker's message path: events as the managed stream delivers them (the payload, with the
// stream's index) into the model through the library's typed decoders, send-stamp latency
// computed exactly from 19- and 20-digit nanosecond stamps at the payload's end, depth diffs
// into LocalOrderBooks, and steady-state handling without garbage collections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binanceSpotMarket, binanceSpotOrderBook, BOOK_IN_SYNC, StageClock, type LocalOrderBook } from '../../../src/index.js';
import { TickHandler } from '../../../apps/binance-ticker/handler.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE, TickerModel } from '../../../apps/binance-ticker/model.js';
import { GcWindow, warmUntilFlat } from '../../helpers/gc-window.js';

const encoder = new TextEncoder();

function feed(handler: TickHandler, stream: number, text: string): void {
  // Surround the payload with other bytes (as the combined-stream wrapper does): start and end count.
  const body = encoder.encode(text);
  const buffer = new Uint8Array(body.length + 7);
  buffer.set(body, 3);
  handler.onMessage(stream, buffer, 3, 3 + body.length);
}

function clockAt(readTimeNs: bigint): StageClock {
  const clock = new StageClock();
  clock.readTimeNs = readTimeNs;
  return clock;
}

test('bookTicker: stream index -> symbol, prices and sizes into the model; unknown streams and unreadable events counted apart', () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_BOOK_TICKER);
  const handler = new TickHandler(model, binanceSpotMarket(), [], null);
  handler.mapStream(4, 1); // the managed stream's index 4 carries ethusdt
  handler.mapStream(0, 0);
  feed(handler, 4, '{"u":7,"s":"ETHUSDT","b":"3499.99000000","B":"1.25000000","a":"3500.01000000","A":"0.50000000"}');
  feed(handler, 9, '{"u":8,"s":"XRPUSDT","b":"1","B":"1","a":"2","A":"1"}'); // a stream no symbol maps to
  feed(handler, 0, '{"u":9,"s":"BTCUSDT","b":"65000.1"'); // truncated
  assert.equal(model.total, 1);
  assert.equal(model.other, 2);
  assert.deepEqual([model.bid[1], model.bidQuantity[1], model.ask[1], model.askQuantity[1]], [3499.99, 1.25, 3500.01, 0.5]);
  assert.equal(model.messages[1], 1);
  assert.equal(model.messages[0], 0);
  assert.ok(Number.isNaN(model.bid[0]!));
  assert.equal(handler.symbolOf(4), 1);
  assert.equal(handler.symbolOf(100), -1);
});

test('trade: last price and quantity through the venue\'s trade iterator; a bookTicker payload on a trade stream is not a trade', () => {
  const model = new TickerModel(['btcusdt'], STREAM_TRADE);
  const handler = new TickHandler(model, binanceSpotMarket(), [], null);
  handler.mapStream(0, 0);
  feed(handler, 0, '{"e":"trade","E":1,"s":"BTCUSDT","t":5,"p":"65000.50","q":"0.013","T":1,"m":true,"M":true}');
  feed(handler, 0, '{"u":9,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}');
  assert.equal(model.last[0], 65000.5);
  assert.equal(model.lastQuantity[0], 0.013);
  assert.equal(model.total, 1);
  assert.equal(model.other, 1);
  assert.equal(handler.trades, 1);
});

test('send-stamp latency: exact for stamps beyond 2^53, read from the payload end; other trailing numbers are not stamps', () => {
  const model = new TickerModel(['btcusdt'], STREAM_BOOK_TICKER);
  const readTime = 12_345_678_901_234_567_891n; // 20 digits: no float64 holds it exactly
  const handler = new TickHandler(model, binanceSpotMarket(), [], clockAt(readTime));
  handler.mapStream(0, 0);
  const message = (stamp: bigint): string => `{"u":1,"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0","T_ns":${stamp}}`;
  feed(handler, 0, message(readTime - 1_500n));
  feed(handler, 0, message(readTime - 1_000_000_250n)); // across a whole second
  feed(handler, 0, message(readTime + 10n)); // stamped after the read: counted as 1 ns
  feed(handler, 0, '{"u":1,"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0"}');
  feed(handler, 0, '{"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0","u":123456789}'); // a number last, another key
  feed(handler, 0, '{"u":1,"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0","T_ns":123456789012345678901}'); // 21 digits
  assert.equal(model.total, 6);
  const latency = handler.latency;
  assert.equal(latency.stamped, 3);
  assert.equal(latency.histogram.count, 3);
  assert.equal(latency.histogram.min, 1);
  // The histogram keeps 3 significant digits; the values recorded were 1, 1500 and 1000000250.
  assert.ok(Math.abs(latency.histogram.percentile(50) - 1500) <= 2, `p50 ${latency.histogram.percentile(50)}`);
  assert.ok(Math.abs(latency.histogram.max - 1_000_000_250) / 1_000_000_250 < 1e-3, `max ${latency.histogram.max}`);
});

test('depth: diffs into the symbol\'s LocalOrderBook; the best levels are published once it is in sync', async () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_DEPTH);
  const requests: string[] = [];
  let answer: (body: Uint8Array) => void = () => {};
  const books: LocalOrderBook[] = model.symbols.map((symbol, index) =>
    binanceSpotOrderBook({
      symbol: symbol.toUpperCase(),
      fetchSnapshot: (name) => {
        requests.push(name);
        return new Promise<Uint8Array>((resolve) => {
          if (index === 0) answer = resolve;
        });
      },
      listener: { onStateChange: (_book, state) => state === BOOK_IN_SYNC && handler.publishBest(index) },
    }),
  );
  const handler = new TickHandler(model, binanceSpotMarket(), books, null);
  handler.mapStream(0, 0);
  handler.mapStream(1, 1);
  const event = (symbol: string, firstId: number, lastId: number, bid: string): string =>
    `{"e":"depthUpdate","E":1,"s":"${symbol}","U":${firstId},"u":${lastId},"b":[["${bid}","2.0"]],"a":[]}`;
  feed(handler, 0, event('BTCUSDT', 100, 101, '10.0'));
  feed(handler, 0, event('BTCUSDT', 102, 103, '10.5'));
  feed(handler, 1, event('ETHUSDT', 7, 7, '1.0'));
  feed(handler, 1, '{"u":9,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1"}'); // not a depth message
  assert.deepEqual(requests, ['BTCUSDT', 'ETHUSDT'], 'each book asks once while its request is outstanding');
  assert.equal(model.total, 3);
  assert.equal(model.other, 1);
  assert.ok(Number.isNaN(model.bid[0]!), 'nothing published before the book is in sync');

  answer(encoder.encode('{"lastUpdateId":101,"bids":[["9.5","1.0"]],"asks":[["11.0","3.0"]]}'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(books[0]!.state, BOOK_IN_SYNC);
  assert.deepEqual([model.bid[0], model.bidQuantity[0], model.ask[0], model.askQuantity[0]], [10.5, 2, 11, 3]);
  feed(handler, 0, event('BTCUSDT', 104, 104, '10.75'));
  assert.equal(model.bid[0], 10.75, 'each applied diff publishes');
  for (const book of books) book.close();
});

test('steady state: 300k stamped bookTicker events decode without garbage collection', async () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_BOOK_TICKER);
  const handler = new TickHandler(model, binanceSpotMarket(), [], clockAt(1_234_567_890_124_000_000n));
  handler.mapStream(0, 0);
  handler.mapStream(1, 1);
  const texts: string[] = [];
  for (let k = 0; k < 256; k++) {
    const symbol = k % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT';
    texts.push(
      `{"u":${400900217 + k},"s":"${symbol}","b":"${(65000 + k / 100).toFixed(8)}",` +
        `"B":"${(k / 7).toFixed(8)}","a":"${(65000.01 + k / 100).toFixed(8)}","A":"1.50000000","T_ns":${1_234_567_890_123_000_000n + BigInt(k)}}`,
    );
  }
  const parts = texts.map((text) => encoder.encode(text));
  const data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((part, k) => {
    data.set(part, offsets[k]!);
    offsets[k + 1] = offsets[k]! + part.length;
  });
  // The measured window is made of the same rounds as the warm-up, after warmUntilFlat saw them
  // run flat (see test/market-json/allocation.test.ts for why).
  const ROUND = 25_000;
  const onMessage = handler.onMessage;
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) {
      const k = n & 255;
      onMessage(k & 1, data, offsets[k]!, offsets[k + 1]!);
    }
  };
  (globalThis as { gc?: () => void }).gc?.();
  const rounds = warmUntilFlat(round);
  const totalBefore = model.total;
  const stampedBefore = handler.latency.stamped;
  const gcWindow = new GcWindow();
  gcWindow.begin();
  for (let r = 0; r < 300_000 / ROUND; r++) round();
  gcWindow.end();
  const { scavenges, others } = await gcWindow.collect();
  const gcs = scavenges + others;
  console.log(`handler: ${rounds} warm-up rounds; ${scavenges} scavenges, ${others} other GCs`);
  assert.equal(model.total - totalBefore, 300_000);
  assert.equal(handler.latency.stamped - stampedBefore, 300_000);
  assert.equal(model.other, 0);
  assert.ok(gcs <= 1, `expected no garbage collection while decoding, saw ${gcs}`);
});
