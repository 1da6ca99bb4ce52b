// The server role with permessage-deflate (RFC 7692) over loopback: `ws` clients with and
// without compression, and tickwire's own client, against createServer({ perMessageDeflate }).
// That compression really happened is read from the server socket's byte counters: compressible
// messages must cross the wire in far fewer bytes than their length.
import type { WebSocketError } from '../../src/protocol/errors.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import WebSocket, { type PerMessageDeflateOptions as WsDeflateOptions } from 'ws';
import { connect } from '../../src/client/connect.js';
import type { PerMessageDeflateOptions } from '../../src/extensions/permessage-deflate.js';
import { buildAcceptResponse } from '../../src/handshake/server-response.js';
import type { ServerConnection } from '../../src/server/connection.js';
import { createServer } from '../../src/server/server.js';
import { clientFrame, startEchoServer, type EchoServer } from './helpers.js';

const MiB = 1024 * 1024;
const SIZES = [16, 200, 1024, 8192, 65536, MiB];
/** Longest wait for an expected message; generous for a loaded 2-core machine. */
const WAIT_MS = 8000;

/** Market-data-like bytes: compress well. */
function compressible(size: number): Buffer {
  const unit = Buffer.from('{"e":"trade","s":"ETHUSDT","p":"2301.55","q":"1.250"},');
  const out = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += unit.length) unit.copy(out, offset, 0, Math.min(unit.length, size - offset));
  return out;
}

interface Received {
  data: Buffer;
  isBinary: boolean;
}

