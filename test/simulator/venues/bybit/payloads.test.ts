// The Bybit simulator's pure parts: payloads it writes read back exactly through tickwire's
// Bybit decoders (and JSON.parse), and its control handling answers in the docs' layouts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEPTH_DIFF, DEPTH_SNAPSHOT } from '../../../../src/book/depth-diff.js';
import { SIDE_BUY, SIDE_SELL, TradeTick } from '../../../../src/market/events.js';
import { BybitOrderbookDecoder, BybitTickerDecoder, BybitTradeDecoder, TICKER_BID_PRICE, TICKER_LAST_PRICE } from '../../../../src/venues/bybit/index.js';
import { JsonWriter } from '../../../../simulator/json-writer.js';
import { connectionId, OP_PING, OP_SUBSCRIBE, OP_UNSUBSCRIBE, parseBybitRequest, pongAnswer, requestAnswer, subscribeError, unsubscribeError } from '../../../../simulator/venues/bybit/control.js';
import { tickerKey, tradeNumberOfUuid, writeOrderbook, writeTicker, writeTrades } from '../../../../simulator/venues/bybit/payloads.js';

const level = fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }));

test('orderbook messages decode to the levels and ids written (snapshot and delta, ts before or after type)', () => {
  const writer = new JsonWriter();
  const decoder = new BybitOrderbookDecoder();
  fc.assert(
    fc.property(fc.array(level, { maxLength: 60 }), fc.array(level, { maxLength: 60 }), fc.boolean(), fc.boolean(), fc.integer({ min: 2, max: 2 ** 48 }), fc.integer({ min: 0, max: 2 ** 50 }), (bids, asks, snapshot, tsFirst, u, seq) => {
      writer.reset();
      writeOrderbook(writer, { topic: 'orderbook.50.BTCUSDT', symbol: 'BTCUSDT', snapshot, tsFirst, ts: 1700000000000, bids, asks, u, seq, cts: 1699999999999 });
      const text = writer.toString();
      const parsed = JSON.parse(text) as { type: string; data: { u: number; b: string[][] } };
      assert.equal(parsed.type, snapshot ? 'snapshot' : 'delta');
      assert.equal(text.indexOf('"ts"') < text.indexOf('"type"'), tsFirst);
      assert.ok(decoder.decode(writer.buffer, 0, writer.position));
      const diff = decoder.diff;
      assert.equal(diff.kind, snapshot ? DEPTH_SNAPSHOT : DEPTH_DIFF);
      assert.equal(diff.finalUpdateId, u);
      assert.equal(decoder.crossSequence, seq);
      assert.equal(diff.eventTime, 1700000000000);
      assert.equal(diff.transactionTime, 1699999999999);
      assert.deepEqual([...diff.bids.subarray(0, 2 * diff.bidCount)], bids.flat());
      assert.deepEqual([...diff.asks.subarray(0, 2 * diff.askCount)], asks.flat());
    }),
    { numRuns: 200 },
  );
});

test('publicTrade messages decode trade by trade; the UUID id carries the trade number', () => {
  const writer = new JsonWriter();
  const decoder = new BybitTradeDecoder();
  const tick = new TradeTick();
  const trade = fc.record({
    time: fc.integer({ min: 0, max: 2 ** 45 }),
    priceUnits: fc.integer({ min: 1, max: 2 ** 45 }),
    quantityUnits: fc.integer({ min: 1, max: 2 ** 45 }),
    takerBuy: fc.boolean(),
    number: fc.integer({ min: 0, max: 2 ** 47 }),
    seq: fc.integer({ min: 0, max: 2 ** 50 }),
  });
  fc.assert(
    fc.property(fc.array(trade, { minLength: 1, maxLength: 20 }), fc.boolean(), (trades, linear) => {
      writer.reset();
      writeTrades(writer, 'publicTrade.ETHUSDT', 'ETHUSDT', 1700000000000, trades, linear);
      assert.ok(decoder.begin(writer.buffer, 0, writer.position));
      for (const expected of trades) {
        assert.ok(decoder.next(tick));
        assert.deepEqual(
          [tick.price, tick.quantity, tick.side, tick.tradeTimeUs, tick.eventTimeUs, decoder.crossSequence, tradeNumberOfUuid(decoder.tradeIdText())],
          [expected.priceUnits, expected.quantityUnits, expected.takerBuy ? SIDE_BUY : SIDE_SELL, expected.time * 1000, 1700000000000000, expected.seq, expected.number],
        );
        assert.ok(Number.isNaN(tick.tradeId));
      }
      assert.equal(decoder.next(tick), false);
      assert.equal(decoder.malformed, false);
    }),
    { numRuns: 100 },
  );
  assert.ok(Number.isNaN(tradeNumberOfUuid('20f43950-d8dd-5b31-9112-a178eb6023af')));
});

