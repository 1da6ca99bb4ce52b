import { connect as netConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type ServerOptions, type WebSocketServer } from '../../src/server/server.js';
import type { ServerConnection } from '../../src/server/connection.js';

export interface EchoServer {
  server: WebSocketServer;
  port: number;
  url: string;
  /** Every connection accepted so far, in order. */
  accepted: ServerConnection[];
  /** Close events seen by the server: [code, reason]. */
  closes: Array<[number, string]>;
}

/** A server that echoes every message back with the same type. */
export async function startEchoServer(extra: Partial<ServerOptions> = {}): Promise<EchoServer> {
  const accepted: ServerConnection[] = [];
  const closes: Array<[number, string]> = [];
  const server = createServer({
    ...extra,
    onConnection(connection) {
      accepted.push(connection);
      connection.onMessage = (data, start, end, isText) => {
        if (isText) connection.sendText(Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'));
        else connection.sendBinary(data, start, end);
      };
      connection.onClose = (code, reason) => closes.push([code, reason]);
    },
  });
  const address = await server.listen(0, '127.0.0.1');
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}/echo`, accepted, closes };
}

/** Opens a raw TCP connection and completes the WebSocket handshake by hand. */
export async function rawHandshake(port: number, path = '/'): Promise<{ socket: Socket; rest: Buffer }> {
  const socket = netConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let received = Buffer.alloc(0);
  for (;;) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    if (end !== -1) {
      socket.pause();
      const head = received.toString('latin1', 0, end);
      if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head}`);
      return { socket, rest: received.subarray(end + 4) };
    }
  }
}

/** Builds one client frame; `mask` false makes a (forbidden) unmasked client frame. */
export function clientFrame(opcode: number, payload: Uint8Array, options: { mask?: boolean; fin?: boolean; rsv?: number } = {}): Buffer {
  const mask = options.mask ?? true;
  const fin = options.fin ?? true;
  const length = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | (options.rsv ?? 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else header.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let index = 0; index < body.length; index++) body[index] = body[index]! ^ key[index & 3]!;
  return Buffer.concat([Buffer.from(header), key, body]);
}

/** Reads server frames from a raw socket until a close frame arrives; returns its code (or -1 if none). */
export async function readUntilClose(
  socket: Socket,
  initial: Buffer,
  skipHttpHead = false,
): Promise<{ code: number; frames: Array<{ opcode: number; payload: Buffer }> }> {
  let buffer = initial;
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
  });
  socket.resume();
  await ended;
  let offset = skipHttpHead ? buffer.indexOf('\r\n\r\n') + 4 : 0;
  while (offset + 2 <= buffer.length) {
    const opcode = buffer[offset]! & 0x0f;
    let length = buffer[offset + 1]! & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      length = buffer.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      length = Number(buffer.readBigUInt64BE(at));
      at += 8;
    }
    frames.push({ opcode, payload: buffer.subarray(at, at + length) });
    offset = at + length;
  }
  const close = frames.find((frame) => frame.opcode === 8);
  return { code: close === undefined ? -1 : close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005, frames };
}
