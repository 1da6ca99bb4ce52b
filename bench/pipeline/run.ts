// Pipeline benchmark: socket -> decoded depth diff -> book updated -> user callback, for three
// consumers side by side in one run: ccxt's watchOrderBook, `ws` + JSON.parse + a Map book, and
// tickwire. Each consumer runs in its own child process against its own simulator, which sends
// `<symbol>@depth@100ms` diffs for `symbols` symbols at `rate` book updates per second per symbol
// (10 events/s per symbol, each carrying rate/10 updates, like Binance's 100 ms stream). Sequence
// per run: the child syncs every book (REST snapshot + buffered diffs) -> warm-up -> measured
// window (CPU of the consumer process per applied event, events/s, GCs) -> the simulator pauses
// (pending diffs flushed) -> the child reaches the simulator's final update ids and dumps its
// books -> each book is compared with the simulator's book(); a difference fails the run.
// Rounds are interleaved (A B C A B C) so every consumer shares the same machine noise.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExchange, type Exchange } from 'tickwire/simulator';
import type { WindowResult } from '../measure.js';
import { medianOf } from '../results.js';
import { compareBooks } from './compare.js';
import { CONSUMER_KINDS, type BookDump, type ChildMessage, type ConsumerKind, type ConsumerSpec, type ParentMessage } from './protocol.js';
import { pipelineVenue } from './venues.js';

const consumerEntry = fileURLToPath(new URL('./consumer.js', import.meta.url));

export interface PipelineConfig {
  consumers: ConsumerKind[];
  symbols: number;
  /** Book updates per second per symbol (the simulator's `rate`). */
  rate: number;
  warmupMs: number;
  measureMs: number;
  rounds: number;
  seed: number;
  /** Connect + load + sync every book. ccxt loads its markets and fetches a snapshot per symbol. */
  syncTimeoutMs: number;
  /** Reaching the final update ids after the simulator paused. */
  finishTimeoutMs: number;
  /**
   * Venues other than Binance Spot whose MarketVenue adapter and simulator dialect are on main: each
   * adds a 'tickwire-market' row against that venue's simulator mode (--pipeline-venues a,b).
   */
  venues: string[];
  /** Write a V8 CPU profile of each consumer's measured window into this directory (--pipeline-profile DIR). */
  profileDir?: string;
}

export function pipelineConfig(quick: boolean): PipelineConfig {
  return quick
    ? { consumers: [...CONSUMER_KINDS], venues: [], symbols: 40, rate: 200, warmupMs: 1000, measureMs: 3000, rounds: 1, seed: 9, syncTimeoutMs: 60_000, finishTimeoutMs: 30_000 }
    : // 1000 updates/s per symbol: ~36 levels per 100 ms event (~1.2 kB), the size of the issue's
      // reference 20+20-level depthUpdate; 100 symbols: 1000 events/s, which the simulator keeps up
      // with on the shared 2-core VM (200 symbols at this rate fell behind it).
      // Warm-up 25 s: the window measures the steady state. A consumer that allocates little has
      // a quiet heap after startup, and V8's memory reducer then runs its full GCs about 16 s after
      // the process started (--trace-gc: two mark-compacts, ~20 ms of CPU each with the helper
      // threads); with 5 s of warm-up they fell inside the window and added ~2 us to each event.
      // They run once after startup, not per event, and the longer warm-up applies to every consumer.
      { consumers: [...CONSUMER_KINDS], venues: ['binance-sbe', 'binance-usdm', 'bybit', 'okx'], symbols: 100, rate: 1000, warmupMs: 25_000, measureMs: 20_000, rounds: 2, seed: 9, syncTimeoutMs: 180_000, finishTimeoutMs: 60_000 };
}

export interface PipelineFigures {
  eventsPerSec: number;
  cpuUsPerEvent: number;
  /** The kernel's part of cpuUsPerEvent (socket reads, epoll, timers). */
  systemUsPerEvent: number;
  /** Consumer CPU time over wall time in the window (1 = one core busy). */
  cpuShare: number;
  /** User callbacks per second (ccxt coalesces updates that arrive together into one). */
  callbacksPerSec: number;
  heapBytesPerEvent: number;
  /** GCs in the measured window, all kinds. */
  gcCount: number;
  gcPer10kEvents: number;
  /** Process start to every book synced. */
  syncMs: number;
}

