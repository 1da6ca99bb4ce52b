// LevelIterator over depth updates and partial books.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonFields } from '../../src/market-json/index.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function collect(iterator: { next(): boolean; price(): number; quantity(): number }): number[][] {
  const out: number[][] = [];
  while (iterator.next()) out.push([iterator.price(), iterator.quantity()]);
  return out;
}

test('depthUpdate b/a levels', () => {
  const fields = jsonFields(['e', 'E', 's', 'U', 'u', 'b', 'a']);
  const text =
    '{"e":"depthUpdate","E":1,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"],["0.0023","0.00000000"]],"a":[["0.0026","100"]]}';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.integer(3), 157);
  assert.equal(fields.integer(4), 160);
  const bids = fields.levels(5);
  assert.deepEqual(collect(bids), [
    [0.0024, 10],
    [0.0023, 0],
  ]);
  assert.equal(bids.malformed, false);
  assert.equal(bids.index, 1);
  assert.deepEqual(collect(fields.levels(6)), [[0.0026, 100]]);
  assert.equal(fields.levels(5), bids, 'one reusable iterator per field');
  assert.deepEqual(collect(fields.levels(5)), [
    [0.0024, 10],
    [0.0023, 0],
  ], 'levels() rewinds');
});

test('partial book snapshot, whitespace, bare numbers, extra entries, raw ranges', () => {
  const fields = jsonFields(['lastUpdateId', 'bids', 'asks']);
  const text =
    '{ "lastUpdateId" : 160 , "bids" : [ [ "0.0024" , "10" ] , [0.0023, 1e2, "x", [1], {"a":"]"}] ] , "asks" : [ ] }';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.integer(0), 160);
  const bids = fields.levels(1);
  assert.equal(bids.next(), true);
  assert.equal(text.slice(bids.priceStart, bids.priceEnd), '0.0024');
  assert.equal(text.slice(bids.quantityStart, bids.quantityEnd), '10');
  assert.equal(bids.next(), true);
  assert.equal(bids.price(), 0.0023);
  assert.equal(bids.quantity(), 100);
  const target = new Float64Array(3);
  bids.priceInto(target, 2);
  bids.quantityInto(target, 0);
  assert.deepEqual([...target], [100, 0, 0.0023]);
  assert.equal(bids.next(), false);
  assert.equal(bids.malformed, false);
  const asks = fields.levels(2);
  assert.equal(asks.next(), false);
  assert.equal(asks.malformed, false);
});

test('levels of a missing or non-array field are empty', () => {
  const fields = jsonFields(['b', 'a'], { optional: ['a'] });
  assert.equal(fields.scan(bytes('{"b":"1"}')), true);
  assert.equal(fields.levels(0).next(), false);
  assert.equal(fields.levels(1).next(), false);
});

test('malformed levels stop the iterator and say so', () => {
  const fields = jsonFields(['b']);
  for (const text of ['{"b":[["1"]]}', '{"b":[[]]}', '{"b":["1","2"]}', '{"b":[["1","2"],3]}']) {
    assert.equal(fields.scan(bytes(text)), true, text);
    const levels = fields.levels(0);
    while (levels.next()) {
      /* drain */
    }
    assert.equal(levels.malformed, true, text);
  }
});

test('non-number entries read as NaN; escaped entries are decoded', () => {
  const fields = jsonFields(['b']);
  assert.equal(fields.scan(bytes(String.raw`{"b":[[null,"abc"],["\u0031.5","2"]]}`)), true);
  const levels = fields.levels(0);
  assert.equal(levels.next(), true);
  assert.ok(Number.isNaN(levels.price()));
  assert.ok(Number.isNaN(levels.quantity()));
  assert.equal(levels.next(), true);
  assert.equal(levels.price(), 1.5);
  assert.equal(levels.quantity(), 2);
});

test('levels after a failed scan are empty', () => {
  const fields = jsonFields(['b']);
  assert.equal(fields.scan(bytes('{"b":[["1","2"]]')), false);
  assert.equal(fields.levels(0).next(), false);
});

test('combined stream: levels under data.b / data.a', () => {
  const fields = jsonFields(['stream', 'data.u', 'data.b', 'data.a']);
  const text =
    '{"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","1.5"]]}}';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.integer(1), 160);
  assert.deepEqual(collect(fields.levels(2)), [[0.0024, 10]]);
  assert.deepEqual(collect(fields.levels(3)), [
    [0.0026, 100],
    [0.0027, 1.5],
  ]);
});
