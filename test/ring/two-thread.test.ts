// The ring across two threads: a producer worker writes a seeded stream of random sizes into a
// small ring (thousands of wraps, many full episodes); this thread drains it with bounded
// waits and checks every message's bytes, order and flag, then the close record.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createRingMemory, FLAG_CLOSE } from '../../src/ring/layout.js';
import { RingConsumer } from '../../src/ring/spsc-ring.js';
import { checkMessage, messageSize } from './helpers.js';
import type { ProducerInit } from './producer-worker.js';

async function runStream(ringBytes: number, count: number, maxPerDrain: number, seed: number): Promise<{ fullWaits: number; wraps: number }> {
  const memory = createRingMemory(ringBytes);
  const maxSmall = 300;
  const maxLarge = ringBytes / 2 - 8;
  const init: ProducerInit = { memory, seed, count, maxSmall, maxLarge };
  const worker = new Worker(new URL('./producer-worker.js', import.meta.url), { workerData: init });
  const report = once(worker, 'message') as Promise<[{ fullWaits: number }]>;
  // Listened for from the start: a worker that posts and then ends at once can have its last
  // message and its exit emitted in one turn (seen on Node 26), before an await on the message
  // returns; a listener added after that would wait forever.
  const exited = once(worker, 'exit');
  let closeCode = 0;
  const consumer = new RingConsumer(memory, (flags, data, start) => {
    assert.equal(flags, FLAG_CLOSE);
    closeCode = (data[start]! << 8) | data[start + 1]!;
  });
  let seq = 0;
  let failure = '';
  let bytes = 0;
  const check = (data: Uint8Array, start: number, end: number, isText: boolean): void => {
    failure ||= checkMessage(data, start, end, seed, seq, messageSize(seed, seq, maxSmall, maxLarge));
    if (isText !== (seq % 3 === 0)) failure ||= `message ${seq}: text flag ${isText}`;
    bytes += end - start;
    seq++;
  };
  await new Promise<void>((resolve, reject) => {
    const step = (): void => {
      try {
        consumer.drain(check, maxPerDrain);
        assert.equal(failure, '');
        if (consumer.closed) resolve();
        else if (consumer.isEmpty) consumer.waitForData(step, 100);
        else setImmediate(step);
      } catch (error) {
        reject(error as Error);
      }
    };
    step();
  });
  const [{ fullWaits }] = await report;
  await exited;
  assert.equal(seq, count);
  assert.equal(closeCode, 1000);
  assert.equal(consumer.usedBytes, 0);
  return { fullWaits, wraps: Math.floor(bytes / ringBytes) };
}

describe('SPSC ring across two threads', () => {
  it('a fast consumer: 100k messages of random sizes through a 4 KiB ring, intact and in order', async () => {
    const { wraps } = await runStream(4096, 100_000, Number.POSITIVE_INFINITY, 0x1234);
    assert.ok(wraps > 1000, `only ${wraps} wraps`);
  });

  it('a slow consumer (one message per turn): the producer waits, nothing is lost or overwritten', async () => {
    const { fullWaits } = await runStream(1024, 5_000, 1, 0x4321);
    assert.ok(fullWaits > 0, 'the producer never found the ring full');
  });
});
