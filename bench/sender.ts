// The benchmark sender: its own process, a plain `net` (and `tls`) server that answers the
// upgrade with a valid 101 and then writes pre-built unmasked frames. It must never be the
// bottleneck: blast mode writes one pre-built buffer of many frames over and over, and the raw
// readers' rates (far above any WebSocket client's) show the headroom.
//
// The request path picks the mode (one connection = one benchmark run):
//   /blast/<count>/<run>         count messages as fast as the socket drains, then a close frame
//   /paced/<rate>/<count>/<run>  count messages at rate msg/s, batched per timer tick with
//                                catch-up, each stamped when its batch is built for writing
// When the run ends the sender reports { run, sent, cpuMicros, wallNs } to the parent over IPC.
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { acceptKey, CLOSE_FRAME, endOfHead, MAX_MESSAGE_FRAME, nowNs, writeMessageFrame } from './wire.js';

/** Frames per pre-built blast buffer (~230 KB): few write calls, and larger gave no gain. */
const BLAST_CHUNK_FRAMES = 2048;
/** Paced mode timer period; Node timers fire at ~1 ms granularity at best. */
const PACE_TICK_MS = 1;

export interface SenderReport {
  type: 'done';
  run: string;
  sent: number;
  /** Sender CPU (user + system) from the 101 to the last frame handed to the kernel. */
  cpuMicros: number;
  wallNs: number;
}

export interface SenderReady {
  type: 'ready';
  port: number;
  tlsPort: number;
}

function report(message: SenderReport | SenderReady): void {
  if (process.send !== undefined) process.send(message);
}

function noop(): void {}

function onConnection(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', noop);
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const headEnd = endOfHead(head, 0, head.length);
    if (headEnd < 0) return;
    socket.off('data', onData);
    // Whatever the client sends after the upgrade (a close frame) is read and dropped.
    socket.on('data', noop);
    upgrade(socket, head.toString('latin1', 0, headEnd));
  };
  socket.on('data', onData);
}

function upgrade(socket: Socket, request: string): void {
  const lines = request.split('\r\n');
  const path = (lines[0] ?? '').split(' ')[1] ?? '/';
  let key = '';
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'sec-websocket-key') key = line.slice(colon + 1).trim();
  }
  if (key === '') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  const parts = path.split('/');
  if (parts[1] === 'blast') blast(socket, Number(parts[2]), parts[3] ?? '');
  else if (parts[1] === 'paced') paced(socket, Number(parts[2]), Number(parts[3]), parts[4] ?? '');
  else socket.end(CLOSE_FRAME);
}

function finish(socket: Socket, run: string, sent: number, cpuStart: NodeJS.CpuUsage, wallStart: number): void {
  socket.write(CLOSE_FRAME, () => {
    const cpu = process.cpuUsage(cpuStart);
    report({ type: 'done', run, sent, cpuMicros: cpu.user + cpu.system, wallNs: nowNs() - wallStart });
  });
  socket.end();
}

function blast(socket: Socket, count: number, run: string): void {
  const chunk = Buffer.alloc(BLAST_CHUNK_FRAMES * MAX_MESSAGE_FRAME);
  // One fixed stamp: blast clients only count, and equal frames keep every chunk the same size.
  const stamp = nowNs();
  let chunkBytes = 0;
  for (let i = 0; i < BLAST_CHUNK_FRAMES; i++) chunkBytes = writeMessageFrame(chunk, chunkBytes, stamp);
  const frameBytes = chunkBytes / BLAST_CHUNK_FRAMES;
  const full = chunk.subarray(0, chunkBytes);
  const cpuStart = process.cpuUsage();
  const wallStart = nowNs();
  let sent = 0;
  const pump = (): void => {
    while (sent < count) {
      const frames = Math.min(BLAST_CHUNK_FRAMES, count - sent);
      const flushed = socket.write(frames === BLAST_CHUNK_FRAMES ? full : chunk.subarray(0, frames * frameBytes));
      sent += frames;
      if (!flushed) {
        socket.once('drain', pump);
        return;
      }
    }
    finish(socket, run, sent, cpuStart, wallStart);
  };
  pump();
}

function paced(socket: Socket, rate: number, count: number, run: string): void {
  const cpuStart = process.cpuUsage();
  const start = nowNs();
  let sent = 0;
  const tick = (): void => {
    if (socket.destroyed) return;
    // Catch-up: everything due by now goes out, however late the timer fired.
    const due = Math.min(count, Math.floor(((nowNs() - start) * rate) / 1e9) + 1) - sent;
    if (due > 0) {
      const batch = Buffer.allocUnsafe(due * MAX_MESSAGE_FRAME);
      let length = 0;
      for (let i = 0; i < due; i++) length = writeMessageFrame(batch, length, nowNs());
      socket.write(batch.subarray(0, length));
      sent += due;
    }
    if (sent >= count) finish(socket, run, sent, cpuStart, start);
    else setTimeout(tick, PACE_TICK_MS);
  };
  tick();
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const tlsDir = new URL('../../fixtures/tls/', import.meta.url);
  const plain = createNetServer(onConnection);
  const secure = createTlsServer(
    { key: readFileSync(new URL('localhost-key.pem', tlsDir)), cert: readFileSync(new URL('localhost.pem', tlsDir)) },
    onConnection,
  );
  secure.on('tlsClientError', noop);
  const port = await listen(plain);
  const tlsPort = await listen(secure);
  report({ type: 'ready', port, tlsPort });
  // The parent ends the sender by closing the IPC channel.
  process.on('disconnect', () => process.exit(0));
}

void main();
