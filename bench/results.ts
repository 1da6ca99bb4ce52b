import type { StageSummaries } from './client.js';
// The shape of docs/bench-results.json: everything docs/benchmarks.md and the SVG are made of.
import type { ClientKind } from './client.js';
import type { LatencySummary } from './latency.js';
import type { ParserKind } from './parser-bench.js';
import type { PipelineResults } from './pipeline/run.js';

export type Status = 'ok' | 'skipped' | 'failed';

export interface Machine {
  cpu: string;
  cores: number;
  os: string;
  node: string;
  v8: string;
  date: string;
  command: string;
}

/** Blast figures of one run, normalised to 1M messages. */
export interface ThroughputFigures {
  msgPerSec: number;
  cpuMsPer1M: number;
  heapBytesPer1M: number;
  gcPer1M: number;
  /** Sender CPU time over the sender's wall time for this connection: < 1 means it had headroom. */
  senderBusy: number;
}

export interface ThroughputRow {
  transport: 'ws' | 'wss';
  client: ClientKind;
  status: Status;
  note?: string;
  messages: number;
  rounds: ThroughputFigures[];
  /** Median of the rounds, figure by figure. */
  median?: ThroughputFigures;
  vsRawData?: number;
  vsWs?: number;
}

export interface LatencyRow {
  transport: 'ws' | 'wss';
  rate: number;
  client: ClientKind | 'clock';
  status: Status;
  note?: string;
  messages: number;
  rounds: LatencySummary[];
  merged?: LatencySummary;
  p50Us?: number;
  p99Us?: number;
  p999Us?: number;
  maxUs?: number;
  /** GCs during the measured part of the rounds, summed. */
  gcCount?: number;
  /** tickwire only: its stage clock per socket read, one entry per round, and the rounds merged. */
  stageRounds?: StageSummaries[];
  stages?: StageSummaries;
}

export interface ParserFigures {
  nsPerFrame: number;
  msgPerSec: number;
  mbPerSec: number;
  heapBytesPer1M: number;
  gcPer1M: number;
}

export interface ParserRow {
  size: number;
  parser: ParserKind;
  status: Status;
  note?: string;
  frames: number;
  rounds: ParserFigures[];
  median?: ParserFigures;
  vsWs?: number;
}

export interface TargetRow {
  target: string;
  measured: string;
  pass: boolean | null;
}

export interface ExternalSection {
  name: string;
  status: Status;
  note?: string;
  result?: unknown;
}

export interface BenchResults {
  schema: 1;
  quick: boolean;
  machine: Machine;
  durationSec: number;
  config: unknown;
  notes: string[];
  throughput: ThroughputRow[];
  latency: LatencyRow[];
  parser: ParserRow[];
  external: ExternalSection[];
  targets: TargetRow[];
  /**
   * Pipeline benchmark (bench/pipeline/): its own machine record, since `--pipeline-only` runs it
   * alone and keeps the other sections of the previous run.
   */
  pipeline?: { machine: Machine; durationSec: number; results: PipelineResults; loadBefore?: number[]; loadAfter?: number[] };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Figure-by-figure median of a list of records with the same numeric keys. */
export function medianOf<T extends object>(rows: readonly T[]): T | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const key of Object.keys(first)) out[key] = median(rows.map((row) => (row as Record<string, number>)[key] as number));
  return out as T;
}
