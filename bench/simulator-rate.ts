// Maximum send rate of the exchange simulator: tickwire-exchange runs in its own process at
// `--rate max`, and this process reads with raw `net` sockets that only walk frame headers and
// count frames and bytes, so the reader is never the bottleneck being measured.
//
// Usage: node dist/bench/simulator-rate.js [--seconds 5] [--connections 1]
//          [--streams btcusdt@bookTicker] [--combined] [--stamp] [--symbols btcusdt]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1' },
    streams: { type: 'string', default: 'btcusdt@bookTicker' },
    symbols: { type: 'string', default: 'btcusdt' },
    combined: { type: 'boolean', default: false },
    stamp: { type: 'boolean', default: false },
    warmup: { type: 'string', default: '1' },
  },
});

/** Counts server frames in a byte stream: walks headers, skips payloads, never copies them. */
class FrameCounter {
  frames = 0;
  bytes = 0;
  private skip = 0;
  private readonly header = Buffer.alloc(10);
  private headerLength = 0;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let position = 0;
    const end = chunk.length;
    while (position < end) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, end - position);
        this.skip -= take;
        position += take;
        continue;
      }
      this.header[this.headerLength++] = chunk[position++]!;
      if (this.headerLength < 2) continue;
      const length7 = this.header[1]! & 0x7f;
      const needed = length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
      if (this.headerLength < needed) continue;
      this.skip = length7 === 126 ? this.header.readUInt16BE(2) : length7 === 127 ? Number(this.header.readBigUInt64BE(2)) : length7;
      this.headerLength = 0;
      this.frames++;
    }
  }
}

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux; null elsewhere). On a
 * shared machine wall-clock rates swing with the other load; messages per CPU-second of the
 * simulator process is the steadier figure.
 */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after "(comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function openReader(url: string, counter: FrameCounter): Promise<Socket> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(
    `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let head = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      if (!head.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return reject(new Error(head.toString('latin1', 0, end)));
      counter.push(head.subarray(end + 4));
      socket.on('data', (data: Buffer) => counter.push(data));
      resolve();
    };
    socket.on('data', onData);
  });
  return socket;
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const streams = values.streams!.split(',');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const args = [join(root, 'apps', 'tickwire-exchange', 'main.js'), '--port', '0', '--rate', 'max', '--symbols', values.symbols!, '--max-incoming', '0'];
  if (values.stamp === true) args.push('--stamp');
  const exchange = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(exchange.stdout, 'data')) as [Buffer];
  const { url } = JSON.parse(line.toString().split('\n')[0]!) as { url: string };
  const path = values.combined === true ? `/stream?streams=${streams.join('/')}` : `/ws/${streams.join('/')}`;

  const counters: FrameCounter[] = [];
  const sockets: Socket[] = [];
  for (let index = 0; index < Number(values.connections); index++) {
    const counter = new FrameCounter();
    counters.push(counter);
    sockets.push(await openReader(url + path, counter));
  }
  const total = (): { frames: number; bytes: number } =>
    counters.reduce((sum, counter) => ({ frames: sum.frames + counter.frames, bytes: sum.bytes + counter.bytes }), { frames: 0, bytes: 0 });

  await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
  const start = total();
  const cpuStart = cpuSeconds(exchange.pid);
  const startedAt = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = total();
  const cpuEnd = cpuSeconds(exchange.pid);
  const elapsed = Number(process.hrtime.bigint() - startedAt) / 1e9;

  for (const socket of sockets) socket.destroy();
  exchange.kill('SIGTERM');
  await once(exchange, 'exit');

  const frames = end.frames - start.frames;
  const bytes = end.bytes - start.bytes;
  const result = {
    streams: path,
    connections: sockets.length,
    stamp: values.stamp === true,
    seconds: Number(elapsed.toFixed(2)),
    messagesPerSecond: Math.round(frames / elapsed),
    megabytesPerSecond: Number((bytes / elapsed / 1e6).toFixed(1)),
    averageFrameBytes: Math.round(bytes / Math.max(1, frames)),
    simulatorCpuSeconds: cpuStart === null || cpuEnd === null ? null : Number((cpuEnd - cpuStart).toFixed(2)),
    messagesPerCpuSecond: cpuStart === null || cpuEnd === null || cpuEnd === cpuStart ? null : Math.round(frames / (cpuEnd - cpuStart)),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
