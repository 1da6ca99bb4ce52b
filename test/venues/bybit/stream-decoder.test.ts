// The Bybit stream decoder and profiles: data by topic in the live layout and any other valid
// layout, the docs' subscribe and pong answers (spot and linear differ), refusals, and the
// requests the profiles write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_PONG, MESSAGE_REJECT, MESSAGE_UNKNOWN, SEQUENCE_MONOTONIC, SEQUENCE_NONE } from '../../../src/index.js';
import { StreamNameTable } from '../../../src/stream/name-table.js';
import {
  BYBIT_MAX_TOPICS,
  BybitOrderbookDecoder,
  BybitStreamDecoder,
  BYBIT_PING_MESSAGE,
  BYBIT_SPOT_ARGS_PER_REQUEST,
  bybitLinear,
  bybitSpot,
  TOPIC_ORDERBOOK,
  TOPIC_TICKER,
  TOPIC_TRADE,
} from '../../../src/venues/bybit/index.js';
import { ORDERBOOK_DELTA, PONG_LINEAR, PONG_SPOT, PUBLIC_TRADE, SUBSCRIBE_LINEAR, SUBSCRIBE_SPOT, TICKER_SPOT } from './fixtures.js';

const names = ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT'];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const compact = (text: string): string => JSON.stringify(JSON.parse(text) as unknown);

function setup() {
  const table = new StreamNameTable();
  const layouts = new Uint8Array(names.length);
  for (const name of names) layouts[table.add(name)] = bybitSpot.idLayout(name);
  const decoder = bybitSpot.createDecoder(table, () => layouts);
  assert.ok(decoder instanceof BybitStreamDecoder);
  return decoder;
}

test('data: the topic names the stream, the whole message is the payload, in any layout', () => {
  const decoder = setup();
  for (const [name, text] of [
    [names[0]!, ORDERBOOK_DELTA],
    [names[1]!, PUBLIC_TRADE],
    [names[2]!, TICKER_SPOT],
  ] as const) {
    for (const layout of [compact(text), text]) {
      const data = bytes(`xx${layout}yy`);
      assert.equal(decoder.decode(data, 2, data.length - 2), MESSAGE_DATA, layout);
      assert.equal(decoder.stream, names.indexOf(name));
      assert.equal(decoder.payloadStart, 2);
      assert.equal(decoder.payloadEnd, data.length - 2);
      if (name === names[0]) {
        // Orderbook topics: u for the stream's monotonic check; the docs' delta is no snapshot.
        assert.deepEqual([decoder.firstId, decoder.lastId, decoder.startsSequence], [177400507, 177400507, false]);
        assert.equal(decoder.book?.bidCount, 5, 'the decoded diff is handed on (ManagedStream.decodedBook())');
      } else {
        assert.ok(Number.isNaN(decoder.firstId) && Number.isNaN(decoder.lastId), 'trades and tickers carry no id the stream checks');
        assert.equal(decoder.book, null);
      }
    }
  }
  const snapshot = '{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":7,"seq":9},"cts":1}';
  assert.equal(decoder.decode(bytes(snapshot), 0, snapshot.length), MESSAGE_DATA);
  assert.deepEqual([decoder.lastId, decoder.startsSequence], [7, true]);
  // An unreadable orderbook payload: no ids (the stream reports it instead of delivering it).
  const unreadable = '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["x","1"]],"a":[],"u":8}}';
  assert.equal(decoder.decode(bytes(unreadable), 0, unreadable.length), MESSAGE_DATA);
  assert.ok(Number.isNaN(decoder.lastId));
  // A topic this connection does not carry, and input that is not JSON.
  for (const text of ['{"topic":"orderbook.50.ETHUSDT","type":"delta","data":{"u":1}}', '{"topic":"orderbook.50.BTCUSDT"', 'pong']) {
    assert.equal(decoder.decode(bytes(text), 0, text.length), MESSAGE_UNKNOWN, text);
  }
  // The fast path classifies by topic only (as Binance's does): the payload's own decoder
  // validates it, and refuses an unbalanced one.
  const unbalanced = '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"u":2}';
  assert.equal(decoder.decode(bytes(unbalanced), 0, unbalanced.length), MESSAGE_DATA);
  assert.equal(new BybitOrderbookDecoder().decode(bytes(unbalanced)), false);
});

