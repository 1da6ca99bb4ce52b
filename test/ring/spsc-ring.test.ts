// The ring alone, single-threaded: records in order with their flags, views on the shared
// memory, backpressure instead of overwrite, the wrap marker, the size limit, close and error
// records, handler exceptions, and no allocation per message.
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import {
  CONTROL_BYTES,
  createRingMemory,
  FLAG_CLOSE,
  FLAG_ERROR,
  FLAG_TEXT,
  LINE_BYTES,
  maxRecordPayload,
  recordBytes,
} from '../../src/ring/layout.js';
import * as layout from '../../src/ring/layout.js';
import { COPY_LOOP_MAX_BYTES, RingConsumer, RingProducer } from '../../src/ring/spsc-ring.js';
import { checkMessage, fillMessage } from './helpers.js';

interface Received {
  bytes: number[];
  isText: boolean;
  start: number;
}

function ring(capacity: number): { producer: RingProducer; consumer: RingConsumer; controls: Array<[number, number[]]>; memory: SharedArrayBuffer } {
  const memory = createRingMemory(capacity);
  const controls: Array<[number, number[]]> = [];
  const consumer = new RingConsumer(memory, (flags, data, start, end) => controls.push([flags, Array.from(data.subarray(start, end))]));
  return { producer: new RingProducer(memory), consumer, controls, memory };
}

function collect(consumer: RingConsumer, max?: number): Received[] {
  const out: Received[] = [];
  consumer.drain((data, start, end, isText) => out.push({ bytes: Array.from(data.subarray(start, end)), isText, start }), max);
  return out;
}

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('layout', () => {
  it('puts every control word on its own 128-byte line inside the control region', () => {
    const words = ['WRITE_INDEX', 'READ_INDEX', 'PRODUCER_STATE', 'CONSUMER_WAITING', 'PRODUCER_WAITING', 'RING_FULL_WAITS', 'CAPACITY'] as const;
    const lines = words.map((name) => Math.floor((layout[name] * 4) / LINE_BYTES));
    assert.equal(new Set(lines).size, words.length);
    for (const name of words) assert.ok(layout[name] * 4 + 4 <= CONTROL_BYTES, name);
    assert.equal(CONTROL_BYTES % LINE_BYTES, 0);
  });

  it('pads records to 128 bytes and caps payloads at half the ring', () => {
    assert.equal(recordBytes(0), 128);
    assert.equal(recordBytes(120), 128);
    assert.equal(recordBytes(121), 256);
    assert.equal(maxRecordPayload(4096), 2040);
    assert.equal(recordBytes(maxRecordPayload(4096)), 2048);
  });

  it('rejects ring sizes that are not a power of two', () => {
    assert.throws(() => createRingMemory(3000), RangeError);
    assert.throws(() => createRingMemory(128), RangeError);
    assert.equal(createRingMemory(4096).byteLength, CONTROL_BYTES + 4096);
  });
});

