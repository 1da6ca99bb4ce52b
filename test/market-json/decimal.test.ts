// parseDecimal / parseSafeInteger against parseFloat on hand-picked edge cases (random ones are in
// test/property/market-json-decimal.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalFallbackCount, parseDecimal, parseSafeInteger } from '../../src/market-json/decimal.js';

const encoder = new TextEncoder();
const decimal = (text: string): number => {
  const data = encoder.encode(text);
  return parseDecimal(data, 0, data.length);
};
const integer = (text: string): number => {
  const data = encoder.encode(text);
  return parseSafeInteger(data, 0, data.length);
};

test('matches parseFloat bit for bit on edge cases', () => {
  const cases = [
    '0', '-0', '0.0', '-0.000', '+1', '1.', '.5', '-.5', '00012', '67123.45000000', '0.00000001',
    '1e-8', '-1.5E+3', '1E22', '1e23', '9007199254740993', '9007199254740992', '123456789012345',
    '1234567890123456', '0.1', '0.2', '0.3', '0.30000000000000004', '2.2250738585072014e-308',
    '2.2250738585072011e-308', '4.9e-324', '2e-324', '1e-400', '1.7976931348623157e308', '1.7976931348623159e308',
    '1e400', '-1e400', '123e-20', '123e-22', '123e-23', '12e25', '999999999999999e22', '999999999999999e23',
    '0e999999999999999', '1e-99999999999999999999', '100000000000000000000000', '0.000000000000000000000000001',
    '3.14159265358979323846264338327950288', '1' + '0'.repeat(400), '0.' + '0'.repeat(400) + '1',
    '89255.0e-22', '7.038531e-26', '1448997445238699', '5e-324', '8.98846567431158e307',
  ];
  for (const text of cases) {
    assert.ok(Object.is(decimal(text), parseFloat(text)), `${text}: ${decimal(text)} vs ${parseFloat(text)}`);
  }
});

test('strict grammar: NaN where parseFloat would read a prefix', () => {
  for (const text of ['', '-', '+', '.', '-.', 'e5', '1e', '1e+', '1.2.3', '1 ', ' 1', '1x', 'Infinity', 'NaN', '0x10', '--1', '1e5.5']) {
    assert.ok(Number.isNaN(decimal(text)), text);
  }
});

test('the fast path covers typical exchange decimals without the fallback', () => {
  const before = decimalFallbackCount();
  for (const text of ['67123.45000000', '0.00123000', '100.00000000', '25.35190000', '0.00000001', '1e-8', '160', '1234567890123456', '12345678.12345678']) {
    decimal(text);
  }
  assert.equal(decimalFallbackCount(), before);
  decimal('12345678.123456789'); // 17 significant digits
  assert.equal(decimalFallbackCount(), before + 1);
  decimal('9007199254740993'); // 16 digits, but not below 2^53
  assert.equal(decimalFallbackCount(), before + 2);
});

test('safe integers', () => {
  assert.equal(integer('0'), 0);
  assert.equal(integer('160'), 160);
  assert.equal(integer('-42'), -42);
  assert.equal(integer('9007199254740991'), Number.MAX_SAFE_INTEGER);
  assert.ok(Number.isNaN(integer('9007199254740992')));
  assert.ok(Number.isNaN(integer('99999999999999999999999')));
  assert.equal(integer('1e3'), 1000);
  assert.equal(integer('2.0'), 2);
  assert.ok(Number.isNaN(integer('2.5')));
  assert.ok(Number.isNaN(integer('')));
  assert.ok(Number.isNaN(integer('-')));
  assert.ok(Number.isNaN(integer('12a')));
});
