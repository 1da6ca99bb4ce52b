// Worker mode end to end over loopback, with `ws` as the server: integrity and order of 100k+
// messages of random sizes, backpressure with a consumer that does not drain (nothing lost,
// nothing overwritten, the server throttled by TCP), automatic mode, sends/pings/close through
// the worker, protocol and size errors, connect failures, and a worker that dies.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { WebSocketError } from '../../src/protocol/errors.js';
import { HandshakeError } from '../../src/handshake/handshake-error.js';
import { connectWorker, type WorkerClient, type WorkerClientOptions } from '../../src/ring/worker-client.js';
import { checkMessage, fillMessage, fnv1a, FNV_OFFSET, messageSize, workerExit } from './helpers.js';

interface Server {
  wss: WebSocketServer;
  url: string;
  close(): Promise<void>;
}

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/tls/${name}`, import.meta.url));

async function startServer(onConnection: (socket: WebSocket) => void, options: { verifyClient?: () => boolean; tls?: boolean } = {}): Promise<Server> {
  let wss: WebSocketServer;
  let httpsServer: https.Server | null = null;
  if (options.tls === true) {
    httpsServer = https.createServer({ cert: fixture('localhost.pem'), key: fixture('localhost-key.pem') });
    wss = new WebSocketServer({ server: httpsServer });
    await new Promise<void>((resolve) => httpsServer!.listen(0, '127.0.0.1', resolve));
  } else {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...(options.verifyClient !== undefined && { verifyClient: options.verifyClient }) });
    await once(wss, 'listening');
  }
  wss.on('connection', onConnection);
  const { port } = (httpsServer ?? wss).address() as AddressInfo;
  return {
    wss,
    url: `${options.tls === true ? 'wss' : 'ws'}://127.0.0.1:${port}/`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (httpsServer !== null) await new Promise<void>((resolve) => httpsServer!.close(() => resolve()));
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls process() until onClose has fired; yields to the event loop when the ring is empty. */
async function processUntilClosed(client: WorkerClient, onMessage: (data: Uint8Array, start: number, end: number, isText: boolean) => void): Promise<number> {
  let total = 0;
  while (client.state !== 'closed') {
    const delivered = client.process(onMessage);
    total += delivered;
    if (delivered === 0) await tick();
  }
  return total;
}

interface Stream {
  seed: number;
  count: number;
  maxSmall: number;
  maxLarge: number;
}

const isTextMessage = (seq: number): boolean => seq % 5 === 0;

/** Sends the stream (every 5th message as text), then closes with 4000 and "fnv:<hash>". */
function sendStream(socket: WebSocket, stream: Stream): { sentBytes: () => number } {
  let hash = FNV_OFFSET;
  let sentBytes = 0;
  for (let seq = 0; seq < stream.count; seq++) {
    const size = messageSize(stream.seed, seq, stream.maxSmall, stream.maxLarge);
    const payload = Buffer.allocUnsafe(size);
    fillMessage(payload, 0, size, stream.seed, seq, isTextMessage(seq));
    hash = fnv1a(hash, payload, 0, size);
    socket.send(payload, { binary: !isTextMessage(seq) }, (error) => {
      if (error === undefined || error === null) sentBytes += size;
    });
  }
  socket.close(4000, `fnv:${hash.toString(16)}`);
  return { sentBytes: () => sentBytes };
}

/** A checker for a stream: call it per message; `failure` holds the first mismatch. */
function streamChecker(stream: Stream): { check: (data: Uint8Array, start: number, end: number, isText: boolean) => void; state: { seq: number; hash: number; failure: string } } {
  const state = { seq: 0, hash: FNV_OFFSET, failure: '' };
  return {
    state,
    check(data, start, end, isText) {
      const seq = state.seq++;
      if (state.failure !== '') return;
      const text = isTextMessage(seq);
      state.failure = checkMessage(data, start, end, stream.seed, seq, messageSize(stream.seed, seq, stream.maxSmall, stream.maxLarge), text);
      if (isText !== text) state.failure ||= `message ${seq}: isText ${isText}`;
      state.hash = fnv1a(state.hash, data, start, end);
    },
  };
}

