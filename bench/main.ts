// `npm run bench`: tickwire side by side with ws, Node's WebSocket and raw socket readers, on
// loopback, in one run. Runs are interleaved (A B C A B C ...) so every client shares the same
// machine noise. Writes docs/bench-results.json, docs/benchmarks.md and docs/bench-latency.svg.
//
// Flags: --quick (smoke run, writes to a temp directory unless --out is given), --out DIR,
//        --clients a,b,c   --rounds N   --no-tls   --no-external   --no-parser   --no-e2e
//        --no-pipeline     --pipeline-only (runs the pipeline bench alone and keeps the other
//        sections of the previous run's bench-results.json in DIR)
//        --pipeline-consumers ccxt,ws-map,tickwire   --pipeline-symbols N   --pipeline-rate N
//        --pipeline-seconds S   --pipeline-warmup S   --pipeline-rounds N
//        --pipeline-profile DIR (CPU profile of each window)
//        --pipeline-venues binance-sbe,binance-usdm,bybit,okx (a tickwire-market row per venue simulator)
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, type as osType } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClientKind } from './client.js';
import { ALL_CLIENTS, CLIENT_LABELS, fullConfig, quickConfig, type BenchConfig } from './config.js';
import { mergeLatency, percentileOf, type LatencySummary } from './latency.js';
import { framesFor, PARSER_KINDS, PARSER_SIZES, runParser } from './parser-bench.js';
import { CONSUMER_KINDS, type ConsumerKind } from './pipeline/protocol.js';
import { pipelineConfig, runPipelineBench, type PipelineConfig, type PipelineRow } from './pipeline/run.js';
import { renderConsole, renderMarkdown } from './report.js';
import {
  medianOf,
  type BenchResults,
  type ExternalSection,
  type LatencyRow,
  type ParserFigures,
  type ParserRow,
  type TargetRow,
  type ThroughputFigures,
  type ThroughputRow,
} from './results.js';
import { runClient, Sender } from './runner.js';
import { renderLatencySvg } from './svg.js';

