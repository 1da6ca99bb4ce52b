// Worker mode against the direct client: messages/s (blast) and delivery latency (paced, the
// sender's stamp to the main thread's onMessage) through the ring (I/O worker -> main thread),
// plus the ring alone (write + drain in one thread, ns per message).
// The sender is bench/sender.ts in its own process (bookTicker-sized text frames, ~110 bytes).
// Usage: node dist/bench/ring.js [blastCount] [pacedRate] [pacedCount]
import { fork } from 'node:child_process';
import { createHistogram, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connect } from '../src/client/connect.js';
import { createRingMemory, FLAG_TEXT } from '../src/ring/layout.js';
import { RingConsumer, RingProducer } from '../src/ring/spsc-ring.js';
import { connectWorker, type WorkerClient } from '../src/ring/worker-client.js';
import type { SenderReady } from './sender.js';
import { nowNs, parseStamp } from './wire.js';

export type RingBenchMode = 'direct' | 'worker-auto' | 'worker-poll';

export interface RingBenchRow {
  mode: RingBenchMode;
  blastMessages: number;
  messagesPerSecond: number;
  pacedRate: number;
  pacedMessages: number;
  latencyP50Us: number;
  latencyP99Us: number;
  latencyP999Us: number;
  latencyMaxUs: number;
}

export interface RingBenchResult {
  rows: RingBenchRow[];
  /** The ring alone: tryWrite + drain of 110-byte records in one thread. */
  ringOnlyNsPerMessage: number;
}

export interface RingBenchOptions {
  blastCount?: number;
  pacedRate?: number;
  pacedCount?: number;
  modes?: RingBenchMode[];
}

type Handler = (data: Uint8Array, start: number, end: number, isText: boolean) => void;

let runId = 0;

/** Connects in `mode`, lets `handler` see every message until onClose. */
async function receive(mode: RingBenchMode, url: string, handler: Handler): Promise<void> {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const onError = (error: Error): void => console.error(`${mode}: ${error.message}`);
  if (mode === 'direct') {
    await connect(url, { onMessage: handler, onClose: () => resolveClosed(), onError });
    return closed;
  }
  if (mode === 'worker-auto') {
    await connectWorker(url, { onMessage: handler, onClose: () => resolveClosed(), onError });
    return closed;
  }
  // worker-poll: the original design's loop, `while (open) websocket_process()`, yielding to
  // the event loop between batches (a busy poll: it keeps one core spinning).
  const client: WorkerClient = await connectWorker(url, { onClose: () => resolveClosed(), onError });
  const poll = (): void => {
    client.process(handler);
    if (client.state !== 'closed') setImmediate(poll);
  };
  poll();
  return closed;
}

async function blast(mode: RingBenchMode, port: number, count: number): Promise<number> {
  let received = 0;
  let first = 0;
  let last = 0;
  const handler: Handler = () => {
    if (received === 0) first = performance.now();
    received++;
    if (received === count) last = performance.now();
  };
  await receive(mode, `ws://127.0.0.1:${port}/blast/${count}/ring-${runId++}`, handler);
  if (received !== count) throw new Error(`${mode}: received ${received} of ${count}`);
  return (count - 1) / ((last - first) / 1000);
}

async function paced(mode: RingBenchMode, port: number, rate: number, count: number): Promise<{ p50: number; p99: number; p999: number; max: number }> {
  const histogram = createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
  // The first tenth warms the JIT and the connection up; it is not recorded.
  const warmup = Math.floor(count / 10);
  let received = 0;
  const handler: Handler = (data, start, end) => {
    const sentNs = parseStamp(data, start, end);
    if (received++ >= warmup && sentNs > 0) histogram.record(Math.max(1, nowNs() - sentNs));
  };
  await receive(mode, `ws://127.0.0.1:${port}/paced/${rate}/${count}/ring-${runId++}`, handler);
  return {
    p50: histogram.percentile(50) / 1000,
    p99: histogram.percentile(99) / 1000,
    p999: histogram.percentile(99.9) / 1000,
    max: histogram.max / 1000,
  };
}

/** tryWrite + drain in one thread: the ring's own cost per 110-byte message. */
function ringOnly(messages: number): number {
  const memory = createRingMemory(1 << 20);
  const producer = new RingProducer(memory);
  let bytes = 0;
  const consumer = new RingConsumer(memory, () => {});
  const handler: Handler = (_data, start, end) => {
    bytes += end - start;
  };
  const message = new Uint8Array(110).fill(0x61);
  const run = (count: number): void => {
    for (let i = 0; i < count; i++) {
      if (!producer.tryWrite(message, 0, 110, FLAG_TEXT)) {
        consumer.drain(handler);
        producer.tryWrite(message, 0, 110, FLAG_TEXT);
      }
    }
    consumer.drain(handler);
  };
  run(200_000);
  const started = performance.now();
  run(messages);
  const elapsed = performance.now() - started;
  if (bytes === 0) throw new Error('nothing drained');
  return (elapsed * 1e6) / messages;
}

function startSender(): Promise<{ port: number; stop: () => void }> {
  const entry = fileURLToPath(new URL('./sender.js', import.meta.url));
  const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: SenderReady | { type: string }) => {
      if (message.type === 'ready') resolve({ port: (message as SenderReady).port, stop: () => child.kill() });
    });
  });
}

export async function runRingBench(options: RingBenchOptions = {}): Promise<RingBenchResult> {
  const blastCount = options.blastCount ?? 1_000_000;
  const pacedRate = options.pacedRate ?? 20_000;
  const pacedCount = options.pacedCount ?? 100_000;
  const modes = options.modes ?? ['direct', 'worker-auto', 'worker-poll'];
  const sender = await startSender();
  const rows: RingBenchRow[] = [];
  try {
    for (const mode of modes) {
      const messagesPerSecond = await blast(mode, sender.port, blastCount);
      const latency = await paced(mode, sender.port, pacedRate, pacedCount);
      rows.push({
        mode,
        blastMessages: blastCount,
        messagesPerSecond,
        pacedRate,
        pacedMessages: pacedCount,
        latencyP50Us: latency.p50,
        latencyP99Us: latency.p99,
        latencyP999Us: latency.p999,
        latencyMaxUs: latency.max,
      });
    }
  } finally {
    sender.stop();
  }
  return { rows, ringOnlyNsPerMessage: ringOnly(2_000_000) };
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const [blastCount, pacedRate, pacedCount] = process.argv.slice(2).map(Number);
  const result = await runRingBench({
    ...(blastCount !== undefined && { blastCount }),
    ...(pacedRate !== undefined && { pacedRate }),
    ...(pacedCount !== undefined && { pacedCount }),
  });
  console.log('mode         msg/s (blast)   latency us (paced)         p50       p99     p99.9       max');
  for (const row of result.rows) {
    console.log(
      `${row.mode.padEnd(12)} ${Math.round(row.messagesPerSecond).toString().padStart(12)}   ${row.pacedRate}/s x ${row.pacedMessages}`.padEnd(52) +
        [row.latencyP50Us, row.latencyP99Us, row.latencyP999Us, row.latencyMaxUs].map((v) => v.toFixed(1).padStart(10)).join(''),
    );
  }
  console.log(`ring alone (tryWrite + drain, 110 B, one thread): ${result.ringOnlyNsPerMessage.toFixed(1)} ns/message`);
}
