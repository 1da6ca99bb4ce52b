import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { clientFrame, rawHandshake, readUntilClose, startEchoServer } from './helpers.js';
import { createServer } from '../../src/server/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tlsDir = join(root, 'fixtures', 'tls');

function openWs(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => socket.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

function closed(socket: WebSocket): Promise<[number, string]> {
  return new Promise((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])));
}

describe('server role with ws clients', { timeout: 30_000 }, async () => {
  const echo = await startEchoServer({ maxPayload: 128 * 1024 });
  after(() => echo.server.close());

  for (const size of [0, 1, 125, 126, 127, 65535, 65536, 100_000]) {
    it(`echoes a ${size}-byte binary and text message`, async () => {
      const client = await openWs(echo.url);
      const binary = Buffer.alloc(size);
      for (let index = 0; index < size; index++) binary[index] = (index * 31 + 7) & 0xff;
      let reply = nextMessage(client);
      client.send(binary);
      let message = await reply;
      assert.equal(message.isBinary, true);
      assert.deepEqual(message.data, binary);

      const text = 'é'.repeat(Math.floor(size / 2)) + (size % 2 === 1 ? 'x' : '');
      reply = nextMessage(client);
      client.send(text);
      message = await reply;
      assert.equal(message.isBinary, false);
      assert.equal(message.data.toString('utf8'), text);
      client.close();
      await closed(client);
    });
  }

  it('sends many small messages in order in few writes', async () => {
    const client = await openWs(echo.url);
    const received: string[] = [];
    const done = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push(data.toString());
        if (received.length === 1000) resolve();
      }),
    );
    const connection = echo.accepted[echo.accepted.length - 1]!;
    for (let index = 0; index < 1000; index++) connection.sendAsciiText(`{"n":${index}}`);
    await done;
    assert.deepEqual(
      received,
      Array.from({ length: 1000 }, (_, index) => `{"n":${index}}`),
    );
    client.close();
    await closed(client);
  });

  it('answers a client ping with a pong carrying the same data', async () => {
    const client = await openWs(echo.url);
    const pong = new Promise<Buffer>((resolve) => client.once('pong', resolve));
    client.ping(Buffer.from('hello'));
    assert.equal((await pong).toString(), 'hello');
    client.close();
    await closed(client);
  });

  it('sends pings the client answers, reported through onPong', async () => {
    const client = await openWs(echo.url);
    const connection = echo.accepted[echo.accepted.length - 1]!;
    const pong = new Promise<string>((resolve) => {
      connection.onPong = (data, start, end) => resolve(Buffer.from(data.subarray(start, end)).toString());
    });
    connection.ping(Buffer.from('tick-1'));
    assert.equal(await pong, 'tick-1');
    client.close();
    await closed(client);
  });

  it('echoes the client close code and reports it', async () => {
    const client = await openWs(echo.url);
    const before = echo.closes.length;
    const clientClosed = closed(client);
    client.close(4000, 'bye');
    assert.deepEqual(await clientClosed, [4000, '']);
    for (let waited = 0; echo.closes.length === before; waited += 5) {
      assert.ok(waited < 8000, 'the server reported the close');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(echo.closes[echo.closes.length - 1], [4000, 'bye']);
  });

  it('closes with the code it is given', async () => {
    const client = await openWs(echo.url);
    const connection = echo.accepted[echo.accepted.length - 1]!;
    const clientClosed = closed(client);
    connection.close(1001, 'going away');
    assert.deepEqual(await clientClosed, [1001, 'going away']);
  });

  it('closes with 1009 when a message exceeds maxPayload', async () => {
    const client = await openWs(echo.url);
    const clientClosed = closed(client);
    client.send(Buffer.alloc(128 * 1024 + 1));
    const [code] = await clientClosed;
    assert.equal(code, 1009);
  });

  it('terminate() drops the connection without a close frame (1006)', async () => {
    const client = await openWs(echo.url);
    const clientClosed = closed(client);
    echo.accepted[echo.accepted.length - 1]!.terminate();
    assert.deepEqual(await clientClosed, [1006, '']);
  });
});

