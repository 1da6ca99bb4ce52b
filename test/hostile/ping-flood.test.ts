// Hostile cases 1 and 2 (pings): a peer that floods pings and never reads must not make us queue
// a pong per ping. RFC 6455 5.5.3 lets an endpoint answer only the most recent ping, and reading
// pauses while the write queue is above its high-water mark, so TCP pushes the flood back.
// Asserted on the bytes queued for the socket (bufferedAmount), sampled at every ping and after
// every chunk of a fixed flood volume; the flood ends when it is all sent or pushed back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/client/connect.js';
import { createServer } from '../../src/server/server.js';
import type { ServerConnection } from '../../src/server/connection.js';
import { startRawServer } from '../helpers/raw-server.js';
import { flood } from '../helpers/flood.js';
import { WRITE_HIGH_WATER_BYTES } from '../../src/transport/write-queue.js';
import { close as closeFrame, frame, closeCodeOf } from '../helpers/frames.js';
import { clientFrame, rawHandshake, readUntilClose } from '../server/helpers.js';
import { waitFor, MiB, mib } from './peers.js';

/** 32 MiB of 125-byte pings (about 264 000): unbounded pong queues reach ~30 MiB. */
const FLOOD_BYTES = 32 * MiB;
/** Queued bytes allowed: the high-water mark plus the pongs of one socket read's pings. */
const QUEUE_BOUND_BYTES = WRITE_HIGH_WATER_BYTES + 2 * MiB;
const PING_PAYLOAD = Buffer.alloc(125, 0x70);

describe('hostile: ping floods from peers that never read', { timeout: 120_000 }, () => {
  it('client role: a server floods pings and reads nothing; the pong queue stays bounded', async (t) => {
    const raw = await startRawServer();
    try {
      let pings = 0;
      let peakQueued = 0;
      const closes: number[] = [];
      const client = await connect(raw.url, {
        onMessage() {},
        onPing() {
          pings++;
          const queued = client.bufferedAmount;
          if (queued > peakQueued) peakQueued = queued;
        },
        onClose: (code) => closes.push(code),
      });
      const peer = await raw.nextConnection();
      peer.socket.pause(); // the hostile server reads nothing from now on
      const result = await flood(peer.socket, frame({ opcode: 0x9, payload: PING_PAYLOAD }), FLOOD_BYTES, () => {
        peakQueued = Math.max(peakQueued, client.bufferedAmount);
      });
      t.diagnostic(`client: ${mib(result.sentBytes)} MiB of pings sent, ${pings} read, pushed back: ${result.pushedBack}, peak queued ${mib(peakQueued)} MiB, rss ${mib(process.memoryUsage().rss)} MiB`);
      assert.ok(peakQueued <= QUEUE_BOUND_BYTES, `peak queued ${peakQueued} bytes > ${QUEUE_BOUND_BYTES}`);

      // The server reads again and closes: the client answers and reports the close once.
      peer.socket.resume();
      peer.write(closeFrame(1000));
      await peer.waitUntil(() => peer.frames.some((item) => item.opcode === 8), `a close frame (pings read: ${pings})`, 60_000);
      assert.equal(closeCodeOf(peer.frames.find((item) => item.opcode === 8)!.payload), 1000);
      await waitFor(() => closes.length > 0, 'onClose');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(closes, [1000]);
    } finally {
      await raw.close();
    }
  });

  it('server role: a client floods pings and reads nothing; the pong queue stays bounded', async (t) => {
    let connection: ServerConnection | null = null;
    let pings = 0;
    let peakQueued = 0;
    const closes: number[] = [];
    const server = createServer({
      onConnection(accepted) {
        connection = accepted;
        accepted.onPing = () => {
          pings++;
          const queued = accepted.bufferedAmount;
          if (queued > peakQueued) peakQueued = queued;
        };
        accepted.onClose = (code) => closes.push(code);
      },
    });
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const { socket, rest } = await rawHandshake(port); // paused: the client reads nothing
      await waitFor(() => connection !== null, 'the connection');
      const result = await flood(socket, clientFrame(0x9, PING_PAYLOAD), FLOOD_BYTES, () => {
        peakQueued = Math.max(peakQueued, connection!.bufferedAmount);
      });
      t.diagnostic(`server: ${mib(result.sentBytes)} MiB of pings sent, ${pings} read, pushed back: ${result.pushedBack}, peak queued ${mib(peakQueued)} MiB, rss ${mib(process.memoryUsage().rss)} MiB`);
      assert.ok(peakQueued <= QUEUE_BOUND_BYTES, `peak queued ${peakQueued} bytes > ${QUEUE_BOUND_BYTES}`);

      // The client closes and reads again: the server echoes the close and reports it once.
      socket.write(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
      const { code } = await readUntilClose(socket, rest);
      assert.equal(code, 1000);
      await waitFor(() => closes.length > 0, 'onClose');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(closes, [1000]);
    } finally {
      await server.close();
    }
  });
});
