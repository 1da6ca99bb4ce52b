// Reconnect pacing: full-jitter backoff, the attempt budget, Retry-After, the send window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ConnectionGate, FullJitterBackoff, parseRetryAfter } from '../../src/index.js';
import { SendWindow } from '../../src/stream/backoff.js';

test('full jitter: each delay is uniform below min(max, initial * 2^n), and reset starts over', () => {
  const top = new FullJitterBackoff(100, 5000, () => 0.999999);
  const ceilings = Array.from({ length: 8 }, () => Math.round(top.next()));
  assert.deepEqual(ceilings, [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  const bottom = new FullJitterBackoff(100, 5000, () => 0);
  assert.deepEqual(Array.from({ length: 4 }, () => bottom.next()), [0, 0, 0, 0]);
  top.reset();
  assert.equal(top.ceiling(), 100);
  assert.throws(() => new FullJitterBackoff(0, 10), RangeError);
  assert.throws(() => new FullJitterBackoff(10, Infinity), RangeError);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (initial, attempts, random) => {
      const backoff = new FullJitterBackoff(initial, initial * 64, () => random);
      for (let attempt = 0; attempt < attempts; attempt++) backoff.next();
      const ceiling = Math.min(initial * 64, initial * 2 ** attempts);
      const delay = backoff.next();
      return delay >= 0 && delay < ceiling + 1e-9;
    }),
  );
});

test('connection gate: at most `limit` attempts in any window; the next waits for the oldest to leave it', () => {
  const gate = new ConnectionGate(3, 1000);
  for (const time of [0, 10, 20]) {
    assert.equal(gate.waitMs(time), 0);
    gate.record(time);
  }
  assert.equal(gate.waitMs(500), 500); // the attempt at 0 leaves the window at 1000
  assert.equal(gate.waitMs(1000), 0);
  gate.record(1000);
  assert.equal(gate.waitMs(1005), 5); // now the one at 10 is the oldest of the last three
  assert.equal(gate.attempts, 4);
  // Property: following waitMs never lets more than `limit` attempts into any window.
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (steps, limit) => {
      const budget = new ConnectionGate(limit, 1000);
      const times: number[] = [];
      let now = 0;
      for (const step of steps) {
        now += step;
        now += budget.waitMs(now);
        budget.record(now);
        times.push(now);
      }
      for (let index = limit; index < times.length; index++) if (times[index]! - times[index - limit]! < 1000) return false;
      return true;
    }),
  );
});

test('connection gate: Retry-After blocks every attempt until it passes, and never shortens an earlier block', () => {
  const gate = new ConnectionGate(300, 300_000);
  gate.block(100, 60_000);
  assert.equal(gate.waitMs(100), 60_000);
  gate.block(200, 1_000); // a shorter, later answer does not lift the first block
  assert.equal(gate.waitMs(200), 59_900);
  assert.equal(gate.waitMs(60_100), 0);
});

test('Retry-After: delta-seconds or an HTTP-date; garbage is null', () => {
  assert.equal(parseRetryAfter('60', 0), 60_000);
  assert.equal(parseRetryAfter(' 1 ', 0), 1000);
  const now = Date.parse('Sun, 06 Dec 2026 20:00:00 GMT');
  assert.equal(parseRetryAfter('Sun, 06 Dec 2026 20:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sun, 06 Dec 2026 19:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter(undefined, now), null);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter('-5', now), null);
});

test('send window: at most n sends in any window', () => {
  const window = new SendWindow(4, 1100);
  for (let index = 0; index < 4; index++) {
    assert.equal(window.waitMs(index), 0);
    window.record(index);
  }
  assert.equal(window.waitMs(10), 1090);
  assert.equal(window.waitMs(1100), 0);
});
