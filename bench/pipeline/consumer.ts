// One pipeline consumer in its own child process, so that process.cpuUsage(), the heap and the GC
// counts belong to it alone. The parent passes a ConsumerSpec as JSON in argv[2] and drives the run
// over IPC (start, stop, finish); see run.ts for the sequence.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { MeasureWindow } from '../measure.js';
import { CcxtConsumer } from './ccxt-consumer.js';
import { MarketConsumer } from './market-consumer.js';
import { UserCallback, type ChildMessage, type ConsumerSpec, type ParentMessage, type PipelineConsumer } from './protocol.js';
import { TickwireConsumer } from './tickwire-consumer.js';
import { WsMapConsumer } from './ws-map-consumer.js';

/** How often the child checks whether the books synced or reached their final update ids. */
const POLL_MS = 20;

const spec = JSON.parse(process.argv[2] ?? '{}') as ConsumerSpec;
const user = new UserCallback();
const measure = new MeasureWindow();

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, () => resolve());
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function fail(error: unknown): Promise<never> {
  await send({ type: 'error', error: errorText(error) });
  process.exit(1);
}

async function create(): Promise<PipelineConsumer | undefined> {
  switch (spec.consumer) {
    case 'ccxt':
      return CcxtConsumer.create(spec, user);
    case 'ws-map':
      return new WsMapConsumer(spec, user);
    case 'tickwire':
      return new TickwireConsumer(spec, user);
    case 'tickwire-market':
      return new MarketConsumer(spec, user);
  }
}

function waitUntil(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!condition()) return;
      clearInterval(timer);
      resolve();
    }, POLL_MS);
  });
}

async function main(): Promise<void> {
  const began = performance.now();
  const consumer = await create();
  if (consumer === undefined) {
    await send({ type: 'skipped', note: `${spec.consumer} is not installed (npm install)` });
    process.exit(0);
  }
  process.on('message', (message: ParentMessage) => {
    void handle(consumer, message).catch(fail);
  });
  await consumer.start();
  await waitUntil(() => consumer.syncedBooks() === spec.symbols.length);
  await send({ type: 'synced', elapsedMs: performance.now() - began });
}

let windowCallbacks = 0;
let windowCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
let profiler: Session | null = null;

/** Runs an inspector command and waits for its answer (the callback API exists on every Node version). */
function inspect(session: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, (error: Error | null, result?: unknown) => (error !== null ? reject(error) : resolve(result)));
  });
}

async function handle(consumer: PipelineConsumer, message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'start':
      if (spec.profile !== undefined) {
        profiler = new Session();
        profiler.connect();
        await inspect(profiler, 'Profiler.enable');
        await inspect(profiler, 'Profiler.start');
      }
      windowCallbacks = user.calls;
      measure.start(consumer.events);
      windowCpu = process.cpuUsage();
      return;
    case 'stop': {
      const system = process.cpuUsage(windowCpu).system;
      const window = measure.stop(consumer.events);
      if (profiler !== null && spec.profile !== undefined) {
        const { profile } = (await inspect(profiler, 'Profiler.stop')) as { profile: unknown };
        writeFileSync(spec.profile, JSON.stringify(profile));
        profiler.disconnect();
      }
      await send({ type: 'window', window, systemMicros: system, callbacks: user.calls - windowCallbacks });
      return;
    }
    case 'finish': {
      const targets = Object.entries(message.targets);
      await waitUntil(() => targets.every(([symbol, id]) => consumer.updateId(symbol) >= id));
      const books: Record<string, ReturnType<PipelineConsumer['dump']>> = {};
      for (const [symbol] of targets) books[symbol] = consumer.dump(symbol);
      await send({ type: 'books', books, resyncs: consumer.resyncs });
      await consumer.close();
      process.exit(0);
    }
  }
}

process.on('unhandledRejection', (error) => void fail(error));
main().catch(fail);
