// Every masking implementation against the RFC 6455 5.3 oracle, for every length 0..1024 and
// every start offset 0..15, copying and in place, plus lengths that cross the SIMD copy path's
// scratch blocks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { implementations, maskOracle, Random } from './implementations.js';

const MAX_LENGTH = 1024;
const ALIGNMENTS = 16;
const SLACK = 32;

function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

for (const implementation of implementations) {
  describe(`mask: ${implementation.name}`, () => {
    it('copies masked bytes for every length 0..1024 and every source/target offset', () => {
      const random = new Random(0x5eed);
      const source = implementation.buffer(MAX_LENGTH + SLACK, 0);
      const target = implementation.buffer(MAX_LENGTH + SLACK, 1);
      const sourceBefore = new Uint8Array(source.length);
      const expected = new Uint8Array(target.length);
      const maskKey = new Uint8Array(4);
      // A long call first puts both views in the scalar word-view cache, so short lengths take the
      // word loop too (a view not seen before goes byte by byte below NEW_VIEW_WORD_LOOP_MIN_BYTES).
      implementation.mask(source, 0, target, 0, MAX_LENGTH, maskKey);
      for (let length = 0; length <= MAX_LENGTH; length++) {
        for (let alignment = 0; alignment < ALIGNMENTS; alignment++) {
          random.fill(source);
          random.fill(target);
          random.fill(maskKey);
          sourceBefore.set(source);
          expected.set(target);
          const sourceStart = alignment;
          // Walks every target offset mod 16 (same and different alignment mod 4 as the source).
          const targetStart = (alignment * 7 + length) % ALIGNMENTS;
          const keyOffset = (length + alignment) & 3;
          maskOracle(source, sourceStart, expected, targetStart, length, maskKey, keyOffset);
          implementation.mask(source, sourceStart, target, targetStart, length, maskKey, keyOffset);
          const at = firstDifference(target, expected);
          if (at !== -1) {
            assert.fail(`length ${length} source@${sourceStart} target@${targetStart} keyOffset ${keyOffset}: byte ${at} is ${target[at]}, expected ${expected[at]}`);
          }
          assert.equal(firstDifference(source, sourceBefore), -1, 'source must not change');
        }
      }
    });

    it('unmasks in place for every length 0..1024 and every offset', () => {
      const random = new Random(0xc0ffee);
      const buffer = implementation.buffer(MAX_LENGTH + SLACK, 0);
      const expected = new Uint8Array(buffer.length);
      const maskKey = new Uint8Array(4);
      implementation.mask(buffer, 0, buffer, 0, MAX_LENGTH, maskKey); // cache the view (see above)
      for (let length = 0; length <= MAX_LENGTH; length++) {
        for (let start = 0; start < ALIGNMENTS; start++) {
          random.fill(buffer);
          random.fill(maskKey);
          expected.set(buffer);
          const keyOffset = start & 3;
          maskOracle(expected, start, expected, start, length, maskKey, keyOffset);
          implementation.mask(buffer, start, buffer, start, length, maskKey, keyOffset);
          const at = firstDifference(buffer, expected);
          if (at !== -1) assert.fail(`in place, length ${length} start ${start}: byte ${at} differs`);
        }
      }
    });

    it('handles lengths that span several 64 KiB scratch blocks', () => {
      const random = new Random(7);
      const maskKey = Uint8Array.of(0x12, 0x34, 0x56, 0x78);
      for (const length of [65535, 65536, 65537, 131072 + 5, 300_001]) {
        for (const [sourceStart, targetStart] of [[0, 0], [1, 3], [3, 3], [2, 0]] as const) {
          const source = implementation.buffer(length + 8, 0);
          const target = implementation.buffer(length + 8, 1);
          random.fill(source);
          const expected = target.slice();
          maskOracle(source, sourceStart, expected, targetStart, length, maskKey, 1);
          implementation.mask(source, sourceStart, target, targetStart, length, maskKey, 1);
          assert.equal(firstDifference(target, expected), -1, `length ${length} ${sourceStart}->${targetStart}`);
        }
      }
    });

    it('masks a payload in pieces when keyOffset carries the position', () => {
      const random = new Random(99);
      const source = implementation.buffer(4096, 0);
      const target = implementation.buffer(4096, 1);
      random.fill(source);
      const maskKey = Uint8Array.of(1, 2, 4, 8);
      const whole = new Uint8Array(4096);
      maskOracle(source, 0, whole, 0, 4096, maskKey, 0);
      // Pieces of awkward sizes, each continuing the key phase of the one before.
      for (let at = 0, piece = 1; at < 4096; at += piece, piece = (piece * 3 + 1) % 700 + 1) {
        const length = Math.min(piece, 4096 - at);
        implementation.mask(source, at, target, at, length, maskKey, at);
      }
      assert.equal(firstDifference(target, whole), -1);
    });

    it('reads the key at maskKeyStart, e.g. from the frame header in the same buffer', () => {
      const random = new Random(5);
      for (const length of [0, 1, 5, 16, 100, 700]) {
        for (const keyOffset of [0, 1, 2, 3]) {
          // A masked frame being built in place: 2-byte header, 4 key bytes, then the payload.
          const frame = implementation.buffer(6 + length, 0);
          random.fill(frame);
          const key = frame.slice(2, 6);
          const expected = frame.slice();
          maskOracle(frame, 6, expected, 6, length, key, keyOffset);
          implementation.mask(frame, 6, frame, 6, length, frame, keyOffset, 2);
          assert.deepEqual(frame, expected, `length ${length} keyOffset ${keyOffset}`);
        }
      }
    });

    it('masks RFC 6455 5.7 example "Hello" with key 37 fa 21 3d', () => {
      // RFC 6455 5.7: "A single-frame masked text message ... 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f
      // 0x9f 0x4d 0x51 0x58 (contains "Hello")".
      const source = implementation.buffer(5, 0);
      source.set([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
      const target = implementation.buffer(5, 1);
      implementation.mask(source, 0, target, 0, 5, Uint8Array.of(0x37, 0xfa, 0x21, 0x3d));
      assert.deepEqual([...target], [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    });
  });
}
