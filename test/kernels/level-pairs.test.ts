// The WebAssembly level-pair kernel against the scalar parser it stands in for: whatever the kernel
// accepts, scanUnits read the same way gives the same values and the same end; Binance's own
// spelling is always accepted (so the kernel is actually used); anything else may be handed back
// (-1), never misread. Inputs are placed in kernel memory, where the kernel runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocateKernelBuffer, kernelImplementation } from '../../src/kernels/index.js';
import { KERNEL_LEVEL_CAPACITY, KERNEL_STAGING_BYTES, KERNEL_STAGING_MIN_BYTES, LevelPairsReader } from '../../src/kernels/level-pairs.js';
import { rangeCopyIsViewFree } from '../../src/kernels/byte-copy.js';
import { scanUnits } from '../../src/market-json/fixed-point.js';

const encoder = new TextEncoder();
/** One kernel-memory buffer reused for every case (the arena is never freed). */
const arena = allocateKernelBuffer(256 * 1024);
const kernelRuns = kernelImplementation === 'simd';

/**
 * The reference: `[["p","q"],...]` at data[start] read with scanUnits, in the grammar of the
 * depth decoder's scalar fast path. The end after ']' and the pairs, or null.
 */
function referenceLevels(data: Uint8Array, start: number, end: number, scale: number): { end: number; pairs: number[] } | null {
  const pairs: number[] = [];
  const out = new Float64Array(1);
  let pos = start;
  if (data[pos] !== 0x5b) return null;
  pos++;
  if (pos < end && data[pos] === 0x5d) return { end: pos + 1, pairs };
  for (;;) {
    if (pos + 2 >= end || data[pos] !== 0x5b || data[pos + 1] !== 0x22) return null;
    pos = scanUnits(data, pos + 2, end, scale, out, 0);
    if (pos < 0 || pos + 3 >= end || data[pos] !== 0x22 || data[pos + 1] !== 0x2c || data[pos + 2] !== 0x22) return null;
    pairs.push(out[0]!);
    pos = scanUnits(data, pos + 3, end, scale, out, 0);
    if (pos < 0 || pos + 2 >= end || data[pos] !== 0x22 || data[pos + 1] !== 0x5d) return null;
    pairs.push(out[0]!);
    pos += 2;
    if (data[pos] === 0x2c) {
      pos++;
      continue;
    }
    if (data[pos] !== 0x5d) return null;
    return { end: pos + 1, pairs };
  }
}

/** Writes text into the kernel arena at `offset`; the bytes after it are `filler` (what a longer receive buffer holds). */
function place(text: string, offset: number, filler = 0x39): { start: number; end: number } {
  const bytes = encoder.encode(text);
  arena.fill(filler, offset, Math.min(arena.length, offset + bytes.length + 64));
  arena.set(bytes, offset);
  return { start: offset, end: offset + bytes.length };
}

/** Checks one input: an accepted read equals the reference. Returns whether the kernel accepted it. */
function check(text: string, offset: number, scale: number, cut = 0): boolean {
  const { start, end } = place(text, offset);
  const reader = new LevelPairsReader(scale);
  const target = new Float64Array(2 * 64);
  const kernelEnd = reader.read(arena, start, end - cut, target);
  if (kernelEnd < 0) return false;
  const reference = referenceLevels(arena, start, end - cut, scale);
  assert.notEqual(reference, null, `kernel accepted what the scalar parser refuses: ${text}`);
  assert.equal(kernelEnd, reference!.end, text);
  assert.deepEqual(Array.from(target.subarray(0, 2 * reader.count)), reference!.pairs, text);
  return true;
}

const binanceDecimal = fc
  .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(8, '0')}`);
/** Binance's spelling below 2^53 at scale 8 (both parsers refuse larger values). */
const safeDecimal = fc
  .tuple(fc.integer({ min: 0, max: 90_000_000 }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(8, '0')}`);
const anyDecimal = fc.oneof(
  { weight: 6, arbitrary: binanceDecimal },
  fc.stringMatching(/^[0-9]{1,20}(\.[0-9]{0,20})?$/),
  fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}0{0,12}$/),
  fc.constantFrom('9007199254.74099100', '90071992.54740991', '90071992.54740992', '0.00000001', '00000000000000001.5', '', '.5', '1.', '-1.0', '1e8', '1.0 ', '１.0'),
);