test('answers: the docs subscribe and pong examples, spot and linear; refusals carry ret_msg', () => {
  const decoder = setup();
  assert.equal(decoder.decode(bytes(SUBSCRIBE_SPOT), 0, SUBSCRIBE_SPOT.length), MESSAGE_ACK);
  assert.equal(decoder.requestId, 10001);
  // Linear answers with "req_id":"" when none was given: no request to match.
  assert.equal(decoder.decode(bytes(SUBSCRIBE_LINEAR), 0, SUBSCRIBE_LINEAR.length), MESSAGE_ACK);
  assert.equal(decoder.requestId, -1);
  for (const pong of [PONG_SPOT, PONG_LINEAR, '{"args":["1672916271846"],"op":"pong"}']) {
    assert.equal(decoder.decode(bytes(pong), 0, pong.length), MESSAGE_PONG, pong);
  }
  const refusal = '{"success":false,"ret_msg":"error:handler not found,topic:orderbook.7.BTCUSDT","conn_id":"c1","req_id":"7","op":"subscribe"}';
  assert.equal(decoder.decode(bytes(refusal), 0, refusal.length), MESSAGE_REJECT);
  assert.equal(decoder.requestId, 7);
  assert.equal(decoder.errorText(), 'error:handler not found,topic:orderbook.7.BTCUSDT');
  const unsubscribed = '{"success":true,"ret_msg":"","conn_id":"c1","req_id":"8","op":"unsubscribe"}';
  assert.equal(decoder.decode(bytes(unsubscribed), 0, unsubscribed.length), MESSAGE_ACK);
  assert.equal(decoder.requestId, 8);
  for (const other of ['{"success":true,"op":"auth"}', '{"op":"subscribe","req_id":"1"}', '{}']) {
    assert.equal(decoder.decode(bytes(other), 0, other.length), MESSAGE_UNKNOWN, other);
  }
});

test('profiles: endpoints, requests, limits and topic validation per category', () => {
  assert.equal(bybitSpot.connectionUrl('wss://stream.bybit.com/'), 'wss://stream.bybit.com/v5/public/spot');
  assert.equal(bybitLinear.connectionUrl('wss://stream.bybit.com'), 'wss://stream.bybit.com/v5/public/linear');
  assert.deepEqual(JSON.parse(bybitSpot.subscribeRequest(['orderbook.1.BTCUSDT', 'publicTrade.BTCUSDT'], 12)), { op: 'subscribe', args: ['orderbook.1.BTCUSDT', 'publicTrade.BTCUSDT'], req_id: '12' });
  assert.deepEqual(JSON.parse(bybitLinear.unsubscribeRequest(['tickers.BTCUSDT'], 3)), { op: 'unsubscribe', args: ['tickers.BTCUSDT'], req_id: '3' });
  assert.deepEqual(JSON.parse(BYBIT_PING_MESSAGE), { op: 'ping' });
  assert.deepEqual(bybitSpot.heartbeat, { message: BYBIT_PING_MESSAGE, intervalMs: 20_000, whenQuiet: false });
  assert.equal(bybitSpot.limits.maxStreamsPerRequest, BYBIT_SPOT_ARGS_PER_REQUEST);
  assert.equal(BYBIT_SPOT_ARGS_PER_REQUEST, 10);
  assert.ok(bybitLinear.limits.maxStreamsPerRequest > 10);
  assert.equal(bybitSpot.limits.connectionAttempts, 500);
  assert.equal(bybitSpot.limits.connectionAttemptWindowMs, 300_000);
  // The longest accepted topics, quoted and comma-separated, fit the 21,000 characters of args.
  assert.ok(JSON.stringify(Array.from({ length: BYBIT_MAX_TOPICS }, () => 'x'.repeat(52))).length <= 21_000 + 2);
  assert.equal(bybitSpot.idLayout('orderbook.200.BTCUSDT'), TOPIC_ORDERBOOK);
  assert.equal(bybitSpot.idLayout('publicTrade.BTCUSDT'), TOPIC_TRADE);
  assert.equal(bybitSpot.idLayout('tickers.BTCUSDT'), TOPIC_TICKER);
  assert.equal(bybitSpot.sequenceRule('orderbook.50.BTCUSDT'), SEQUENCE_MONOTONIC);
  assert.equal(bybitLinear.sequenceRule('publicTrade.BTCUSDT'), SEQUENCE_NONE);
  assert.equal(bybitLinear.sequenceRule('tickers.BTCUSDT'), SEQUENCE_NONE);
  for (const good of ['orderbook.1.BTCUSDT', 'orderbook.50.BTCUSDT', 'orderbook.200.ETHUSDT', 'orderbook.1000.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTC-26DEC25']) {
    assert.equal(bybitSpot.validateStreamName(good), null, good);
    assert.equal(bybitLinear.validateStreamName(good), null, good);
  }
  for (const bad of ['orderbook.25.BTCUSDT', 'orderbook.50.btcusdt', 'kline.1.BTCUSDT', 'btcusdt@trade', 'publicTrade.', `tickers.${'A'.repeat(60)}`]) {
    assert.notEqual(bybitSpot.validateStreamName(bad), null, bad);
  }
});
