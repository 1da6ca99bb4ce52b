// A Binance Spot local order book: LocalOrderBook with Binance's sequence rule, its snapshot
// decoder and (by default) GET /api/v3/depth over node:http(s), paced by request weight.

import { DEPTH_SNAPSHOT, type DepthDiff } from '../../book/depth-diff.js';
import { LocalOrderBook, type BookListener } from '../../book/local-order-book.js';
import { binanceSpotSequence, type SequenceRule } from '../../book/sequence.js';
import type { RequestBudget } from '../../book/snapshot-pacer.js';
import { BinanceDepthDecoder } from './depth-decoder.js';
import { DEFAULT_SNAPSHOT_LIMIT, depthRequestWeight, httpSnapshotSource } from './snapshot-request.js';

/** Options of binanceSpotOrderBook(): the symbol, where snapshots come from, and the pacing and bounds of the book. */
export interface BinanceBookOptions {
  /** Upper-case symbol as in REST ("BTCUSDT"). */
  symbol: string;
  /** REST base for the default snapshot source (https://api.binance.com, or the simulator's restUrl). */
  restBase?: string;
  /** Replaces the default HTTP source: returns the bytes of a /api/v3/depth answer. */
  fetchSnapshot?: (symbol: string) => Promise<Uint8Array>;
  /** Snapshot levels per side. Default 1000. */
  limit?: number;
  /** Fixed-point decimals (must match the diff decoder). Default 8. */
  scale?: number;
  /** Levels per side at most (the worst go first). Default 10,000. */
  maxLevels?: number;
  /** State changes, gaps (with the missing ids) and snapshot errors. */
  listener?: BookListener;
  /** Share one budget between all books of one IP: new RequestBudget(6000, 60_000). */
  budget?: RequestBudget;
  /** Minimum time between two snapshot requests of this book. Default 1000 ms. */
  snapshotIntervalMs?: number;
  /** Longest wait after repeated snapshot failures. Default 60 s. */
  maxBackoffMs?: number;
  /** Trusted CA for an https restBase. */
  ca?: string | Buffer;
}

/** Decodes a /api/v3/depth body ({"lastUpdateId":..,"bids":..,"asks":..}) into `out`. */
export function binanceSnapshotDecoder(scale?: number): (body: Uint8Array, out: DepthDiff) => boolean {
  const decoder = new BinanceDepthDecoder(scale === undefined ? {} : { scale });
  return (body, out) => {
    if (!decoder.decode(body, 0, body.length) || decoder.diff.kind !== DEPTH_SNAPSHOT) return false;
    out.copyFrom(decoder.diff);
    return true;
  };
}

/**
 * A LocalOrderBook with Binance Spot's rules: the snapshot + buffered-diff procedure of web-socket-streams.md, its
 * sequence rule (U/u), snapshots from GET /api/v3/depth (or `fetchSnapshot`) paced by request weight. Feed it the
 * diffs of `<symbol>@depth` / `@depth@100ms` decoded by BinanceDepthDecoder.
 */
export function binanceSpotOrderBook(options: BinanceBookOptions): LocalOrderBook {
  const limit = options.limit ?? DEFAULT_SNAPSHOT_LIMIT;
  return binanceRestSnapshotBook(options, { caller: 'binanceSpotOrderBook', limit, weight: depthRequestWeight(limit), sequence: binanceSpotSequence });
}

/** What a Binance book kept on a REST depth snapshot takes from its market (Spot, USD-M futures). */
export interface RestSnapshotRules {
  /** The public function building the book, named in its errors. */
  readonly caller: string;
  /** Levels per snapshot (already checked against the endpoint's accepted limits). */
  readonly limit: number;
  /** Request weight of one snapshot at `limit`. */
  readonly weight: number;
  /** The diffs' sequence rule. */
  readonly sequence: SequenceRule;
  /** The depth endpoint's path; default httpSnapshotSource's (/api/v3/depth). */
  readonly path?: string;
}

/**
 * The LocalOrderBook of every Binance market whose snapshots are a REST depth answer decoded by
 * BinanceDepthDecoder: `fetchSnapshot`, or else GET `rules.path` on `restBase`, paced by the
 * request's weight within the optional shared budget.
 */
export function binanceRestSnapshotBook(options: BinanceBookOptions, rules: RestSnapshotRules): LocalOrderBook {
  let fetchSnapshot = options.fetchSnapshot;
  if (fetchSnapshot === undefined) {
    if (options.restBase === undefined) throw new TypeError(`${rules.caller}: restBase or fetchSnapshot is required`);
    fetchSnapshot = httpSnapshotSource({
      restBase: options.restBase,
      limit: rules.limit,
      ...(rules.path !== undefined && { path: rules.path }),
      ...(options.ca !== undefined && { ca: options.ca }),
    });
  }
  return new LocalOrderBook({
    symbol: options.symbol,
    fetchSnapshot,
    decodeSnapshot: binanceSnapshotDecoder(options.scale),
    sequence: rules.sequence,
    ...(options.scale !== undefined && { scale: options.scale }),
    ...(options.maxLevels !== undefined && { maxLevels: options.maxLevels }),
    ...(options.listener !== undefined && { listener: options.listener }),
    pacing: {
      weight: rules.weight,
      ...(options.budget !== undefined && { budget: options.budget }),
      ...(options.snapshotIntervalMs !== undefined && { minIntervalMs: options.snapshotIntervalMs }),
      ...(options.maxBackoffMs !== undefined && { maxBackoffMs: options.maxBackoffMs }),
    },
  });
}
