// Lifecycle edges, the same in every role (issue 8, item 4), over real loopback sockets:
// - terminate(): the state is 'closed' at once, later send/ping throw WS_ERR_NOT_OPEN, onClose
//   follows exactly once with 1006;
// - misuse of close()/ping() is a WebSocketError WS_ERR_INVALID_ARGUMENT in both roles (the
//   server used to throw RangeError, and cut long pings to 125 bytes);
// - timeouts a timer cannot honour (>= 2^31 ms, which Node turns into 1 ms) are refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { connect } from '../../src/index.js';
import { connectWorker } from '../../src/ring/worker-client.js';
import type { ServerConnection } from '../../src/server/connection.js';
import { createServer } from '../../src/server/server.js';
import { MAX_TIMER_MS } from '../../src/protocol/validation.js';

async function wsServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

async function tickwireServer(): Promise<{ url: string; connection: Promise<ServerConnection>; close(): Promise<void> }> {
  let accept!: (connection: ServerConnection) => void;
  const connection = new Promise<ServerConnection>((resolve) => (accept = resolve));
  const server = createServer({ onConnection: (accepted) => accept(accepted) });
  const { port } = await server.listen(0, '127.0.0.1');
  return { url: `ws://127.0.0.1:${port}/`, connection, close: () => server.close() };
}

async function until(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 400 && !condition(); round++) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('terminate(): closed at once, then WS_ERR_NOT_OPEN, onClose(1006) once', { timeout: 60_000 }, () => {
  it('Client', async () => {
    const server = await wsServer();
    const closes: number[] = [];
    try {
      const client = await connect(server.url, { onMessage: () => {}, onClose: (code) => closes.push(code) });
      client.send('queued, then dropped');
      client.terminate();
      assert.equal(client.state, 'closed');
      assert.throws(() => client.send('x'), { name: 'WebSocketError', code: 'WS_ERR_NOT_OPEN' });
      assert.throws(() => client.ping(), { code: 'WS_ERR_NOT_OPEN' });
      client.close(); // a no-op, as documented
      client.terminate();
      await until(() => closes.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(closes, [1006]);
    } finally {
      await server.close();
    }
  });

  it('ServerConnection', async () => {
    const server = await tickwireServer();
    const closes: number[] = [];
    try {
      const ws = new WebSocket(server.url);
      const clientClosed = once(ws, 'close');
      const connection = await server.connection;
      connection.onClose = (code) => closes.push(code);
      connection.terminate();
      assert.equal(connection.state, 'closed');
      assert.throws(() => connection.sendText('x'), { name: 'WebSocketError', code: 'WS_ERR_NOT_OPEN' });
      assert.throws(() => connection.sendBinary(new Uint8Array(1)), { code: 'WS_ERR_NOT_OPEN' });
      assert.throws(() => connection.ping(), { code: 'WS_ERR_NOT_OPEN' });
      const [code] = (await clientClosed) as [number];
      assert.equal(code, 1006);
      await until(() => closes.length > 0);
      assert.deepEqual(closes, [1006]);
    } finally {
      await server.close();
    }
  });

  it('WorkerClient', async () => {
    const server = await wsServer();
    const closes: number[] = [];
    try {
      const client = await connectWorker(server.url, { onMessage: () => {}, onClose: (code) => closes.push(code) });
      client.terminate();
      assert.equal(client.state, 'closed');
      assert.throws(() => client.send('x'), { code: 'WS_ERR_NOT_OPEN' });
      assert.throws(() => client.ping(), { code: 'WS_ERR_NOT_OPEN' });
      await until(() => closes.length > 0);
      assert.deepEqual(closes, [1006]);
    } finally {
      await server.close();
    }
  });
});

describe('close() and ping() misuse: WS_ERR_INVALID_ARGUMENT in both roles', { timeout: 30_000 }, () => {
  it('ServerConnection: bad close code, long reason, ping/pong over 125 bytes (not truncated)', async () => {
    const server = await tickwireServer();
    try {
      const ws = new WebSocket(server.url);
      const pings: Buffer[] = [];
      ws.on('ping', (data: Buffer) => pings.push(data));
      const connection = await server.connection;
      for (const code of [999, 1005, 1006, 1015, 2999, 5000, 1000.5]) {
        assert.throws(() => connection.close(code), { name: 'WebSocketError', code: 'WS_ERR_INVALID_ARGUMENT', closeCode: 1006 }, `code ${code}`);
      }
      assert.throws(() => connection.close(1000, 'x'.repeat(124)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      assert.throws(() => connection.ping(new Uint8Array(126)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      assert.throws(() => connection.pong(new Uint8Array(126)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      connection.ping(new Uint8Array(125).fill(7));
      await until(() => pings.length > 0);
      assert.equal(pings[0]!.length, 125);
      assert.equal(connection.state, 'open');
      // Servers may send the codes that shed clients (RFC 6455 7.4.1): 1013 try again later.
      const closed = once(ws, 'close');
      connection.close(1013, 'busy');
      assert.deepEqual(((await closed) as [number, Buffer]).map(String), ['1013', 'busy']);
    } finally {
      await server.close();
    }
  });

  it('Client: the same checks and the same error', async () => {
    const server = await wsServer();
    try {
      const client = await connect(server.url, { onMessage: () => {} });
      for (const code of [999, 1002, 1005, 1006, 1011, 2999, 5000]) {
        assert.throws(() => client.close(code), { name: 'WebSocketError', code: 'WS_ERR_INVALID_ARGUMENT', closeCode: 1006 }, `code ${code}`);
      }
      assert.throws(() => client.close(1000, 'x'.repeat(124)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      assert.throws(() => client.ping(new Uint8Array(126)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      assert.equal(client.state, 'open');
      client.terminate();
    } finally {
      await server.close();
    }
  });
});

describe('timeouts a timer cannot honour are refused', { timeout: 30_000 }, () => {
  it('connect(), connectWorker() and createServer() refuse 2^31 ms and accept 2^31 - 1; maxWriteQueueBytes is checked', async () => {
    const server = await wsServer();
    try {
      for (const name of ['closeTimeoutMs', 'handshakeTimeoutMs'] as const) {
        await assert.rejects(connect(server.url, { onMessage: () => {}, [name]: 2 ** 31 }), { code: 'WS_ERR_INVALID_ARGUMENT' }, name);
        await assert.rejects(connectWorker(server.url, { onMessage: () => {}, [name]: 2 ** 31 }), { code: 'WS_ERR_INVALID_ARGUMENT' }, `worker ${name}`);
        assert.throws(() => createServer({ onConnection() {}, [name]: 2 ** 31 }), { code: 'WS_ERR_INVALID_ARGUMENT' }, `server ${name}`);
        assert.throws(() => createServer({ onConnection() {}, [name]: Number.POSITIVE_INFINITY }), { code: 'WS_ERR_INVALID_ARGUMENT' });
      }
      // maxWriteQueueBytes reaches the worker's connection (a bad value is refused there, not ignored).
      await assert.rejects(connectWorker(server.url, { onMessage: () => {}, maxWriteQueueBytes: 0 }), { code: 'WS_ERR_INVALID_ARGUMENT' });
      await assert.rejects(connect(server.url, { onMessage: () => {}, maxWriteQueueBytes: Number.NaN }), { code: 'WS_ERR_INVALID_ARGUMENT' });
      const client = await connect(server.url, { onMessage: () => {}, closeTimeoutMs: MAX_TIMER_MS, handshakeTimeoutMs: MAX_TIMER_MS });
      client.terminate();
    } finally {
      await server.close();
    }
  });
});
