// Hostile case 3: sockets of rejected upgrades and plain HTTP requests must not outlive their
// answer. A client that never sends FIN (or never reads) used to hold its socket forever, so a
// few thousand of them exhaust the server's file descriptors.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { createServer } from '../../src/server/server.js';
import { connectWithoutFin, openTcpSockets, waitFor, MiB } from './peers.js';

const PEERS = 20;
const LARGE_BODY_BYTES = 8 * MiB;

function upgradeRequest(port: number, extra: string): string {
  return `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`;
}

const cases: Array<{ name: string; status: number; request: (port: number) => string }> = [
  { name: 'a request without Sec-WebSocket-Key (400)', status: 400, request: (port) => upgradeRequest(port, 'Sec-WebSocket-Version: 13\r\n') },
  {
    name: 'a request for protocol version 8 (426)',
    status: 426,
    request: (port) => upgradeRequest(port, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n'),
  },
  {
    name: 'a 64 KiB request head (431)',
    status: 431,
    request: (port) => upgradeRequest(port, `X-Padding: ${'a'.repeat(64 * 1024)}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n`),
  },
  { name: 'a plain HTTP GET (404)', status: 404, request: (port) => `GET /nothing HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n` },
  {
    name: 'an upgrade refused by verifyUpgrade (403)',
    status: 403,
    request: (port) => upgradeRequest(port, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n').replace('/ws', '/forbidden'),
  },
];

describe('hostile: rejected upgrades from clients that never send FIN', { timeout: 60_000 }, async () => {
  const server = createServer({
    closeTimeoutMs: 200,
    verifyUpgrade: (request) => (request.path === '/forbidden' ? 403 : true),
    onConnection() {},
    onHttpRequest: (request) => (request.path === '/large' ? { status: 200, body: 'x'.repeat(LARGE_BODY_BYTES) } : undefined),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  after(() => server.close());

  for (const { name, status, request } of cases) {
    it(`${name}: every client gets the answer and the server destroys its ${PEERS} sockets`, async () => {
      const before = openTcpSockets();
      const peers: Socket[] = [];
      const answers: Buffer[] = [];
      for (let index = 0; index < PEERS; index++) {
        const socket = await connectWithoutFin(port);
        answers.push(Buffer.alloc(0));
        socket.on('data', (chunk: Buffer) => (answers[index] = Buffer.concat([answers[index]!, chunk])));
        socket.write(request(port));
        peers.push(socket);
      }
      // Our peers keep their sockets (no FIN, no destroy): only the server's side may go away.
      await waitFor(() => openTcpSockets() === before + PEERS, `the server to close its side of ${PEERS} rejected connections (open sockets: ${openTcpSockets() - before})`);
      await waitFor(() => answers.every((answer) => answer.includes('\r\n\r\n')), 'every answer');
      for (const answer of answers) assert.equal(answer.toString('latin1', 0, 12), `HTTP/1.1 ${status}`);
      for (const socket of peers) socket.destroy();
      await waitFor(() => openTcpSockets() === before, 'the peers to close');
    });
  }

  it(`a client that never reads an 8 MiB answer: the server gives up after closeTimeoutMs`, async () => {
    const before = openTcpSockets();
    const peers: Socket[] = [];
    for (let index = 0; index < PEERS; index++) {
      const socket = await connectWithoutFin(port);
      socket.pause();
      socket.write(`GET /large HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      peers.push(socket);
    }
    await waitFor(() => openTcpSockets() === before + PEERS, `the server to drop ${PEERS} clients that never read (open sockets: ${openTcpSockets() - before})`);
    for (const socket of peers) socket.destroy();
    await waitFor(() => openTcpSockets() === before, 'the peers to close');
  });
});
