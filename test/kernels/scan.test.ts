// Every scanning implementation against the oracles, for every length 0..1024 and every start
// offset 0..15, with matches planted just outside the range (an over-read would find them),
// every byte value at every lane, and large ranges that cross the copy path's blocks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  implementations,
  indexOfOracle,
  isAsciiOracle,
  QUOTE_OR_BACKSLASH,
  Random,
  REGION_BYTES,
  NON_ASCII,
  STRING_STOP,
  STRUCTURAL,
  type Implementation,
} from './implementations.js';

const MAX_LENGTH = 1024;
const ALIGNMENTS = 16;
const SLACK = 32;

const indexKernels = [
  { name: 'indexOfQuoteOrBackslash', set: QUOTE_OR_BACKSLASH, of: (i: Implementation) => i.indexOfQuoteOrBackslash },
  { name: 'indexOfStringStop', set: STRING_STOP, of: (i: Implementation) => i.indexOfStringStop },
  { name: 'indexOfNonAscii', set: NON_ASCII, of: (i: Implementation) => i.indexOfNonAscii },
  { name: 'indexOfStructural', set: STRUCTURAL, of: (i: Implementation) => i.indexOfStructural },
] as const;

/** Random bytes from the whole 0..255 range except the members of `set` (so the nibble neighbours of
 * the structural characters, and bytes >= 0x80, all appear). */
function fillWithout(random: Random, bytes: Uint8Array, set: string): void {
  const excluded = new Uint8Array(256);
  for (let i = 0; i < set.length; i++) excluded[set.charCodeAt(i)] = 1;
  for (let i = 0; i < bytes.length; i++) {
    let byte = random.next() & 0xff;
    while (excluded[byte] === 1) byte = random.next() & 0xff;
    bytes[i] = byte;
  }
}

function member(random: Random, set: string): number {
  return set.charCodeAt(random.below(set.length));
}

for (const implementation of implementations) {
  describe(`scan: ${implementation.name}`, () => {
    for (const kernel of indexKernels) {
      it(`${kernel.name}: every length 0..1024 and every start offset`, () => {
        const random = new Random(0xbeef);
        const data = implementation.buffer(MAX_LENGTH + SLACK, 0);
        const scan = kernel.of(implementation);
        fillWithout(random, data, kernel.set);
        scan(data, 0, MAX_LENGTH); // cache the view, so short ranges take the scalar word loops too
        const planted: number[] = [];
        const plant = (position: number): void => {
          planted.push(position, data[position]!);
          data[position] = member(random, kernel.set);
        };
        for (let length = 0; length <= MAX_LENGTH; length++) {
          for (let start = 0; start < ALIGNMENTS; start++) {
            const end = start + length;
            // Matches just outside the range: finding one means reading outside it.
            if (start > 0) plant(start - 1);
            plant(end);
            const inside = (length + start) % 3; // none, one, or two matches inside the range
            for (let p = 0; p < inside && length > 0; p++) plant(start + random.below(length));
            const expected = indexOfOracle(data, start, end, kernel.set);
            const actual = scan(data, start, end);
            if (actual !== expected) assert.fail(`length ${length} start ${start}: got ${actual}, expected ${expected}`);
            // Restore in reverse, so a position planted twice gets its original byte back.
            while (planted.length > 0) {
              const original = planted.pop()!;
              data[planted.pop()!] = original;
            }
          }
        }
      });

      it(`${kernel.name}: every byte value at every lane of a 48-byte range`, () => {
        const data = implementation.buffer(64, 0);
        const scan = kernel.of(implementation);
        for (let value = 0; value < 256; value++) {
          for (let position = 0; position < 48; position++) {
            data.fill(0x61); // 'a'
            data[3 + position] = value;
            const expected = indexOfOracle(data, 3, 51, kernel.set);
            assert.equal(scan(data, 3, 51), expected, `byte 0x${value.toString(16)} at ${position}`);
          }
        }
      });

      it(`${kernel.name}: large ranges across copy blocks`, () => {
        const random = new Random(3);
        const length = REGION_BYTES - 64;
        const data = implementation.buffer(length + 16, 0);
        const scan = kernel.of(implementation);
        fillWithout(random, data, kernel.set);
        assert.equal(scan(data, 5, 5 + length), -1);
        for (const position of [5, 100, 1023, 1024 + 5, 3072 + 5, 65536, 65536 + 5, 200_003, length + 4]) {
          data[position] = member(random, kernel.set);
          assert.equal(scan(data, 5, 5 + length), position, `match at ${position}`);
          assert.equal(scan(data, position + 1, 5 + length), -1, `nothing after ${position}`);
          fillWithout(random, data.subarray(position, position + 1), kernel.set);
        }
      });
    }

    it('isAscii: every length 0..1024 and every start offset', () => {
      const random = new Random(0xa5c11);
      const data = implementation.buffer(MAX_LENGTH + SLACK, 0);
      implementation.isAscii(data, 0, MAX_LENGTH); // cache the view, so short ranges take the word loop too
      for (let length = 0; length <= MAX_LENGTH; length++) {
        for (let start = 0; start < ALIGNMENTS; start++) {
          for (let i = 0; i < data.length; i++) data[i] = random.next() & 0x7f;
          const end = start + length;
          if (start > 0) data[start - 1] = 0x80 | random.next();
          data[end] = 0x80 | random.next();
          if ((length + start) % 2 === 1 && length > 0) data[start + random.below(length)] = 0x80 | random.next();
          const expected = isAsciiOracle(data, start, end);
          if (implementation.isAscii(data, start, end) !== expected) {
            assert.fail(`length ${length} start ${start}: expected ${expected}`);
          }
        }
      }
    });

    it('isAscii: every byte value at every lane of a 100-byte range', () => {
      const data = implementation.buffer(128, 0);
      for (let value = 0; value < 256; value++) {
        for (let position = 0; position < 100; position++) {
          data.fill(0x20);
          data[1 + position] = value;
          assert.equal(implementation.isAscii(data, 1, 101), value < 0x80, `0x${value.toString(16)} at ${position}`);
        }
      }
    });

    it('isAscii: large ranges across copy blocks', () => {
      const length = REGION_BYTES - 64;
      const data = implementation.buffer(length + 16, 0);
      data.fill(0x41);
      assert.equal(implementation.isAscii(data, 3, 3 + length), true);
      for (const position of [3, 1000, 65535, 65536 + 3, 131072 + 2, length + 2]) {
        data[position] = 0xc3;
        assert.equal(implementation.isAscii(data, 3, 3 + length), false, `non-ASCII at ${position}`);
        data[position] = 0x41;
      }
    });
  });
}
