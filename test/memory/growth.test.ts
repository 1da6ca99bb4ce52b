// grownArray: the type is kept, the old elements lead, the rest holds the fill, the length at
// least doubles and covers what was asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { grownArray } from '../../src/memory/growth.js';

describe('grownArray', () => {
  it('keeps the type and the first `keep` elements, fills the rest, at least doubles and covers `needed`', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('f64', 'i32', 'u32', 'u8'),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: -1, max: 1 }),
        fc.nat(),
        (kind, values, needed, fill, keepSeed) => {
          const array = kind === 'f64' ? new Float64Array(values) : kind === 'i32' ? new Int32Array(values) : kind === 'u32' ? new Uint32Array(values) : new Uint8Array(values);
          const keep = values.length === 0 ? 0 : keepSeed % (values.length + 1);
          const next = grownArray(array, needed, fill, keep);
          assert.equal(next.constructor, array.constructor);
          assert.ok(next.length >= needed && next.length >= 2 * array.length && next.length >= 1);
          for (let i = 0; i < keep; i++) assert.equal(next[i], array[i]);
          const expectedFill = kind === 'u8' ? fill & 0xff : kind === 'u32' ? fill >>> 0 : fill;
          for (let i = keep; i < next.length; i++) assert.equal(next[i], expectedFill);
          assert.notEqual(next.buffer, array.buffer);
        },
      ),
    );
  });

  it('keeps every element when `keep` is left out', () => {
    const next = grownArray(new Int32Array([5, -6, 7]), 4, -1);
    assert.deepEqual(Array.from(next), [5, -6, 7, -1, -1, -1]);
  });

  it('fills with NaN (a Float64Array of ids where NaN means none yet)', () => {
    const next = grownArray(new Float64Array([1.5, NaN]), 3, NaN);
    assert.deepEqual(Array.from(next), [1.5, NaN, NaN, NaN]);
  });
});
