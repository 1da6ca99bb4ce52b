// The frame parser's steady state allocates nothing per message (the hot path rule): a read full
// of whole frames (text, binary, 16-bit lengths, pings, pongs, small fragmented messages with a
// ping between fragments) parsed over and over, with GC activity observed and the heap compared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateKernelBuffer } from '../../src/kernels/index.js';
import type { WebSocketError } from '../../src/protocol/errors.js';
import { FrameParser } from '../../src/protocol/frame-parser.js';
import type { FrameHandler } from '../../src/protocol/handler.js';
import { binary, continuation, patternBytes, ping, pong, text } from '../helpers/frames.js';
import { GcWindow } from '../helpers/gc-window.js';

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

/** The read, placed where the client's reads land: kernel memory (a plain array when SIMD is off). */
function read(): Uint8Array {
  const bytes = readBytes();
  const buffer = allocateKernelBuffer(bytes.length);
  buffer.set(bytes, 0);
  return buffer;
}

function readBytes(): Uint8Array {
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

  const reads = 25_000; // ~2 million messages: 16 bytes each would fill the young generation many times over
  const { collections, growth } = await countCollections(() => {
    for (let index = 0; index < reads; index++) parser.push(data, 0, data.length);
  });
  assert.equal(handler.messages, (warmupReads + reads) * perRead);
  assert.equal(handler.errors, 0);
  assert.ok(handler.controls > 0);
  assert.ok(collections <= 1, `${collections} garbage collections while parsing ${reads * perRead} messages`);
  assert.ok(growth < 1024 * 1024, `heap grew ${growth} bytes over ${reads * perRead} messages`);
});

/** Garbage collections (any kind) and heap growth while `body` runs. */
async function countCollections(body: () => void): Promise<{ collections: number; growth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const gcWindow = new GcWindow();
  const heapBefore = process.memoryUsage().heapUsed;
  gcWindow.begin();
  body();
  gcWindow.end();
  const heapAfter = process.memoryUsage().heapUsed;
  const { scavenges, others } = await gcWindow.collect();
  return { collections: scavenges + others, growth: heapAfter - heapBefore };
}

// Frames cut by a read boundary are joined in the assembly buffer; with the receive and assembly
// buffers both in kernel memory, that copy is one copyWithin (a subarray + set() would allocate
// a view per append).
test('no allocation per message for 1 KiB text frames that span socket reads (receive buffer in kernel memory)', async () => {
  // As the client reads: every read lands in one reusable receive buffer (kernel memory when
  // SIMD is on), and most frames are cut by a read boundary, so they are assembled.
  const payload = Buffer.from(`{"e":"depthUpdate","b":[${'["25.35190000","31.21000000"],'.repeat(32)}["1","2"]]}`.padEnd(1000, ' '));
  const stream = Buffer.concat(Array.from({ length: 64 }, () => text(payload)));
  const receive = allocateKernelBuffer(4096);
  const readSize = 4093; // co-prime with the frame size: every cut position occurs
  const handler = new CountingHandler();
  const parser = new FrameParser(handler, { expectMasked: false, maxPayload: 1 << 20 });
  // The reads, as views made once up front (a view per read would be the test's own allocation).
  const reads: Uint8Array[] = [];
  for (let offset = 0; offset < stream.length; offset += readSize) reads.push(stream.subarray(offset, Math.min(offset + readSize, stream.length)));
  let next = 0;
  const readOnce = (): void => {
    const read = reads[next]!;
    next = next + 1 === reads.length ? 0 : next + 1;
    receive.set(read, 0); // what the socket does
    parser.push(receive, 0, read.length);
  };
  for (let index = 0; index < 20_000; index++) readOnce();
  const before = handler.messages;
  const { collections, growth } = await countCollections(() => {
    for (let index = 0; index < 200_000; index++) readOnce();
  });
  const messages = handler.messages - before;
  assert.equal(handler.errors, 0);
  assert.ok(messages > 700_000, `${messages} messages`);
  assert.ok(collections <= 1, `${collections} garbage collections while parsing ${messages} messages`);
  assert.ok(growth < 1024 * 1024, `heap grew ${growth} bytes`);
});
