// Property tests for the SPSC ring alone, single-threaded (fast-check): any interleaving of
// writes of any size and drains of any count, from any starting alignment, delivers exactly the
// accepted messages, in order, byte for byte, with their flags; the ring never holds more than
// its capacity, an empty ring accepts any record up to maxPayload, and a refused write leaves
// the ring untouched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRingMemory, FLAG_TEXT, RECORD_ALIGN, recordBytes } from '../../src/ring/layout.js';
import { RingConsumer, RingProducer } from '../../src/ring/spsc-ring.js';
import { checkMessage, fillMessage } from '../ring/helpers.js';

type Operation = { kind: 'write'; size: number; text: boolean } | { kind: 'drain'; max: number };

const SEED = 0x5eed;

function operations(capacity: number): fc.Arbitrary<Operation[]> {
  const maxPayload = capacity / 2 - 8;
  const size = fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: Math.min(2 * RECORD_ALIGN, maxPayload) }) }, // around the alignment
    { weight: 2, arbitrary: fc.integer({ min: Math.max(0, maxPayload - 2 * RECORD_ALIGN), max: maxPayload }) }, // near the limit
    { weight: 2, arbitrary: fc.nat({ max: maxPayload }) },
  );
  const write = fc.record({ kind: fc.constant('write' as const), size, text: fc.boolean() });
  const drain = fc.record({ kind: fc.constant('drain' as const), max: fc.integer({ min: 1, max: 8 }) });
  return fc.array(fc.oneof({ weight: 3, arbitrary: write }, { weight: 1, arbitrary: drain }), { maxLength: 300 });
}

const scenario = fc
  .constantFrom(256, 512, 1024, 4096)
  .chain((capacity) => fc.record({ capacity: fc.constant(capacity), startSlot: fc.nat({ max: capacity / RECORD_ALIGN - 1 }), ops: operations(capacity) }));

describe('SPSC ring (property)', () => {
  it('delivers every accepted message in order and intact, from any start alignment', () => {
    fc.assert(
      fc.property(scenario, ({ capacity, startSlot, ops }) => {
        const memory = createRingMemory(capacity);
        const producer = new RingProducer(memory);
        const consumer = new RingConsumer(memory, () => assert.fail('no control records written'));
        // Move both indexes to the chosen 128-byte slot first: wrap-around at every alignment.
        for (let i = 0; i < startSlot; i++) assert.ok(producer.tryWrite(new Uint8Array(0), 0, 0, 0));
        assert.equal(consumer.drain(() => {}), startSlot);

        const scratch = new Uint8Array(capacity);
        const pending: Array<{ seq: number; size: number; text: boolean }> = [];
        let nextSeq = 0;
        let failure = '';
        const check = (data: Uint8Array, start: number, end: number, isText: boolean): void => {
          const expected = pending.shift();
          if (expected === undefined) {
            failure ||= 'delivered a message that was never accepted';
            return;
          }
          failure ||= checkMessage(data, start, end, SEED, expected.seq, expected.size);
          if (isText !== expected.text) failure ||= `message ${expected.seq}: text flag ${isText}`;
        };
        for (const op of ops) {
          if (op.kind === 'write') {
            fillMessage(scratch, 0, op.size, SEED, nextSeq);
            const wasEmpty = pending.length === 0;
            const usedBefore = consumer.usedBytes;
            if (producer.tryWrite(scratch, 0, op.size, op.text ? FLAG_TEXT : 0)) {
              pending.push({ seq: nextSeq, size: op.size, text: op.text });
              nextSeq++;
            } else {
              assert.ok(!wasEmpty, `an empty ring refused ${op.size} bytes`);
              assert.equal(consumer.usedBytes, usedBefore, 'a refused write changed the ring');
            }
          } else {
            const before = pending.length;
            const delivered = consumer.drain(check, op.max);
            assert.equal(delivered, Math.min(op.max, before));
          }
          assert.equal(failure, '');
          const used = consumer.usedBytes;
          assert.ok(used >= 0 && used <= capacity, `used ${used} of ${capacity}`);
          const recordTotal = pending.reduce((sum, p) => sum + recordBytes(p.size), 0);
          assert.ok(used >= recordTotal, `used ${used} below the records' ${recordTotal}`);
        }
        consumer.drain(check);
        assert.equal(failure, '');
        assert.equal(pending.length, 0);
        assert.equal(consumer.usedBytes, 0);
      }),
      { numRuns: 300 },
    );
  });
});