describe('connectWorker', () => {
  it('process() returns 0 on an empty ring, then delivers what arrives', async () => {
    let peer: WebSocket | null = null;
    const server = await startServer((socket) => {
      peer = socket;
    });
    try {
      const client = await connectWorker(server.url);
      let calls = 0;
      assert.equal(client.process(() => calls++), 0);
      await sleep(20);
      assert.equal(client.process(() => calls++), 0);
      assert.equal(calls, 0);
      peer!.send('hi');
      let text = '';
      while (text === '') {
        client.process((data, start, end, isText) => {
          assert.equal(isText, true);
          text = Buffer.from(data.subarray(start, end)).toString('utf8');
        });
        await tick();
      }
      assert.equal(text, 'hi');
      assert.equal(client.process(() => calls++), 0);
      client.close();
      await processUntilClosed(client, () => {});
    } finally {
      await server.close();
    }
  });

  it('120k messages of random sizes arrive in order and intact (checksums), then the close', async () => {
    const stream: Stream = { seed: 0xc0ffee, count: 120_000, maxSmall: 300, maxLarge: 4096 };
    const server = await startServer((socket) => sendStream(socket, stream));
    try {
      let closed: [number, string] | null = null;
      const errors: Error[] = [];
      const client = await connectWorker(server.url, {
        ringBytes: 64 * 1024,
        onClose: (code, reason) => (closed = [code, reason]),
        onError: (error) => errors.push(error),
      });
      const { check, state } = streamChecker(stream);
      const delivered = await processUntilClosed(client, check);
      assert.equal(state.failure, '');
      assert.equal(delivered, stream.count);
      assert.equal(state.seq, stream.count);
      assert.deepEqual(closed, [4000, `fnv:${state.hash.toString(16)}`]);
      assert.deepEqual(errors, []);
      assert.equal(client.stats.usedBytes, 0);
      await workerExit(client.worker);
    } finally {
      await server.close();
    }
  });

  it('backpressure: a consumer that does not drain pauses the worker and the server; nothing is lost', async () => {
    const stream: Stream = { seed: 0xbacc, count: 24_000, maxSmall: 4096, maxLarge: 4096 };
    let sender: { sentBytes: () => number } | null = null;
    let total = 0;
    for (let seq = 0; seq < stream.count; seq++) total += messageSize(stream.seed, seq, stream.maxSmall, stream.maxLarge);
    const server = await startServer((socket) => {
      sender = sendStream(socket, stream);
    });
    try {
      const ringBytes = 64 * 1024;
      const client = await connectWorker(server.url, { ringBytes });
      // Do not drain: wait for the ring to fill and the server's progress to stop.
      while (client.stats.ringFullWaits === 0) await sleep(5);
      let previous = -1;
      while (sender!.sentBytes() !== previous) {
        previous = sender!.sentBytes();
        await sleep(200);
      }
      const stats = client.stats;
      assert.ok(stats.usedBytes <= ringBytes);
      assert.ok(stats.usedBytes > ringBytes / 2, `ring holds only ${stats.usedBytes} bytes`);
      // The server could not hand everything to the kernel: the worker stopped reading.
      assert.ok(sender!.sentBytes() < total, `server wrote all ${total} bytes although nobody drained`);
      const { check, state } = streamChecker(stream);
      const delivered = await processUntilClosed(client, check);
      assert.equal(state.failure, '');
      assert.equal(delivered, stream.count);
      assert.ok(client.stats.ringFullWaits >= 1);
    } finally {
      await server.close();
    }
  });

  it('wss: TLS in the worker (test CA), ring full and resumed, every message intact', async () => {
    const stream: Stream = { seed: 0x7150, count: 5_000, maxSmall: 1000, maxLarge: 2000 };
    const server = await startServer((socket) => sendStream(socket, stream), { tls: true });
    try {
      let closeCode = 0;
      const client = await connectWorker(server.url, { ca: fixture('ca.pem'), ringBytes: 8192, onClose: (code) => (closeCode = code) });
      while (client.stats.ringFullWaits === 0) await sleep(5);
      const { check, state } = streamChecker(stream);
      await processUntilClosed(client, check);
      assert.equal(state.failure, '');
      assert.equal(state.seq, stream.count);
      assert.equal(closeCode, 4000);
    } finally {
      await server.close();
    }
  });

  it('automatic mode drains whenever the ring becomes non-empty', async () => {
    const stream: Stream = { seed: 0xa070, count: 20_000, maxSmall: 200, maxLarge: 2000 };
    const server = await startServer((socket) => sendStream(socket, stream));
    try {
      const { check, state } = streamChecker(stream);
      let closeCode = 0;
      const closed = new Promise<void>((resolve) => {
        void connectWorker(server.url, {
          ringBytes: 16 * 1024,
          onMessage: check,
          onClose: (code) => {
            closeCode = code;
            resolve();
          },
        });
      });
      await closed;
      assert.equal(state.failure, '');
      assert.equal(state.seq, stream.count);
      assert.equal(closeCode, 4000);
    } finally {
      await server.close();
    }
  });

  it('forwards send, ping and close to the worker; onClose follows the echoed messages', async () => {
    const seen: Array<{ data: string; isBinary: boolean }> = [];
    let serverClose: Promise<[number, Buffer]> | null = null;
    const server = await startServer((socket) => {
      serverClose = once(socket, 'close') as Promise<[number, Buffer]>;
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        seen.push({ data: data.toString('latin1'), isBinary });
        socket.send(data, { binary: isBinary });
      });
    });
    try {
      const pongs: string[] = [];
      let closed: [number, string] | null = null;
      const client = await connectWorker(server.url, {
        onPong: (data, start, end) => pongs.push(Buffer.from(data.subarray(start, end)).toString()),
        onClose: (code, reason) => (closed = [code, reason]),
      });
      client.send('hello');
      client.send(Uint8Array.of(1, 2, 3));
      client.send(Buffer.from('as text'), true);
      client.ping('p1');
      const echoes: string[] = [];
      while (echoes.length < 3 || pongs.length < 1) {
        client.process((data, start, end, isText) => echoes.push(`${isText ? 't' : 'b'}:${Buffer.from(data.subarray(start, end)).toString('latin1')}`));
        await tick();
      }
      assert.deepEqual(echoes, ['t:hello', 'b:\x01\x02\x03', 't:as text']);
      assert.deepEqual(pongs, ['p1']);
      assert.deepEqual(seen.map((m) => m.isBinary), [false, true, false]);
      assert.throws(() => client.close(1006), { code: 'WS_ERR_INVALID_ARGUMENT' });
      client.close(4002, 'done');
      assert.equal(client.state, 'closing');
      assert.throws(() => client.send('late'), { code: 'WS_ERR_NOT_OPEN' });
      await processUntilClosed(client, () => {});
      const [code, reason] = await serverClose!;
      assert.equal(code, 4002);
      assert.equal(reason.toString(), 'done');
      assert.deepEqual(closed, [4002, 'done']);
      await workerExit(client.worker);
    } finally {
      await server.close();
    }
  });

  it('a protocol error reaches onError then onClose, after the messages before it', async () => {
    const server = await startServer((socket) => {
      socket.send('one');
      socket.send('two');
      socket.send(Buffer.from([0xc3, 0x28]), { binary: false }); // invalid UTF-8 in a text frame
    });
    try {
      const events: string[] = [];
      const client = await connectWorker(server.url, {
        onError: (error) => events.push(`error:${(error as WebSocketError).code}:${(error as WebSocketError).closeCode}`),
        onClose: (code) => events.push(`close:${code}`),
      });
      await processUntilClosed(client, (data, start, end) => events.push(`message:${Buffer.from(data.subarray(start, end)).toString()}`));
      assert.deepEqual(events, ['message:one', 'message:two', 'error:WS_ERR_INVALID_UTF8:1007', 'close:1007']);
    } finally {
      await server.close();
    }
  });

  it('a message larger than the ring fails clearly: WS_ERR_MESSAGE_TOO_BIG and close 1009', async () => {
    let serverClose: Promise<[number, Buffer]> | null = null;
    const server = await startServer((socket) => {
      serverClose = once(socket, 'close') as Promise<[number, Buffer]>;
      socket.send(Buffer.alloc(2040)); // the largest a 4 KiB ring holds
      socket.send(Buffer.alloc(2041));
    });
    try {
      const events: string[] = [];
      const client = await connectWorker(server.url, {
        ringBytes: 4096,
        onError: (error) => events.push(`error:${(error as WebSocketError).code}`),
        onClose: (code) => events.push(`close:${code}`),
      });
      await processUntilClosed(client, (_data, start, end) => events.push(`message:${end - start}`));
      assert.deepEqual(events, ['message:2040', 'error:WS_ERR_MESSAGE_TOO_BIG', 'close:1009']);
      assert.equal((await serverClose!)[0], 1009);
    } finally {
      await server.close();
    }
  });

  it('rejects a maxPayload or ring size the ring cannot honour', async () => {
    await assert.rejects(connectWorker('ws://127.0.0.1:9/', { ringBytes: 4096, maxPayload: 4096 }), { code: 'WS_ERR_INVALID_ARGUMENT' });
    await assert.rejects(connectWorker('ws://127.0.0.1:9/', { ringBytes: 5000 }), { code: 'WS_ERR_INVALID_ARGUMENT' });
  });

  it('rejects the options worker mode cannot honour instead of ignoring them', async () => {
    const url = 'ws://127.0.0.1:9/';
    const rejectsWith = (options: object, pattern: RegExp): Promise<void> =>
      assert.rejects(connectWorker(url, options as WorkerClientOptions), (error: unknown) => {
        assert.ok(error instanceof WebSocketError);
        assert.equal(error.code, 'WS_ERR_INVALID_ARGUMENT');
        assert.match(error.message, pattern);
        return true;
      });
    await rejectsWith({ onPing: () => {} }, /onPing/);
    await rejectsWith({ stageClock: true }, /stageClock/);
    await rejectsWith({ perMessageDefalte: true }, /perMessageDefalte option: unknown option/);
    // Forwarded options are copied to the worker: one that cannot be copied is an argument error.
    await rejectsWith({ perMessageDeflate: { threshold: () => 1 } }, /cannot be sent to the I\/O worker/);
  });

  it('perMessageDeflate: negotiated by the worker, which inflates; the ring carries the inflated messages', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
    await once(wss, 'listening');
    const texts = ['x'.repeat(3000), 'short', JSON.stringify({ e: 'depthUpdate', b: Array.from({ length: 200 }, (_, k) => [`${k}.5`, '1.0']) })];
    const received: string[] = [];
    wss.on('connection', (socket, request) => {
      received.push(request.headers['sec-websocket-extensions'] ?? '');
      socket.on('message', (data: Buffer) => received.push(data.toString()));
      for (const text of texts) socket.send(text);
    });
    try {
      let closed: number | null = null;
      const client = await connectWorker(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, {
        perMessageDeflate: true,
        onClose: (code) => (closed = code),
      });
      assert.match(client.responseHeaders['sec-websocket-extensions'] ?? '', /permessage-deflate/);
      const messages: string[] = [];
      while (messages.length < texts.length) {
        client.process((data, start, end) => messages.push(Buffer.from(data.subarray(start, end)).toString()));
        await tick();
      }
      assert.deepEqual(messages, texts);
      client.send('y'.repeat(2000));
      while (received.length < 2) await tick();
      assert.match(received[0]!, /permessage-deflate/);
      assert.equal(received[1], 'y'.repeat(2000));
      client.close(1000);
      await processUntilClosed(client, () => {});
      assert.equal(closed, 1000);
      await workerExit(client.worker);
    } finally {
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });

  it('connect failures reject like connect(): refused, and a handshake error with its status', async () => {
    const refused = await startServer(() => {});
    const url = refused.url;
    await refused.close();
    await assert.rejects(connectWorker(url), (error: unknown) => error instanceof WebSocketError && error.code === 'WS_ERR_CONNECT');
    const server = await startServer(() => {}, { verifyClient: () => false });
    try {
      await assert.rejects(connectWorker(server.url), (error: unknown) => error instanceof HandshakeError && error.statusCode === 401);
    } finally {
      await server.close();
    }
  });

  it('a worker that dies reports WS_ERR_WORKER then onClose(1006) after the messages already in the ring', async () => {
    let peer: WebSocket | null = null;
    const server = await startServer((socket) => {
      peer = socket;
    });
    try {
      const events: string[] = [];
      const client = await connectWorker(server.url, {
        onError: (error) => events.push(`error:${(error as WebSocketError).code}`),
        onClose: (code) => events.push(`close:${code}`),
      });
      peer!.send('before');
      while (client.stats.usedBytes === 0) await sleep(2);
      await client.worker.terminate(); // as if the thread crashed
      await tick();
      assert.deepEqual(events, ['error:WS_ERR_WORKER']);
      assert.equal(client.process((data, start, end) => events.push(`message:${Buffer.from(data.subarray(start, end)).toString()}`)), 1);
      assert.deepEqual(events, ['error:WS_ERR_WORKER', 'message:before', 'close:1006']);
      assert.equal(client.state, 'closed');
    } finally {
      await server.close();
    }
  });

  it('terminate() stops the worker at once: onClose(1006) and no error', async () => {
    const server = await startServer(() => {});
    try {
      const events: string[] = [];
      const client = await connectWorker(server.url, {
        onError: (error) => events.push(`error:${error.message}`),
        onClose: (code) => events.push(`close:${code}`),
      });
      client.terminate();
      await workerExit(client.worker);
      await tick();
      assert.deepEqual(events, ['close:1006']);
      assert.equal(client.state, 'closed');
    } finally {
      await server.close();
    }
  });
});
