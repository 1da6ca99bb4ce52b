// Ranges outside the view break the kernels' contract, but a caller's bug must stay inside its own
// view: in kernel memory the neighbour is another connection's buffer. Every implementation must
// leave the bytes around the view untouched and agree with the scalar kernels (typed-array
// semantics: reads past the end are undefined, writes past the end are dropped).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { implementations, Random } from './implementations.js';
import {
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
} from '../../src/kernels/scalar.js';

const GUARD = 64;
const VIEW = 200;

for (const implementation of implementations) {
  describe(`out-of-range calls: ${implementation.name}`, () => {
    it('mask never writes outside the target view and matches scalar', () => {
      const random = new Random(11);
      const region = implementation.buffer(VIEW + 2 * GUARD, 1);
      const source = implementation.buffer(VIEW + 2 * GUARD, 0).subarray(GUARD, GUARD + VIEW);
      random.fill(source);
      const maskKey = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
      for (const [sourceStart, targetStart, length] of [
        [0, 150, 100], // target overflows by 50
        [150, 0, 100], // source overflows by 50
        [0, -8, 40], // negative target start
        [-8, 0, 40], // negative source start
        [0, 0, 300], // both overflow
        [3, 190, 17],
      ] as const) {
        random.fill(region);
        const target = region.subarray(GUARD, GUARD + VIEW);
        const before = region.slice();
        const expected = target.slice();
        maskScalar(source, sourceStart, expected, targetStart, length, maskKey, 1);
        implementation.mask(source, sourceStart, target, targetStart, length, maskKey, 1);
        const label = `${sourceStart}->${targetStart} x${length}`;
        assert.deepEqual(region.subarray(0, GUARD), before.subarray(0, GUARD), `${label}: bytes before the view`);
        assert.deepEqual(region.subarray(GUARD + VIEW), before.subarray(GUARD + VIEW), `${label}: bytes after the view`);
        assert.deepEqual(target, expected, label);
      }
    });

    it('scans and isAscii read nothing outside the view', () => {
      const region = implementation.buffer(VIEW + 2 * GUARD, 0);
      // Matches and non-ASCII bytes only outside the view: finding one means reading outside.
      region.fill(0x22);
      const data = region.subarray(GUARD, GUARD + VIEW);
      data.fill(0x61);
      for (const [start, end] of [
        [0, VIEW + 40],
        [-10, 50],
        [150, VIEW + 1],
        [-5, VIEW + 5],
        [120, 100], // start after end
      ] as const) {
        const label = `[${start}, ${end})`;
        assert.equal(implementation.indexOfQuoteOrBackslash(data, start, end), indexOfQuoteOrBackslashScalar(data, start, end), label);
        assert.equal(implementation.indexOfStringStop(data, start, end), indexOfStringStopScalar(data, start, end), label);
        assert.equal(implementation.indexOfStructural(data, start, end), indexOfStructuralScalar(data, start, end), label);
      }
      region.fill(0xff);
      data.fill(0x41);
      for (const [start, end] of [[0, VIEW + 40], [-10, 50], [-5, VIEW + 5]] as const) {
        assert.equal(implementation.isAscii(data, start, end), isAsciiScalar(data, start, end), `[${start}, ${end})`);
        assert.equal(implementation.isAscii(data, start, end), true, `[${start}, ${end}) sees only the view's ASCII bytes`);
        assert.equal(implementation.indexOfNonAscii(data, start, end), -1, `[${start}, ${end}) finds no non-ASCII byte`);
      }
    });
  });
}
