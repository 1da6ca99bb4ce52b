// The harness of the per-message micro-benchmarks (bench/market-json.ts, book.ts, sbe.ts, okx.ts,
// bybit.ts, binance-futures.ts): a corpus of messages laid out as in a receive buffer, the options
// they all take, timing and allocation measurement of loops, one case's variants measured side by
// side against buffer.toString + JSON.parse, and the command-line entry. A loop runs `iterations`
// messages and returns a number (kept in a sink so V8 cannot drop the work); each bench writes one
// loop function per variant so every call site in it stays monomorphic.
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MeasureWindow } from './measure.js';
import { allocateKernelBuffer } from '../src/kernels/index.js';
// The tests' packing, so a bench corpus is laid out exactly as the allocation tests' messages.
import { packBytes } from '../test/helpers/pack.js';

export type Loop = (iterations: number) => number;

/** Time each variant runs before it is calibrated and measured (JIT tier-up). */
const WARMUP_MS = 150;

function nsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started);
}

/**
 * Warms `loop` up (so it and everything it calls reach optimized code: calibrating on interpreted
 * code would pick batches 100x too small), then returns the iteration count of a ~4 ms batch.
 */
function calibrate(loop: Loop): number {
  const warmUntil = Date.now() + WARMUP_MS;
  while (Date.now() < warmUntil) loop(64);
  let iterations = 1;
  for (;;) {
    const started = process.hrtime.bigint();
    loop(iterations);
    if (nsSince(started) > 4e6 || iterations >= 1 << 26) return iterations;
    iterations *= 2;
  }
}

/**
 * ns per iteration of each loop, wall clock. The variants take turns batch by batch so they all
 * see the same background load (the machine is a shared 2-core VM), and the fastest batch of each
 * is kept, since interference only ever adds time. (Process CPU time was tried and dropped: it
 * also counts the JIT and GC helper threads, which charges JSON.parse's garbage to its batches.)
 */
export function timeLoops(loops: readonly Loop[], durationMs: number): number[] {
  const iterations = loops.map(calibrate);
  const best = loops.map(() => Infinity);
  const deadline = Date.now() + durationMs * loops.length;
  let rounds = 0;
  do {
    loops.forEach((loop, v) => {
      const started = process.hrtime.bigint();
      sink += loop(iterations[v]!);
      best[v] = Math.min(best[v]!, nsSince(started) / iterations[v]!);
    });
    rounds++;
  } while (Date.now() < deadline || rounds < 5);
  return best;
}

/**
 * A full GC on demand, so garbage left by the previous variant (JSON.parse makes plenty) is not
 * collected inside the next variant's allocation window and counted against it.
 */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap bytes one measuring window itself allocates (the GC profiler, heap statistics objects). */
function windowOverhead(): number {
  collectGarbage();
  const window = new MeasureWindow();
  window.start(0);
  return window.stop(0).heapBytes;
}

/**
 * Heap bytes allocated per iteration over `iterations` (loop already warm), net of the
 * measuring window's own allocation so short windows do not show phantom bytes per message.
 */
export function heapPerIteration(loop: Loop, iterations: number): number {
  const overhead = windowOverhead();
  collectGarbage();
  const window = new MeasureWindow();
  window.start(0);
  sink += loop(iterations);
  return Math.max(0, window.stop(iterations).heapBytes - overhead) / iterations;
}

let sink = 0;

/** Keeps the loops' results observable, so V8 cannot drop the work. */
export function sinkValue(): number {
  return sink;
}

// ---- corpus ----

/** Messages laid end to end in one buffer, as in a receive buffer; offsets bound each one. */
export interface Corpus {
  data: Uint8Array;
  /** The same bytes as a Buffer view, for the baseline's buffer.toString(). */
  buffer: Buffer;
  /** Each message already as a string (JSON corpora): the baseline without the decode step. */
  texts: string[];
  offsets: Int32Array;
  count: number;
  averageBytes: number;
}

const encoder = new TextEncoder();

/** Encoded messages (binary ones have no `texts`) laid end to end. */
export function packCorpus(parts: readonly Uint8Array[], texts: string[] = []): Corpus {
  const { data, offsets } = packBytes(parts);
  const total = data.length;
  return {
    data,
    buffer: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    texts,
    offsets,
    count: parts.length,
    averageBytes: total / parts.length,
  };
}

