// The book side's warm-up: every update path of BookSide run once per process on throwaway sides,
// so that V8 optimizes the updates with feedback from all of them (see warmUpSides).
import type { BookSide } from './book-side.js';

/**
 * Runs every path of a side's updates on throwaway sides, once per process, before the first real
 * side exists: BookSide's constructor calls it once with itself as `newSide` (passed in, so that
 * this module needs BookSide's type only and the two modules do not import each other).
 *
 * V8 optimizes a function for the paths it has seen run; a path first taken later (a
 * removal at the far edge, a merge that runs out of room, a side that grows) throws the optimized
 * code away ("insufficient type feedback") and the function is compiled again, 3-8 ms of CPU each
 * time. At 1,000 diffs a second such paths first ran tens of seconds into a run, and the
 * recompilations cost as much CPU as ~1,000 diffs. The workload: snapshots, best-first diffs with
 * repeated and out-of-order prices and removals, single levels anywhere (growth past the initial
 * capacity, moves longer than the element loop's, a side full at maxLevels), on both sides; 7-11 ms
 * on the 2-core VM, once.
 */
export function warmUpSides(newSide: (isBid: boolean, maxLevels: number) => BookSide, initialCapacity: number): void {
  let seed = 0x2545f491;
  const next = (bound: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % bound;
  };
  const snapshotLevels = initialCapacity - 8;
  const levels = new Float64Array(2 * snapshotLevels);
  const mid = 1_000_000;
  const direction = (side: BookSide): number => (side.isBid ? -1 : 1);
  // Fills levels with a snapshot of `count` levels (every fifth tick empty); returns count.
  const snapshot = (side: BookSide, count: number): number => {
    for (let k = 0, offset = 1; k < count; offset++) {
      if (next(5) === 0) continue;
      levels[2 * k] = mid + direction(side) * offset;
      levels[2 * k + 1] = 1 + next(1000);
      k++;
    }
    return count;
  };
  // A diff best first: mostly near the top, some deep, a few repeated or out of order.
  const diff = (side: BookSide, depth: number): number => {
    const count = 1 + next(30);
    let offset = 1 + next(4);
    for (let k = 0; k < count; k++) {
      offset += next(6) === 0 ? 0 : 1 + next(next(8) === 0 ? depth >> 2 : 4);
      const placed = next(40) === 0 ? offset + next(16) - 8 : offset;
      levels[2 * k] = mid + direction(side) * Math.max(1, Math.min(depth, placed));
      levels[2 * k + 1] = next(4) === 0 ? 0 : 1 + next(1000);
    }
    return count;
  };
  // Single levels anywhere within `range` ticks of the mid, three in four set, one removed.
  const singles = (side: BookSide, range: number, count: number): void => {
    for (let k = 0; k < count; k++) {
      levels[0] = mid + direction(side) * (1 + next(range));
      levels[1] = next(4) === 0 ? 0 : 1 + next(1000);
      side.setLevel(levels, 0);
    }
  };
  // Sides bounded at 48 levels (from a snapshot, and from empty: searches on a few levels), and
  // sides that outgrow initialCapacity (long moves, galloping searches), then drop their worst
  // levels at maxLevels. Both kinds and both directions take turns round by round, so that every
  // path has run before V8 finds these functions hot (a compile that starts halfway through would
  // lack what the rest brings, and be thrown away later).
  const bounded = [newSide(true, 48), newSide(false, 48)];
  const deep = [newSide(true, initialCapacity + 44), newSide(false, initialCapacity + 44)];
  for (const side of deep) side.setLevels(levels, snapshot(side, snapshotLevels));
  for (let round = 0; round < 30; round++) {
    for (const side of bounded) {
      if (round === 15) {
        side.clear();
        singles(side, 4, 12);
      }
      side.setLevels(levels, round === 0 ? snapshot(side, 40) : diff(side, 56));
      singles(side, 112, 8);
    }
    if (round % 3 !== 0) continue;
    for (const side of deep) {
      side.setLevels(levels, diff(side, snapshotLevels));
      singles(side, 2 * snapshotLevels, 12);
    }
  }
}