interface Options {
  config: BenchConfig;
  pipelineConfig: PipelineConfig;
  outDir: string;
  e2e: boolean;
  parser: boolean;
  external: boolean;
  pipeline: boolean;
  pipelineOnly: boolean;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function parseArgs(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const config = quick ? quickConfig() : fullConfig();
  const pipeline = pipelineConfig(quick);
  let outDir = quick ? join(tmpdir(), 'tickwire-bench-quick') : join(repoRoot, 'docs');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--out') outDir = value();
    else if (arg === '--clients') {
      const wanted = value().split(',');
      for (const name of wanted) if (!ALL_CLIENTS.includes(name as ClientKind)) throw new Error(`unknown client ${name}`);
      config.clients = ALL_CLIENTS.filter((client) => wanted.includes(client));
    } else if (arg === '--rounds') {
      const rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a positive integer');
      config.blastRounds = config.latencyRounds = config.parserRounds = rounds;
    } else if (arg === '--no-tls') config.transports = [false];
    else if (arg === '--pipeline-consumers') {
      const wanted = value().split(',');
      for (const name of wanted) if (!CONSUMER_KINDS.includes(name as ConsumerKind)) throw new Error(`unknown pipeline consumer ${name}`);
      pipeline.consumers = CONSUMER_KINDS.filter((consumer) => wanted.includes(consumer));
    } else if (arg === '--pipeline-symbols') pipeline.symbols = positiveInteger(arg, value());
    else if (arg === '--pipeline-rate') pipeline.rate = positiveInteger(arg, value());
    else if (arg === '--pipeline-seconds') pipeline.measureMs = 1000 * positiveInteger(arg, value());
    else if (arg === '--pipeline-warmup') pipeline.warmupMs = 1000 * positiveInteger(arg, value());
    else if (arg === '--pipeline-rounds') pipeline.rounds = positiveInteger(arg, value());
    else if (arg === '--pipeline-profile') pipeline.profileDir = value();
    else if (arg === '--pipeline-venues') pipeline.venues = value().split(',').filter((venue) => venue !== '' && venue !== 'binance-spot');
  }
  const pipelineOnly = argv.includes('--pipeline-only');
  return {
    config,
    pipelineConfig: pipeline,
    outDir,
    e2e: !pipelineOnly && !argv.includes('--no-e2e'),
    parser: !pipelineOnly && !argv.includes('--no-parser'),
    external: !pipelineOnly && !argv.includes('--no-external'),
    pipeline: !argv.includes('--no-pipeline'),
    pipelineOnly,
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function transportName(tls: boolean): 'ws' | 'wss' {
  return tls ? 'wss' : 'ws';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- End to end: blast throughput ----

async function runThroughput(sender: Sender, config: BenchConfig): Promise<ThroughputRow[]> {
  const rows = new Map<string, ThroughputRow>();
  for (const tls of config.transports)
    for (const client of config.clients)
      rows.set(`${tls}/${client}`, { transport: transportName(tls), client, status: 'ok', messages: 0, rounds: [] });
  for (let round = 1; round <= config.blastRounds; round++) {
    for (const tls of config.transports) {
      for (const client of config.clients) {
        const row = rows.get(`${tls}/${client}`) as ThroughputRow;
        if (row.status !== 'ok') continue;
        const outcome = await runClient(sender, {
          client,
          mode: 'throughput',
          tls,
          rate: 'blast',
          expected: config.blastMessages,
          warmup: config.blastWarmup,
          timeoutMs: config.runTimeoutMs,
        });
        const tag = `blast ${row.transport}:// ${client} round ${round}`;
        const result = outcome.client;
        if (result.skipped !== undefined) {
          row.status = 'skipped';
          row.note = result.skipped;
          progress(`${tag}: skipped (${result.skipped})`);
          continue;
        }
        const window = result.window;
        const sent = outcome.sender?.sent ?? -1;
        if (!result.ok || window === undefined || result.messages !== config.blastMessages || sent !== config.blastMessages) {
          row.status = 'failed';
          row.note = result.error ?? `received ${result.messages}, sender sent ${sent}, expected ${config.blastMessages}`;
          progress(`${tag}: FAILED (${row.note})`);
          continue;
        }
        row.messages += result.messages;
        const scale = 1e6 / window.messages;
        const figures: ThroughputFigures = {
          msgPerSec: (window.messages * 1e9) / window.wallNs,
          cpuMsPer1M: (window.cpuMicros / 1000) * scale,
          heapBytesPer1M: window.heapBytes * scale,
          gcPer1M: window.gcCount * scale,
          senderBusy: outcome.sender === undefined ? NaN : (outcome.sender.cpuMicros * 1000) / outcome.sender.wallNs,
        };
        row.rounds.push(figures);
        progress(`${tag}: ${(figures.msgPerSec / 1e6).toFixed(2)}M msg/s, ${figures.gcPer1M.toFixed(0)} GC/1M`);
      }
    }
  }
  const list = [...rows.values()];
  for (const row of list) {
    if (row.status === 'ok') {
      const m = medianOf(row.rounds);
      if (m !== undefined) row.median = m;
    }
  }
  for (const row of list) {
    const rate = row.median?.msgPerSec;
    if (rate === undefined) continue;
    const raw = list.find((other) => other.transport === row.transport && other.client === 'raw-data')?.median?.msgPerSec;
    const ws = list.find((other) => other.transport === row.transport && other.client === 'ws')?.median?.msgPerSec;
    if (raw !== undefined) row.vsRawData = rate / raw;
    if (ws !== undefined) row.vsWs = rate / ws;
  }
  return list;
}

// ---- End to end: paced latency ----

async function runLatency(sender: Sender, config: BenchConfig): Promise<LatencyRow[]> {
  const clients: Array<ClientKind | 'clock'> = [...config.clients, 'clock'];
  const rows = new Map<string, LatencyRow>();
  const gcs = new Map<string, number>();
  for (const { rate } of config.latencyRates)
    for (const tls of config.transports)
      for (const client of clients)
        rows.set(`${rate}/${tls}/${client}`, { transport: transportName(tls), rate, client, status: 'ok', messages: 0, rounds: [] });
  for (const { rate, warmup, measured } of config.latencyRates) {
    for (let round = 1; round <= config.latencyRounds; round++) {
      for (const tls of config.transports) {
        for (const client of clients) {
          const key = `${rate}/${tls}/${client}`;
          const row = rows.get(key) as LatencyRow;
          if (row.status !== 'ok') continue;
          const expected = warmup + measured;
          const outcome = await runClient(sender, {
            // The harness-cost "client" is the raw 'data' reader timing its own clock read and parse.
            client: client === 'clock' ? 'raw-data' : client,
            mode: client === 'clock' ? 'clock' : 'latency',
            tls,
            rate,
            expected,
            warmup,
            timeoutMs: config.runTimeoutMs + (expected / rate) * 1000,
          });
          const tag = `latency ${rate / 1000}k msg/s ${row.transport}:// ${client} round ${round}`;
          const result = outcome.client;
          if (result.skipped !== undefined) {
            row.status = 'skipped';
            row.note = result.skipped;
            progress(`${tag}: skipped (${result.skipped})`);
            continue;
          }
          const sent = outcome.sender?.sent ?? -1;
          if (!result.ok || result.latency === undefined || result.messages !== expected || sent !== expected) {
            row.status = 'failed';
            row.note = result.error ?? `received ${result.messages}, sender sent ${sent}, expected ${expected}`;
            progress(`${tag}: FAILED (${row.note})`);
            continue;
          }
          row.messages += result.messages;
          row.rounds.push(result.latency);
          if (result.stages !== undefined) (row.stageRounds ??= []).push(result.stages);
          gcs.set(key, (gcs.get(key) ?? 0) + (result.window?.gcCount ?? 0));
          progress(
            `${tag}: p50 ${(percentileOf(result.latency, 50) / 1000).toFixed(1)} us, p99 ${(percentileOf(result.latency, 99) / 1000).toFixed(1)} us`,
          );
        }
      }
    }
  }
  for (const [key, row] of rows) {
    if (row.status !== 'ok' || row.rounds.length === 0) continue;
    const merged: LatencySummary = mergeLatency(row.rounds);
    row.merged = merged;
    row.p50Us = percentileOf(merged, 50) / 1000;
    row.p99Us = percentileOf(merged, 99) / 1000;
    row.p999Us = percentileOf(merged, 99.9) / 1000;
    row.maxUs = merged.maxNs / 1000;
    row.gcCount = gcs.get(key) ?? 0;
    const stageRounds = row.stageRounds;
    if (stageRounds !== undefined && stageRounds.length > 0) {
      row.stages = {
        readToParsed: mergeLatency(stageRounds.map((round) => round.readToParsed)),
        parsedToDelivered: mergeLatency(stageRounds.map((round) => round.parsedToDelivered)),
        readToDelivered: mergeLatency(stageRounds.map((round) => round.readToDelivered)),
      };
    }
  }
  return [...rows.values()];
}

// ---- Parser microbenchmark ----

async function runParsers(config: BenchConfig): Promise<ParserRow[]> {
  const rows: ParserRow[] = [];
  for (const size of PARSER_SIZES) {
    const frames = framesFor(size, config.parserFrames, config.parserMaxPayloadBytes);
    const bySize = PARSER_KINDS.map((parser): ParserRow => ({ size, parser, status: 'ok', frames: 0, rounds: [] }));
    for (let round = 1; round <= config.parserRounds; round++) {
      for (const row of bySize) {
        if (row.status !== 'ok') continue;
        const result = await runParser({ parser: row.parser, size, frames, seed: 0x5eed + round }, config.runTimeoutMs * 2);
        const tag = `parser ${row.parser} ${size} B round ${round}`;
        const window = result.window;
        if (!result.ok || window === undefined) {
          row.status = 'failed';
          row.note = result.error ?? 'no result';
          progress(`${tag}: FAILED (${row.note})`);
          continue;
        }
        row.frames = result.frames;
        const figures: ParserFigures = {
          nsPerFrame: window.wallNs / window.messages,
          msgPerSec: (window.messages * 1e9) / window.wallNs,
          mbPerSec: (window.messages * size * 1e3) / window.wallNs,
          heapBytesPer1M: (window.heapBytes * 1e6) / window.messages,
          gcPer1M: (window.gcCount * 1e6) / window.messages,
        };
        row.rounds.push(figures);
        progress(`${tag}: ${figures.nsPerFrame.toFixed(1)} ns/frame`);
      }
    }
    for (const row of bySize) {
      const m = medianOf(row.rounds);
      if (row.status === 'ok' && m !== undefined) row.median = m;
    }
    const ws = bySize.find((row) => row.parser === 'ws')?.median;
    for (const row of bySize) if (row.median !== undefined && ws !== undefined) row.vsWs = row.median.msgPerSec / ws.msgPerSec;
    rows.push(...bySize);
  }
  return rows;
}

// ---- Other helpers' benches (kernels, market-json, simulator rate), when they exist ----

/**
 * Modules imported in-process and called with { quick, log } plus their own quick settings
 * (each module keeps its own full-run defaults).
 */
const EXTERNAL_MODULES: ReadonlyArray<{ name: string; file: string; exportName: string; quickOptions: object }> = [
  // kernels.ts has no quick mode of its own: 10 ms per variant instead of its default 100 ms.
  { name: 'kernels', file: 'kernels.js', exportName: 'runKernelBench', quickOptions: { durationMs: 10 } },
  { name: 'market-json', file: 'market-json.js', exportName: 'runMarketJsonBench', quickOptions: {} },
  { name: 'book', file: 'book.js', exportName: 'runBookBench', quickOptions: {} },
  { name: 'okx', file: 'okx.js', exportName: 'runOkxBench', quickOptions: {} },
  { name: 'sbe', file: 'sbe.js', exportName: 'runSbeBench', quickOptions: {} },
  { name: 'binance-futures', file: 'binance-futures.js', exportName: 'runBinanceFuturesBench', quickOptions: {} },
  { name: 'bybit', file: 'bybit.js', exportName: 'runBybitBench', quickOptions: {} },
];

async function runExternalModule(name: string, file: string, exportName: string, quickOptions: object, quick: boolean): Promise<ExternalSection> {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (!existsSync(path)) return { name, status: 'skipped', note: `bench/${name}.ts not present` };
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  // The agreed export name first; otherwise the module's only run*Bench function.
  const candidates = Object.keys(module).filter((key) => /^run.*Bench$/.test(key) && typeof module[key] === 'function');
  const chosen = typeof module[exportName] === 'function' ? exportName : candidates.length === 1 ? candidates[0] : undefined;
  if (chosen === undefined) return { name, status: 'skipped', note: `bench/${name}.ts has no ${exportName}() export` };
  progress(`${name}: running ${chosen}()`);
  const options = { quick, log: progress, ...(quick ? quickOptions : {}) };
  const result: unknown = await (module[chosen] as (options: object) => unknown)(options);
  return { name, status: 'ok', result: JSON.parse(JSON.stringify(result ?? null)) as unknown };
}

/**
 * bench/simulator-rate.ts is a command (it parses argv and runs on import), so it runs as a
 * child process; its last stdout line is a JSON object.
 */
function runSimulatorRate(quick: boolean): Promise<ExternalSection> {
  const name = 'simulator-rate';
  const path = fileURLToPath(new URL('./simulator-rate.js', import.meta.url));
  if (!existsSync(path)) return Promise.resolve({ name, status: 'skipped', note: 'bench/simulator-rate.ts not present' });
  progress(`${name}: running bench/simulator-rate.js`);
  const args = quick ? ['--seconds', '1', '--warmup', '0.5'] : ['--seconds', '5', '--warmup', '1'];
  return new Promise((resolve) => {
    execFile(process.execPath, [path, ...args], { timeout: 60_000 }, (error, stdout) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ name, status: 'ok', result: JSON.parse(last) as unknown });
      } catch {
        resolve({ name, status: 'failed', note: error?.message ?? `unexpected output: ${last.slice(0, 200)}` });
      }
    });
  });
}