export interface PipelineRow {
  consumer: ConsumerKind;
  /** The venue of a 'tickwire-market' row (its simulator mode and MarketVenue adapter); absent: Binance Spot. */
  venue?: string;
  status: 'ok' | 'skipped' | 'failed';
  note?: string;
  /** Events in the measured windows, all rounds. */
  events: number;
  rounds: PipelineFigures[];
  median?: PipelineFigures;
  /** Books compared with the simulator's book() at the end of each round, and how many were equal. */
  booksCompared: number;
  booksEqual: number;
  resyncs: number;
  /** CPU per event relative to this row's: ccxt's / this, ws-map's / this. */
  cpuVsCcxt?: number;
  cpuVsWsMap?: number;
}

export interface PipelineResults {
  config: PipelineConfig;
  rows: PipelineRow[];
}

type Log = (line: string) => void;

function symbolNames(count: number): string[] {
  const names = ['btcusdt', 'ethusdt', 'bnbusdt'];
  for (let index = names.length; index < count; index++) names.push(`t${String(index).padStart(3, '0')}usdt`);
  return names.slice(0, count);
}

/** Message queue of one child: next(type) resolves with the next message of that type. */
class ChildChannel {
  private readonly queue: ChildMessage[] = [];
  private waiter: (() => void) | null = null;
  exited: string | null = null;

  constructor(private readonly child: ReturnType<typeof fork>) {
    child.on('message', (message: ChildMessage) => {
      this.queue.push(message);
      this.waiter?.();
    });
    child.on('exit', (code, signal) => {
      this.exited = `exited (${code ?? signal})`;
      this.waiter?.();
    });
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }

