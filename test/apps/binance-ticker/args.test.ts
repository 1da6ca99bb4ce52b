// binance-ticker's command line: defaults, each option, and the mistakes it refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTickerArgs, UsageError } from '../../../apps/binance-ticker/args.js';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, streamFor, TickerModel } from '../../../apps/binance-ticker/model.js';
import { restBaseFor } from '../../../apps/binance-ticker/ticker.js';

test('defaults: bookTicker, embedded simulator, no end, 100 updates/s, 250 ms refresh, 5 s silence', () => {
  const args = parseTickerArgs(['BTCUSDT', 'ethusdt']);
  assert.deepEqual(args.symbols, ['btcusdt', 'ethusdt']);
  assert.equal(args.kind, STREAM_BOOK_TICKER);
  assert.equal(args.url, null);
  assert.equal(args.durationMs, Infinity);
  assert.equal(args.json, false);
  assert.equal(args.rate, 100);
  assert.equal(args.refreshMs, 250);
  assert.equal(args.silenceMs, 5000);
  assert.equal(args.venue, 'binance-spot');
});

test('options', () => {
  const args = parseTickerArgs(['btcusdt', '--stream', 'depth', '--url', 'wss://stream.binance.com:9443', '--duration', '2.5', '--json', '--rate', '0', '--silence', '0']);
  assert.equal(args.kind, STREAM_DEPTH);
  assert.equal(args.url, 'wss://stream.binance.com:9443');
  assert.equal(args.durationMs, 2500);
  assert.equal(args.json, true);
  assert.equal(args.rate, 0);
  assert.equal(args.silenceMs, 0);
  assert.equal(parseTickerArgs(['-h']).help, true);
  assert.equal(parseTickerArgs(['btcusdt', '--venue', 'binance-spot']).venue, 'binance-spot');
  assert.deepEqual(parseTickerArgs(['BTC-USDT']).symbols, ['btc-usdt']);
});

test('refused: no symbol, unknown stream, bad numbers, http URL, duplicates, unknown flags', () => {
  for (const argv of [[], ['btcusdt', '--stream', 'kline'], ['btcusdt', '--duration', '0'], ['btcusdt', '--duration', 'x'], ['btcusdt', '--rate', '-1'], ['btcusdt', '--url', 'https://api.binance.com'], ['btcusdt', 'BTCUSDT'], ['btc_usdt'], ['-btc'], ['btcusdt', '--venue', 'nowhere'], ['btcusdt', '--verbose']]) {
    assert.throws(() => parseTickerArgs(argv), UsageError, argv.join(' '));
  }
});

test('stream names and REST base', () => {
  const model = new TickerModel(['btcusdt', 'ethusdt'], STREAM_DEPTH);
  assert.deepEqual(model.streamNames(), ['btcusdt@depth@100ms', 'ethusdt@depth@100ms']);
  assert.equal(streamFor('BNBUSDT', STREAM_BOOK_TICKER), 'bnbusdt@bookTicker');
  assert.equal(restBaseFor('wss://stream.binance.com:9443'), 'https://api.binance.com');
  assert.equal(restBaseFor('wss://data-stream.binance.vision'), 'https://data-api.binance.vision');
  assert.equal(restBaseFor('wss://localhost:8443'), 'https://localhost:8443');
  assert.equal(restBaseFor('ws://127.0.0.1:9000/'), 'http://127.0.0.1:9000');
});
