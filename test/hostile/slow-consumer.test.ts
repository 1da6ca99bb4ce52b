// Hostile case 2 (sends): an application that keeps sending to a client that never reads must not
// queue without bound. The server role's slow-consumer policy (on by default) closes such a
// client with 1008 or 1013 once its write queue passes the limit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from '../../src/server/server.js';
import type { ServerConnection } from '../../src/server/connection.js';
import { DEFAULT_MAX_WRITE_QUEUE_BYTES } from '../../src/transport/write-queue.js';
import { rawHandshake } from '../server/helpers.js';
import { waitFor, MiB, mib } from './peers.js';

/** What the application tries to send in all: far above any sane default limit. */
const TOTAL_BYTES = 256 * MiB;
const MESSAGE = Buffer.alloc(64 * 1024, 0x61);
const MESSAGES_PER_TURN = 16;
/** Largest queue tolerated: the default limit plus one turn's sends (unbounded: ~256 MiB). */
const QUEUE_BOUND_BYTES = DEFAULT_MAX_WRITE_QUEUE_BYTES + MESSAGES_PER_TURN * MESSAGE.length;

describe('hostile: an application sending to a client that never reads', { timeout: 120_000 }, () => {
  it('the slow consumer is closed with 1008/1013 and the queue stays bounded', async (t) => {
    let connection: ServerConnection | null = null;
    const closes: number[] = [];
    const server = createServer({
      closeTimeoutMs: 200,
      onConnection(accepted) {
        connection = accepted;
        accepted.onClose = (code) => closes.push(code);
      },
    });
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const { socket } = await rawHandshake(port); // paused: never reads
      await waitFor(() => connection !== null, 'the connection');
      const open = connection!;
      let sent = 0;
      let peakQueued = 0;
      // The application sends a batch per event-loop turn, as a feed would, until told to stop.
      while (sent < TOTAL_BYTES && open.state === 'open') {
        for (let index = 0; index < MESSAGES_PER_TURN && open.state === 'open'; index++) {
          open.sendBinary(MESSAGE);
          sent += MESSAGE.length;
        }
        if (open.bufferedAmount > peakQueued) peakQueued = open.bufferedAmount;
        await new Promise((resolve) => setImmediate(resolve));
      }
      t.diagnostic(`sent ${mib(sent)} MiB, peak queued ${mib(peakQueued)} MiB, state ${open.state}, rss ${mib(process.memoryUsage().rss)} MiB`);
      assert.ok(peakQueued <= QUEUE_BOUND_BYTES, `peak queued ${mib(peakQueued)} MiB`);
      assert.ok(sent < TOTAL_BYTES, 'the slow consumer was never closed');
      await waitFor(() => closes.length > 0, 'onClose');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(closes.length, 1);
      assert.ok(closes[0] === 1008 || closes[0] === 1013, `close code ${closes[0]}`);
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});
