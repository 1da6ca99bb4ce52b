// SEQUENCE_CHAINED (OKX books: prevSeqId names the previous seqId), reported as first = previous
// + 1: the docs' sequence example (snapshot, update, keep-alive, reset, update) delivers every
// message; a broken chain is a gap; an in-band snapshot restarts the chain (a gap when updates
// were skipped); copies from a second connection are dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEQUENCE_CHAINED } from '../../src/index.js';
import { ADMIT_DELIVER, ADMIT_DUPLICATE, ADMIT_GAP, ADMIT_HELD, ADMIT_RESET, SequenceTracker } from '../../src/stream/sequence.js';

/** admit() for an OKX book message (prevSeqId, seqId). */
function okx(tracker: SequenceTracker, connection: number, previous: number, seqId: number): number {
  return tracker.admit(0, SEQUENCE_CHAINED, connection, true, previous + 1, seqId);
}

test("the docs' example: snapshot -1/10, update 10/15, keep-alive 15/15, reset 15/3, update 3/5", () => {
  const tracker = new SequenceTracker();
  assert.equal(okx(tracker, 1, -1, 10), ADMIT_DELIVER);
  assert.equal(okx(tracker, 1, 10, 15), ADMIT_DELIVER);
  assert.equal(okx(tracker, 1, 15, 15), ADMIT_DELIVER);
  assert.equal(okx(tracker, 1, 15, 3), ADMIT_DELIVER);
  assert.equal(okx(tracker, 1, 3, 5), ADMIT_DELIVER);
  assert.equal(tracker.lastId[0], 5);
});

test('a broken chain is a gap up to the named predecessor; an older copy is a duplicate', () => {
  const tracker = new SequenceTracker();
  okx(tracker, 1, -1, 10);
  assert.equal(okx(tracker, 1, 20, 25), ADMIT_GAP);
  assert.deepEqual([tracker.gapFrom, tracker.gapTo], [11, 20]);
  assert.equal(okx(tracker, 1, 20, 25), ADMIT_DUPLICATE);
});

test('an in-band snapshot restarts the chain: a gap over the updates it replaces, a reset below', () => {
  const tracker = new SequenceTracker();
  okx(tracker, 1, -1, 10);
  okx(tracker, 1, 10, 15);
  assert.equal(okx(tracker, 1, -1, 40), ADMIT_GAP); // resubscribed: 16..40 folded into the snapshot
  assert.deepEqual([tracker.gapFrom, tracker.gapTo], [16, 40]);
  assert.equal(okx(tracker, 1, -1, 40), ADMIT_DELIVER); // the same book again
  assert.equal(okx(tracker, 1, -1, 7), ADMIT_RESET); // after maintenance
  assert.equal(tracker.resetFrom, 40);
});

test('make-before-break: the successor snapshot is held, its copies dropped, its keep-alive copy too', () => {
  const tracker = new SequenceTracker();
  okx(tracker, 1, -1, 10);
  okx(tracker, 1, 10, 15);
  assert.equal(okx(tracker, 2, -1, 12), ADMIT_HELD);
  assert.equal(okx(tracker, 2, 12, 15), ADMIT_DUPLICATE);
  assert.equal(okx(tracker, 1, 15, 15), ADMIT_DELIVER);
  assert.equal(okx(tracker, 2, 15, 15), ADMIT_DUPLICATE);
  assert.equal(okx(tracker, 2, 15, 20), ADMIT_DELIVER); // the successor is first with the next one
  assert.equal(okx(tracker, 1, 15, 20), ADMIT_DUPLICATE);
});
