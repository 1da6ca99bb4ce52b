// parseDecimal against parseFloat, bit for bit, on random decimal strings aimed at the edges of the
// fast path: 14-20 significant digits (the 2^53 boundary), scales around +-22 (the exact powers of
// ten), leading/trailing zeros, and the spellings JavaScript itself prints for random doubles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decimalFallbackCount, parseDecimal } from '../../src/market-json/decimal.js';
import { jsonFields } from '../../src/market-json/index.js';

const encoder = new TextEncoder();

function assertSame(text: string): void {
  const bytes = encoder.encode(text);
  const got = parseDecimal(bytes, 0, bytes.length);
  const want = parseFloat(text);
  assert.ok(Object.is(got, want), `${text}: got ${got}, parseFloat ${want}`);
}

/** digits with a point somewhere (or none), optional zeros around, optional exponent. */
const shapedDecimal = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    leadingZeros: fc.nat({ max: 3 }),
    digits: fc.stringMatching(/^[1-9][0-9]{0,21}$/),
    trailingZeros: fc.nat({ max: 12 }),
    point: fc.nat({ max: 40 }),
    exponent: fc.option(fc.integer({ min: -40, max: 40 }), { nil: undefined }),
    upper: fc.boolean(),
  })
  .map(({ sign, leadingZeros, digits, trailingZeros, point, exponent, upper }) => {
    const all = '0'.repeat(leadingZeros) + digits + '0'.repeat(trailingZeros);
    const at = Math.min(point, all.length);
    let text = at === all.length ? all : all.slice(0, at) + '.' + all.slice(at);
    if (exponent !== undefined) text += (upper ? 'E' : 'e') + (exponent >= 0 && upper ? '+' : '') + exponent;
    return sign + text;
  });

test('shaped decimals around the fast-path limits', () => {
  fc.assert(fc.property(shapedDecimal, assertSame), { numRuns: 20_000 });
});

test('exchange-style fixed decimals and long ones', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{1,12}\.[0-9]{1,20}$/), assertSame),
    { numRuns: 10_000 },
  );
});

test('every spelling JavaScript prints for a random double', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (value, precision) => {
      assertSame(String(value));
      assertSame(value.toExponential());
      assertSame(value.toPrecision(precision));
      if (Math.abs(value) < 1e21) assertSame(value.toFixed(Math.min(precision, 20)));
    }),
    { numRuns: 10_000 },
  );
});

test('decimal halfway points between adjacent doubles round like parseFloat', () => {
  // The exact midpoint m = (a + b) / 2 of two neighbouring doubles has a finite decimal expansion;
  // ties-to-even decides, which is where a sloppy parser goes wrong.
  const view = new DataView(new ArrayBuffer(8));
  fc.assert(
    fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (value) => {
      view.setFloat64(0, value);
      const bits = view.getBigUint64(0);
      const exponentBits = Number((bits >> 52n) & 0x7ffn);
      const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
      // value = mantissa * 2^(e), midpoint to the next = (2 * mantissa + 1) * 2^(e - 1)
      const e = exponentBits - 1075;
      const numerator = 2n * mantissa + 1n;
      const power = e - 1;
      let text: string;
      if (power >= 0) {
        text = (numerator << BigInt(power)).toString();
      } else {
        // numerator / 2^k = numerator * 5^k / 10^k
        const k = -power;
        const scaled = (numerator * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
        text = scaled.slice(0, scaled.length - k) + '.' + scaled.slice(scaled.length - k);
      }
      assertSame(text);
    }),
    { numRuns: 500 },
  );
});

test('fixed 8-decimal prices up to 15 significant digits never need the fallback', () => {
  const before = decimalFallbackCount();
  const fields = jsonFields(['p', 'q']);
  fc.assert(
    // 7 integer digits + 8 decimals = 15 significant digits at most (any 16-digit value below 2^53 is fast too).
    fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 99_999_999 }), fc.nat({ max: 8 }), (whole, fraction, places) => {
      const p = `${whole}.${String(fraction).padStart(8, '0')}`;
      const q = (fraction / 10 ** places).toFixed(8);
      assert.equal(fields.scan(encoder.encode(`{"p":"${p}","q":"${q}"}`)), true);
      assert.ok(Object.is(fields.number(0), parseFloat(p)), p);
      assert.ok(Object.is(fields.number(1), parseFloat(q)), q);
    }),
    { numRuns: 10_000 },
  );
  assert.equal(decimalFallbackCount(), before);
});
