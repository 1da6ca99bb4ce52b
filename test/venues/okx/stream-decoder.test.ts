// The OKX stream decoder: pushes in the compact live layout and as the docs print them, ids per
// channel, acknowledgements (one per argument), errors, the service-upgrade notice, `pong`, and
// input it cannot classify; the profile's requests and stream names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_PONG, MESSAGE_REJECT, MESSAGE_SHUTDOWN, MESSAGE_UNKNOWN, SEQUENCE_CHAINED, SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC, SEQUENCE_NONE } from '../../../src/index.js';
import { StreamNameTable } from '../../../src/stream/name-table.js';
import { type OkxStreamDecoder, okxPublic } from '../../../src/venues/okx/index.js';
import { bytes, compact, DOC_BBO_TBT, DOC_BOOKS5, DOC_BOOKS_SNAPSHOT, DOC_BOOKS_UPDATE, DOC_ERROR, DOC_NOTICE, DOC_SUBSCRIBED, DOC_TICKERS, DOC_TRADES } from './fixtures.js';

const names = ['books:BTC-USDT', 'bbo-tbt:BCH-USDT-SWAP', 'books5:BCH-USDT-SWAP', 'trades:BTC-USDT', 'tickers:BTC-USDT'];

function setup(): OkxStreamDecoder {
  const table = new StreamNameTable();
  const layouts = new Uint8Array(names.length);
  for (const name of names) layouts[table.add(name)] = okxPublic.idLayout(name);
  return okxPublic.createDecoder(table, () => layouts) as OkxStreamDecoder;
}

test('pushes: stream index, the data array as payload, ids per channel, compact and printed layouts alike', () => {
  const decoder = setup();
  const cases: Array<[string, string, number, number]> = [
    ['books:BTC-USDT', DOC_BOOKS_SNAPSHOT, 0, 123456],
    ['books:BTC-USDT', DOC_BOOKS_UPDATE, 123457, 123457],
    ['bbo-tbt:BCH-USDT-SWAP', DOC_BBO_TBT, 363996337, 363996337],
    ['books5:BCH-USDT-SWAP', DOC_BOOKS5, 363996337, 363996337],
    // tradeId 130639474 with count 3: "aggregates the trades of tradeId = 123, 122, and 121"
    ['trades:BTC-USDT', DOC_TRADES, 130639472, 130639474],
    ['tickers:BTC-USDT', DOC_TICKERS, NaN, NaN],
  ];
  for (const [name, push, first, last] of cases) {
    const dataJson = JSON.stringify((JSON.parse(push) as { data: unknown }).data);
    for (const text of [compact(push), push]) {
      const data = bytes(`xx${text}yy`);
      assert.equal(decoder.decode(data, 2, data.length - 2), MESSAGE_DATA, text);
      assert.equal(decoder.stream, names.indexOf(name));
      const payload = new TextDecoder().decode(data.subarray(decoder.payloadStart, decoder.payloadEnd));
      assert.equal(JSON.stringify(JSON.parse(payload)), dataJson);
      assert.deepEqual([decoder.firstId, decoder.lastId], [first, last], text);
    }
  }
});

test('control answers: the ack per argument, errors with code and message, the upgrade notice, pong', () => {
  const decoder = setup();
  assert.equal(decoder.decode(bytes(DOC_SUBSCRIBED), 0, DOC_SUBSCRIBED.length), MESSAGE_ACK);
  assert.equal(decoder.requestId, 1512);
  const unsubscribed = '{"event":"unsubscribe","arg":{"channel":"tickers","instId":"BTC-USDT"},"connId":"d0b44253","id":"7"}';
  assert.equal(decoder.decode(bytes(unsubscribed), 0, unsubscribed.length), MESSAGE_ACK);
  assert.equal(decoder.requestId, 7);
  const error = bytes(DOC_ERROR);
  assert.equal(decoder.decode(error, 0, error.length), MESSAGE_REJECT);
  assert.equal(decoder.requestId, 1512);
  assert.equal(decoder.errorCode, 60012);
  assert.match(decoder.errorText(), /^Invalid request: \{"op": "subscribe", "argss"/);
  const notice = bytes(DOC_NOTICE);
  assert.equal(decoder.decode(notice, 0, notice.length), MESSAGE_SHUTDOWN);
  assert.equal(decoder.decode(bytes('pong'), 0, 4), MESSAGE_PONG);
  assert.equal(decoder.pongs, 1);
});

test('unknown input: not JSON, an unknown stream, a push without data, an ack without id', () => {
  const decoder = setup();
  for (const text of [
    'ping',
    '{"arg":{"channel":"books","instId":"ETH-USDT"},"action":"update","data":[]}',
    '{"arg":{"channel":"books","instId":"BTC-USDT"}}',
    '{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}',
    '{"event":"notice","code":"1","msg":"x"}',
    '{"arg":{"channel":"books","instId":"BTC-USDT"},"data":[',
  ]) {
    assert.equal(decoder.decode(bytes(text), 0, text.length), MESSAGE_UNKNOWN, text);
  }
});

test('profile: the docs request shape, one request id as the string id, names checked, rules per channel', () => {
  assert.equal(
    okxPublic.subscribeRequest(['books:BTC-USDT', 'trades:ETH-USDT-SWAP'], 12),
    '{"id":"12","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"ETH-USDT-SWAP"}]}',
  );
  assert.equal(okxPublic.unsubscribeRequest(['tickers:BTC-USDT'], 3), '{"id":"3","op":"unsubscribe","args":[{"channel":"tickers","instId":"BTC-USDT"}]}');
  assert.equal(okxPublic.connectionUrl('wss://ws.okx.com:8443/'), 'wss://ws.okx.com:8443/ws/v5/public');
  assert.equal(okxPublic.validateStreamName('books:BTC-USDT'), null);
  for (const bad of ['books', 'BTC-USDT', 'candle1m:BTC-USDT', 'books:btc-usdt', 'books:BTC USDT']) assert.notEqual(okxPublic.validateStreamName(bad), null, bad);
  assert.deepEqual(
    ['books:A-B', 'books-l2-tbt:A-B', 'books50-l2-tbt:A-B', 'bbo-tbt:A-B', 'books5:A-B', 'trades:A-B', 'tickers:A-B'].map((name) => okxPublic.sequenceRule(name)),
    [SEQUENCE_CHAINED, SEQUENCE_CHAINED, SEQUENCE_CHAINED, SEQUENCE_MONOTONIC, SEQUENCE_MONOTONIC, SEQUENCE_CONTIGUOUS, SEQUENCE_NONE],
  );
  assert.throws(() => okxPublic.subscribeRequest(Array.from({ length: 2000 }, (_, k) => `books:AAAAAAAAAA-${k}`), 1), /64 KB/);
});