/**
 * The corpus's bytes copied into kernel memory, at the same offsets: where tickwire's client
 * receives messages (its receive buffers come from acquireKernelBuffer), so decoders that read
 * there in place (the WebAssembly level kernel) are measured as they run behind a connection.
 */
export function inReceiveBuffer(c: Corpus): Uint8Array {
  const receive = allocateKernelBuffer(c.data.length);
  receive.set(c.data);
  return receive;
}

/** JSON messages, UTF-8 encoded and laid end to end. */
export function corpus(texts: string[]): Corpus {
  return packCorpus(
    texts.map((text) => encoder.encode(text)),
    texts,
  );
}

/** One [price, quantity] level in Binance's spelling (8 decimals, quoted). */
export function level(price: number, quantity: number): string {
  return `["${price.toFixed(8)}","${quantity.toFixed(8)}"]`;
}

// ---- options and cases ----

export interface LoopBenchOptions {
  quick?: boolean;
  /** Measuring time per variant, after calibration. Default 300 ms (quick: 60 ms). */
  durationMs?: number;
  log?: (line: string) => void;
}

export interface LoopBenchSettings {
  /** The bench's name, the prefix of its progress lines. */
  name: string;
  quick: boolean;
  durationMs: number;
  /** Messages in a heap window unless a case says otherwise: 2,000 (quick) or 20,000. */
  heapIterations: number;
  log: (line: string) => void;
}

export function loopBenchSettings(name: string, options: LoopBenchOptions): LoopBenchSettings {
  const quick = options.quick ?? false;
  return {
    name,
    quick,
    durationMs: options.durationMs ?? (quick ? 60 : 300),
    heapIterations: quick ? 2_000 : 20_000,
    log: options.log ?? ((): void => {}),
  };
}

/** The variant every case is compared with: what most clients do. */
export const BASELINE = 'buffer.toString + JSON.parse';

export interface VariantFigures {
  variant: string;
  nsPerMsg: number;
  /** V8 heap bytes allocated per message in steady state. */
  heapBytesPerMsg: number;
  /** How much `counter` rose per message over the heap window (0 without a counter). */
  countedPerMsg: number;
  /** The baseline's ns/msg over this variant's. */
  vsBaseline: number;
}

/**
 * One case: its variants timed together (turn by turn, so every variant sees the same background
 * load and the ratio uses the baseline of the same run), then each one's heap bytes per message
 * over `heapIterations` messages. `loops` must hold a BASELINE variant.
 */
export function measureCase(
  settings: LoopBenchSettings,
  name: string,
  loops: Record<string, Loop>,
  heapIterations = settings.heapIterations,
  counter: () => number = () => 0,
): VariantFigures[] {
  const variants = Object.keys(loops);
  const baseline = variants.indexOf(BASELINE);
  if (baseline < 0) throw new Error(`bench ${settings.name}: case ${name} has no '${BASELINE}' variant`);
  const ns = timeLoops(Object.values(loops), settings.durationMs);
  return variants.map((variant, v) => {
    const before = counter();
    const heapBytesPerMsg = heapPerIteration(loops[variant]!, heapIterations);
    const countedPerMsg = (counter() - before) / heapIterations;
    const vsBaseline = ns[baseline]! / ns[v]!;
    settings.log(`${settings.name}: ${name} / ${variant}: ${ns[v]!.toFixed(0)} ns/msg, ${heapBytesPerMsg.toFixed(1)} B/msg, ${vsBaseline.toFixed(2)}x ${BASELINE}`);
    return { variant, nsPerMsg: ns[v]!, heapBytesPerMsg, countedPerMsg, vsBaseline };
  });
}

/**
 * The command line of a bench module: when `moduleUrl` is the script node was started with, runs
 * the bench with `[--quick] [--duration-ms=N]` (progress on stderr) and prints its table, or
 * `json(rows)` with `--json`.
 */
export function runWhenMain<Row>(
  moduleUrl: string,
  run: (options: LoopBenchOptions) => Row[],
  render: (rows: Row[]) => string,
  json: (rows: Row[]) => unknown = (rows) => rows,
): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const args = process.argv.slice(2);
  const durationArg = args.find((arg) => arg.startsWith('--duration-ms='));
  const rows = run({
    quick: args.includes('--quick'),
    ...(durationArg !== undefined ? { durationMs: Number(durationArg.slice('--duration-ms='.length)) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(args.includes('--json') ? JSON.stringify(json(rows)) : render(rows));
  if (sinkValue() === 0.5) console.log(''); // keep the loops' results observable
}
