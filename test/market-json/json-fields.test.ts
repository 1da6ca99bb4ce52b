// JsonFields: field extraction, paths, duplicates, escapes, whitespace, kinds and failure modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  jsonFields,
  KIND_ARRAY,
  KIND_FALSE,
  KIND_NULL,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  KIND_TRUE,
  MarketJsonPathError,
  SCAN_MALFORMED,
  SCAN_MISSING_FIELD,
  SCAN_OK,
  SCAN_TOO_DEEP,
} from '../../src/market-json/index.js';

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

const BOOK_TICKER =
  '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';

test('bookTicker: numbers, integer, equals, string', () => {
  const fields = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);
  assert.equal(fields.scan(bytes(BOOK_TICKER)), true);
  assert.equal(fields.status, SCAN_OK);
  assert.equal(fields.number(1), 25.3519);
  assert.equal(fields.number(2), 31.21);
  assert.equal(fields.number(3), 25.3652);
  assert.equal(fields.number(4), 40.66);
  assert.equal(fields.integer(5), 400900217);
  assert.equal(fields.equals(0, bytes('BNBUSDT')), true);
  assert.equal(fields.equals(0, bytes('BNBUSD')), false);
  assert.equal(fields.equals(0, bytes('BNBUSDX')), false);
  assert.equal(fields.string(0), 'BNBUSDT');
  assert.equal(fields.kind(0), KIND_STRING);
  assert.equal(fields.kind(5), KIND_NUMBER);
});

test('scans a sub-range of a larger buffer and reports raw ranges', () => {
  const text = 'garbage' + BOOK_TICKER + '{"trailing":';
  const data = bytes(text);
  const start = 7;
  const end = start + BOOK_TICKER.length;
  const fields = jsonFields(['s', 'u']);
  assert.equal(fields.scan(data, start, end), true);
  assert.equal(text.slice(fields.start(0), fields.end(0)), 'BNBUSDT');
  assert.equal(text.slice(fields.start(1), fields.end(1)), '400900217');
  assert.equal(fields.scan(data, start, end + 1), false, 'the next message is not part of this one');
  assert.equal(fields.scan(data, -1, end), false);
  assert.equal(fields.scan(data, start, data.length + 1), false);
  assert.equal(fields.scan(data, 5, 4), false);
});

test('combined stream: nested paths', () => {
  const fields = jsonFields(['stream', 'data.s', 'data.b', ['data', 'A']]);
  const text = '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"67123.45000000","B":"1","a":"2","A":"3.5"}}';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.string(0), 'btcusdt@bookTicker');
  assert.equal(fields.equals(1, bytes('BTCUSDT')), true);
  assert.equal(fields.number(2), 67123.45);
  assert.equal(fields.number(3), 3.5);
  assert.equal(fields.index('data.b'), 2);
  assert.equal(fields.index(['data', 'A']), 3);
  assert.equal(fields.index('nope'), -1);
});

test('a path can be both a field and a prefix; containers report their raw range', () => {
  const fields = jsonFields(['data', 'data.x', 'list']);
  const text = '{"data":{"x":[1,2],"y":{}},"list":[ {"a":1} ]}';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.kind(0), KIND_OBJECT);
  assert.equal(fields.string(0), '{"x":[1,2],"y":{}}');
  assert.equal(fields.kind(1), KIND_ARRAY);
  assert.equal(fields.string(1), '[1,2]');
  assert.equal(fields.string(2), '[ {"a":1} ]');
});

test('missing fields: has() false, scan false unless optional', () => {
  const strict = jsonFields(['s', 'b']);
  assert.equal(strict.scan(bytes('{"s":"X"}')), false);
  assert.equal(strict.status, SCAN_MISSING_FIELD);
  assert.equal(strict.has(0), true, 'present fields are still readable');
  assert.equal(strict.has(1), false);
  assert.ok(Number.isNaN(strict.number(1)));
  assert.equal(strict.string(1), undefined);
  assert.equal(strict.start(1), -1);

  const relaxed = jsonFields(['s', 'b'], { optional: ['b'] });
  assert.equal(relaxed.scan(bytes('{"s":"X"}')), true);
  assert.equal(relaxed.has(1), false);
  assert.equal(relaxed.scan(bytes('{"result":null,"id":1}')), false);
  assert.equal(relaxed.status, SCAN_MISSING_FIELD);
});

test('duplicate keys: the last wins, including whole parent objects', () => {
  const fields = jsonFields(['s', 'data.b'], { optional: ['data.b'] });
  assert.equal(fields.scan(bytes('{"s":"A","s":"B","data":{"b":"1"}}')), true);
  assert.equal(fields.string(0), 'B');
  assert.equal(fields.number(1), 1);
  assert.equal(fields.scan(bytes('{"s":"A","data":{"b":"1"},"data":{"c":2}}')), true);
  assert.equal(fields.has(1), false, 'JSON.parse(text).data.b is undefined');
  assert.equal(fields.scan(bytes('{"s":"A","data":{"b":"1"},"data":7}')), true);
  assert.equal(fields.has(1), false);
  assert.equal(fields.scan(bytes('{"s":"A","data":{"b":"1","b":"2"}}')), true);
  assert.equal(fields.number(1), 2);
});