async function wsClient(url: string, perMessageDeflate: boolean | WsDeflateOptions, maxPayload = 4 * MiB): Promise<{ ws: WebSocket; received: Received[] }> {
  const ws = new WebSocket(url, { perMessageDeflate, maxPayload });
  const received: Received[] = [];
  ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
  await once(ws, 'open');
  ws.on('error', () => {});
  return { ws, received };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Sends every message, waits for the echoes and checks them in order. */
async function echoAll(ws: WebSocket, received: Received[], messages: Array<string | Buffer>): Promise<void> {
  const before = received.length;
  for (const message of messages) ws.send(message, { binary: typeof message !== 'string' });
  await until(() => received.length >= before + messages.length, `${messages.length} echoes`);
  messages.forEach((message, index) => {
    const got = received[before + index]!;
    assert.equal(got.isBinary, typeof message !== 'string', `message ${index} type`);
    assert.ok(got.data.equals(typeof message === 'string' ? Buffer.from(message) : message), `message ${index} (${message.length} bytes) differs`);
  });
}

async function closeWs(ws: WebSocket, code = 1000, reason = ''): Promise<[number, string]> {
  const closed = once(ws, 'close');
  ws.close(code, reason);
  const [closeCode, closeReason] = (await closed) as [number, Buffer];
  return [closeCode, closeReason.toString()];
}

function onlyConnection(echo: EchoServer): ServerConnection {
  assert.equal(echo.accepted.length, 1);
  return echo.accepted[0]!;
}

/** Text and binary messages of every size, compressible and not. */
function messageSet(): Array<string | Buffer> {
  const messages: Array<string | Buffer> = [];
  for (const size of SIZES) {
    messages.push(compressible(size).toString(), compressible(size), randomBytes(size), randomBytes(size).toString('base64').slice(0, size));
  }
  return messages;
}

function compressibleBytes(messages: Array<string | Buffer>): number {
  let total = 0;
  for (let index = 0; index < messages.length; index += 4) total += messages[index]!.length + messages[index + 1]!.length;
  return total;
}

describe('server role: permessage-deflate with ws clients', { timeout: 60_000 }, () => {
  const combos: Array<{ name: string; server: boolean | PerMessageDeflateOptions; client: WsDeflateOptions; extension: string }> = [
    { name: 'defaults (context takeover, 15-bit windows)', server: { threshold: 0 }, client: { threshold: 0 }, extension: 'permessage-deflate' },
    {
      name: 'client asks for no context takeover both ways',
      server: { threshold: 0 },
      client: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true },
      extension: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
    },
    {
      name: 'server imposes no context takeover and 10/11-bit windows',
      server: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 11 },
      client: { threshold: 0 },
      extension: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11',
    },
    {
      name: 'client limits both windows to 9 bits',
      server: { threshold: 0 },
      client: { threshold: 0, serverMaxWindowBits: 9, clientMaxWindowBits: 9 },
      extension: 'permessage-deflate; server_max_window_bits=9; client_max_window_bits=9',
    },
  ];

  for (const combo of combos) {
    test(`${combo.name}: text and binary 16 B..1 MiB echo, compressed both ways`, async () => {
      let extensionsHeader: string | undefined;
      const echo = await startEchoServer({ perMessageDeflate: combo.server, maxPayload: 2 * MiB });
      try {
        const ws = new WebSocket(echo.url, { perMessageDeflate: combo.client, maxPayload: 4 * MiB });
        ws.on('upgrade', (response) => (extensionsHeader = response.headers['sec-websocket-extensions'] as string | undefined));
        const received: Received[] = [];
        ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
        await once(ws, 'open');
        assert.equal(extensionsHeader, combo.extension);
        assert.equal(ws.extensions, 'permessage-deflate');
        const connection = onlyConnection(echo);
        assert.notEqual(connection.perMessageDeflate, null);

        const messages = messageSet();
        await echoAll(ws, received, messages);
        // Random bytes do not shrink; the compressible half must shrink a lot in both directions.
        let random = 0;
        for (let index = 0; index < messages.length; index += 4) random += messages[index + 2]!.length + messages[index + 3]!.length;
        const bound = random * 1.01 + compressibleBytes(messages) / 4 + 4096;
        assert.ok(connection.socket.bytesRead < bound, `read ${connection.socket.bytesRead} >= ${bound}: the client's messages were not compressed`);
        assert.ok(connection.socket.bytesWritten < bound, `wrote ${connection.socket.bytesWritten} >= ${bound}: the echoes were not compressed`);
        assert.deepEqual(await closeWs(ws, 1000, 'done'), [1000, '']);
        await until(() => echo.closes.length === 1, 'server close');
        assert.deepEqual(echo.closes, [[1000, 'done']]);
      } finally {
        await echo.server.close();
      }
    });
  }

  test('a client without compression still works against a compressing server (no extension, plain frames)', async () => {
    let extensionsHeader: string | undefined = 'unset';
    const echo = await startEchoServer({ perMessageDeflate: { threshold: 0 } });
    try {
      const ws = new WebSocket(echo.url, { perMessageDeflate: false });
      ws.on('upgrade', (response) => (extensionsHeader = response.headers['sec-websocket-extensions'] as string | undefined));
      const received: Received[] = [];
      ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
      await once(ws, 'open');
      assert.equal(extensionsHeader, undefined);
      const connection = onlyConnection(echo);
      assert.equal(connection.perMessageDeflate, null);
      const messages = [compressible(70_000).toString(), compressible(5000), 'x'];
      await echoAll(ws, received, messages);
      assert.ok(connection.socket.bytesWritten >= 75_001, `wrote only ${connection.socket.bytesWritten}: frames were compressed without negotiation`);
      assert.deepEqual(await closeWs(ws), [1000, '']);
    } finally {
      await echo.server.close();
    }
  });

  test('compression off on the server (the default): an offer is declined', async () => {
    const echo = await startEchoServer();
    try {
      const { ws, received } = await wsClient(echo.url, { threshold: 0 });
      assert.equal(ws.extensions, '');
      assert.equal(onlyConnection(echo).perMessageDeflate, null);
      await echoAll(ws, received, [compressible(3000).toString(), compressible(3000)]);
      assert.ok(onlyConnection(echo).socket.bytesWritten >= 6000);
      assert.deepEqual(await closeWs(ws), [1000, '']);
    } finally {
      await echo.server.close();
    }
  });

  test('the threshold: shorter messages go out plain, longer ones compressed', async () => {
    const echo = await startEchoServer({ perMessageDeflate: { threshold: 1000 } });
    try {
      const { ws, received } = await wsClient(echo.url, { threshold: 0 });
      const connection = onlyConnection(echo);
      let written = connection.socket.bytesWritten;
      await echoAll(ws, received, [compressible(999).toString()]);
      assert.ok(connection.socket.bytesWritten - written >= 999, 'a 999-byte message was compressed below the threshold');
      written = connection.socket.bytesWritten;
      await echoAll(ws, received, [compressible(1000).toString()]);
      assert.ok(connection.socket.bytesWritten - written < 500, 'a 1000-byte message went out plain at the threshold');
      assert.deepEqual(await closeWs(ws), [1000, '']);
    } finally {
      await echo.server.close();
    }
  });

  test('a client that limits the server window to 8 bits gets plain answers (zlib cannot deflate raw with 8)', async () => {
    const echo = await startEchoServer({ perMessageDeflate: { threshold: 0 } });
    try {
      const { ws, received } = await wsClient(echo.url, { threshold: 0, serverMaxWindowBits: 8 });
      const connection = onlyConnection(echo);
      assert.equal(connection.perMessageDeflate!.serverMaxWindowBits, 8);
      await echoAll(ws, received, [compressible(5000).toString(), compressible(3000)]);
      assert.ok(connection.socket.bytesWritten >= 8000);
      // The client still compresses towards the server, and the server inflates.
      assert.ok(connection.socket.bytesRead < 4000, `read ${connection.socket.bytesRead}`);
      assert.deepEqual(await closeWs(ws), [1000, '']);
    } finally {
      await echo.server.close();
    }
  });

  test('every send method compresses; control frames never do (ws fails a connection on RSV1 there)', async () => {
    const payloads = { text: compressible(4000).toString(), ascii: compressible(5000).toString(), bytes: compressible(6000), binary: compressible(7000) };
    const server = createServer({
      perMessageDeflate: { threshold: 0 },
      onConnection(connection) {
        connection.sendText(payloads.text);
        connection.sendAsciiText(payloads.ascii);
        connection.sendTextBytes(payloads.bytes, 0, payloads.bytes.length);
        connection.send(payloads.bytes, true);
        connection.sendBinary(payloads.binary, 1000, 7000);
        connection.send('é'.repeat(3000), false);
        connection.ping(Buffer.from('server ping'));
      },
    });
    try {
      const { port } = await server.listen(0, '127.0.0.1');
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: { threshold: 0 } });
      const received: Received[] = [];
      ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
      const pings: string[] = [];
      ws.on('ping', (data: Buffer) => pings.push(data.toString()));
      const pongs: string[] = [];
      ws.on('pong', (data: Buffer) => pongs.push(data.toString()));
      await once(ws, 'open');
      await until(() => received.length === 6 && pings.length === 1, 'six messages and a ping');
      const expected: Received[] = [
        { data: Buffer.from(payloads.text), isBinary: false },
        { data: Buffer.from(payloads.ascii), isBinary: false },
        { data: payloads.bytes, isBinary: false },
        { data: payloads.bytes, isBinary: false },
        { data: payloads.binary.subarray(1000, 7000), isBinary: true },
        { data: Buffer.from('é'.repeat(3000)), isBinary: true },
      ];
      expected.forEach((message, index) => {
        assert.equal(received[index]!.isBinary, message.isBinary, `message ${index} type`);
        assert.ok(received[index]!.data.equals(message.data), `message ${index} differs`);
      });
      assert.deepEqual(pings, ['server ping']);
      ws.ping('client ping');
      await until(() => pongs.length === 1, 'the pong');
      assert.deepEqual(pongs, ['client ping']);
      const connection = [...server.connections][0]!;
      assert.ok(connection.socket.bytesWritten < 8000, `wrote ${connection.socket.bytesWritten} bytes for 33 KB of compressible messages`);
      assert.deepEqual(await closeWs(ws, 4000, 'bye'), [4000, '']);
    } finally {
      await server.close();
    }
  });

  test('maxPayload bounds the inflated size: a 2 MiB message that compresses to a few KiB is refused with 1009', async () => {
    const echo = await startEchoServer({ perMessageDeflate: true, maxPayload: MiB });
    try {
      const { ws } = await wsClient(echo.url, true);
      const closed = once(ws, 'close');
      ws.send(Buffer.alloc(2 * MiB));
      const [code] = (await closed) as [number];
      assert.equal(code, 1009);
      assert.ok(onlyConnection(echo).socket.bytesRead < 64 * 1024, 'the message was not sent compressed');
      await until(() => echo.closes.length === 1, 'server close');
      assert.equal(echo.closes[0]![0], 1009);
    } finally {
      await echo.server.close();
    }
  });

  test('invalid compressed data fails the connection with 1007, and the codec is freed on close', async () => {
    const echo = await startEchoServer({ perMessageDeflate: true });
    const errors: string[] = [];
    try {
      const { ws } = await wsClient(echo.url, true);
      const connection = onlyConnection(echo);
      connection.onError = (error) => errors.push((error as WebSocketError).code);
      const closed = once(ws, 'close');
      // A masked text frame with RSV1 whose payload is not a DEFLATE stream (0xff: reserved block type).
      const socket = (ws as unknown as { _socket: Socket })._socket;
      socket.write(clientFrame(0x1, Buffer.from([0xff, 0xff, 0xff, 0xff]), { rsv: 0x40 }));
      const [code] = (await closed) as [number];
      assert.equal(code, 1007);
      assert.deepEqual(errors, ['WS_ERR_INVALID_COMPRESSED_DATA']);
      await until(() => echo.closes.length === 1, 'server close');
      // RFC 7692 has no use for the zlib streams after the connection: close() refuses further work.
      const codec = connection['deflate']!;
      assert.equal(codec.shouldCompress(MiB), false);
    } finally {
      await echo.server.close();
    }
  });
});

