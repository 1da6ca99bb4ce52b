// The sequence rules on their own: gaps, duplicates, the overlap of two connections, resets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC } from '../../src/index.js';
import { ADMIT_BACKWARDS, ADMIT_DELIVER, ADMIT_DUPLICATE, ADMIT_GAP, ADMIT_HELD, ADMIT_RESET, ADMIT_UNREADABLE, SequenceTracker } from '../../src/stream/sequence.js';

test('contiguous ids: chain, duplicate, gap with its range, unreadable', () => {
  const tracker = new SequenceTracker();
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, 100, 105), ADMIT_DELIVER);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, 106, 110), ADMIT_DELIVER);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, 108, 110), ADMIT_DUPLICATE);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, 115, 120), ADMIT_GAP);
  assert.deepEqual([tracker.gapFrom, tracker.gapTo, tracker.gapAcrossConnections], [111, 114, false]);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, NaN, NaN), ADMIT_UNREADABLE);
  // After the connection closes, the next one's first event is judged alone: a gap across connections.
  tracker.connectionClosed(1, 1);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 2, true, 130, 130), ADMIT_GAP);
  assert.deepEqual([tracker.gapFrom, tracker.gapTo, tracker.gapAcrossConnections], [121, 129, true]);
});

test('two connections carrying one stream: each id delivered once, the laggard never reported as a gap', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 20 }), (order, lead) => {
      // Both connections carry ids 1..N; connection 2 joined `lead` events late; the arrival interleaving is random.
      const tracker = new SequenceTracker();
      const total = 60;
      let nextOld = 1;
      let nextNew = 1 + lead;
      const delivered: number[] = [];
      // The old connection was there first: it brings the first event.
      for (const fromOld of [true, ...order]) {
        const connection = fromOld ? 1 : 2;
        const id = fromOld ? nextOld++ : nextNew++;
        if (id > total) continue;
        const verdict = tracker.admit(0, SEQUENCE_CONTIGUOUS, connection, connection === 1, id, id);
        if (verdict === ADMIT_DELIVER) delivered.push(id);
        else if (verdict !== ADMIT_DUPLICATE && verdict !== ADMIT_HELD) return false;
      }
      return delivered.every((id, index) => id === index + 1);
    }),
  );
});

test('monotonic ids: newer delivered, equal dropped, backwards reported on the same connection', () => {
  const tracker = new SequenceTracker();
  assert.equal(tracker.admit(0, SEQUENCE_MONOTONIC, 1, true, 50, 50), ADMIT_DELIVER);
  assert.equal(tracker.admit(0, SEQUENCE_MONOTONIC, 1, true, 57, 57), ADMIT_DELIVER);
  assert.equal(tracker.admit(0, SEQUENCE_MONOTONIC, 1, true, 57, 57), ADMIT_DUPLICATE);
  assert.equal(tracker.admit(0, SEQUENCE_MONOTONIC, 1, true, 52, 52), ADMIT_BACKWARDS);
  // A rollover successor lagging behind: a copy, not a step back.
  assert.equal(tracker.admit(0, SEQUENCE_MONOTONIC, 2, false, 55, 55), ADMIT_DUPLICATE);
});

test('a fresh connection whose first ids are below the last: a reset, delivered as the new baseline', () => {
  const tracker = new SequenceTracker();
  tracker.admit(0, SEQUENCE_CONTIGUOUS, 1, true, 1000, 1000);
  tracker.connectionClosed(1, 1);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 2, true, 10, 10), ADMIT_RESET);
  assert.equal(tracker.resetFrom, 1000);
  assert.equal(tracker.admit(0, SEQUENCE_CONTIGUOUS, 2, true, 11, 11), ADMIT_DELIVER);
  // A successor (made before break) lagging after the old one closed is a duplicate, not a reset.
  tracker.admit(1, SEQUENCE_CONTIGUOUS, 3, true, 500, 500);
  tracker.connectionClosed(3, 2);
  assert.equal(tracker.admit(1, SEQUENCE_CONTIGUOUS, 4, false, 499, 499), ADMIT_DUPLICATE);
});
