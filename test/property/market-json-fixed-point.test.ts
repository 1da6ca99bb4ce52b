// Fixed-point readers against an exact reference: scanUnits (byte by byte, int32 digit groups)
// and scanUnitsWords (four digits per 32-bit word through a DataView) on random decimals aimed at
// their edges: 1-10 whole digits (the word path reads 1 to 8), 0-12 fraction digits (it reads
// exactly 8), the 2^53 limit, every scale, odd offsets in the buffer, stray bytes after the
// number and numbers cut short by the end of the range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_SCALE, scanUnits } from '../../src/market-json/fixed-point.js';
import { scanUnitsWords, SwarViewCache } from '../../src/market-json/swar-decimal.js';

const encoder = new TextEncoder();

/** Reference: units of text[0..] at `scale`, or null; `length` = the bytes the number spans. */
function reference(text: string, scale: number): { units: number; length: number } | null {
  const match = /^([0-9]+)(\.([0-9]*))?/.exec(text);
  if (match === null) return null;
  if (match[2] !== undefined && match[3] === '') return null; // a dot without digits
  const fraction = match[3] ?? '';
  if (/[1-9]/.test(fraction.slice(scale))) return null;
  const units = BigInt(match[1]! + fraction.slice(0, scale).padEnd(scale, '0'));
  return units < 2n ** 53n ? { units: Number(units), length: match[0].length } : null;
}

const decimalText = fc
  .record({
    whole: fc.stringMatching(/^[0-9]{1,10}$/),
    fraction: fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    eightDigits: fc.boolean(),
    after: fc.constantFrom('"', '",', '"]', '', 'x', '.', '5"', ' '),
  })
  .map(({ whole, fraction, eightDigits, after }) => {
    // Half the cases are the exchange shape (exactly 8 fraction digits), the word path's own.
    const frac = eightDigits ? (fraction ?? '').padEnd(8, '0').slice(0, 8) : fraction;
    return (frac === undefined ? whole : `${whole}.${frac}`) + after;
  });

const placed = fc.record({
  text: decimalText,
  scale: fc.integer({ min: 0, max: MAX_SCALE }),
  before: fc.nat({ max: 7 }),
  cut: fc.nat({ max: 3 }),
});

test('scanUnits and scanUnitsWords agree with exact decimal arithmetic', () => {
  fc.assert(
    fc.property(placed, ({ text, scale, before, cut }) => {
      // The number sits at an odd offset of a larger buffer, inside a subarray: the word path
      // must add the view's byteOffset and never read past `end`.
      const body = encoder.encode(text);
      const backing = new Uint8Array(1 + before + body.length + 16).fill(0x37); // '7' all around
      backing.set(body, 1 + before);
      const data = backing.subarray(1);
      const pos = before;
      const end = Math.max(pos, pos + body.length - cut);
      const visible = new TextDecoder().decode(data.subarray(pos, end));
      const want = reference(visible, scale);
      const bytes = new Float64Array(1);
      const words = new Float64Array(1);
      const byteEnd = scanUnits(data, pos, end, scale, bytes, 0);
      const view = new DataView(backing.buffer);
      const wordEnd = scale >= 8 ? scanUnitsWords(view, data.byteOffset, data, pos, end, scale, words, 0) : byteEnd;
      if (want === null) {
        assert.equal(byteEnd, -1, `${JSON.stringify(visible)} at scale ${scale}`);
        assert.equal(wordEnd, -1, `${JSON.stringify(visible)} at scale ${scale} (words)`);
        return;
      }
      assert.equal(byteEnd, pos + want.length, `${JSON.stringify(visible)} at scale ${scale}`);
      assert.equal(bytes[0], want.units);
      if (scale >= 8) {
        assert.equal(wordEnd, byteEnd, `${JSON.stringify(visible)} at scale ${scale} (words)`);
        assert.equal(words[0], want.units);
      }
    }),
    { numRuns: 20_000 },
  );
});

/** Read through a function so TypeScript does not narrow `view` across select() calls. */
const viewOf = (cache: SwarViewCache): DataView | null => cache.view;

test('SwarViewCache: a view only for a buffer seen twice in a row, none below scale 8', () => {
  const cache = new SwarViewCache(8);
  const a = new Uint8Array(64).subarray(5);
  const b = new Uint8Array(64);
  cache.select(a);
  assert.equal(viewOf(cache), null, 'first sight of a buffer: byte path, nothing allocated');
  cache.select(a);
  assert.equal(viewOf(cache)?.buffer, a.buffer);
  assert.equal(cache.offset, 5);
  cache.select(b);
  assert.equal(viewOf(cache), null, 'a new buffer: byte path again');
  cache.select(a);
  assert.equal(viewOf(cache)?.buffer, a.buffer, 'the bound buffer keeps its view');
  const small = new SwarViewCache(4);
  small.select(a);
  small.select(a);
  assert.equal(viewOf(small), null);
});
