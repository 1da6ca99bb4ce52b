// The I/O worker's spill queue: FIFO with flags, growth past its initial size, compaction in
// place when the front has been consumed, and reset when empty.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Overflow } from '../../src/ring/overflow.js';
import { checkMessage, fillMessage } from './helpers.js';

function take(overflow: Overflow): { bytes: Uint8Array; flags: number } {
  const taken = { bytes: overflow.bytes.slice(overflow.headStart, overflow.headEnd), flags: overflow.headFlags };
  overflow.shift();
  return taken;
}

describe('Overflow', () => {
  it('keeps records in order with their flags, across growth and compaction', () => {
    const overflow = new Overflow();
    const scratch = new Uint8Array(40_000);
    let pushed = 0;
    let taken = 0;
    // Interleave pushes and shifts with sizes that force both growth and in-place compaction.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) {
        const size = (pushed * 3779) % 30_000;
        fillMessage(scratch, 5, size, 11, pushed);
        overflow.push(scratch, 5, 5 + size, pushed & 3);
        pushed++;
      }
      for (let i = 0; i < 5; i++) {
        const { bytes, flags } = take(overflow);
        assert.equal(checkMessage(bytes, 0, bytes.length, 11, taken, (taken * 3779) % 30_000), '');
        assert.equal(flags, taken & 3);
        taken++;
      }
    }
    while (!overflow.isEmpty) {
      const { bytes } = take(overflow);
      assert.equal(checkMessage(bytes, 0, bytes.length, 11, taken, (taken * 3779) % 30_000), '');
      taken++;
    }
    assert.equal(taken, pushed);
    assert.equal(overflow.count, 0);
  });

  it('holds zero-length records', () => {
    const overflow = new Overflow();
    overflow.push(new Uint8Array(0), 0, 0, 1);
    overflow.push(Uint8Array.of(9), 0, 1, 2);
    assert.equal(overflow.headEnd - overflow.headStart, 0);
    assert.equal(overflow.headFlags, 1);
    overflow.shift();
    assert.deepEqual(Array.from(overflow.bytes.subarray(overflow.headStart, overflow.headEnd)), [9]);
    assert.equal(overflow.headFlags, 2);
    overflow.shift();
    assert.equal(overflow.isEmpty, true);
  });
});
