// The client's memory stays bounded whatever the server does (issue 8, item 2), over real
// loopback sockets with a raw server writing exact bytes:
// - a server that floods pings and never reads: pongs are coalesced and reading pauses while the
//   write queue is above its high-water mark, so TCP pushes the server back (before: the client
//   queued 171-246 MiB of pongs in 5 s);
// - a server that never reads while the application sends: send() throws WS_ERR_WRITE_QUEUE_FULL
//   once the queue would pass maxWriteQueueBytes, queues nothing, and the connection stays open.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/index.js';
import type { WebSocketError } from '../../src/protocol/errors.js';
import { WRITE_HIGH_WATER_BYTES } from '../../src/transport/write-queue.js';
import { flood } from '../helpers/flood.js';
import { frame, FrameReader, ping } from '../helpers/frames.js';
import { RETAINED_ASSEMBLY_BYTES } from '../../src/protocol/frame-parser.js';
import { startRawServer } from '../helpers/raw-server.js';

const MiB = 1024 * 1024;

/**
 * Array-buffer memory after full GCs. V8 frees array buffer memory on a concurrent sweeper, so
 * this collects a few times, until the figure drops below `target` or stops falling.
 */
async function settledArrayBuffers(target: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 20; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = process.memoryUsage().arrayBuffers;
    if (now < target && now >= previous) return now;
    if (now < target && round >= 3) return now;
    previous = Math.min(previous, now);
  }
  return previous;
}

