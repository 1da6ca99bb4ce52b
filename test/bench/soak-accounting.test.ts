// The soak's delivery accounting (bench/soak/accounting.ts): every id is counted once as
// delivered, duplicated or missing, in order or not, across window slides and long jumps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IdAccount, WINDOW_IDS } from '../../bench/soak/accounting.js';

describe('soak IdAccount', () => {
  it('counts a clean consecutive run as all delivered', () => {
    const account = new IdAccount();
    for (let id = 1000; id < 1100; id++) account.record(id);
    account.finish(1099);
    assert.deepEqual([account.received, account.distinct, account.missing, account.duplicated], [100, 100, 0, 0]);
  });

  it('counts a gap, a duplicate, a late arrival inside the window and a missing tail', () => {
    const account = new IdAccount();
    for (const id of [1, 2, 3, 7, 8, 8, 4, 9]) account.record(id);
    account.finish(12); // 10, 11, 12 were sent but never arrived
    assert.equal(account.duplicated, 1);
    assert.equal(account.distinct, 7); // 1 2 3 4 7 8 9
    assert.equal(account.missing, 2 + 3); // 5, 6 and 10..12
  });

  it('counts ids skipped by a jump longer than the window, and a delivery older than the window apart', () => {
    const account = new IdAccount();
    account.record(0);
    account.record(WINDOW_IDS * 3);
    account.record(5); // left the window long ago: cannot be classified
    account.finish(WINDOW_IDS * 3);
    assert.equal(account.missing, WINDOW_IDS * 3 - 1);
    assert.equal(account.tooLate, 1);
    assert.equal(account.distinct, 2);
  });

  it('matches a set-based count for any delivery order within the window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 100 }), (ids, tail) => {
        const account = new IdAccount();
        for (const id of ids) account.record(id);
        const first = ids[0]!;
        const last = Math.max(...ids) + tail;
        account.finish(last);
        const kept = ids.filter((id) => id >= first);
        const distinct = new Set(kept);
        assert.equal(account.tooLate, ids.length - kept.length);
        assert.equal(account.duplicated, kept.length - distinct.size);
        assert.equal(account.missing, last - first + 1 - distinct.size);
      }),
    );
  });
});
