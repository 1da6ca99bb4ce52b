// Property tests of BinanceDepthDecoder: random depth messages in random spellings decode to
// what JSON.parse + exact decimal arithmetic on the text say; random byte mutations never throw,
// and whatever the fast path accepts equals the general path's answer on the same bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BinanceDepthDecoder } from '../../src/venues/binance/index.js';
import { allocateKernelBuffer } from '../../src/kernels/index.js';

const encoder = new TextEncoder();
const SCALE = 8;
/** Where the client receives messages (kernel memory): levels there are read by the WebAssembly kernel. */
const receiveBuffer = allocateKernelBuffer(64 * 1024);

/** Reference: decimal text -> units at SCALE, or null when not exact / not the grammar / too large. */
function referenceUnits(text: string): number | null {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (match === null) return null;
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(SCALE))) return null;
  const digits = BigInt(match[1]! + fraction.slice(0, SCALE).padEnd(SCALE, '0'));
  return digits < 2n ** 53n ? Number(digits) : null;
}

const decimal = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99_999_999 })).map(([w, f]) => `${w}.${String(f).padStart(8, '0')}`),
  fc.stringMatching(/^[0-9]{1,10}(\.[0-9]{1,12})?$/),
);
const level = fc.tuple(decimal, decimal);
const depthMessage = fc.record({
  U: fc.integer({ min: 0, max: 2 ** 50 }),
  span: fc.integer({ min: 0, max: 1000 }),
  E: fc.integer({ min: 0, max: 2 ** 45 }),
  b: fc.array(level, { maxLength: 30 }),
  a: fc.array(level, { maxLength: 30 }),
  combined: fc.boolean(),
  spacing: fc.constantFrom('', ' ', '\n  '),
});

test('random depthUpdates decode as JSON.parse + exact decimals say', () => {
  fc.assert(
    fc.property(depthMessage, ({ U, span, E, b, a, combined, spacing }) => {
      const body = { e: 'depthUpdate', E, s: 'BTCUSDT', U, u: U + span, b, a };
      const json = spacing === '' ? JSON.stringify(body) : JSON.stringify(body, null, spacing.length);
      const message = combined ? `{"stream":"btcusdt@depth","data":${json}}` : json;
      const decoder = new BinanceDepthDecoder({ combined });
      const expectedBids = b.map(([p, q]) => [referenceUnits(p), referenceUnits(q)]);
      const expectedAsks = a.map(([p, q]) => [referenceUnits(p), referenceUnits(q)]);
      const exact = [...expectedBids, ...expectedAsks].every(([p, q]) => p !== null && q !== null);
      // Twice from the same buffer: the first decode reads levels byte by byte, the second by
      // words (the buffer is seen twice in a row: swar-decimal.ts); both must give the reference.
      const data = encoder.encode(message);
      for (let pass = 0; pass < 2; pass++) {
        const ok = decoder.decode(data);
        assert.equal(ok, exact);
        if (!ok) return;
        const diff = decoder.diff;
        assert.equal(diff.firstUpdateId, U);
        assert.equal(diff.finalUpdateId, U + span);
        assert.equal(diff.eventTime, E);
        assert.deepEqual(Array.from(diff.bids.subarray(0, 2 * diff.bidCount)), expectedBids.flat());
        assert.deepEqual(Array.from(diff.asks.subarray(0, 2 * diff.askCount)), expectedAsks.flat());
      }
      // Once more from a receive buffer in kernel memory (kernels/level-pairs.ts reads the levels).
      receiveBuffer.set(data, 7);
      assert.equal(decoder.decode(receiveBuffer, 7, 7 + data.length), true);
      assert.deepEqual(Array.from(decoder.diff.bids.subarray(0, 2 * decoder.diff.bidCount)), expectedBids.flat());
      assert.deepEqual(Array.from(decoder.diff.asks.subarray(0, 2 * decoder.diff.askCount)), expectedAsks.flat());
      if (spacing === '') assert.equal(decoder.generalPathCount, 0, 'compact messages take the fast path');
    }),
    { numRuns: 300 },
  );
});

test('mutated depth messages: never throw; fast-path answers equal general-path answers', () => {
  const base = '{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":157,"u":160,"b":[["67000.10000000","1.50000000"],["66999.5","0"]],"a":[["67000.2","0.001"]],"x":null}';
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.constantFrom(0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x2e, 0x30, 0x39, 0x20, 0x5c, 0x65, 0x2d, 0x80, 0x00)), { minLength: 1, maxLength: 4 }),
      (mutations) => {
        const data = encoder.encode(` ${base}`);
        for (const [at, byte] of mutations) data[at + 1] = byte;
        const fast = new BinanceDepthDecoder();
        const general = new BinanceDepthDecoder();
        const fastOk = fast.decode(data, 1, data.length);
        const wordsOk = fast.decode(data, 1, data.length); // same buffer again: levels read by words
        assert.equal(wordsOk, fastOk);
        receiveBuffer.set(data, 0);
        const kernel = new BinanceDepthDecoder();
        assert.equal(kernel.decode(receiveBuffer, 1, data.length), fastOk, 'levels read in kernel memory');
        if (fastOk) assert.deepEqual(Array.from(kernel.diff.bids.subarray(0, 2 * kernel.diff.bidCount)), Array.from(fast.diff.bids.subarray(0, 2 * fast.diff.bidCount)));
        const generalOk = general.decode(data, 0, data.length); // leading space: general path only
        assert.equal(general.generalPathCount, 1);
        let parses = true;
        try {
          JSON.parse(new TextDecoder().decode(data)); // jsonFields leaves UTF-8 checks to string reads
        } catch {
          parses = false;
        }
        if (!parses) assert.equal(generalOk, false, 'invalid JSON is refused');
        assert.equal(fastOk, generalOk);
        if (fastOk) {
          const a = fast.diff;
          const b = general.diff;
          assert.deepEqual(
            [a.kind, a.firstUpdateId, a.finalUpdateId, a.eventTime, Array.from(a.bids.subarray(0, 2 * a.bidCount)), Array.from(a.asks.subarray(0, 2 * a.askCount))],
            [b.kind, b.firstUpdateId, b.finalUpdateId, b.eventTime, Array.from(b.bids.subarray(0, 2 * b.bidCount)), Array.from(b.asks.subarray(0, 2 * b.askCount))],
          );
        }
      },
    ),
    { numRuns: 3000 },
  );
});
