// Property tests for the kernels (fast-check): every implementation agrees with the oracle on
// arbitrary bytes, ranges and keys; masking is an involution; masking in pieces with a carried
// key offset equals masking at once; an index result is the first member of the set.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  implementations,
  indexOfOracle,
  isAsciiOracle,
  maskOracle,
  NON_ASCII,
  QUOTE_OR_BACKSLASH,
  STRING_STOP,
  STRUCTURAL,
} from '../kernels/implementations.js';

/** Bytes plus an in-bounds [start, end) range over them. */
const bytesWithRange = fc
  .uint8Array({ minLength: 0, maxLength: 3000 })
  .chain((bytes) =>
    fc
      .tuple(fc.nat({ max: bytes.length }), fc.nat({ max: bytes.length }))
      .map(([a, b]) => ({ bytes, start: Math.min(a, b), end: Math.max(a, b) })),
  );

/** JSON-like text (sparse matches, long runs), to reach the SIMD paths past the scalar probe. */
const jsonLike = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-+eE '.split('')) },
      { weight: 1, arbitrary: fc.constantFrom(...'"\\{}[],:\n\u00e9'.split('')) },
    ),
    { maxLength: 4000 },
  )
  .map((characters) => new TextEncoder().encode(characters.join('')));

const maskKey = fc.uint8Array({ minLength: 4, maxLength: 4 });
/** Keys drawn from a pool, as the client's MaskKeyPool hands them out. */
const keyPool = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('kernel properties', () => {
  for (const implementation of implementations) {
    describe(implementation.name, () => {
      it('mask equals the RFC 6455 5.3 oracle for any bytes, offsets, key and key position', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(40), fc.nat(40), keyPool, fc.nat(12), fc.nat(1 << 20), (bytes, sourcePad, targetPad, pool, keyStart, keyOffset) => {
            const source = implementation.buffer(bytes.length + sourcePad, 0);
            source.set(bytes, sourcePad);
            const target = implementation.buffer(bytes.length + targetPad, 1);
            const expected = new Uint8Array(target.length);
            maskOracle(source, sourcePad, expected, targetPad, bytes.length, pool.subarray(keyStart, keyStart + 4), keyOffset);
            implementation.mask(source, sourcePad, target, targetPad, bytes.length, pool, keyOffset, keyStart);
            assert.deepEqual(target, expected);
          }),
          { numRuns: 150 },
        );
      });

      it('masking twice in place restores the payload', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(20), maskKey, fc.nat(3), (bytes, pad, key, keyOffset) => {
            const buffer = implementation.buffer(bytes.length + pad, 0);
            buffer.set(bytes, pad);
            implementation.mask(buffer, pad, buffer, pad, bytes.length, key, keyOffset);
            implementation.mask(buffer, pad, buffer, pad, bytes.length, key, keyOffset);
            assert.deepEqual(buffer.subarray(pad), bytes);
          }),
          { numRuns: 100 },
        );
      });

      it('masking in pieces with the running offset as keyOffset equals masking at once', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat(1500), { maxLength: 8 }), maskKey, (bytes, cuts, key) => {
            const source = implementation.buffer(bytes.length, 0);
            source.set(bytes);
            const target = implementation.buffer(bytes.length, 1);
            const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
            let at = 0;
            for (const point of [...points, bytes.length]) {
              implementation.mask(source, at, target, at, point - at, key, at);
              at = point;
            }
            const whole = new Uint8Array(bytes.length);
            maskOracle(bytes, 0, whole, 0, bytes.length, key, 0);
            assert.deepEqual(target, whole);
          }),
          { numRuns: 100 },
        );
      });

      for (const [name, set] of [
        ['indexOfQuoteOrBackslash', QUOTE_OR_BACKSLASH],
        ['indexOfStringStop', STRING_STOP],
        ['indexOfStructural', STRUCTURAL],
        ['indexOfNonAscii', NON_ASCII],
      ] as const) {
        const scan = implementation[name];
        it(`${name} finds the first member of the set, on random bytes and JSON-like text`, () => {
          fc.assert(
            fc.property(fc.oneof(bytesWithRange, jsonLike.chain((bytes) => fc.nat({ max: bytes.length }).map((start) => ({ bytes, start, end: bytes.length })))), ({ bytes, start, end }) => {
              const data = implementation.buffer(bytes.length, 0);
              data.set(bytes);
              const found = scan(data, start, end);
              assert.equal(found, indexOfOracle(data, start, end, set));
              if (found !== -1) {
                assert.ok(found >= start && found < end);
                assert.ok(set.includes(String.fromCharCode(data[found]!)));
              }
            }),
            { numRuns: 200 },
          );
        });
      }

      it('isAscii agrees with the oracle, including on mostly-ASCII text', () => {
        fc.assert(
          fc.property(fc.oneof(bytesWithRange, jsonLike.map((bytes) => ({ bytes, start: 0, end: bytes.length }))), ({ bytes, start, end }) => {
            const data = implementation.buffer(bytes.length, 0);
            data.set(bytes);
            assert.equal(implementation.isAscii(data, start, end), isAsciiOracle(data, start, end));
          }),
          { numRuns: 200 },
        );
      });
    });
  }
});