describe('server role: permessage-deflate with the tickwire client', { timeout: 30_000 }, () => {
  for (const option of [{ threshold: 0 }, { threshold: 0, clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 12 }]) {
    test(`echo 16 B..1 MiB with ${JSON.stringify(option)}`, async () => {
      const echo = await startEchoServer({ perMessageDeflate: { threshold: 0 }, maxPayload: 2 * MiB });
      try {
        const received: Received[] = [];
        let closedWith: [number, string] | null = null;
        const client = await connect(echo.url, {
          perMessageDeflate: option,
          maxPayload: 4 * MiB,
          onMessage(data, start, end, isText) {
            received.push({ data: Buffer.from(data.subarray(start, end)), isBinary: !isText });
          },
          onClose(code, reason) {
            closedWith = [code, reason];
          },
          onError() {},
        });
        const params = client.perMessageDeflate;
        assert.notEqual(params, null);
        assert.deepEqual(onlyConnection(echo).perMessageDeflate, params);
        const messages = messageSet();
        for (const message of messages) client.send(message);
        await until(() => received.length === messages.length, `${messages.length} echoes`);
        messages.forEach((message, index) => {
          assert.equal(received[index]!.isBinary, typeof message !== 'string', `message ${index} type`);
          assert.ok(received[index]!.data.equals(typeof message === 'string' ? Buffer.from(message) : message), `message ${index} differs`);
        });
        const connection = onlyConnection(echo);
        assert.ok(connection.socket.bytesWritten < messages.reduce((sum, message) => sum + message.length, 0) - compressibleBytes(messages) / 2);
        assert.ok(connection.socket.bytesRead < messages.reduce((sum, message) => sum + message.length, 0) - compressibleBytes(messages) / 2);
        client.close(1000, 'bye');
        await until(() => closedWith !== null, 'the close');
        assert.deepEqual(closedWith, [1000, '']);
      } finally {
        await echo.server.close();
      }
    });
  }
});

describe('server role: perMessageDeflate option and the 101', () => {
  test('a bad option throws at createServer', () => {
    assert.throws(() => createServer({ perMessageDeflate: { serverMaxWindowBits: 16 }, onConnection() {} }), { code: 'WS_ERR_INVALID_ARGUMENT' });
    assert.throws(() => createServer({ perMessageDeflate: { threshold: -1 }, onConnection() {} }), { code: 'WS_ERR_INVALID_ARGUMENT' });
  });

  test('buildAcceptResponse writes Sec-WebSocket-Extensions when given, and checks it', () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    assert.equal(
      buildAcceptResponse(key, 'chat', 'permessage-deflate; server_max_window_bits=10'),
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n' +
        'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n\r\n',
    );
    assert.equal(buildAcceptResponse(key, undefined, ''), buildAcceptResponse(key));
    assert.throws(() => buildAcceptResponse(key, undefined, 'permessage-deflate\r\nX-Injected: 1'), { code: 'WS_ERR_INVALID_ARGUMENT' });
  });
});
