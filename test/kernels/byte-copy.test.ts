// Range copies between two ArrayBuffers: the bytes land where asked (or, for copyRangeShifted,
// where it says), whole views and partial ranges, on every Node; a partial copy allocates nothing
// where the module says it does not (Node 22+: Buffer.prototype.copy; Node 20: word copy once a
// buffer has been seen twice).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copyRange, copyRangeShifted, rangeCopyIsViewFree } from '../../src/kernels/byte-copy.js';
import { GcWindow } from '../helpers/gc-window.js';

const nodeMajor = Number.parseInt(process.versions.node, 10);

function filled(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = (k * 31 + seed) & 0xff;
  return bytes;
}

describe('copyRange', () => {
  it('copies any range between two buffers, whole views and parts, as set() does (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(7), fc.nat(40), (length, sourceStart, targetStart, sourceOffset, extra) => {
        const backing = filled(sourceOffset + sourceStart + length + extra, length);
        const source = backing.subarray(sourceOffset);
        const target = new Uint8Array(targetStart + length + 8).fill(0xee);
        const expected = target.slice();
        expected.set(source.subarray(sourceStart, sourceStart + length), targetStart);
        copyRange(source, sourceStart, target, targetStart, length);
        assert.deepEqual(target, expected);
      }),
      { numRuns: 500 },
    );
  });

  it('is a Buffer.prototype.copy range copy from Node 22 on', () => {
    assert.equal(rangeCopyIsViewFree, nodeMajor >= 22);
  });
});

describe('copyRangeShifted', () => {
  it('puts the range where it answers, within 3 bytes of the place asked, or copies nothing (fast-check)', () => {
    let copied = 0;
    fc.assert(
      fc.property(fc.nat(2000), fc.nat(300), fc.nat(64), fc.nat(7), fc.boolean(), (length, sourceStart, targetStart, sourceOffset, whole) => {
        const backing = filled(sourceOffset + sourceStart + length + 5, length + 1);
        const source = whole ? backing.subarray(sourceOffset + sourceStart, sourceOffset + sourceStart + length) : backing.subarray(sourceOffset);
        const from = whole ? 0 : sourceStart;
        const target = new Uint8Array(targetStart + length + 3).fill(0xee);
        const before = target.slice();
        let copiedHere = 0;
        // twice: on Node 20 a buffer seen for the first time is not copied
        for (let attempt = 0; attempt < 2; attempt++) {
          const at = copyRangeShifted(source, from, target, targetStart, length);
          if (at < 0) {
            assert.deepEqual(target, before, 'nothing written when it answers -1');
            assert.ok(!rangeCopyIsViewFree && !whole, 'only a partial copy on Node 20 may be refused');
            continue;
          }
          copiedHere++;
          assert.ok(at >= targetStart && at <= targetStart + 3, `answered ${at} for ${targetStart}`);
          if (rangeCopyIsViewFree || whole) assert.equal(at, targetStart);
          assert.deepEqual(target.subarray(at, at + length), source.subarray(from, from + length));
          assert.ok(target.subarray(0, at).every((byte) => byte === 0xee), 'nothing written before the range');
          assert.ok(target.subarray(at + length).every((byte) => byte === 0xee), 'nothing written after the range');
          target.set(before);
        }
        assert.ok(copiedHere >= 1, 'the second sighting of a buffer is copied');
        copied += copiedHere;
      }),
      { numRuns: 400 },
    );
    assert.ok(copied >= 400, `copied ${copied} times`);
  });

  it('refuses a word copy within one buffer (a forward copy would overwrite what it has yet to read)', () => {
    const bytes = filled(4096, 3);
    const expected = bytes.slice();
    expected.copyWithin(8, 4, 2004);
    const source = bytes.subarray(0, 4000);
    const target = bytes.subarray(0);
    for (let attempt = 0; attempt < 2; attempt++) {
      const at = copyRangeShifted(source, 4, target, 8, 2000);
      if (at >= 0) {
        // Node 22+ (memmove in C++)
        assert.equal(at, 8);
        assert.deepEqual(bytes, expected);
        return;
      }
    }
    assert.ok(!rangeCopyIsViewFree);
    assert.deepEqual(bytes, filled(4096, 3), 'nothing written');
  });

  it('makes no garbage in 1M partial copies of 1.4 kB once the buffers are known; a view per copy is caught', async () => {
    const corpus = filled(64 * 1360 + 16, 9);
    const target = new Uint8Array(new ArrayBuffer(4096), 128, 2048);
    const sums = new Float64Array(1);
    // One copy per call, as a decoder makes it per message: the function is optimized by call
    // count like a decoder is (a loop run in on-stack-replaced code is not, and until V8 12
    // optimizes it, Buffer.copy runs its slow path, which allocates).
    const copyOne = (n: number): void => {
      const at = copyRangeShifted(corpus, (n & 63) * 1360 + (n & 7), target, 0, 1360);
      sums[0] = sums[0]! + at + target[at + 5]!;
    };
    const run = (count: number): void => {
      for (let n = 0; n < count; n++) copyOne(n);
    };
    const runAllocating = (count: number): void => {
      for (let n = 0; n < count; n++) {
        const from = (n & 63) * 1360;
        target.set(corpus.subarray(from, from + 1360));
        sums[0] = sums[0]! + target[5]!;
      }
    };
    const measure = async (loop: (count: number) => void): Promise<number> => {
      (globalThis as { gc?: () => void }).gc?.();
      const window = new GcWindow();
      window.begin();
      loop(1_000_000);
      window.end();
      const counts = await window.collect();
      return counts.scavenges;
    };
    for (let round = 0; round < 4; round++) run(200_000);
    runAllocating(100_000);
    const clean = await measure(run);
    const control = await measure(runAllocating);
    assert.ok(control >= 1, 'the window sees the collections a view per copy causes');
    assert.equal(clean, 0, `expected no scavenge, saw ${clean}`);
  });
});