  async next<T extends ChildMessage['type']>(types: readonly T[], timeoutMs: number, what: string): Promise<Extract<ChildMessage, { type: T | 'error' | 'skipped' }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((message) => (types as readonly string[]).includes(message.type) || message.type === 'error' || message.type === 'skipped');
      if (index !== -1) return this.queue.splice(index, 1)[0] as Extract<ChildMessage, { type: T | 'error' | 'skipped' }>;
      if (this.exited !== null) throw new Error(`consumer ${this.exited} while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  /** Gives the child a moment to exit on its own (it does after sending its books), then kills it. */
  async stop(): Promise<void> {
    const deadline = Date.now() + 2000;
    while (this.exited === null && Date.now() < deadline) await sleep(20);
    if (this.exited === null) this.child.kill('SIGKILL');
  }
}

interface RoundOutcome {
  skipped?: string;
  figures?: PipelineFigures;
  events: number;
  compared: number;
  equal: number;
  mismatch?: string;
  resyncs: number;
}

/** The simulator's book of a symbol, at the update id the venue's book stream carries. */
function referenceBook(exchange: Exchange, symbol: string, venue: string | undefined): ReturnType<Exchange['book']> {
  const book = exchange.book(symbol);
  const { instrument, bookUpdateId } = pipelineVenue(venue ?? 'binance-spot');
  return { ...book, lastUpdateId: bookUpdateId(book, instrument(symbol)) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function runRound(consumer: ConsumerKind, config: PipelineConfig, round: number, venue?: string): Promise<RoundOutcome> {
  const symbols = symbolNames(config.symbols);
  const exchange: Exchange = await startExchange({ symbols, rate: config.rate, seed: config.seed + round, ...(venue !== undefined && { venue }) });
  const spec: ConsumerSpec = { consumer, wsUrl: exchange.url, restUrl: exchange.restUrl, symbols };
  if (venue !== undefined) spec.venue = venue;
  if (config.profileDir !== undefined) spec.profile = join(config.profileDir, `pipeline-${consumer}${venue !== undefined ? `-${venue}` : ''}-${round}.cpuprofile`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The baseline is plain `ws` as most users run it, without the optional native add-ons.
  if (consumer === 'ws-map') {
    env['WS_NO_BUFFER_UTIL'] = '1';
    env['WS_NO_UTF_8_VALIDATE'] = '1';
  }
  const child = new ChildChannel(fork(consumerEntry, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env }));
  try {
    const synced = await child.next(['synced'], config.syncTimeoutMs, 'every book to sync');
    if (synced.type === 'skipped') return { skipped: synced.note, events: 0, compared: 0, equal: 0, resyncs: 0 };
    if (synced.type === 'error') throw new Error(synced.error);
    await sleep(config.warmupMs);
    child.send({ type: 'start' });
    await sleep(config.measureMs);
    child.send({ type: 'stop' });
    const measured = await child.next(['window'], 30_000, 'the measured window');
    if (measured.type !== 'window') throw new Error(measured.type === 'error' ? measured.error : measured.note);
    exchange.pause();
    const references = new Map(symbols.map((symbol) => [symbol.toUpperCase(), referenceBook(exchange, symbol, venue)]));
    const targets: Record<string, number> = {};
    for (const [symbol, book] of references) targets[symbol] = book.lastUpdateId;
    child.send({ type: 'finish', targets });
    const dumped = await child.next(['books'], config.finishTimeoutMs, 'the books at the final update ids');
    if (dumped.type !== 'books') throw new Error(dumped.type === 'error' ? dumped.error : dumped.note);
    let equal = 0;
    let mismatch: string | undefined;
    for (const [symbol, reference] of references) {
      const difference = compareBooks(symbol, reference, dumped.books[symbol] ?? ({ updateId: NaN, bids: [], asks: [] } satisfies BookDump));
      if (difference === '') equal++;
      else mismatch ??= difference;
    }
    const window: WindowResult = measured.window;
    const seconds = window.wallNs / 1e9;
    const figures: PipelineFigures = {
      eventsPerSec: window.messages / seconds,
      cpuUsPerEvent: window.cpuMicros / window.messages,
      systemUsPerEvent: measured.systemMicros / window.messages,
      cpuShare: window.cpuMicros / 1e6 / seconds,
      callbacksPerSec: measured.callbacks / seconds,
      heapBytesPerEvent: window.heapBytes / window.messages,
      gcCount: window.gcCount,
      gcPer10kEvents: (window.gcCount * 1e4) / window.messages,
      syncMs: synced.elapsedMs,
    };
    const outcome: RoundOutcome = { figures, events: window.messages, compared: references.size, equal, resyncs: dumped.resyncs };
    if (mismatch !== undefined) outcome.mismatch = mismatch;
    return outcome;
  } finally {
    await child.stop();
    await exchange.close();
  }
}

export async function runPipelineBench(config: PipelineConfig, log: Log): Promise<PipelineResults> {
  const rows = config.consumers.map((consumer): PipelineRow => ({ consumer, status: 'ok', events: 0, rounds: [], booksCompared: 0, booksEqual: 0, resyncs: 0 }));
  for (const venue of config.venues) rows.push({ consumer: 'tickwire-market', venue, status: 'ok', events: 0, rounds: [], booksCompared: 0, booksEqual: 0, resyncs: 0 });
  if (config.profileDir !== undefined) mkdirSync(config.profileDir, { recursive: true }); // the children write their profiles there
  for (let round = 1; round <= config.rounds; round++) {
    for (const row of rows) {
      if (row.status !== 'ok') continue;
      const tag = `pipeline ${row.consumer}${row.venue !== undefined ? ` ${row.venue}` : ''} round ${round}`;
      let outcome: RoundOutcome;
      try {
        outcome = await runRound(row.consumer, config, round, row.venue);
      } catch (error) {
        row.status = 'failed';
        row.note = error instanceof Error ? error.message : String(error);
        log(`${tag}: FAILED (${row.note})`);
        continue;
      }
      if (outcome.skipped !== undefined) {
        row.status = 'skipped';
        row.note = outcome.skipped;
        log(`${tag}: skipped (${outcome.skipped})`);
        continue;
      }
      row.events += outcome.events;
      row.booksCompared += outcome.compared;
      row.booksEqual += outcome.equal;
      row.resyncs += outcome.resyncs;
      if (outcome.mismatch !== undefined) {
        row.status = 'failed';
        row.note = `books differ from the simulator's: ${outcome.mismatch}`;
        log(`${tag}: FAILED (${row.note})`);
        continue;
      }
      if (outcome.figures === undefined || outcome.events === 0) {
        row.status = 'failed';
        row.note = 'no event in the measured window';
        log(`${tag}: FAILED (${row.note})`);
        continue;
      }
      row.rounds.push(outcome.figures);
      const f = outcome.figures;
      log(`${tag}: ${f.eventsPerSec.toFixed(0)} events/s, ${f.cpuUsPerEvent.toFixed(2)} us CPU/event, ${f.gcCount} GCs, ${outcome.equal}/${outcome.compared} books equal`);
    }
  }
  for (const row of rows) {
    const median = medianOf(row.rounds);
    if (row.status === 'ok' && median !== undefined) row.median = median;
  }
  const cpuOf = (consumer: ConsumerKind): number | undefined => rows.find((row) => row.consumer === consumer && row.venue === undefined)?.median?.cpuUsPerEvent;
  for (const row of rows) {
    const mine = row.median?.cpuUsPerEvent;
    if (mine === undefined) continue;
    const ccxt = cpuOf('ccxt');
    const wsMap = cpuOf('ws-map');
    if (ccxt !== undefined) row.cpuVsCcxt = ccxt / mine;
    if (wsMap !== undefined) row.cpuVsWsMap = wsMap / mine;
  }
  return { config, rows };
}
