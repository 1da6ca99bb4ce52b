// `npm run soak -- --minutes 10`: a long run at a fixed message rate with a fault every 30 s,
// counting every event the simulator sent against what reached the consumer (once, twice, never,
// and whether the consumer reported what it never got), how long each reconnect took, and the
// memory of both processes over time. Writes docs/soak-results.json, docs/soak.md, docs/soak.svg.
// Not part of `npm test` (it runs for minutes and wants the machine to itself).
//
// Flags: --minutes N | --seconds N   --rate MSG_PER_S (100000)   --fault-every S (30)
//        --symbols N (4)   --silence-ms N (2000)   --consumer managed|plain (managed)   --out DIR (docs/)
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type as osType } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdAccount } from './accounting.js';
import { STREAM_KINDS, startConsumer, type ConsumerKind } from './consumers.js';
import type { ExchangeChildOptions, FromExchange, SoakFault, ToExchange } from './exchange-child.js';
import { renderSoakMarkdown } from './report.js';
import type { FaultRecord, SoakResults, SoakSample, StreamFigures } from './results.js';
import { renderSoakSvg } from './svg.js';

/** Share of engine steps that are trades (simulator/market.ts TRADE_PROBABILITY): each step also sends one bookTicker. */
const TRADES_PER_STEP = 0.3;
/** No fault in the last stretch of the run, so the consumer is in sync when the books close. */
const QUIET_END_SEC = 10;
/** The fault cycle: one every --fault-every seconds, in this order. */
const FAULTS: ReadonlyArray<{ name: string; fault: SoakFault }> = [
  { name: 'drop', fault: { type: 'drop' } },
  { name: 'silent', fault: { type: 'silent' } },
  { name: 'close 1001', fault: { type: 'close', code: 1001 } },
  { name: 'restart', fault: { type: 'restart', downtimeMs: 500 } },
  { name: 'serverShutdown', fault: { type: 'serverShutdown' } },
];

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Options {
  seconds: number;
  rate: number;
  faultEverySec: number;
  symbols: number;
  silenceMs: number;
  consumer: ConsumerKind;
  outDir: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { seconds: 600, rate: 100_000, faultEverySec: 30, symbols: 4, silenceMs: 2000, consumer: 'managed', outDir: join(repoRoot, 'docs') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const number = (): number => {
      const value = Number(argv[++i]);
      if (!(value > 0)) throw new Error(`${arg} needs a positive number`);
      return value;
    };
    if (arg === '--minutes') options.seconds = 60 * number();
    else if (arg === '--seconds') options.seconds = number();
    else if (arg === '--rate') options.rate = number();
    else if (arg === '--fault-every') options.faultEverySec = number();
    else if (arg === '--symbols') options.symbols = Math.round(number());
    else if (arg === '--silence-ms') options.silenceMs = number();
    else if (arg === '--consumer') {
      const kind = argv[++i];
      if (kind !== 'managed' && kind !== 'plain') throw new Error('--consumer is managed or plain');
      options.consumer = kind;
    } else if (arg === '--out') options.outDir = argv[++i] ?? options.outDir;
    else throw new Error(`unknown flag ${arg}`);
  }
  return options;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]): { count: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** The simulator child: request/answer over IPC, one outstanding request of a kind at a time. */
class ExchangeProcess {
  private readonly waiting = new Map<string, (message: FromExchange) => void>();

  constructor(private readonly child: ReturnType<typeof fork>) {
    child.on('message', (message: FromExchange) => {
      const resolve = this.waiting.get(message.type);
      this.waiting.delete(message.type);
      resolve?.(message);
    });
  }

  static async start(options: ExchangeChildOptions): Promise<{ process: ExchangeProcess; url: string }> {
    const entry = fileURLToPath(new URL('./exchange-child.js', import.meta.url));
    const child = fork(entry, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const process = new ExchangeProcess(child);
    const ready = (await process.ask('ready', null)) as Extract<FromExchange, { type: 'ready' }>;
    return { process, url: ready.url };
  }

  ask<T extends FromExchange['type']>(answer: T, request: ToExchange | null): Promise<Extract<FromExchange, { type: T }>> {
    return new Promise((resolve) => {
      this.waiting.set(answer, resolve as (message: FromExchange) => void);
      if (request !== null) this.child.send(request);
    });
  }

  close(): void {
    this.child.send({ type: 'close' } satisfies ToExchange);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const symbols = ['btcusdt', 'ethusdt', 'bnbusdt', 'solusdt', 'xrpusdt', 'adausdt', 'dogeusdt', 'ltcusdt'].slice(0, options.symbols);
  const updatesPerSymbol = Math.round(options.rate / (symbols.length * (1 + TRADES_PER_STEP)));
  const loadBefore = loadavg();
  const { process: exchange, url } = await ExchangeProcess.start({ symbols, rate: updatesPerSymbol, seed: 8 });

  // Accounting by the harness (what arrived) and by the consumer (what it reported missing).
  const accounts = symbols.map(() => STREAM_KINDS.map(() => new IdAccount()));
  const reported = STREAM_KINDS.map(() => 0);
  let received = 0;

  const faults: FaultRecord[] = [];
  const unprovokedDowns: string[] = [];
  const notes: string[] = [];
  let current: FaultRecord | null = null;
  let faultAt = 0;
  let downAt = NaN;
  let awaitingFirstMessage = false;
  const began = performance.now();
  const at = (): string => `${((performance.now() - began) / 1000).toFixed(1)} s`;

  const consumer = startConsumer(options.consumer, url, symbols, options.silenceMs, {
    onEvent(symbol, kind, id) {
      received++;
      accounts[symbol]![kind]!.record(id);
      if (awaitingFirstMessage) {
        awaitingFirstMessage = false;
        const now = performance.now();
        if (current !== null && current.reconnectMs === undefined && current.downReason !== undefined) {
          current.reconnectMs = now - downAt;
          current.outageMs = now - faultAt;
        }
      }
    },
    onReportedMissing(kind, count) {
      reported[kind]! += count;
    },
    onDown(reason) {
      downAt = performance.now();
      if (current !== null && current.downReason === undefined) {
        current.downReason = reason;
        current.detectMs = downAt - faultAt;
      } else unprovokedDowns.push(`${at()}: ${reason}`);
    },
    onUp() {
      awaitingFirstMessage = true;
    },
    onNote(text) {
      notes.push(`${at()}: ${text}`);
    },
  });

  const samples: SoakSample[] = [];
  let receivedAtLastSample = 0;
  let nextFault = 0;
  process.stderr.write(`soak: ${options.seconds} s at ${options.rate} msg/s (${symbols.length} symbols x ${updatesPerSymbol} updates/s), a fault every ${options.faultEverySec} s\n`);
  for (let second = 1; second <= options.seconds; second++) {
    await new Promise((resolve) => setTimeout(resolve, began + second * 1000 - performance.now()));
    const simulator = await exchange.ask('sample', { type: 'sample' });
    const memory = process.memoryUsage();
    samples.push({ atSec: second, receivedPerSec: received - receivedAtLastSample, consumerRss: memory.rss, consumerHeapUsed: memory.heapUsed, simulatorRss: simulator.rss });
    receivedAtLastSample = received;
    if (second % options.faultEverySec === 0 && second <= options.seconds - QUIET_END_SEC) {
      const { name, fault } = FAULTS[nextFault++ % FAULTS.length]!;
      faultAt = performance.now();
      current = { atSec: second, type: name, affected: 0 };
      faults.push(current);
      const answer = await exchange.ask('faulted', { type: 'fault', fault });
      current.affected = answer.affected;
      if (answer.error !== undefined) current.error = answer.error;
    }
    if (second % 10 === 0) process.stderr.write(`soak: ${second} s, ${received} received, ${faults.length} faults, RSS ${(memory.rss / 1e6).toFixed(0)} MB\n`);
  }

  // Close the books: the simulator stops, the consumer catches up to its final update ids.
  const final = await exchange.ask('final', { type: 'final' });
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline && !symbols.every((symbol, index) => accounts[index]![1]!.highest >= final.updateIds[symbol]!)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await consumer.stop();
  exchange.close();

  const streams: Record<string, StreamFigures> = {};
  STREAM_KINDS.forEach((kind, k) => {
    const figures: StreamFigures = { sent: 0, received: 0, distinct: 0, missing: 0, reportedMissing: reported[k]!, duplicated: 0, tooLate: 0 };
    symbols.forEach((symbol, s) => {
      const account = accounts[s]![k]!;
      // bookTicker: the final u is known (the book's update id); trade: the last id delivered.
      account.finish(kind === 'bookTicker' ? final.updateIds[symbol]! : account.highest);
      if (Number.isNaN(account.first)) return;
      figures.sent += (kind === 'bookTicker' ? final.updateIds[symbol]! : account.highest) - account.first + 1;
      figures.received += account.received;
      figures.distinct += account.distinct;
      figures.missing += account.missing;
      figures.duplicated += account.duplicated;
      figures.tooLate += account.tooLate;
    });
    streams[kind] = figures;
  });

  const cpu = cpus();
  const results: SoakResults = {
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      node: process.version,
      os: `${osType()} ${release()}`,
      date: new Date().toISOString(),
      command: ['npm run soak', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      loadBefore,
      loadAfter: loadavg(),
    },
    consumer: consumer.label,
    config: { seconds: options.seconds, targetRate: options.rate, symbols, updatesPerSymbol, faultEverySec: options.faultEverySec, silenceMs: options.silenceMs },
    durationSec: options.seconds,
    simulatorMessagesSent: final.messagesSent,
    streams,
    faults,
    unprovokedDowns,
    notes,
    reconnectMs: summary(faults.flatMap((fault) => (fault.reconnectMs === undefined ? [] : [fault.reconnectMs]))),
    outageMs: summary(faults.flatMap((fault) => (fault.outageMs === undefined ? [] : [fault.outageMs]))),
    samples,
  };
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'soak-results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(options.outDir, 'soak.svg'), renderSoakSvg(results));
  const markdown = renderSoakMarkdown(results);
  writeFileSync(join(options.outDir, 'soak.md'), markdown);
  process.stdout.write(markdown);
  // Lost without a report is the one outcome the soak exists to catch.
  // Only trade ids are contiguous on Binance; bookTicker's u is only checked for going backwards.
  const trade = streams['trade']!;
  const unreported = trade.missing > trade.reportedMissing;
  process.exitCode = unreported ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
