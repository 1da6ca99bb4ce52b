// Bybit's book sequence rule: a delta must move u forward; anything else breaks the book.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DepthDiff } from '../../../src/book/depth-diff.js';
import { SEQUENCE_APPLY, SEQUENCE_BROKEN } from '../../../src/book/sequence.js';
import { bybitBookSequence } from '../../../src/venues/bybit/index.js';

test('a delta applies when its u is past the book; a repeated or older u breaks the book', () => {
  const diff = new DepthDiff();
  const check = (bookId: number, u: number): number => {
    diff.firstUpdateId = diff.finalUpdateId = u;
    return bybitBookSequence.check({ updateId: bookId }, false, diff);
  };
  assert.equal(check(100, 101), SEQUENCE_APPLY);
  // The docs do not promise u + 1: a jump is applied, not reported as a gap.
  assert.equal(check(100, 250), SEQUENCE_APPLY);
  assert.equal(check(100, 100), SEQUENCE_BROKEN);
  assert.equal(check(100, 99), SEQUENCE_BROKEN);
  assert.equal(bybitBookSequence.snapshotTooOld(5, 10), false);
});
