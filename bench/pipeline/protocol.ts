// The pipeline benchmark's shared vocabulary: what the parent (bench/pipeline/run.ts) and a
// consumer child process (bench/pipeline/consumer.ts) say to each other over IPC, and the
// interface every consumer (ccxt, ws + JSON.parse + Map, tickwire) implements.
import type { WindowResult } from '../measure.js';

export type ConsumerKind = 'ccxt' | 'ws-map' | 'tickwire' | 'tickwire-market';

/** Table order: the heaviest first, tickwire last. */
export const CONSUMER_KINDS: readonly ConsumerKind[] = ['ccxt', 'ws-map', 'tickwire', 'tickwire-market'];

export interface ConsumerSpec {
  consumer: ConsumerKind;
  /** ws://host:port of the simulator (no path). */
  wsUrl: string;
  /** http://host:port of the simulator's REST endpoints. */
  restUrl: string;
  /** Lower-case stream symbols, e.g. "btcusdt". */
  symbols: string[];
  /** MarketVenue name the tickwire-market consumer drives (default 'binance-spot'). */
  venue?: string;
  /** When set: a V8 CPU profile of the measured window is written to this file. */
  profile?: string;
}

/** A book as its consumer holds it, levels best first, as numbers (what parseFloat of the decimal gives). */
export interface BookDump {
  updateId: number;
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

/**
 * What the benchmark's "user" does with every book update: read the best bid and ask, as a
 * strategy would. The running sum keeps the reads observable so no JIT can drop them.
 */
export class UserCallback {
  calls = 0;
  checksum = 0;

  onBook(bestBid: number, bestAsk: number): void {
    this.calls++;
    this.checksum += bestAsk - bestBid;
  }
}

/** One consumer under test: connects, keeps a book per symbol, calls the user on every update. */
export interface PipelineConsumer {
  /** Connects and subscribes; the books sync on their own (snapshot + buffered diffs). */
  start(): Promise<void>;
  /** Books that have applied their snapshot. */
  syncedBooks(): number;
  /** Diff events applied to a synced book since start. */
  readonly events: number;
  /** Update id of a symbol's book (upper case), NaN before it synced. */
  updateId(symbol: string): number;
  dump(symbol: string): BookDump;
  /** Resyncs caused by a gap in update ids (0 on a clean loopback run). */
  readonly resyncs: number;
  close(): Promise<void>;
}

export type ParentMessage =
  | { type: 'start' }
  | { type: 'stop' }
  /** The simulator is paused: reach these update ids (upper-case symbol -> id), then dump the books. */
  | { type: 'finish'; targets: Record<string, number> };

export type ChildMessage =
  | { type: 'synced'; elapsedMs: number }
  | { type: 'window'; window: WindowResult; systemMicros: number; callbacks: number }
  | { type: 'books'; books: Record<string, BookDump>; resyncs: number }
  | { type: 'skipped'; note: string }
  | { type: 'error'; error: string };