test('tickers: spot snapshots and linear deltas decode to the fields written', () => {
  const writer = new JsonWriter();
  const decoder = new BybitTickerDecoder();
  writeTicker(writer, 'tickers.BTCUSDT', 'BTCUSDT', true, true, 5, 77, [
    { key: tickerKey('lastPrice'), value: 6500012345678, signed: false },
    { key: tickerKey('bid1Price'), value: NaN, signed: false },
  ]);
  assert.ok(decoder.decode(writer.buffer, 0, writer.position), writer.toString());
  assert.deepEqual([decoder.snapshot, decoder.crossSequence, decoder.eventTimeUs, decoder.values[TICKER_LAST_PRICE], decoder.has(TICKER_BID_PRICE)], [true, 77, 5000, 6500012345678, false]);
  writer.reset();
  writeTicker(writer, 'tickers.BTCUSDT', 'BTCUSDT', false, false, 6, 78, [{ key: tickerKey('bid1Price'), value: 100, signed: false }]);
  assert.ok(decoder.decode(writer.buffer, 0, writer.position), writer.toString());
  assert.deepEqual([decoder.snapshot, decoder.crossSequence, decoder.values[TICKER_BID_PRICE], decoder.has(TICKER_LAST_PRICE)], [false, 78, 100, false]);
});

test('control: requests parsed, answers in the docs layouts per category', () => {
  assert.deepEqual(parseBybitRequest('{"req_id":"test","op":"subscribe","args":["orderbook.1.BTCUSDT","publicTrade.BTCUSDT"]}'), { op: OP_SUBSCRIBE, opName: 'subscribe', args: ['orderbook.1.BTCUSDT', 'publicTrade.BTCUSDT'], reqId: 'test' });
  assert.deepEqual(parseBybitRequest('{"op":"unsubscribe","args":["publicTrade.ETHUSD"],"req_id":"customised_id"}'), { op: OP_UNSUBSCRIBE, opName: 'unsubscribe', args: ['publicTrade.ETHUSD'], reqId: 'customised_id' });
  assert.deepEqual(parseBybitRequest('{"req_id": "100001", "op": "ping"}'), { op: OP_PING, opName: 'ping', args: [], reqId: '100001' });
  for (const bad of ['nope', '[]', '{"op":"auth","args":[]}', '{"op":"subscribe"}', '{"op":"subscribe","args":[]}', '{"op":"subscribe","args":[1]}']) {
    assert.ok('error' in parseBybitRequest(bad), bad);
  }
  const id = connectionId(3);
  assert.deepEqual(JSON.parse(requestAnswer('spot', 'subscribe', true, '', id, '10001')), { success: true, ret_msg: 'subscribe', conn_id: id, req_id: '10001', op: 'subscribe' });
  assert.deepEqual(JSON.parse(requestAnswer('linear', 'subscribe', true, '', id, '')), { success: true, ret_msg: '', conn_id: id, req_id: '', op: 'subscribe' });
  assert.deepEqual(JSON.parse(requestAnswer('linear', 'subscribe', false, 'error:x', id, '4')), { success: false, ret_msg: 'error:x', conn_id: id, req_id: '4', op: 'subscribe' });
  assert.deepEqual(JSON.parse(pongAnswer('spot', id, '9')), { success: true, ret_msg: 'pong', conn_id: id, op: 'ping' });
  assert.deepEqual(JSON.parse(pongAnswer('linear', id, '9')), { success: true, ret_msg: 'pong', conn_id: id, req_id: '9', op: 'ping' });
});

test('control: spot takes 10 args per request, a connection 21,000 characters of args; unknown and repeated topics refused', () => {
  const known = (topic: string): boolean => !topic.startsWith('bad');
  const topics = (count: number, prefix = 't'): string[] => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
  assert.equal(subscribeError('spot', topics(10), new Set(), known), null);
  assert.match(subscribeError('spot', topics(11), new Set(), known)!, /exceeds 10/);
  assert.equal(subscribeError('linear', topics(11), new Set(), known), null);
  assert.match(subscribeError('linear', ['ok', 'bad.topic'], new Set(), known)!, /handler not found,topic:bad.topic/);
  assert.match(subscribeError('linear', ['ok'], new Set(['ok']), known)!, /already subscribed/);
  assert.match(subscribeError('linear', ['ok', 'ok'], new Set(), known)!, /twice/);
  const held = new Set(topics(1000, 'orderbook.1000.SYMBOL'));
  assert.match(subscribeError('linear', ['x'.repeat(40)], held, known)!, /21000 characters/);
  assert.equal(unsubscribeError(['a'], new Set(['a'])), null);
  assert.match(unsubscribeError(['b'], new Set(['a']))!, /not subscribed/);
});
