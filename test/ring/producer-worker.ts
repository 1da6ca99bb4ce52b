// Test helper thread: the producing end of a ring. Writes `count` messages of stream `seed`
// (sizes and bytes from helpers.ts), waits (bounded, asynchronously) whenever the ring is full,
// then a close record; reports how often it found the ring full.
import { parentPort, workerData } from 'node:worker_threads';
import { FLAG_CLOSE, FLAG_TEXT } from '../../src/ring/layout.js';
import { RingProducer } from '../../src/ring/spsc-ring.js';
import { fillMessage, messageSize } from './helpers.js';

export interface ProducerInit {
  memory: SharedArrayBuffer;
  seed: number;
  count: number;
  maxSmall: number;
  maxLarge: number;
}

const init = workerData as ProducerInit;
const producer = new RingProducer(init.memory);
const scratch = new Uint8Array(producer.maxPayload);
let seq = 0;
let fullWaits = 0;

function produce(): void {
  while (seq < init.count) {
    const size = messageSize(init.seed, seq, init.maxSmall, init.maxLarge);
    fillMessage(scratch, 0, size, init.seed, seq);
    if (!producer.tryWrite(scratch, 0, size, seq % 3 === 0 ? FLAG_TEXT : 0)) {
      fullWaits++;
      producer.waitForSpace(produce, 50);
      return;
    }
    seq++;
  }
  const close = Uint8Array.of(0x03, 0xe8);
  if (!producer.tryWrite(close, 0, 2, FLAG_CLOSE)) {
    producer.waitForSpace(produce, 50);
    return;
  }
  producer.markClosed();
  parentPort!.postMessage({ fullWaits });
}

produce();
