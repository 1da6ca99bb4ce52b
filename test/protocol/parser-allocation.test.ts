// The frame parser's steady state allocates nothing per message (the hot path rule): a read full
// of whole frames (text, binary, 16-bit lengths, pings, pongs, small fragmented messages with a
// ping between fragments) parsed over and over, with GC activity observed and the heap compared.
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { test } from 'node:test';
import type { WebSocketError } from '../../src/protocol/errors.js';
import { FrameParser } from '../../src/protocol/frame-parser.js';
import type { FrameHandler } from '../../src/protocol/handler.js';
import { binary, continuation, patternBytes, ping, pong, text } from '../helpers/frames.js';

/** Counts deliveries and sums a byte of each, so nothing is optimized away; allocates nothing. */
class CountingHandler implements FrameHandler {
  messages = 0;
  controls = 0;
  checksum = 0;
  errors = 0;
  onMessage(data: Uint8Array, start: number, end: number): void {
    this.messages++;
    if (end > start) this.checksum = (this.checksum + data[start]!) | 0;
  }
  onPing(): void {
    this.controls++;
  }
  onPong(): void {
    this.controls++;
  }
  onCloseFrame(): void {}
  onProtocolError(_error: WebSocketError): void {
    this.errors++;
  }
}

function read(): Uint8Array {
  const frames: Buffer[] = [];
  for (let index = 0; index < 40; index++) {
    frames.push(text(`{"e":"bookTicker","u":${400900217 + index},"s":"BNBUSDT","b":"25.35190000","B":"31.21000000"}`));
    frames.push(binary(patternBytes(index % 3 === 0 ? 300 : 20, index + 1)));
  }
  frames.push(ping('keepalive'), pong(''));
  frames.push(text('{"frag', false), ping('x'), continuation('mented":', false), continuation('true}'));
  frames.push(binary(Buffer.from([1, 2, 3]), false), continuation(Buffer.from([4, 5])));
  return new Uint8Array(Buffer.concat(frames));
}

test('no allocation per message in steady state', async () => {
  const handler = new CountingHandler();
  const parser = new FrameParser(handler, { expectMasked: false, maxPayload: 1 << 20 });
  const data = read();
  const perRead = 82;
  const warmupReads = 5_000;
  for (let index = 0; index < warmupReads; index++) parser.push(data, 0, data.length);
  assert.equal(handler.errors, 0);
  assert.equal(handler.messages, warmupReads * perRead);

  const global = globalThis as { gc?: () => void };
  global.gc?.();
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const heapBefore = process.memoryUsage().heapUsed;
  const reads = 25_000; // ~2 million messages: 16 bytes each would fill the young generation many times over
  for (let index = 0; index < reads; index++) parser.push(data, 0, data.length);
  const heapAfter = process.memoryUsage().heapUsed;
  // GC entries reach the observer through a native immediate: let it run, then take the buffer.
  await new Promise((resolve) => setImmediate(resolve));
  collections += observer.takeRecords().length;
  observer.disconnect();
  assert.equal(handler.messages, (warmupReads + reads) * perRead);
  assert.equal(handler.errors, 0);
  assert.ok(handler.controls > 0);
  const growth = heapAfter - heapBefore;
  assert.ok(collections <= 1, `${collections} garbage collections while parsing ${reads * perRead} messages`);
  assert.ok(growth < 1024 * 1024, `heap grew ${growth} bytes over ${reads * perRead} messages`);
});
