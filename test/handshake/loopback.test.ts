// The handshake pieces against a real peer (the `ws` package) over loopback TCP: tickwire's
// request + ResponseParser against a ws server, and ServerRequestParser + the response
// builders against a ws client.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { generateKey } from '../../src/handshake/accept-key.js';
import { HEAD_COMPLETE, HEAD_FAILED } from '../../src/handshake/head-reader.js';
import { buildUpgradeRequest } from '../../src/handshake/request.js';
import { ResponseParser } from '../../src/handshake/response-parser.js';
import { buildAcceptResponse, buildRejectResponse, ServerRequestParser } from '../../src/handshake/server-request.js';

/** Sends our upgrade request and feeds the answer to a ResponseParser; resolves with the bytes after the head once `want` of them arrived (or on failure). */
async function handshake(port: number, protocols: string[], want: number): Promise<{ parser: ResponseParser; rest: Buffer }> {
  const key = generateKey();
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(buildUpgradeRequest({ host: '127.0.0.1', port, path: '/feed?s=1', secure: false, key, protocols }), 'latin1');
  const parser = new ResponseParser({ key, protocols });
  const rest: Buffer[] = [];
  let restLength = 0;
  return new Promise((resolve, reject) => {
    const finish = () => {
      socket.destroy();
      resolve({ parser, rest: Buffer.concat(rest) });
    };
    socket.on('error', reject);
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      if (parser.state !== HEAD_COMPLETE) start = parser.push(chunk, 0, chunk.length);
      if (parser.state === HEAD_FAILED) return finish();
      if (parser.state === HEAD_COMPLETE) {
        rest.push(chunk.subarray(start));
        restLength += chunk.length - start;
        if (restLength >= want) finish();
      }
    });
  });
}

test('tickwire request + ResponseParser against a ws server; frames after the head are kept', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('v2') ? 'v2' : false) });
  await once(server, 'listening');
  const seenPaths: string[] = [];
  server.on('connection', (ws, request) => {
    seenPaths.push(request.url ?? '');
    ws.send('hello'); // written right after the 101: often in the same segment
  });
  try {
    const port = (server.address() as AddressInfo).port;
    const { parser, rest } = await handshake(port, ['v1', 'v2'], 7);
    assert.equal(parser.state, HEAD_COMPLETE, parser.error?.message);
    assert.equal(parser.protocol, 'v2');
    assert.equal(parser.headers['upgrade'], 'websocket');
    // Unmasked text frame, FIN, length 5, "hello".
    assert.deepEqual([...rest.subarray(0, 7)], [0x81, 5, ...Buffer.from('hello')]);
    assert.deepEqual(seenPaths, ['/feed?s=1']);
  } finally {
    server.close();
  }
});

test('a ws server rejecting the upgrade yields a HandshakeError with its status', async () => {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info: unknown, callback: (ok: boolean, code?: number, message?: string) => void) => callback(false, 429, 'Too Many Requests'),
  });
  await once(server, 'listening');
  try {
    const { parser } = await handshake((server.address() as AddressInfo).port, [], 1);
    assert.equal(parser.state, HEAD_FAILED);
    assert.equal(parser.error?.statusCode, 429);
    assert.equal(parser.error?.code, 'WS_ERR_HANDSHAKE');
    assert.match(parser.error?.message ?? '', /unexpected server response: 429 Too Many Requests/);
  } finally {
    server.close();
  }
});

/** A raw TCP server answering upgrades with ServerRequestParser; `answer` decides the reply. */
async function rawServer(answer: (parser: ServerRequestParser, socket: Socket) => void) {
  const server = createServer((socket) => {
    const parser = new ServerRequestParser();
    socket.on('data', (chunk: Buffer) => {
      if (parser.state === HEAD_COMPLETE || parser.state === HEAD_FAILED) return;
      parser.push(chunk, 0, chunk.length);
      if (parser.state === HEAD_COMPLETE || parser.state === HEAD_FAILED) answer(parser, socket);
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

test('ServerRequestParser + buildAcceptResponse complete a ws client handshake', async () => {
  let seen: ServerRequestParser | null = null;
  const server = await rawServer((parser, socket) => {
    seen = parser;
    // The 101 and a first unmasked text frame in one write.
    socket.write(buildAcceptResponse(parser.key, parser.protocols[1]) + '\x81\x02hi', 'latin1');
  });
  try {
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/x?y=1`, ['p1', 'p2']);
    const [data] = (await once(client, 'message')) as [Buffer];
    assert.equal(data.toString(), 'hi');
    assert.equal(client.protocol, 'p2');
    const parser = seen as ServerRequestParser | null;
    assert.ok(parser !== null);
    assert.equal(parser.path, '/x?y=1');
    assert.deepEqual(parser.protocols, ['p1', 'p2']);
    client.terminate();
  } finally {
    server.close();
  }
});

test('a ws client sees the status of a rejection', async () => {
  const server = await rawServer((parser, socket) => {
    // The request is valid: answer a 426 anyway, to check a real client reads the reject format.
    assert.equal(parser.state, HEAD_COMPLETE);
    socket.end(buildRejectResponse(426, 'version \u2603', { 'Sec-WebSocket-Version': '13' }), 'latin1');
  });
  try {
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    client.on('error', () => {}); // terminate() below reports "closed before the connection was established"
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, IncomingMessage];
    assert.equal(response.statusCode, 426);
    assert.equal(response.headers['sec-websocket-version'], '13');
    const body: Buffer[] = [];
    for await (const chunk of response) body.push(chunk as Buffer);
    assert.equal(Buffer.concat(body).toString('utf8'), 'version \u2603');
    client.terminate();
  } finally {
    server.close();
  }
});
