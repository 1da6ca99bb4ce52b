// Shared by the ring tests: a seeded generator of message sizes and contents, so both ends of a
// stream (server and client, producer and consumer threads) can produce and check the same bytes.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';

/** xorshift32: tiny, deterministic, identical in every thread. */
export function nextRandom(state: number): number {
  let x = state | 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}

/** Size of message `seq` of stream `seed`: mostly small, some up to maxLarge. */
export function messageSize(seed: number, seq: number, maxSmall: number, maxLarge: number): number {
  const r = nextRandom(nextRandom((seed ^ Math.imul(seq + 1, 0x9e3779b1)) | 1)) >>> 0;
  return r % 64 === 0 ? r % (maxLarge + 1) : r % (maxSmall + 1);
}

/** Printable ASCII for text messages, so they are valid UTF-8. */
function toText(byte: number): number {
  return 0x20 + (byte & 0x3f);
}

/**
 * Fills target[start, start + length) with message seq's bytes (its first 4 bytes carry seq);
 * with text, every byte is mapped to printable ASCII.
 */
export function fillMessage(target: Uint8Array, start: number, length: number, seed: number, seq: number, text = false): void {
  let state = (seed ^ Math.imul(seq + 7, 0x85ebca6b)) | 1;
  for (let i = 0; i < length; i++) {
    let byte: number;
    if (i < 4) {
      byte = (seq >>> (8 * i)) & 0xff;
    } else {
      state = nextRandom(state);
      byte = state & 0xff;
    }
    target[start + i] = text ? toText(byte) : byte;
  }
}

/** Checks data[start, end) is message seq of stream seed; returns '' or what differs. */
export function checkMessage(data: Uint8Array, start: number, end: number, seed: number, seq: number, expectedLength: number, text = false): string {
  if (end - start !== expectedLength) return `message ${seq}: length ${end - start}, expected ${expectedLength}`;
  let state = (seed ^ Math.imul(seq + 7, 0x85ebca6b)) | 1;
  for (let i = 0; i < expectedLength; i++) {
    let expected: number;
    if (i < 4) {
      expected = (seq >>> (8 * i)) & 0xff;
    } else {
      state = nextRandom(state);
      expected = state & 0xff;
    }
    if (text) expected = toText(expected);
    if (data[start + i] !== expected) return `message ${seq}: byte ${i} is ${data[start + i]}, expected ${expected}`;
  }
  return '';
}

/** FNV-1a over data[start, end), continuing from hash. */
export function fnv1a(hash: number, data: Uint8Array, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return h >>> 0;
}
export const FNV_OFFSET = 0x811c9dc5;

/**
 * Resolves once `worker` has exited, also when it already has: `once(worker, 'exit')` added after
 * the event was emitted never resolves (and the test then ends with the event loop empty).
 * threadId is -1 once the thread is no longer running (documented for worker_threads).
 */
export function workerExit(worker: Worker): Promise<unknown> {
  return worker.threadId === -1 ? Promise.resolve() : once(worker, 'exit');
}
