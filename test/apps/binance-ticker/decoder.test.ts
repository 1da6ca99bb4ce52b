// The ticker's message path: combined-stream events into the model, send-stamp latency computed
// exactly from 19- and 20-digit nanosecond stamps, depth books asking for one snapshot at a time,
// and steady-state decoding without garbage collections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageClock } from '../../../src/client/stage-clock.js';
import { TickDecoder } from '../../../apps/binance-ticker/decoder.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE, TickerModel } from '../../../apps/binance-ticker/model.js';
import { BOOK_SYNCED, SNAPSHOT_APPLIED } from '../../../apps/binance-ticker/order-book.js';
import { GcWindow, warmUntilFlat } from '../../helpers/gc-window.js';

const encoder = new TextEncoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function feed(decoder: TickDecoder, text: string): void {
  // Surround the message with other bytes: the decoder must honour start and end.
  const body = bytes(text);
  const buffer = new Uint8Array(body.length + 7);
  buffer.set(body, 3);
  decoder.onMessage(buffer, 3, 3 + body.length);
}

function fakeStages(readTimeNs: bigint): StageClock {
  return { readTimeNs } as unknown as StageClock;
}

test('bookTicker: symbol matched by bytes, prices and sizes into the model, others counted apart', () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_BOOK_TICKER);
  const decoder = new TickDecoder(model);
  feed(decoder, '{"stream":"ethusdt@bookTicker","data":{"u":7,"s":"ETHUSDT","b":"3499.99000000","B":"1.25000000","a":"3500.01000000","A":"0.50000000"}}');
  feed(decoder, '{"stream":"xrpusdt@bookTicker","data":{"u":8,"s":"XRPUSDT","b":"1","B":"1","a":"2","A":"1"}}');
  feed(decoder, '{"result":null,"id":1}');
  feed(decoder, '{"stream":"btcusdt@bookTicker","data":{"u":9,"s":"BTCUSDT","b":"65000.1"'); // truncated
  assert.equal(model.total, 1);
  assert.equal(model.other, 3);
  assert.deepEqual([model.bid[1], model.bidQuantity[1], model.ask[1], model.askQuantity[1]], [3499.99, 1.25, 3500.01, 0.5]);
  assert.equal(model.messages[0], 0);
  assert.ok(Number.isNaN(model.bid[0]!));
});

test('trade: last price and quantity', () => {
  const model = new TickerModel(['btcusdt'], STREAM_TRADE);
  const decoder = new TickDecoder(model);
  feed(decoder, '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":5,"p":"65000.50","q":"0.013","T":1,"m":true,"M":true}}');
  assert.equal(model.last[0], 65000.5);
  assert.equal(model.lastQuantity[0], 0.013);
});

test('send-stamp latency is exact for stamps beyond 2^53 and taken once per read', () => {
  const model = new TickerModel(['btcusdt'], STREAM_BOOK_TICKER);
  const decoder = new TickDecoder(model);
  const readTime = 12_345_678_901_234_567_891n; // 20 digits: no float64 holds it exactly
  decoder.attach(fakeStages(readTime));
  const message = (stamp: bigint): string =>
    `{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0","T_ns":${stamp}}}`;
  feed(decoder, message(readTime - 1_500n));
  feed(decoder, message(readTime - 1_000_000_250n)); // across a whole second
  feed(decoder, message(readTime + 10n)); // stamped after the read: counted as 1 ns
  feed(decoder, '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1.0","B":"1.0","a":"2.0","A":"1.0"}}');
  assert.equal(decoder.stamped, 3);
  assert.equal(model.total, 4);
  const latency = decoder.wireLatency;
  assert.equal(latency.count, 3);
  assert.equal(latency.min, 1);
  // The histogram keeps 3 significant digits; the values recorded were 1, 1500 and 1000000250.
  assert.ok(Math.abs(latency.percentile(50) - 1500) <= 2, `p50 ${latency.percentile(50)}`);
  assert.ok(Math.abs(latency.max - 1_000_000_250) / 1_000_000_250 < 1e-3, `max ${latency.max}`);
});

