// `ws` as the independent peer: a WebSocketServer on an ephemeral loopback port, plain or TLS
// (fixtures/tls), that records every connection, request and close it sees.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer, type ServerOptions } from 'ws';

/** fixtures/tls, found from dist/test/helpers or test/helpers. */
export function tlsFixture(name: string): Buffer {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    try {
      return readFileSync(join(dir, 'fixtures', 'tls', name));
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error(`fixtures/tls/${name} not found`);
}

export interface PeerConnection {
  socket: WebSocket;
  request: IncomingMessage;
  messages: Array<{ data: Buffer; isBinary: boolean }>;
  pongs: Buffer[];
  pings: Buffer[];
  /** Resolves with the close the server saw: [code, reason]. */
  closed: Promise<{ code: number; reason: string }>;
}

export interface WsPeer {
  wss: WebSocketServer;
  port: number;
  url: string;
  connections: PeerConnection[];
  /** SNI names the TLS server saw, one per TLS connection. */
  servernames: Array<string | false>;
  nextConnection(): Promise<PeerConnection>;
  close(): Promise<void>;
}

export interface WsPeerOptions {
  /** Serve TLS with this certificate pair name (e.g. 'localhost' for localhost.pem + localhost-key.pem). */
  tls?: string;
  /** Echo every message back (default true). */
  echo?: boolean;
  server?: Omit<ServerOptions, 'port' | 'server' | 'noServer'>;
  /** Listen address (plain servers only); default 127.0.0.1. */
  host?: string;
}

export async function startWsPeer(options: WsPeerOptions = {}): Promise<WsPeer> {
  const connections: PeerConnection[] = [];
  const servernames: Array<string | false> = [];
  const waiters: Array<(connection: PeerConnection) => void> = [];
  let taken = 0;
  let wss: WebSocketServer;
  let httpsServer: https.Server | null = null;
  if (options.tls !== undefined) {
    httpsServer = https.createServer({ cert: tlsFixture(`${options.tls}.pem`), key: tlsFixture(`${options.tls}-key.pem`) });
    httpsServer.on('secureConnection', (socket: TLSSocket) => servernames.push(socket.servername ?? false));
    httpsServer.on('tlsClientError', () => {});
    wss = new WebSocketServer({ ...options.server, server: httpsServer });
    await new Promise<void>((resolve) => httpsServer!.listen(0, '127.0.0.1', resolve));
  } else {
    wss = new WebSocketServer({ ...options.server, port: 0, host: options.host ?? '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
  }
  const port = ((httpsServer ?? wss).address() as AddressInfo).port;
  wss.on('connection', (socket, request) => {
    const connection: PeerConnection = {
      socket,
      request,
      messages: [],
      pongs: [],
      pings: [],
      closed: new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }))),
    };
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      connection.messages.push({ data: bytes, isBinary });
      if (options.echo !== false && socket.readyState === WebSocket.OPEN) socket.send(bytes, { binary: isBinary });
    });
    socket.on('ping', (data) => connection.pings.push(data));
    socket.on('pong', (data) => connection.pongs.push(data));
    connections.push(connection);
    const waiter = waiters.shift();
    if (waiter !== undefined) {
      taken++;
      waiter(connection);
    }
  });
  return {
    wss,
    port,
    url: `${options.tls !== undefined ? 'wss' : 'ws'}://${options.host?.includes(':') === true ? `[${options.host}]` : (options.host ?? '127.0.0.1')}:${port}/peer`,
    connections,
    servernames,
    nextConnection() {
      if (taken < connections.length) return Promise.resolve(connections[taken++]!);
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (httpsServer !== null) {
        httpsServer.closeAllConnections();
        await new Promise<void>((resolve) => httpsServer!.close(() => resolve()));
      }
    },
  };
}

/** Waits (bounded) until condition() holds. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
