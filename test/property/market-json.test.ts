// JsonFields against JSON.parse on random documents: wanted fields at random positions and depths,
// duplicate keys, random whitespace and escapes, any number spelling, the message at a random
// offset inside a larger buffer. Every extracted value must equal what JSON.parse + field access
// gives, and scan() must accept exactly the documents JSON.parse accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  jsonFields,
  KIND_ARRAY,
  KIND_FALSE,
  KIND_NULL,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  KIND_TRUE,
  SCAN_OK,
  type JsonFields,
} from '../../src/market-json/index.js';
import { decimalText, jsonDocument, jsonNumberText, lookup, PATHS, prng, serialize, STRICT_DECIMAL } from './market-json-arbitraries.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function expectKind(value: unknown): number {
  if (typeof value === 'string') return KIND_STRING;
  if (typeof value === 'number') return KIND_NUMBER;
  if (value === true) return KIND_TRUE;
  if (value === false) return KIND_FALSE;
  if (value === null) return KIND_NULL;
  return Array.isArray(value) ? KIND_ARRAY : KIND_OBJECT;
}

/** Asserts every field of `fields` (just scanned) against JSON.parse's view of the same text. */
function checkAgainstParse(fields: JsonFields, parsed: unknown, text: string): void {
  PATHS.forEach((path, i) => {
    const { found, value } = lookup(parsed, path.split('.'));
    assert.equal(fields.has(i), found, `has(${path}) in ${text}`);
    if (!found) return;
    assert.equal(fields.kind(i), expectKind(value), `kind(${path}) in ${text}`);
    if (typeof value === 'string') {
      assert.equal(fields.string(i), value, `string(${path}) in ${text}`);
      assert.equal(fields.equals(i, encoder.encode(value)), true, `equals(${path}) in ${text}`);
      assert.equal(fields.equals(i, encoder.encode(value + 'x')), false);
      const expected = STRICT_DECIMAL.test(value) ? parseFloat(value) : NaN;
      assert.ok(Object.is(fields.number(i), expected), `number(${path}) = ${fields.number(i)}, want ${expected}: ${text}`);
    } else if (typeof value === 'number') {
      assert.ok(Object.is(fields.number(i), value), `number(${path}) = ${fields.number(i)}, want ${value}: ${text}`);
      const integer = Number.isSafeInteger(value) ? value : NaN;
      assert.ok(Object.is(fields.integer(i), integer), `integer(${path}) = ${fields.integer(i)}, want ${integer}`);
    } else if (typeof value === 'object' && value !== null) {
      assert.deepEqual(JSON.parse(fields.string(i)!), value, `raw range of ${path} in ${text}`);
    } else {
      assert.equal(fields.string(i), String(value));
    }
  });
}

test('extracted fields equal JSON.parse + field access', () => {
  const fields = jsonFields(PATHS, { optional: PATHS });
  fc.assert(
    fc.property(jsonDocument, fc.nat(), fc.nat({ max: 16 }), fc.nat({ max: 16 }), (doc, seed, before, after) => {
      const text = serialize(doc, prng(seed), 0.15);
      const body = encoder.encode(text);
      // The message sits inside a larger buffer between bytes that would break it if read.
      const data = new Uint8Array(before + body.length + after).fill(0x7b);
      data.set(body, before);
      assert.equal(fields.scan(data, before, before + body.length), true, text);
      assert.equal(fields.status, SCAN_OK);
      checkAgainstParse(fields, JSON.parse(decoder.decode(body)), text);
    }),
    { numRuns: 1500 },
  );
});

test('required fields: scan is true exactly when JSON.parse finds them all', () => {
  const required = ['s', 'data.b'];
  const fields = jsonFields(required);
  fc.assert(
    fc.property(jsonDocument, fc.nat(), (doc, seed) => {
      const text = serialize(doc, prng(seed));
      const parsed: unknown = JSON.parse(decoder.decode(encoder.encode(text)));
      const all = required.every((path) => lookup(parsed, path.split('.')).found);
      assert.equal(fields.scan(encoder.encode(text)), all, text);
    }),
    { numRuns: 500 },
  );
});

test('bare JSON numbers: number() is JSON.parse bit for bit', () => {
  const fields = jsonFields(['n']);
  fc.assert(
    fc.property(jsonNumberText, (text) => {
      assert.equal(fields.scan(encoder.encode(`{"n":${text}}`)), true, text);
      assert.ok(Object.is(fields.number(0), JSON.parse(text) as number), text);
    }),
    { numRuns: 3000 },
  );
});

test('quoted decimals: number() is parseFloat bit for bit', () => {
  const fields = jsonFields(['p']);
  fc.assert(
    fc.property(decimalText, (text) => {
      assert.equal(fields.scan(encoder.encode(`{"p":"${text}"}`)), true, text);
      const expected = STRICT_DECIMAL.test(text) ? parseFloat(text) : NaN;
      assert.ok(Object.is(fields.number(0), expected), `${text}: ${fields.number(0)} vs ${expected}`);
    }),
    { numRuns: 3000 },
  );
});

test('combined-stream documents with nested data', () => {
  const fields = jsonFields(['stream', 'data.s', 'data.b', 'data.x.y'], { optional: ['data.x.y'] });
  fc.assert(
    fc.property(jsonDocument, fc.string({ maxLength: 10 }), decimalText, fc.nat(), (inner, symbol, bid, seed) => {
      const random = prng(seed);
      const entries = inner.t === 'obj' ? inner.entries : [];
      // data.s and data.b placed among random entries; a later duplicate may override them.
      const data = {
        t: 'obj' as const,
        entries: [...entries.slice(0, 2), ['s', { t: 'str' as const, v: symbol }] as const, ...entries.slice(2), ['b', { t: 'str' as const, v: bid }] as const],
      };
      const text = serialize({ t: 'obj', entries: [['stream', { t: 'str', v: 'btcusdt@bookTicker' }], ['data', data]] }, random, 0.2);
      const parsed: unknown = JSON.parse(decoder.decode(encoder.encode(text)));
      const expectOk = ['data.s', 'data.b'].every((p) => lookup(parsed, p.split('.')).found);
      assert.equal(fields.scan(encoder.encode(text)), expectOk, text);
      if (!expectOk) return;
      assert.equal(fields.string(0), 'btcusdt@bookTicker');
      const s = lookup(parsed, ['data', 's']).value;
      if (typeof s === 'string') assert.equal(fields.equals(1, encoder.encode(s)), true, text);
      const b = lookup(parsed, ['data', 'b']).value;
      if (typeof b === 'string') {
        assert.ok(Object.is(fields.number(2), STRICT_DECIMAL.test(b) ? parseFloat(b) : NaN), text);
      }
    }),
    { numRuns: 500 },
  );
});