describe('server role against bad client frames (raw sockets)', { timeout: 30_000 }, async () => {
  const echo = await startEchoServer({ maxPayload: 1024 });
  after(() => echo.server.close());

  const cases: Array<[string, Buffer, number]> = [
    ['an unmasked client frame', clientFrame(0x1, Buffer.from('hi'), { mask: false }), 1002],
    ['an unknown opcode', clientFrame(0x3, Buffer.from('hi')), 1002],
    ['a reserved bit without an extension', clientFrame(0x1, Buffer.from('hi'), { rsv: 0x40 }), 1002],
    ['a fragmented ping', clientFrame(0x9, Buffer.from('hi'), { fin: false }), 1002],
    ['a continuation without a start', clientFrame(0x0, Buffer.from('hi')), 1002],
    ['invalid UTF-8 in a text message', clientFrame(0x1, Buffer.from([0xc3, 0x28])), 1007],
    ['a close frame with an invalid code', clientFrame(0x8, Buffer.from([0x03, 0xe7])), 1002],
    ['a message above maxPayload', clientFrame(0x2, Buffer.alloc(2000)), 1009],
  ];
  for (const [name, frame, expected] of cases) {
    it(`fails the connection with ${expected} on ${name}`, async () => {
      const { socket, rest } = await rawHandshake(echo.port);
      socket.write(frame);
      const { code } = await readUntilClose(socket, rest);
      assert.equal(code, expected);
    });
  }

  it('accepts frames sent in the same packet as the request', async () => {
    const socket = netConnect(echo.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      Buffer.concat([
        Buffer.from(
          `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        ),
        clientFrame(0x1, Buffer.from('early')),
        clientFrame(0x8, Buffer.from([0x03, 0xe8])),
      ]),
    );
    const { code, frames } = await readUntilClose(socket, Buffer.alloc(0), true);
    assert.equal(code, 1000);
    assert.deepEqual(
      frames.map((frame) => [frame.opcode, frame.payload.toString('latin1')]),
      [
        [1, 'early'],
        [8, '\x03\xe8'],
      ],
    );
  });

  it('reads a request head and frames that arrive one byte at a time', async () => {
    const socket = netConnect(echo.port, '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    const bytes = Buffer.concat([
      Buffer.from(
        `GET /slow HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
      clientFrame(0x1, Buffer.from('drip')),
      clientFrame(0x2, Buffer.alloc(300, 7)),
      clientFrame(0x8, Buffer.from([0x03, 0xe8])),
    ]);
    const read = readUntilClose(socket, Buffer.alloc(0), true);
    for (let index = 0; index < bytes.length; index++) {
      socket.write(bytes.subarray(index, index + 1));
      if (index % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const { code, frames } = await read;
    assert.equal(code, 1000);
    assert.deepEqual(
      frames.map((frame) => [frame.opcode, frame.payload.length]),
      [
        [1, 4],
        [2, 300],
        [8, 2],
      ],
    );
  });

  it('answers a close frame without a code with an empty close frame', async () => {
    const { socket, rest } = await rawHandshake(echo.port);
    socket.write(clientFrame(0x8, Buffer.alloc(0)));
    const { code } = await readUntilClose(socket, rest);
    assert.equal(code, 1005);
  });
});

describe('server role close timeout', { timeout: 30_000 }, async () => {
  const echo = await startEchoServer({ closeTimeoutMs: 100 });
  after(() => echo.server.close());

  it('destroys the socket when the client never answers its close frame, reporting 1006', async () => {
    const { socket, rest } = await rawHandshake(echo.port);
    const connection = echo.accepted[echo.accepted.length - 1]!;
    const reported = new Promise<[number, string]>((resolve) => {
      connection.onClose = (code, reason) => resolve([code, reason]);
    });
    connection.close(1000, 'done');
    // The raw client reads the close frame but never answers it.
    const { code } = await readUntilClose(socket, rest);
    assert.equal(code, 1000);
    assert.deepEqual(await reported, [1006, '']);
  });
});

describe('server role handshake and HTTP', { timeout: 30_000 }, async () => {
  const seenAddresses: string[] = [];
  const server = createServer({
    verifyUpgrade: (request) => {
      seenAddresses.push(request.remoteAddress);
      if (request.path === '/limited') {
        return { status: 429, headers: { 'Retry-After': '7' }, body: '{"code":-1003,"msg":"slow down"}' };
      }
      // Not an HTTP error status: a bug in the verifier, answered 500.
      if (request.path === '/confused') return { status: 200 };
      return request.path === '/forbidden' ? 403 : true;
    },
    selectProtocol: (offered) => (offered.includes('tickwire') ? 'tickwire' : null),
    onConnection(connection) {
      connection.sendText(`protocol=${connection.protocol}`);
    },
    onHttpRequest(request) {
      if (request.path !== '/api/ping') return undefined;
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: `{"q":"${request.query.get('q')}"}` };
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  after(() => server.close());

  it('computes the RFC 6455 accept key and selects a sub-protocol', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, ['other', 'tickwire']);
    const message = await nextMessage(client);
    assert.equal(message.data.toString(), 'protocol=tickwire');
    assert.equal(client.protocol, 'tickwire');
    client.close();
    await closed(client);
  });

  it('rejects an upgrade the verifier refuses with its status', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/forbidden`);
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 403);
    client.on('error', () => {});
    client.terminate();
  });

  it('rejects with the whole response the verifier returns (status, headers, body); the request carries the peer address', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/limited`);
    client.on('error', () => {});
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, IncomingMessage];
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '7');
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    await once(response, 'end');
    assert.deepEqual(JSON.parse(body), { code: -1003, msg: 'slow down' });
    client.terminate();
    assert.equal(seenAddresses.at(-1), '127.0.0.1');

    const confused = new WebSocket(`ws://127.0.0.1:${port}/confused`);
    confused.on('error', () => {});
    const [, refused] = (await once(confused, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(refused.statusCode, 500);
    confused.terminate();
  });

  it('answers an unsupported version with 426 and Sec-WebSocket-Version: 13', async () => {
    const socket = netConnect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n',
    );
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    await once(socket, 'close');
    assert.match(response, /^HTTP\/1\.1 426 /);
    assert.match(response, /Sec-WebSocket-Version: 13/);
  });

  it('serves plain GET requests through the REST handler, 404 otherwise', async () => {
    const ok = await fetch(`http://127.0.0.1:${port}/api/ping?q=7`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { q: '7' });
    const missing = await fetch(`http://127.0.0.1:${port}/nothing`);
    assert.equal(missing.status, 404);
    await missing.text();
  });
});

describe('server role over TLS', { timeout: 30_000 }, async () => {
  const echo = await startEchoServer({
    tls: { cert: readFileSync(join(tlsDir, 'localhost.pem')), key: readFileSync(join(tlsDir, 'localhost-key.pem')) },
  });
  after(() => echo.server.close());

  it('echoes over wss:// with a client that trusts the test CA', async () => {
    const client = await openWs(`wss://localhost:${echo.port}/`, { ca: readFileSync(join(tlsDir, 'ca.pem')) });
    const reply = nextMessage(client);
    client.send('over tls');
    assert.equal((await reply).data.toString(), 'over tls');
    client.close();
    await closed(client);
  });
});

describe("server role with Node's built-in WebSocket", { timeout: 30_000 }, async () => {
  const echo = await startEchoServer();
  after(() => echo.server.close());

  it('exchanges text and binary messages and closes cleanly', async (context) => {
    // Node 22+ has a global WebSocket; Node 20 needs --experimental-websocket, so the client
    // runs in a child process with that flag either way.
    const script = `
      const ws = new WebSocket(${JSON.stringify(echo.url)});
      ws.binaryType = 'arraybuffer';
      const seen = [];
      ws.onopen = () => { ws.send('node says hi'); ws.send(new Uint8Array([1, 2, 3, 250])); };
      ws.onmessage = (event) => {
        seen.push(typeof event.data === 'string' ? event.data : Array.from(new Uint8Array(event.data)).join(','));
        if (seen.length === 2) ws.close(4001, 'done');
      };
      ws.onclose = (event) => { console.log(JSON.stringify({ seen, code: event.code })); };
      ws.onerror = () => { console.log(JSON.stringify({ error: true })); };
    `;
    // The flag is only needed (and only certainly accepted) where the global is missing.
    const flags = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function' ? [] : ['--experimental-websocket'];
    const probe = spawnSync(process.execPath, [...flags, '-e', 'process.exit(typeof WebSocket === "function" ? 0 : 3)']);
    if (probe.status !== 0) {
      context.skip('this Node has no built-in WebSocket (even with --experimental-websocket)');
      return;
    }
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [...flags, '--no-warnings', '-e', script], { timeout: 15_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await once(child, 'exit');
    assert.deepEqual(JSON.parse(output.trim()), { seen: ['node says hi', '1,2,3,250'], code: 4001 });
  });
});