test('unknown fields are skipped, nested objects and arrays included', () => {
  const fields = jsonFields(['s', 'x.y']);
  const text =
    '{"a":{"s":"inner","x":{"y":0}},"b":[{"s":"no"},[[["s"]]],"s"],"x":{"z":[1,{"y":2}],"y":true},"s":"outer","t":null}';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.string(0), 'outer');
  assert.equal(fields.kind(1), KIND_TRUE);
});

test('literal kinds and equals on non-strings compare the raw token', () => {
  const fields = jsonFields(['t', 'f', 'n', 'num']);
  assert.equal(fields.scan(bytes('{"t":true,"f":false,"n":null,"num":-1.5E+3}')), true);
  assert.equal(fields.kind(0), KIND_TRUE);
  assert.equal(fields.kind(1), KIND_FALSE);
  assert.equal(fields.kind(2), KIND_NULL);
  assert.equal(fields.has(2), true, 'null is present');
  assert.ok(Number.isNaN(fields.number(2)));
  assert.equal(fields.number(3), -1500);
  assert.equal(fields.equals(0, bytes('true')), true);
  assert.equal(fields.equals(3, bytes('-1.5E+3')), true);
  assert.equal(fields.string(3), '-1.5E+3');
});

test('escapes: decoded equals and string, raw compare available', () => {
  const fields = jsonFields(['s', 'q']);
  const text = String.raw`{"s":"BTC\u0055SDT","q":"a\"b\\c\/d\n\u00e9\ud83d\ude00"}`;
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.escaped(0), true);
  assert.equal(fields.equals(0, bytes('BTCUSDT')), true);
  assert.equal(fields.equalsRaw(0, bytes('BTCUSDT')), false);
  assert.equal(fields.equalsRaw(0, bytes(String.raw`BTC\u0055SDT`)), true);
  const expected = 'a"b\\c/d\n\u00e9\u{1f600}';
  assert.equal(fields.string(1), expected);
  assert.equal(fields.equals(1, bytes(expected)), true);
  assert.equal(fields.equals(1, bytes(expected + 'x')), false);
  assert.equal(fields.equals(1, bytes(expected.slice(0, -1))), false);
});

test('escaped keys match their decoded form', () => {
  const fields = jsonFields(['s', 'data.b']);
  assert.equal(fields.scan(bytes(String.raw`{"\u0073":"X","d\u0061ta":{"\u0062":"2.5"}}`)), true);
  assert.equal(fields.string(0), 'X');
  assert.equal(fields.number(1), 2.5);
});

test('lone surrogates compare like TextEncoder output of the JSON.parse string', () => {
  const fields = jsonFields(['s']);
  const text = String.raw`{"s":"x\ud800y\udc00"}`;
  assert.equal(fields.scan(bytes(text)), true);
  const parsed = (JSON.parse(text) as { s: string }).s;
  assert.equal(fields.string(0), parsed);
  assert.equal(fields.equals(0, encoder.encode(parsed)), true);
});

test('non-ASCII keys and values', () => {
  const fields = jsonFields(['prix', 'clé']);
  assert.equal(fields.scan(bytes('{"clé":"€","prix":"1.5"}')), true);
  assert.equal(fields.string(1), '€');
  assert.equal(fields.equals(1, bytes('€')), true);
  assert.equal(fields.number(0), 1.5);
});

test('whitespace wherever JSON allows it', () => {
  const fields = jsonFields(['s', 'data.b', 'u']);
  const text = ' \n\t{ \r\n "s" \t: "X" , "data" :\n{ "b"  :  "1.25" } ,"u":\t7 } \n';
  assert.equal(fields.scan(bytes(text)), true);
  assert.equal(fields.string(0), 'X');
  assert.equal(fields.number(1), 1.25);
  assert.equal(fields.integer(2), 7);
});

test('numbers: exponents, bare and quoted, integers', () => {
  const fields = jsonFields(['a', 'b', 'c', 'd', 'e', 'f'], { optional: ['f'] });
  assert.equal(fields.scan(bytes('{"a":1e-8,"b":"-1.5E+3","c":0,"d":-0,"e":"9007199254740993"}')), true);
  assert.equal(fields.number(0), 1e-8);
  assert.equal(fields.number(1), -1500);
  assert.ok(Object.is(fields.number(3), -0));
  assert.equal(fields.integer(2), 0);
  assert.ok(Number.isNaN(fields.integer(4)), 'beyond 2^53 - 1 is not a safe integer');
  assert.ok(Number.isNaN(fields.integer(0)), '1e-8 is not an integer');
  assert.equal(fields.number(4), 9007199254740992);
  assert.equal(fields.scan(bytes('{"a":"1e3","b":"","c":"12abc","d":" 1","e":"Infinity","f":"0x10"}')), true);
  assert.equal(fields.integer(0), 1000);
  assert.ok(Number.isNaN(fields.number(1)));
  assert.ok(Number.isNaN(fields.number(2)), 'a price field holding 12abc is bad data, not 12');
  assert.ok(Number.isNaN(fields.number(3)));
  assert.ok(Number.isNaN(fields.number(4)));
  assert.ok(Number.isNaN(fields.number(5)));
});

