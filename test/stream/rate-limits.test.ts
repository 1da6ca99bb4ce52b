// 429 and 418 on the upgrade, over real sockets: the managed stream never retries before
// Retry-After, counts every attempt through its gate, and respects the attempt budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExchange } from '../../simulator/exchange.js';
import { ConnectionGate, ManagedStream } from '../../src/index.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { Ledger, waitFor } from './ledger.js';

/** The gate's own attempt times (the proxy sees them later, by the connect latency). */
class RecordingGate extends ConnectionGate {
  readonly recorded: number[] = [];
  override record(now: number): void {
    this.recorded.push(now);
    super.record(now);
  }
}

test('429 then 418 with Retry-After: no attempt before each Retry-After passes, then it connects', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 100 });
  const proxy = await FaultProxy.start(exchange.port);
  proxy.refusals.push({ status: 429, retryAfter: '1' }, { status: 418, retryAfter: '2' });
  const ledger = new Ledger();
  // A backoff far shorter than Retry-After: only Retry-After can explain the spacing.
  const stream = new ManagedStream({ url: proxy.url, onMessage: ledger.onMessage, onEvent: ledger.onEvent, initialDelayMs: 10, maxDelayMs: 20 });
  ledger.stream = stream;
  try {
    stream.subscribe(['btcusdt@trade']);
    stream.start();
    await waitFor('live after the refusals', () => ledger.count('live') === 1);
    assert.equal(proxy.attempts, 3);
    assert.equal(stream.stats.attempts, 3);
    assert.equal(stream.stats.rateLimited, 2);
    const [first, second, third] = proxy.attemptTimes as [number, number, number];
    // Retry-After is whole seconds; the timers may fire a little late but never early (1 ms of clock granularity allowed).
    assert.ok(second - first >= 999, `429 Retry-After 1: retried after ${second - first} ms`);
    assert.ok(third - second >= 1999, `418 Retry-After 2: retried after ${third - second} ms`);
    const limited = ledger.events.filter((event) => event.type === 'rate-limited');
    assert.deepEqual(limited.map((event) => [event.status, event.retryAfterMs]), [[429, 1000], [418, 2000]]);
    const waits = ledger.events.filter((event) => event.type === 'waiting').map((event) => event.reason);
    assert.deepEqual(waits, ['retry-after', 'retry-after']);
    await waitFor('data', () => ledger.delivered > 5);
  } finally {
    await stream.stop();
    await proxy.close();
    await exchange.close();
  }
});

test('429 without Retry-After waits retryAfterDefaultMs; other failures back off', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 100 });
  const proxy = await FaultProxy.start(exchange.port);
  proxy.refusals.push({ status: 503 }, { status: 429 });
  const ledger = new Ledger();
  const stream = new ManagedStream({ url: proxy.url, onEvent: ledger.onEvent, initialDelayMs: 10, maxDelayMs: 20, retryAfterDefaultMs: 1500 });
  ledger.stream = stream;
  try {
    stream.subscribe(['btcusdt@trade']);
    stream.start();
    await waitFor('live', () => ledger.count('live') === 1);
    assert.equal(proxy.attempts, 3);
    const failed = ledger.events.filter((event) => event.type === 'connect-failed').map((event) => event.status);
    assert.deepEqual(failed, [503, 429]);
    const waits = ledger.events.filter((event) => event.type === 'waiting').map((event) => event.reason);
    assert.deepEqual(waits, ['backoff', 'retry-after']);
    assert.ok(proxy.attemptTimes[2]! - proxy.attemptTimes[1]! >= 1499);
  } finally {
    await stream.stop();
    await proxy.close();
    await exchange.close();
  }
});

test('the attempt budget holds across reconnects: the 4th attempt in a 3-per-window budget waits for the window', async () => {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 100 });
  const proxy = await FaultProxy.start(exchange.port);
  proxy.refusals.push({ status: 503 }, { status: 503 }, { status: 503 });
  const ledger = new Ledger();
  const gate = new RecordingGate(3, 1500);
  const stream = new ManagedStream({ url: proxy.url, onEvent: ledger.onEvent, initialDelayMs: 10, maxDelayMs: 20, gate });
  ledger.stream = stream;
  try {
    stream.subscribe(['btcusdt@trade']);
    stream.start();
    await waitFor('live', () => ledger.count('live') === 1);
    assert.equal(proxy.attempts, 4);
    assert.equal(gate.attempts, 4);
    assert.ok(gate.recorded[3]! - gate.recorded[0]! >= 1500, 'the 4th attempt came inside the window');
    assert.ok(ledger.events.some((event) => event.type === 'waiting' && event.reason === 'attempt-budget'));
  } finally {
    await stream.stop();
    await proxy.close();
    await exchange.close();
  }
});
