// The shape of docs/soak-results.json, from which docs/soak.md and docs/soak.svg are made.

export interface StreamFigures {
  /** Ids the simulator produced between the first one delivered and the last (the range the consumer owed). */
  sent: number;
  /** Deliveries to the consumer's callback, duplicates included. */
  received: number;
  distinct: number;
  /** Ids never delivered (counted by the harness, independently of the consumer). */
  missing: number;
  /** Ids the consumer reported as missing (gap reports). */
  reportedMissing: number;
  duplicated: number;
  /** Deliveries too late to classify (older than the accounting window). */
  tooLate: number;
}

export interface FaultRecord {
  atSec: number;
  type: string;
  /** Connections the fault touched. */
  affected: number;
  /** The consumer saw its connection go ('close 1001', 'silence', ...), if it did. */
  downReason?: string;
  /** Fault to connection seen gone (detection), ms. */
  detectMs?: number;
  /** Connection seen gone to first message on the new connection, ms. */
  reconnectMs?: number;
  /** Fault to first message on the new connection, ms. */
  outageMs?: number;
  error?: string;
}

export interface SoakSample {
  atSec: number;
  receivedPerSec: number;
  consumerRss: number;
  consumerHeapUsed: number;
  simulatorRss: number;
}

export interface SoakResults {
  machine: { cpu: string; cores: number; node: string; os: string; date: string; command: string; loadBefore: number[]; loadAfter: number[] };
  consumer: string;
  config: { seconds: number; targetRate: number; symbols: string[]; updatesPerSymbol: number; faultEverySec: number; silenceMs: number };
  durationSec: number;
  simulatorMessagesSent: number;
  streams: Record<string, StreamFigures>;
  faults: FaultRecord[];
  /** Disconnects no fault explains (the simulator dropping a slow consumer, ...). */
  unprovokedDowns: string[];
  /** Rollovers and handovers of the managed stream, with their time. */
  notes: string[];
  reconnectMs: { count: number; p50: number; p99: number; max: number };
  outageMs: { count: number; p50: number; p99: number; max: number };
  samples: SoakSample[];
}