test('numberInto and integerInto store what number() and integer() return', () => {
  const fields = jsonFields(['a', 'b', 'c', 'd'], { optional: ['d'] });
  const target = new Float64Array(8).fill(7);
  assert.equal(fields.scan(bytes('{"a":"67123.45000000","b":160,"c":"12abc"}')), true);
  fields.numberInto(0, target, 1);
  fields.integerInto(1, target, 2);
  fields.numberInto(2, target, 3);
  fields.integerInto(0, target, 4);
  fields.numberInto(3, target, 5);
  assert.deepEqual([...target], [7, fields.number(0), 160, Number.NaN, Number.NaN, Number.NaN, 7, 7]);
  assert.equal(target[1], 67123.45);
});

test('malformed input: scan false, status and offset set, fields cleared', () => {
  const fields = jsonFields(['s'], { optional: ['s'] });
  const bad = [
    '',
    ' ',
    '{',
    '{"s":"X"',
    '{"s":"X",}',
    '{"s" "X"}',
    '{"s":}',
    '{s:"X"}',
    "{'s':'X'}",
    '{"s":"X"}}',
    '{"s":"X"} x',
    '[1,]',
    '[1 2]',
    '{"s":01}',
    '{"s":1.}',
    '{"s":.5}',
    '{"s":1e}',
    '{"s":+1}',
    '{"s":-}',
    '{"s":tru}',
    '{"s":nulll}',
    '{"s":"a\\x"}',
    '{"s":"a\\u12G4"}',
    '{"s":"a\\u12"}',
    '{"s":"tab\there"}',
    '{"s":"X"]',
    '["a"}',
    '{"s":NaN}',
    '{"s":Infinity}',
  ];
  for (const text of bad) {
    let threw: unknown = null;
    try {
      JSON.parse(text);
    } catch (error) {
      threw = error;
    }
    assert.ok(threw !== null, `JSON.parse should reject ${JSON.stringify(text)}`);
    fields.scan(bytes('{"s":"ok"}'));
    assert.equal(fields.scan(bytes(text)), false, text);
    assert.equal(fields.status, SCAN_MALFORMED, text);
    assert.ok(fields.errorOffset >= 0, text);
    assert.equal(fields.has(0), false, `fields are cleared after a failed scan: ${text}`);
  }
});

test('valid non-object documents scan true', () => {
  const fields = jsonFields(['s'], { optional: ['s'] });
  for (const text of ['1', '"x"', 'null', '[]', '[{"s":"inside an array"}]', '{}', ' true ']) {
    assert.equal(fields.scan(bytes(text)), true, text);
    assert.equal(fields.has(0), false, text);
  }
});

test('maxDepth bounds nesting without recursion', () => {
  const fields = jsonFields(['s'], { optional: ['s'], maxDepth: 4 });
  assert.equal(fields.scan(bytes('[[[[1]]]]')), true);
  assert.equal(fields.scan(bytes('[[[[[1]]]]]')), false);
  assert.equal(fields.status, SCAN_TOO_DEEP);
  const deep = jsonFields(['s'], { optional: ['s'] });
  const text = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(deep.scan(bytes(text)), false);
  assert.equal(deep.status, SCAN_TOO_DEEP);
});

test('out-of-range field indexes never throw', () => {
  const fields = jsonFields(['s']);
  fields.scan(bytes('{"s":"X"}'));
  assert.equal(fields.has(5), false);
  assert.ok(Number.isNaN(fields.number(5)));
  assert.ok(Number.isNaN(fields.integer(-1)));
  assert.equal(fields.equals(9, bytes('X')), false);
  assert.equal(fields.start(9), -1);
  assert.equal(fields.levels(9).next(), false);
});

test('path compilation errors', () => {
  assert.throws(() => jsonFields(['s', 's']), MarketJsonPathError);
  assert.throws(() => jsonFields(['a.b', ['a', 'b']]), MarketJsonPathError);
  assert.throws(() => jsonFields([[]]), MarketJsonPathError);
  assert.throws(() => jsonFields(['s'], { optional: ['t'] }), RangeError);
  assert.throws(() => jsonFields(['s'], { maxDepth: 0 }), RangeError);
});

test('a Node Buffer (what ws hands out) scans like a Uint8Array', () => {
  const fields = jsonFields(['s', 'b']);
  const buffer = Buffer.from('xx{"s":"BTCUSDT","b":"1.5"}yy');
  assert.equal(fields.scan(buffer, 2, buffer.length - 2), true);
  assert.equal(fields.equals(0, bytes('BTCUSDT')), true);
  assert.equal(fields.number(1), 1.5);
  assert.equal(fields.scan(buffer), false, 'the whole buffer is not one JSON document');
});