describe('LevelPairsReader (WebAssembly level kernel)', () => {
  it('reads Binance-spelled levels in kernel memory, equal to the scalar parser', () => {
    const text = '[["67000.01000000","1.50000000"],["66999.99000000","0.00000000"],["10000000.00000000","12345678.12345678"]]';
    const { start, end } = place(text, 1000);
    const reader = new LevelPairsReader(8);
    const target = new Float64Array(16);
    const after = reader.read(arena, start, end, target);
    if (!kernelRuns) {
      assert.equal(reader.available, false);
      assert.equal(after, -1);
      return;
    }
    assert.equal(reader.available, true);
    assert.equal(after, end);
    assert.equal(reader.count, 3);
    assert.deepEqual(Array.from(target.subarray(0, 6)), [6_700_001_000_000, 150_000_000, 6_699_999_000_000, 0, 1_000_000_000_000_000, 1_234_567_812_345_678]);
    assert.equal(reader.read(arena, start, end, new Float64Array(4)), -1, 'more levels than the target holds: handed back');
    assert.equal(reader.read(new Uint8Array(arena.subarray(start, end)), 0, end - start, target), -1, 'not in kernel memory: handed back');
    assert.equal(reader.read(arena, start, end - 1, target), -1, 'the closing bracket past the end: handed back');
    const empty = place('[]', 2000);
    assert.equal(reader.read(arena, empty.start, empty.end, target), empty.end);
    assert.equal(reader.count, 0);
    assert.ok(KERNEL_LEVEL_CAPACITY >= 1000, 'room for a 1000-level snapshot side');
  });

  it('reads a second array that follows under the given key in the same call, or leaves it to the caller', { skip: !kernelRuns && 'no WebAssembly SIMD kernels here' }, () => {
    const aKey = 0x3a226122; // `"a":`
    const reader = new LevelPairsReader(8);
    const bids = new Float64Array(16);
    const asks = new Float64Array(16);
    const both = place('[["1.50000000","2.00000000"]],"a":[["1.60000000","3.00000000"],["1.70000000","0.00000000"]]}', 500);
    const bothEnd = both.end - 1;
    assert.equal(reader.read(arena, both.start, both.end, bids, aKey, asks), bothEnd);
    assert.deepEqual([reader.count, reader.secondCount], [1, 2]);
    assert.deepEqual(Array.from(bids.subarray(0, 2)), [150_000_000, 200_000_000]);
    assert.deepEqual(Array.from(asks.subarray(0, 4)), [160_000_000, 300_000_000, 170_000_000, 0]);
    // another key after the first array: only the first is read
    const other = place('[["1.50000000","2.00000000"]],"x":[["1.60000000","3.00000000"]]}', 700);
    assert.equal(reader.read(arena, other.start, other.end, bids, aKey, asks), other.start + 29);
    assert.deepEqual([reader.count, reader.secondCount], [1, -1]);
    // a second array outside the kernel's shape: the first is kept, the second is the caller's
    const odd = place('[["1.50000000","2.00000000"]],"a":[["1.6", "3.0"]]}', 900);
    assert.equal(reader.read(arena, odd.start, odd.end, bids, aKey, asks), odd.start + 29);
    assert.deepEqual([reader.count, reader.secondCount], [1, -1]);
    // a second array with more levels than its target holds: handed back too
    assert.equal(reader.read(arena, both.start, both.end, bids, aKey, new Float64Array(2)), both.start + 29);
    assert.equal(reader.secondCount, -1);
    // level arrays in kernel memory are filled in place, with the same results
    const ownBids = reader.levelArray(8)!;
    const ownAsks = reader.levelArray(8)!;
    assert.notEqual(ownBids, null);
    assert.equal(reader.levelArray(8), null, 'two arrays per reader');
    assert.equal(reader.read(arena, both.start, both.end, ownBids, aKey, ownAsks), bothEnd);
    assert.deepEqual(Array.from(ownBids.subarray(0, 2)), [150_000_000, 200_000_000]);
    assert.deepEqual(Array.from(ownAsks.subarray(0, 4)), [160_000_000, 300_000_000, 170_000_000, 0]);
  });

  it('accepts every compact Binance level array the scalar parser accepts and reads it as the scalar parser does (fast-check)', { skip: !kernelRuns && 'no WebAssembly SIMD kernels here' }, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(binanceDecimal, binanceDecimal), { maxLength: 40 }), fc.nat(4000), (levels, offset) => {
        const text = `[${levels.map(([p, q]) => `["${p}","${q}"]`).join(',')}],"x":1}`;
        const { start, end } = place(text, offset);
        // Accepted exactly when the scalar parser accepts (values from 2^53 are refused by both).
        assert.equal(check(text, offset, 8), referenceLevels(arena, start, end, 8) !== null, text);
      }),
      { numRuns: 400 },
    );
  });

  it('never misreads arbitrary decimals, scales, cuts and mutated bytes (fast-check)', { skip: !kernelRuns && 'no WebAssembly SIMD kernels here' }, () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        // Half the arrays in Binance's spelling only (else almost every array would hold some
        // decimal the kernel hands back, and accepted inputs would be rare).
        fc.oneof(fc.array(fc.tuple(binanceDecimal, binanceDecimal), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(anyDecimal, anyDecimal), { minLength: 1, maxLength: 12 })),
        fc.oneof({ weight: 3, arbitrary: fc.constant(8) }, fc.integer({ min: 0, max: 15 })),
        fc.nat(3000),
        fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat(3)),
        fc.oneof(
          { weight: 2, arbitrary: fc.constant<[number, number][]>([]) },
          fc.array(fc.tuple(fc.nat(400), fc.constantFrom(0x22, 0x2c, 0x5b, 0x5d, 0x2e, 0x30, 0x39, 0x20, 0x2f, 0x3a, 0x00, 0xff)), { minLength: 1, maxLength: 2 }),
        ),
        (levels, scale, offset, cut, mutations) => {
          const chars = `[${levels.map(([p, q]) => `["${p}","${q}"]`).join(',')}]`.split('');
          for (const [at, byte] of mutations) if (at < chars.length) chars[at] = String.fromCharCode(byte);
          runs++;
          if (check(chars.join(''), offset, scale, cut)) accepted++;
        },
      ),
      { numRuns: 3000 },
    );
    // About 15% are accepted (scale 8, no cut, no mutation, Binance spelling, below 2^53).
    assert.ok(accepted > runs / 40, `the kernel accepted ${accepted} of ${runs}: too few to test anything`);
  });

  it('stages a message from an ordinary buffer into kernel memory and reads it there, equal to the scalar parser (fast-check)', { skip: !kernelRuns && 'no WebAssembly SIMD kernels here' }, () => {
    const reader = new LevelPairsReader(8);
    const target = new Float64Array(2 * 64);
    let staged = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(safeDecimal, safeDecimal), { minLength: 8, maxLength: 40 }), fc.nat(50), fc.nat(50), fc.boolean(), (levels, before, after, whole) => {
        const array = `[${levels.map(([p, q]) => `["${p}","${q}"]`).join(',')}]`;
        const message = `{"b":${array},"x":1}`;
        // the message alone in its buffer (as ws delivers it), or inside a longer one
        const text = whole ? message : `${' '.repeat(before)}${message}${' '.repeat(after)}`;
        const data = encoder.encode(text);
        const start = whole ? 0 : before;
        const end = start + message.length;
        const reference = referenceLevels(data, start + 5, end, 8)!;
        assert.notEqual(reference, null);
        // Node 20 copies part of a buffer only from its second sighting on
        let read = false;
        for (let attempt = 0; attempt < 2 && !read; attempt++) {
          assert.equal(reader.locate(data), false, 'an ordinary buffer is not kernel memory');
          if (!reader.prepare(data, start, end)) {
            assert.equal(reader.read(data, start + 5, end, target), -1, 'nothing staged: handed back');
            continue;
          }
          const kernelEnd = reader.read(data, start + 5, end, target);
          assert.equal(kernelEnd, reference.end);
          assert.deepEqual(Array.from(target.subarray(0, 2 * reader.count)), reference.pairs);
          read = true;
          staged++;
        }
        if (whole || rangeCopyIsViewFree) assert.ok(read, 'staged at the first attempt');
        assert.ok(read, 'staged at the second sighting at the latest');
      }),
      { numRuns: 300 },
    );
    assert.equal(reader.stagedCount, staged);
  });

  it('does not stage what is too short, too long or out of range, and a staged copy is void once another reader stages', { skip: !kernelRuns && 'no WebAssembly SIMD kernels here' }, () => {
    const reader = new LevelPairsReader(8);
    const target = new Float64Array(2 * 64);
    const level = '["67000.01000000","1.50000000"]';
    const short = encoder.encode(`[${level}]`);
    assert.ok(short.length < KERNEL_STAGING_MIN_BYTES);
    assert.equal(reader.prepare(short, 0, short.length), false);
    assert.equal(reader.read(short, 0, short.length, target), -1);
    const long = encoder.encode(`[${Array(Math.ceil(KERNEL_STAGING_BYTES / level.length)).fill(level).join(',')}]`);
    assert.equal(reader.prepare(long, 0, long.length), false);
    const data = encoder.encode(`[${Array(10).fill(level).join(',')}]`);
    assert.equal(reader.prepare(data, 0, data.length + 1), false, 'end past the view');
    assert.equal(reader.prepare(data, -1, data.length), false, 'start before the view');
    assert.equal(reader.prepare(data, 0, data.length), true);
    assert.equal(reader.read(data, 0, data.length, target), data.length);
    assert.equal(reader.count, 10);
    const other = new LevelPairsReader(8);
    const otherData = encoder.encode(`[${Array(12).fill('["1.00000000","2.00000000"]').join(',')}]`);
    assert.equal(other.prepare(otherData, 0, otherData.length), true);
    assert.equal(reader.read(data, 0, data.length, target), -1, 'the shared staging region now holds the other message');
    assert.equal(other.read(otherData, 0, otherData.length, target), otherData.length);
    assert.equal(other.count, 12);
  });
});
