// Typed arrays that grow by doubling. Hot paths keep their state in typed arrays sized once and
// reused; when one is too small (more levels, more streams, longer names) it is replaced by a
// larger copy. Doubling keeps the number of replacements logarithmic in the final size, so the
// allocation happens a handful of times in a process's life and never in steady state.

/** The typed arrays grown here (each keeps its own element type). */
export type GrowableArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * A new array of the same type with room for at least `needed` elements and at least twice the
 * old length, holding `array`'s first `keep` elements (default: all) at the start and `fill` in the
 * rest. Called only when `array` is too small: growth is rare, so the copy does not matter.
 */
export function grownArray<T extends GrowableArray>(array: T, needed: number, fill = 0, keep: number = array.length): T {
  const length = Math.max(needed, 2 * array.length, 1);
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(keep === array.length ? array : array.subarray(0, keep));
  if (fill !== 0) next.fill(fill, keep);
  return next;
}