describe('client: bounded memory against a server that does not read', { timeout: 120_000 }, () => {
  it('a ping flood: queued pongs stay under high-water + one read, then the latest ping is answered', async () => {
    const server = await startRawServer();
    let pings = 0;
    const closes: number[] = [];
    const client = await connect(server.url, {
      onMessage: () => {},
      onPing: () => pings++,
      onClose: (code) => closes.push(code),
    });
    try {
      const peer = await server.nextConnection();
      peer.socket.pause(); // the hostile server reads nothing from now on
      const payload = Buffer.alloc(125, 0x61);
      let maxQueued = 0;
      // 64 MiB of 125-byte pings: unbounded, that is ~66 MiB of pongs to queue.
      const result = await flood(peer.socket, ping(payload), 64 * MiB, () => {
        maxQueued = Math.max(maxQueued, client.bufferedAmount);
      });
      maxQueued = Math.max(maxQueued, client.bufferedAmount);
      console.log(`ping flood: ${(result.sentBytes / MiB).toFixed(1)} MiB of pings sent, ${pings} read, pushed back: ${result.pushedBack}, client queue max ${(maxQueued / MiB).toFixed(2)} MiB`);
      // High-water mark plus what one socket read's pings answer before the queue is looked at.
      assert.ok(maxQueued <= WRITE_HIGH_WATER_BYTES + 2 * MiB, `client queued ${maxQueued} bytes of pongs`);
      assert.equal(client.state, 'open');

      // The server reads again: one more ping with a distinct payload is answered (RFC 6455
      // 5.5.3: the most recent ping gets its pong), after whatever pongs were queued.
      // (A streaming reader of our own: the raw server's recorder keeps every byte, too slow here.)
      peer.socket.removeAllListeners('data');
      const reader = new FrameReader();
      let pongs = 0;
      const lastAnswered = new Promise<void>((resolve) => {
        peer.socket.on('data', (chunk: Buffer) => {
          for (const frame of reader.push(chunk)) {
            if (frame.opcode !== 0xa) continue;
            pongs++;
            if (frame.payload.toString() === 'last') resolve();
          }
        });
      });
      peer.write(ping('last'));
      peer.socket.resume();
      await lastAnswered;
      console.log(`after the flood: ${pings} pings read in all, ${pongs} pongs sent`);
      assert.equal(closes.length, 0);
    } finally {
      client.terminate();
      await server.close();
    }
  });

  it('send() past maxWriteQueueBytes throws WS_ERR_WRITE_QUEUE_FULL, queues nothing, and the connection stays open', async () => {
    const server = await startRawServer();
    const limit = 1 * MiB;
    const client = await connect(server.url, { onMessage: () => {}, maxWriteQueueBytes: limit });
    try {
      const peer = await server.nextConnection();
      peer.socket.pause();
      const message = Buffer.alloc(64 * 1024, 0x62);
      let refused: WebSocketError | null = null;
      let sent = 0;
      let maxQueued = 0;
      // Sends across turns of the event loop, so the socket really takes what the kernel accepts.
      for (let round = 0; round < 4096 && refused === null; round++) {
        try {
          client.send(message);
          sent++;
        } catch (error) {
          refused = error as WebSocketError;
        }
        maxQueued = Math.max(maxQueued, client.bufferedAmount);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.ok(refused !== null, `no send was refused after ${sent} x 64 KiB`);
      assert.equal(refused.code, 'WS_ERR_WRITE_QUEUE_FULL');
      assert.ok(maxQueued <= limit, `queued ${maxQueued} bytes with a ${limit}-byte limit`);
      const before = client.bufferedAmount;
      assert.throws(() => client.send(message), { code: 'WS_ERR_WRITE_QUEUE_FULL' });
      assert.equal(client.bufferedAmount, before, 'a refused send queues nothing');
      assert.equal(client.state, 'open');

      // Once the server reads, what was accepted arrives intact, in order, and sends work again.
      peer.socket.resume();
      await peer.waitUntil(() => peer.frames.length >= sent, `${sent} frames`, 60_000);
      assert.ok(peer.frames.slice(0, sent).every((frame) => frame.opcode === 2 && frame.payload.equals(message)));
      await peer.waitUntil(() => client.bufferedAmount === 0, 'the queue to drain');
      client.send('after');
      await peer.waitUntil(() => peer.frames.length > sent, 'the next message');
      assert.equal(peer.frames[sent]!.payload.toString(), 'after');
    } finally {
      client.terminate();
      await server.close();
    }
  });

  it('one large message: the assembly buffer returns to its steady size once it is delivered', async () => {
    const server = await startRawServer();
    let received = 0;
    let receivedBytes = 0;
    const client = await connect(server.url, {
      onMessage: (_data, start, end) => {
        received++;
        receivedBytes = end - start;
      },
    });
    try {
      const peer = await server.nextConnection();
      const baseline = await settledArrayBuffers(Number.POSITIVE_INFINITY);
      // 32 MiB in 1 MiB fragments: assembled in one buffer (what before stayed 32 MiB for good).
      const fragment = Buffer.alloc(MiB, 0x64);
      const fragments = 32;
      for (let index = 0; index < fragments; index++) {
        peer.write(frame({ opcode: index === 0 ? 2 : 0, payload: fragment, fin: index === fragments - 1 }));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await peer.waitUntil(() => received === 1, 'the large message', 60_000);
      assert.equal(receivedBytes, fragments * MiB);
      const after = await settledArrayBuffers(baseline + 8 * MiB);
      console.log(`large message: assembly ${client.parser.assemblyBytes} bytes after delivery, array buffers ${((after - baseline) / MiB).toFixed(1)} MiB over the baseline`);
      assert.ok(client.parser.assemblyBytes <= RETAINED_ASSEMBLY_BYTES);
      assert.ok(after - baseline < 8 * MiB, `array buffers grew by ${after - baseline} bytes`);
      assert.equal(client.state, 'open');
    } finally {
      client.terminate();
      await server.close();
    }
  });

  it('sends are batched: several send() calls in one turn reach the socket as one masked write', async () => {
    const server = await startRawServer();
    const client = await connect(server.url, { onMessage: () => {} });
    try {
      const peer = await server.nextConnection();
      const writes: number[] = [];
      const socket = client.socket;
      const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
      // Counts socket writes (the real socket still carries them).
      socket.write = ((chunk: Uint8Array) => {
        writes.push(chunk.length);
        return write(chunk);
      }) as typeof socket.write;
      for (let index = 0; index < 10; index++) client.send(`message ${index}`);
      await peer.waitForFrames(10);
      assert.equal(writes.length, 1);
      assert.deepEqual(peer.frames.map((frame) => frame.payload.toString()), Array.from({ length: 10 }, (_, index) => `message ${index}`));
      assert.ok(peer.frames.every((frame) => frame.maskKey !== null), 'RFC 6455 5.3: every client frame masked');
    } finally {
      client.terminate();
      await server.close();
    }
  });
});