describe('RingProducer / RingConsumer', () => {
  it('drain returns 0 on an empty ring and calls nothing', () => {
    const { consumer } = ring(4096);
    let calls = 0;
    assert.equal(consumer.drain(() => calls++), 0);
    assert.equal(calls, 0);
    assert.equal(consumer.isEmpty, true);
  });

  it('delivers records in order with their text flag, as 128-aligned views on the shared memory', () => {
    const { producer, consumer, memory } = ring(4096);
    assert.equal(producer.tryWrite(bytesOf(9, 1, 2, 3, 9), 1, 4, FLAG_TEXT), true);
    assert.equal(producer.tryWrite(bytesOf(), 0, 0, 0), true);
    assert.equal(producer.tryWrite(new Uint8Array(200).fill(7), 0, 200, 0), true);
    let sharedViews = 0;
    const received: Received[] = [];
    consumer.drain((data, start, end, isText) => {
      if (data.buffer === memory) sharedViews++;
      received.push({ bytes: Array.from(data.subarray(start, end)), isText, start });
    });
    assert.equal(sharedViews, 3);
    assert.deepEqual(received.map((r) => r.bytes.length), [3, 0, 200]);
    assert.deepEqual(received[0]!.bytes, [1, 2, 3]);
    assert.deepEqual(received.map((r) => r.isText), [true, false, false]);
    assert.deepEqual(received.map((r) => r.start), [8, 136, 264]);
    assert.ok(received[2]!.bytes.every((b) => b === 7));
  });

  it('returns false when full, never overwrites, and accepts again once space is released', () => {
    const { producer, consumer } = ring(1024);
    const message = new Uint8Array(100);
    let written = 0;
    for (; written < 100; written++) {
      fillMessage(message, 0, 100, 5, written);
      if (!producer.tryWrite(message, 0, 100, 0)) break;
    }
    assert.equal(written, 8); // 8 records of 128 bytes fill 1024
    assert.equal(producer.tryWrite(message, 0, 0, 0), false);
    assert.equal(consumer.usedBytes, 1024);
    // Partial drain frees room for exactly what was released.
    let seq = 0;
    assert.equal(consumer.drain((data, start, end) => assert.equal(checkMessage(data, start, end, 5, seq++, 100), ''), 3), 3);
    for (let i = 0; i < 3; i++) {
      fillMessage(message, 0, 100, 5, written + i);
      assert.equal(producer.tryWrite(message, 0, 100, 0), true);
    }
    assert.equal(producer.tryWrite(message, 0, 0, 0), false);
    assert.equal(consumer.drain((data, start, end) => assert.equal(checkMessage(data, start, end, 5, seq++, 100), '')), 8);
    assert.equal(seq, 11);
  });

  it('copies exactly, from every source offset, on both sides of COPY_LOOP_MAX_BYTES', () => {
    const { producer, consumer } = ring(1 << 14);
    const source = new Uint8Array(1200).map((_, i) => (i * 31 + 7) & 0xff);
    const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 110, 127, 128, 129, COPY_LOOP_MAX_BYTES - 1, COPY_LOOP_MAX_BYTES, COPY_LOOP_MAX_BYTES + 1, 1000];
    for (const size of sizes) {
      for (let offset = 0; offset < 8; offset++) {
        assert.ok(producer.tryWrite(source, offset, offset + size, 0));
        const received = collect(consumer);
        assert.equal(received.length, 1);
        assert.deepEqual(received[0]!.bytes, Array.from(source.subarray(offset, offset + size)), `size ${size} offset ${offset}`);
      }
    }
  });

  it('writes a wrap marker when a record does not fit before the end, and continues at 0', () => {
    const { producer, consumer } = ring(1024);
    // 3 x 256-byte records, drain them: position 768, 256 bytes to the end.
    for (let i = 0; i < 3; i++) assert.equal(producer.tryWrite(new Uint8Array(200), 0, 200, 0), true);
    assert.equal(collect(consumer).length, 3);
    // A 384-byte record does not fit in the last 256: wrap marker, then the record at 0.
    const big = new Uint8Array(300).map((_, i) => i & 0xff);
    assert.equal(producer.tryWrite(big, 0, 300, FLAG_TEXT), true);
    const received = collect(consumer);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.start, 8);
    assert.deepEqual(received[0]!.bytes, Array.from(big));
    assert.equal(received[0]!.isText, true);
  });

  it('refuses a wrapping record until the bytes at the start are released', () => {
    const { producer, consumer } = ring(1024);
    assert.ok(producer.tryWrite(new Uint8Array(200), 0, 200, 0)); // [0, 256)
    assert.ok(producer.tryWrite(new Uint8Array(200), 0, 200, 0)); // [256, 512)
    assert.ok(producer.tryWrite(new Uint8Array(200), 0, 200, 0)); // [512, 768)
    assert.equal(collect(consumer, 1).length, 1); // [0, 256) released
    // Needs 256 (tail) + 384: only 512 free.
    assert.equal(producer.tryWrite(new Uint8Array(300), 0, 300, 0), false);
    assert.equal(collect(consumer, 1).length, 1);
    assert.equal(producer.tryWrite(new Uint8Array(300), 0, 300, 0), true);
    assert.deepEqual(collect(consumer).map((r) => r.bytes.length), [200, 300]);
  });

  it('fits the largest payload at every position once the ring is empty, and throws above it', () => {
    const { producer, consumer } = ring(2048);
    const max = producer.maxPayload;
    assert.equal(max, 1016);
    const big = new Uint8Array(max).map((_, i) => (i * 7) & 0xff);
    for (let offset = 0; offset < 2048; offset += 128) {
      assert.equal(producer.tryWrite(big, 0, max, 0), true, `at ${offset}`);
      const received = collect(consumer);
      assert.equal(received.length, 1);
      assert.deepEqual(received[0]!.bytes, Array.from(big));
      assert.ok(producer.tryWrite(big, 0, 0, 0)); // advance 128 bytes
      assert.equal(collect(consumer).length, 1);
    }
    assert.throws(() => producer.tryWrite(new Uint8Array(max + 1), 0, max + 1, 0), { code: 'WS_ERR_MESSAGE_TOO_BIG', closeCode: 1009 });
  });

  it('hands close and error records to onControl and stops for good after the close', () => {
    const { producer, consumer, controls } = ring(4096);
    producer.tryWrite(bytesOf(1), 0, 1, 0);
    producer.tryWrite(bytesOf(2, 2), 0, 2, FLAG_ERROR);
    producer.tryWrite(bytesOf(3, 232), 0, 2, FLAG_CLOSE);
    producer.tryWrite(bytesOf(4), 0, 1, 0); // after the close: never delivered
    producer.markClosed();
    assert.equal(consumer.producerClosed, true);
    assert.equal(collect(consumer).length, 1);
    assert.deepEqual(controls, [
      [FLAG_ERROR, [2, 2]],
      [FLAG_CLOSE, [3, 232]],
    ]);
    assert.equal(consumer.closed, true);
    assert.equal(collect(consumer).length, 0);
  });

  it('respects maxMessages', () => {
    const { producer, consumer } = ring(4096);
    for (let i = 0; i < 10; i++) producer.tryWrite(bytesOf(i), 0, 1, 0);
    assert.deepEqual(collect(consumer, 4).map((r) => r.bytes[0]), [0, 1, 2, 3]);
    assert.deepEqual(collect(consumer, 4).map((r) => r.bytes[0]), [4, 5, 6, 7]);
    assert.deepEqual(collect(consumer).map((r) => r.bytes[0]), [8, 9]);
  });

  it('a handler that throws does not see its message again and the drain resumes after it', () => {
    const { producer, consumer } = ring(4096);
    for (let i = 0; i < 5; i++) producer.tryWrite(bytesOf(i), 0, 1, 0);
    const seen: number[] = [];
    assert.throws(() =>
      consumer.drain((data, start) => {
        seen.push(data[start]!);
        if (data[start] === 2) throw new Error('boom');
      }),
    );
    assert.equal(consumer.lastDrainCount, 3);
    assert.equal(consumer.drain((data, start) => seen.push(data[start]!)), 2);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  });

  it('a drain from inside a handler returns 0 and nothing is delivered twice', () => {
    const { producer, consumer } = ring(4096);
    for (let i = 0; i < 3; i++) producer.tryWrite(bytesOf(i), 0, 1, 0);
    const seen: number[] = [];
    const inner: number[] = [];
    consumer.drain((data, start) => {
      seen.push(data[start]!);
      inner.push(consumer.drain(() => seen.push(-1)));
    });
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(inner, [0, 0, 0]);
  });

  it('waitForData runs its callback when a record is published', async () => {
    const { producer, consumer } = ring(4096);
    const woke = new Promise<void>((resolve) => consumer.waitForData(resolve, 10_000));
    setImmediate(() => producer.tryWrite(bytesOf(1), 0, 1, 0));
    await woke;
    assert.equal(consumer.isEmpty, false);
  });

  it('waitForSpace runs its callback when the consumer releases space', async () => {
    const { producer, consumer } = ring(1024);
    while (producer.tryWrite(bytesOf(1), 0, 1, 0));
    const woke = new Promise<void>((resolve) => producer.waitForSpace(resolve, 10_000));
    setImmediate(() => consumer.drain(() => {}, 1));
    await woke;
    assert.equal(producer.canWrite(1), true);
  });

  it('allocates nothing per message: 1M writes and drains of 100 bytes, scavenges counted', async () => {
    const { producer, consumer } = ring(1 << 16);
    const message = new Uint8Array(100).fill(1);
    let sum = 0;
    const handler = (data: Uint8Array, start: number, end: number): void => {
      sum += data[start]! + end - start;
    };
    const round = (count: number): void => {
      for (let i = 0; i < count; i++) {
        if (!producer.tryWrite(message, 0, 100, 0)) consumer.drain(handler);
        producer.tryWrite(message, 0, 100, 0);
      }
      consumer.drain(handler);
    };
    round(100_000); // warm-up: JIT
    let scavenges = 0;
    const observer = new PerformanceObserver((list) => {
      scavenges += list.getEntries().length;
    });
    observer.observe({ entryTypes: ['gc'] });
    const heapBefore = process.memoryUsage().heapUsed;
    round(1_000_000);
    const heapAfter = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setImmediate(resolve));
    observer.disconnect();
    assert.ok(sum > 0);
    assert.ok(scavenges <= 2, `saw ${scavenges} GCs`);
    assert.ok(heapAfter - heapBefore < 512 * 1024, `heap grew ${heapAfter - heapBefore} bytes`);
  });
});