test('depth: one snapshot request per book, applied snapshot publishes the best levels', () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_DEPTH);
  const decoder = new TickDecoder(model);
  const requests: number[] = [];
  decoder.onSnapshotNeeded = (symbol) => requests.push(symbol);
  const event = (symbol: string, firstId: number, lastId: number, bid: string): string =>
    `{"stream":"${symbol.toLowerCase()}@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"${symbol}","U":${firstId},"u":${lastId},"b":[["${bid}","2.0"]],"a":[]}}`;
  feed(decoder, event('BTCUSDT', 100, 101, '10.0'));
  feed(decoder, event('BTCUSDT', 102, 103, '10.5'));
  feed(decoder, event('ETHUSDT', 7, 7, '1.0'));
  assert.deepEqual(requests, [0, 1], 'each book asks once while its request is outstanding');
  assert.ok(Number.isNaN(model.bid[0]!), 'nothing published before the book is synced');

  const result = decoder.applySnapshot(0, bytes('{"lastUpdateId":101,"bids":[["9.5","1.0"]],"asks":[["11.0","3.0"]]}'));
  assert.equal(result, SNAPSHOT_APPLIED);
  assert.equal(decoder.books[0]!.state, BOOK_SYNCED);
  assert.deepEqual([model.bid[0], model.bidQuantity[0], model.ask[0], model.askQuantity[0]], [10.5, 2, 11, 3]);

  // A gap: the book asks again.
  feed(decoder, event('BTCUSDT', 110, 111, '10.5'));
  assert.deepEqual(requests, [0, 1, 0]);
  decoder.snapshotFailed(0);
  feed(decoder, event('BTCUSDT', 112, 112, '10.5'));
  assert.deepEqual(requests, [0, 1, 0, 0], 'after a failed request the next event asks again');
});

test('steady state: 300k stamped bookTicker messages decode without garbage collection', async () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_BOOK_TICKER);
  const decoder = new TickDecoder(model);
  const texts: string[] = [];
  for (let k = 0; k < 256; k++) {
    const symbol = k % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT';
    texts.push(
      `{"stream":"${symbol.toLowerCase()}@bookTicker","data":{"u":${400900217 + k},"s":"${symbol}","b":"${(65000 + k / 100).toFixed(8)}",` +
        `"B":"${(k / 7).toFixed(8)}","a":"${(65000.01 + k / 100).toFixed(8)}","A":"1.50000000","T_ns":${1_234_567_890_123_000_000n + BigInt(k)}}}`,
    );
  }
  const parts = texts.map(bytes);
  const data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((part, k) => {
    data.set(part, offsets[k]!);
    offsets[k + 1] = offsets[k]! + part.length;
  });
  decoder.attach(fakeStages(1_234_567_890_124_000_000n));
  // The measured window is made of the same rounds as the warm-up, after warmUntilFlat saw them
  // run flat (see test/market-json/allocation.test.ts for why a driver loop first entered in the
  // window, or a full GC between warm-up and window, measures the JIT instead of the decoder).
  const ROUND = 25_000;
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) {
      const k = n & 255;
      decoder.onMessage(data, offsets[k]!, offsets[k + 1]!);
    }
  };
  (globalThis as { gc?: () => void }).gc?.();
  const rounds = warmUntilFlat(round);
  const totalBefore = model.total;
  const gcWindow = new GcWindow();
  gcWindow.begin();
  for (let r = 0; r < 300_000 / ROUND; r++) round();
  gcWindow.end();
  const { scavenges, others } = await gcWindow.collect();
  const gcs = scavenges + others;
  console.log(`decoder: ${rounds} warm-up rounds; ${scavenges} scavenges, ${others} other GCs`);
  assert.equal(model.total - totalBefore, 300_000);
  assert.equal(model.other, 0);
  assert.ok(gcs <= 1, `expected no garbage collection while decoding, saw ${gcs}`);
});
