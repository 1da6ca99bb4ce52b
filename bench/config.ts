// Run sizes for the full benchmark and for the --quick smoke run. The full run is sized to take
// about 6-8 minutes on a 2-core VM; --quick exists for the end-to-end test of the harness.
import type { ClientKind } from './client.js';

export interface LatencyRate {
  rate: number;
  warmup: number;
  measured: number;
}

export interface BenchConfig {
  quick: boolean;
  clients: ClientKind[];
  transports: boolean[];
  blastMessages: number;
  blastWarmup: number;
  blastRounds: number;
  latencyRates: LatencyRate[];
  latencyRounds: number;
  parserFrames: number;
  /** Payload bytes per parser run at most: 1M frames of 16 KiB would be 16 GiB. */
  parserMaxPayloadBytes: number;
  parserRounds: number;
  runTimeoutMs: number;
}

/** Every client, in table order: the floors first, then the libraries, tickwire last. */
export const ALL_CLIENTS: readonly ClientKind[] = ['raw-onread', 'raw-data', 'node-websocket', 'ws', 'ws-native', 'tickwire'];

export const CLIENT_LABELS: Readonly<Record<ClientKind | 'clock', string>> = {
  'raw-onread': 'raw net onread (floor)',
  'raw-data': "raw net 'data' (floor)",
  'node-websocket': 'Node WebSocket',
  ws: 'ws',
  'ws-native': 'ws + bufferutil/utf-8-validate',
  tickwire: 'tickwire',
  clock: 'harness cost (clock + stamp parse)',
};

export function fullConfig(): BenchConfig {
  return {
    quick: false,
    clients: [...ALL_CLIENTS],
    transports: [false, true],
    blastMessages: 1_000_000,
    // The first 10% warm the JIT up; the window measures the other 900k (figures scaled to 1M).
    blastWarmup: 100_000,
    blastRounds: 3,
    latencyRates: [
      // One second of warm-up: Node's WebSocket needs about that long before it keeps pace.
      { rate: 10_000, warmup: 10_000, measured: 30_000 },
      { rate: 50_000, warmup: 50_000, measured: 100_000 },
    ],
    latencyRounds: 2,
    parserFrames: 1_000_000,
    parserMaxPayloadBytes: 1024 * 1024 * 1024,
    parserRounds: 3,
    runTimeoutMs: 60_000,
  };
}

export function quickConfig(): BenchConfig {
  return {
    quick: true,
    clients: [...ALL_CLIENTS],
    transports: [false, true],
    blastMessages: 50_000,
    blastWarmup: 5_000,
    blastRounds: 1,
    latencyRates: [
      { rate: 10_000, warmup: 1_000, measured: 1_000 },
      { rate: 50_000, warmup: 2_500, measured: 2_500 },
    ],
    latencyRounds: 1,
    parserFrames: 20_000,
    parserMaxPayloadBytes: 16 * 1024 * 1024,
    parserRounds: 1,
    runTimeoutMs: 20_000,
  };
}
