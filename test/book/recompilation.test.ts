// A book side's updates are optimized once and stay optimized: V8 throws optimized code away when a
// path it never saw run is taken ("insufficient type feedback") or a value breaks an assumption (a
// -0 where an integer was expected), and compiles the function again, 3-8 ms of CPU each time. The
// first BookSide runs every update path on throwaway sides (side-warm-up.ts) and the searches never
// make a -0, so a long random run (snapshots, best-first diffs near the top and at the far edge,
// removals, a side that grows and one bounded at maxLevels) must show no deoptimization of the
// side's methods' TurboFan code in V8's own trace, while the trace shows them optimized (so the
// check can fail: without the warm-up the same run deoptimizes TurboFan code of setLevel and the
// search on every Node version when the rare paths come). Maglev code (Node 22+) is left out: it
// is compiled concurrently, and under load a compile begun during the warm-up can lack its later
// paths and be thrown away once after it, which costs little (helpers/deopt-trace.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traceDeopts } from '../helpers/deopt-trace.js';

const bookSideUrl = new URL('../../src/book/book-side.js', import.meta.url).href;

const warmUp = `
import { BookSide } from ${JSON.stringify(bookSideUrl)};
new BookSide(true); // the first side runs the warm-up
`;

/** Random diffs on four sides, the kind of traffic a depth stream brings. */
const run = `
let seed = 0x1234567;
const next = (bound) => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) % bound;
};
const levels = new Float64Array(2 * 600);
let mid = 1_000_000;
const sides = [new BookSide(true), new BookSide(false), new BookSide(true, 200), new BookSide(false, 200)];
for (const side of sides) {
  const direction = side.isBid ? -1 : 1;
  let count = 0;
  for (let offset = 1; count < 500; offset++) {
    if (next(5) === 0) continue;
    levels[2 * count] = mid + direction * offset;
    levels[2 * count + 1] = 1 + next(100_000);
    count++;
  }
  side.setLevels(levels, count);
}
for (let diff = 0; diff < 150_000; diff++) {
  if (next(20) === 0) mid += next(2) === 0 ? -1 : 1;
  const side = sides[next(sides.length)];
  const direction = side.isBid ? -1 : 1;
  const count = 1 + next(24);
  let offset = 1 + next(3);
  for (let k = 0; k < count; k++) {
    // Mostly the top ranks, one level in eight at the far edge of a 500-tick book.
    offset += next(8) === 0 ? 0 : next(8) === 0 ? 1 + next(500) : 1 + next(3);
    levels[2 * k] = mid + direction * Math.min(offset, 520);
    levels[2 * k + 1] = next(4) === 0 ? 0 : 1 + next(100_000);
  }
  side.setLevels(levels, count);
}
`;

const SIDE_METHODS = ['setLevel', 'setLevels', 'endMerge', 'search', 'insert', 'grow', 'recentre', 'refreshBest', 'shiftLevels'];

describe('BookSide optimized code', () => {
  it('is not thrown away from TurboFan after the warm-up in a long random run (V8 --trace-deopt)', () => {
    const trace = traceDeopts(warmUp, run, SIDE_METHODS);
    assert.ok(trace.optimized.length > 0, 'the trace shows no side method optimized by TurboFan: the check would pass vacuously');
    assert.deepEqual(trace.deoptimized, []);
  });
});
