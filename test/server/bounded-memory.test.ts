// The server role's memory stays bounded whatever a client does (issue 8, item 2), over real
// loopback sockets with raw clients writing exact bytes:
// - a client that floods pings and never reads: pongs are coalesced and reading pauses above the
//   high-water mark (before: 238 MiB of pongs queued in 5 s);
// - an application sending to a client that never reads: on by default, the slow consumer is
//   failed with 1008 once more than maxWriteQueueBytes are queued (before: 512 MiB in 0.6 s).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerConnection } from '../../src/server/connection.js';
import { createServer } from '../../src/server/server.js';
import { DEFAULT_MAX_WRITE_QUEUE_BYTES, WRITE_HIGH_WATER_BYTES } from '../../src/transport/write-queue.js';
import { flood } from '../helpers/flood.js';
import { clientFrame, rawHandshake } from './helpers.js';

const MiB = 1024 * 1024;

async function serverWithOneClient(onConnection: (connection: ServerConnection) => void, maxWriteQueueBytes?: number) {
  let accepted!: (connection: ServerConnection) => void;
  const connected = new Promise<ServerConnection>((resolve) => (accepted = resolve));
  const server = createServer({
    ...(maxWriteQueueBytes !== undefined && { maxWriteQueueBytes }),
    onConnection(connection) {
      onConnection(connection);
      accepted(connection);
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const { socket } = await rawHandshake(port);
  const connection = await connected;
  return { server, socket, connection };
}

describe('server: bounded memory against a client that does not read', { timeout: 120_000 }, () => {
  it('a ping flood: queued pongs stay under high-water + one read; nothing is closed', async () => {
    const errors: Error[] = [];
    const closes: number[] = [];
    let pings = 0;
    const { server, socket, connection } = await serverWithOneClient((connection) => {
      connection.onPing = () => pings++;
      connection.onError = (error) => errors.push(error);
      connection.onClose = (code) => closes.push(code);
    });
    try {
      // rawHandshake left the socket paused: the hostile client reads nothing.
      let maxQueued = 0;
      const result = await flood(socket, clientFrame(0x9, Buffer.alloc(125, 0x61)), 64 * MiB, () => {
        maxQueued = Math.max(maxQueued, connection.bufferedAmount);
      });
      console.log(`ping flood: ${(result.sentBytes / MiB).toFixed(1)} MiB of pings sent, ${pings} read, pushed back: ${result.pushedBack}, server queue max ${(maxQueued / MiB).toFixed(2)} MiB`);
      assert.ok(maxQueued <= WRITE_HIGH_WATER_BYTES + 2 * MiB, `server queued ${maxQueued} bytes of pongs`);
      assert.equal(connection.state, 'open');
      assert.deepEqual(closes, []);
      assert.deepEqual(errors, []);
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it('an application sending to a client that never reads: WS_ERR_WRITE_QUEUE_FULL, close 1008, on by default', async () => {
    const errors: Array<{ code?: string; closeCode?: number }> = [];
    const closes: number[] = [];
    const { server, socket, connection } = await serverWithOneClient((connection) => {
      connection.onError = (error) => errors.push(error as { code?: string; closeCode?: number });
      connection.onClose = (code) => closes.push(code);
    });
    try {
      const message = Buffer.alloc(64 * 1024, 0x62);
      let maxQueued = 0;
      let sent = 0;
      // The application keeps sending, across turns of the event loop, while the connection is open.
      while (connection.state === 'open' && sent < 16_384) {
        connection.sendBinary(message);
        sent++;
        maxQueued = Math.max(maxQueued, connection.bufferedAmount);
        if (sent % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(`slow consumer: ${sent} x 64 KiB sent before the close, queue max ${(maxQueued / MiB).toFixed(2)} MiB`);
      assert.notEqual(connection.state, 'open', 'the slow consumer was never closed');
      // The limit is checked once per 256 KiB slab of output: at most one slab and one message past it.
      assert.ok(maxQueued <= DEFAULT_MAX_WRITE_QUEUE_BYTES + 512 * 1024, `queued ${maxQueued} bytes`);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.code, 'WS_ERR_WRITE_QUEUE_FULL');
      assert.equal(errors[0]!.closeCode, 1008);
      assert.throws(() => connection.sendBinary(message), { code: 'WS_ERR_NOT_OPEN' });
      socket.destroy(); // the client never reads; the close timer would do the same
      await until(() => closes.length === 1);
      assert.deepEqual(closes, [1008]);
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it('maxWriteQueueBytes: Infinity turns the policy off; a bad value throws WS_ERR_INVALID_ARGUMENT', async () => {
    assert.throws(() => createServer({ maxWriteQueueBytes: 0, onConnection() {} }), { code: 'WS_ERR_INVALID_ARGUMENT' });
    assert.throws(() => createServer({ maxWriteQueueBytes: Number.NaN, onConnection() {} }), { code: 'WS_ERR_INVALID_ARGUMENT' });
    const { server, socket, connection } = await serverWithOneClient(() => {}, Number.POSITIVE_INFINITY);
    try {
      const message = Buffer.alloc(256 * 1024, 0x63);
      for (let index = 0; index < 32; index++) connection.sendBinary(message); // 8 MiB, over the default
      connection.flushNow();
      assert.equal(connection.state, 'open');
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 200 && !condition(); round++) await new Promise((resolve) => setTimeout(resolve, 25));
}