async function runExternal(quick: boolean): Promise<ExternalSection[]> {
  const sections: ExternalSection[] = [];
  for (const { name, file, exportName, quickOptions } of EXTERNAL_MODULES) {
    let section: ExternalSection;
    try {
      section = await runExternalModule(name, file, exportName, quickOptions, quick);
    } catch (error) {
      section = { name, status: 'failed', note: errorText(error) };
    }
    if (section.status !== 'ok') progress(`${name}: ${section.status} (${section.note ?? ''})`);
    sections.push(section);
  }
  sections.push(await runSimulatorRate(quick));
  return sections;
}

// ---- Targets from the issue ----

function targets(results: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const ratio = (value: number | undefined, digits = 2): string => (value === undefined ? 'n/a' : `${value.toFixed(digits)}x`);
  for (const transport of ['ws', 'wss'] as const) {
    const find = (client: ClientKind): ThroughputRow | undefined =>
      results.throughput.find((row) => row.transport === transport && row.client === client);
    const tick = find('tickwire');
    const raw = find('raw-data');
    if (tick === undefined) continue;
    const t = tick.median;
    rows.push({ target: `${transport}:// tickwire msg/s >= 2x ws`, measured: ratio(tick.vsWs), pass: tick.vsWs === undefined ? null : tick.vsWs >= 2 });
    rows.push({
      target: `${transport}:// tickwire msg/s >= 1.2x raw 'data' reader`,
      measured: ratio(tick.vsRawData),
      pass: tick.vsRawData === undefined ? null : tick.vsRawData >= 1.2,
    });
    const rawGc = raw?.median?.gcPer1M;
    rows.push({
      target: `${transport}:// tickwire GCs per 1M <= raw 'data' reader's`,
      measured: t === undefined || rawGc === undefined ? 'n/a' : `${t.gcPer1M.toFixed(1)} vs ${rawGc.toFixed(1)}`,
      pass: t === undefined || rawGc === undefined ? null : t.gcPer1M <= rawGc,
    });
    for (const { rate } of (results.config as BenchConfig).latencyRates) {
      const lat = (client: ClientKind): LatencyRow | undefined =>
        results.latency.find((row) => row.transport === transport && row.rate === rate && row.client === client);
      const a = lat('tickwire');
      const b = lat('raw-data');
      for (const [label, key] of [
        ['p50', 'p50Us'],
        ['p99', 'p99Us'],
      ] as const) {
        const mine = a?.[key];
        const floor = b?.[key];
        rows.push({
          target: `${transport}:// ${rate / 1000}k msg/s tickwire ${label} <= 1.1x raw 'data' reader's`,
          measured: mine === undefined || floor === undefined ? 'n/a' : `${mine.toFixed(1)} vs ${floor.toFixed(1)} us (${(mine / floor).toFixed(2)}x)`,
          pass: mine === undefined || floor === undefined ? null : mine <= 1.1 * floor,
        });
      }
    }
  }
  const pipeline = results.pipeline?.results.rows;
  for (const consumer of ['tickwire', 'tickwire-market'] as const) {
    const tick = pipeline?.find((row) => row.consumer === consumer && row.venue === undefined);
    if (tick === undefined) continue;
    const label = consumer === 'tickwire' ? 'tickwire' : 'tickwire ManagedStream';
    rows.push({ target: `pipeline: ${label} CPU per event <= 1/10 of ccxt watchOrderBook`, measured: ratio(tick.cpuVsCcxt), pass: tick.cpuVsCcxt === undefined ? null : tick.cpuVsCcxt >= 10 });
    rows.push({ target: `pipeline: ${label} CPU per event <= 1/3 of ws + JSON.parse + Map`, measured: ratio(tick.cpuVsWsMap), pass: tick.cpuVsWsMap === undefined ? null : tick.cpuVsWsMap >= 3 });
  }
  for (const row of pipeline ?? []) {
    if (row.status === 'skipped') continue;
    rows.push({
      target: `pipeline: ${row.consumer}${row.venue !== undefined ? ` (${row.venue})` : ''} final books equal the simulator's`,
      measured: `${row.booksEqual}/${row.booksCompared}`,
      pass: row.booksCompared > 0 && row.booksEqual === row.booksCompared,
    });
  }
  // Depth decode (bench/book.ts): scan + every level into fixed-point, against toString + JSON.parse
  // of the same message; the decoder as it runs behind a connection (receive buffer in kernel memory).
  const book = results.external.find((section) => section.name === 'book' && section.status === 'ok');
  const bookRows = Array.isArray(book?.result) ? (book.result as Array<{ case: string; variant: string; vsToStringJsonParse: number }>) : [];
  for (const row of bookRows) {
    if (!row.variant.startsWith('BinanceDepthDecoder') || row.variant.includes('LocalOrderBook')) continue;
    rows.push({ target: `depth decode: ${row.case}, ${row.variant} >= 5x buffer.toString + JSON.parse`, measured: ratio(row.vsToStringJsonParse), pass: row.vsToStringJsonParse >= 5 });
  }
  for (const size of PARSER_SIZES) {
    const row = results.parser.find((candidate) => candidate.size === size && candidate.parser === 'tickwire');
    if (row === undefined) continue;
    rows.push({ target: `FrameParser ${size} B frames >= 3x ws Receiver`, measured: ratio(row.vsWs), pass: row.vsWs === undefined ? null : row.vsWs >= 3 });
  }
  return rows;
}

