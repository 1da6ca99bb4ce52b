// The Binance stream decoder: data in the exact live layout and in any other valid JSON layout,
// acknowledgements, nested and flat errors, serverShutdown raw and combined, unknown input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_REJECT, MESSAGE_SHUTDOWN, MESSAGE_UNKNOWN, binanceSpot } from '../../../src/index.js';
import { StreamNameTable } from '../../../src/stream/name-table.js';

const names = ['btcusdt@depth@100ms', 'btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@bookTicker', 'btcusdt@depth5', 'btcusdt@kline_1m'];

function setup() {
  const table = new StreamNameTable();
  const layouts = new Uint8Array(names.length);
  for (const name of names) layouts[table.add(name)] = binanceSpot.idLayout(name);
  return binanceSpot.createDecoder(table, () => layouts);
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test('data: stream index, payload view and ids per layout, fast and general layouts alike', () => {
  const decoder = setup();
  const cases: Array<[string, string, number, number]> = [
    ['btcusdt@depth@100ms', '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":157,"u":160,"b":[["0.0024","10"]],"a":[]}', 157, 160],
    ['btcusdt@trade', '{"e":"trade","E":1,"s":"BTCUSDT","t":12345,"p":"0.001","q":"100","T":1,"m":true,"M":true}', 12345, 12345],
    ['btcusdt@aggTrade', '{"e":"aggTrade","E":1,"s":"BTCUSDT","a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1,"m":true,"M":true}', 26129, 26129],
    ['btcusdt@bookTicker', '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}', 400900217, 400900217],
    ['btcusdt@depth5', '{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}', NaN, NaN],
    ['btcusdt@kline_1m', '{"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1,"T":2}}', NaN, NaN],
  ];
  for (const [name, payload, first, last] of cases) {
    for (const text of [`{"stream":"${name}","data":${payload}}`, `{ "data" : ${payload}, "stream" : "${name}" }`]) {
      const data = bytes(`xx${text}yy`);
      assert.equal(decoder.decode(data, 2, data.length - 2), MESSAGE_DATA, text);
      assert.equal(decoder.stream, names.indexOf(name));
      assert.equal(new TextDecoder().decode(data.subarray(decoder.payloadStart, decoder.payloadEnd)), payload);
      assert.deepEqual([decoder.firstId, decoder.lastId], [first, last], text);
    }
  }
});

test('control answers: ack by id, nested and flat errors, serverShutdown raw and combined', () => {
  const decoder = setup();
  const decode = (text: string): number => {
    const data = bytes(text);
    return decoder.decode(data, 0, data.length);
  };
  assert.equal(decode('{"result":null,"id":7}'), MESSAGE_ACK);
  assert.equal(decoder.requestId, 7);
  assert.equal(decode('{"error":{"code":2,"msg":"Invalid request: unknown stream"},"id":9}'), MESSAGE_REJECT);
  assert.deepEqual([decoder.requestId, decoder.errorCode, decoder.errorText()], [9, 2, 'Invalid request: unknown stream']);
  assert.equal(decode('{"code":3,"msg":"Invalid JSON"}'), MESSAGE_REJECT);
  assert.deepEqual([decoder.requestId, decoder.errorCode, decoder.errorText()], [-1, 3, 'Invalid JSON']);
  assert.equal(decode('{"e":"serverShutdown","E":1770123456789}'), MESSAGE_SHUTDOWN);
  assert.equal(decode('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}'), MESSAGE_SHUTDOWN);
  assert.equal(decode('{"stream":"ethusdt@trade","data":{"t":1}}'), MESSAGE_UNKNOWN);
  assert.equal(decode('{"result":null}'), MESSAGE_UNKNOWN);
  assert.equal(decode('{"stream":"btcusdt@trade","data":{"t":1}'), MESSAGE_UNKNOWN);
});

test('any bytes: decode never throws and its views stay inside the message', () => {
  const decoder = setup();
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json().map((json) => `{"stream":"btcusdt@trade","data":${json}}`)), (text) => {
      const data = bytes(text);
      const kind = decoder.decode(data, 0, data.length);
      if (kind === MESSAGE_DATA) return decoder.payloadStart >= 0 && decoder.payloadEnd <= data.length && decoder.payloadStart <= decoder.payloadEnd;
      return kind >= MESSAGE_DATA && kind <= MESSAGE_UNKNOWN;
    }),
  );
});