function notes(results: BenchResults): string[] {
  const out: string[] = [];
  const raw = results.throughput.filter((row) => row.client === 'raw-onread' && row.median !== undefined);
  for (const row of raw) {
    out.push(
      `Sender headroom (${row.transport}://): the raw onread reader drains ${((row.median as ThroughputFigures).msgPerSec / 1e6).toFixed(2)}M msg/s ` +
        `with the sender busy ${(100 * (row.median as ThroughputFigures).senderBusy).toFixed(0)}% of its wall time.`,
    );
  }
  for (const row of [...results.throughput, ...results.latency, ...results.parser]) {
    if (row.status !== 'ok') {
      const label = 'client' in row ? CLIENT_LABELS[row.client] : `parser ${row.parser}`;
      out.push(`${row.status === 'skipped' ? 'Skipped' : 'FAILED'}: ${label}: ${row.note ?? ''}`);
    }
  }
  for (const row of results.pipeline?.results.rows ?? []) {
    if (row.status !== 'ok') out.push(`${row.status === 'skipped' ? 'Skipped' : 'FAILED'}: pipeline ${row.consumer}: ${row.note ?? ''}`);
  }
  for (const section of results.external) if (section.status !== 'ok') out.push(`${section.status === 'skipped' ? 'Skipped' : 'FAILED'}: ${section.name} bench: ${section.note ?? ''}`);
  return [...new Set(out)];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { config } = options;
  const began = Date.now();
  const cpu = cpus();
  const results: BenchResults = {
    schema: 1,
    quick: config.quick,
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      os: `${osType()} ${release()}`,
      node: process.version,
      v8: process.versions.v8,
      date: new Date().toISOString(),
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    },
    durationSec: 0,
    config,
    notes: [],
    throughput: [],
    latency: [],
    parser: [],
    external: [],
    targets: [],
  };
  const thisRun = { ...results.machine };
  if (options.pipelineOnly) {
    // Keep the previous run's other sections: only the pipeline section is replaced.
    const previous = join(options.outDir, 'bench-results.json');
    if (existsSync(previous)) {
      const old = JSON.parse(readFileSync(previous, 'utf8')) as BenchResults;
      Object.assign(results, { ...old, pipeline: undefined, targets: [], notes: [] });
    }
  }
  if (options.parser) results.parser = await runParsers(config);
  if (options.external) results.external = await runExternal(config.quick);
  if (options.e2e) {
    const sender = await Sender.start();
    try {
      results.throughput = await runThroughput(sender, config);
      results.latency = await runLatency(sender, config);
    } finally {
      sender.stop();
    }
  }
  if (options.pipeline) {
    const pipelineBegan = Date.now();
    const loadBefore = loadavg();
    const pipelineResults = await runPipelineBench(options.pipelineConfig, progress);
    // The load average says how much the run shared the machine (the VM is shared by other jobs).
    results.pipeline = { machine: thisRun, durationSec: Math.round((Date.now() - pipelineBegan) / 1000), results: pipelineResults, loadBefore, loadAfter: loadavg() };
  }
  if (!options.pipelineOnly) results.durationSec = Math.round((Date.now() - began) / 1000);
  results.targets = targets(results);
  results.notes = notes(results);

  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'bench-results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(options.outDir, 'bench-latency.svg'), renderLatencySvg(results));
  writeFileSync(join(options.outDir, 'benchmarks.md'), renderMarkdown(results));
  process.stdout.write(renderConsole(results));
  process.stdout.write(`\nwrote ${join(options.outDir, 'bench-results.json')}, benchmarks.md, bench-latency.svg (${results.durationSec} s)\n`);
  const pipelineRows: PipelineRow[] = results.pipeline?.results.rows ?? [];
  const failed = [...results.throughput, ...results.latency, ...results.parser, ...pipelineRows].some((row) => row.status === 'failed');
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
