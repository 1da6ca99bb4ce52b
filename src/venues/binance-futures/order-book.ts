// A Binance USD-M futures local order book: LocalOrderBook with the futures sequence rule (pu
// chaining, src/book/sequence.ts binanceFuturesSequence), the Binance depth decoder for the
// snapshot, and (by default) GET /fapi/v1/depth over node:http(s), paced by its request weight.
//
// Derivatives docs, "How to manage a local order book correctly": get a depth snapshot from
// /fapi/v1/depth?symbol=BTCUSDT&limit=1000; "Drop any event where u is < lastUpdateId in the
// snapshot. The first processed event should have U <= lastUpdateId AND u >= lastUpdateId. While
// listening to the stream, each new event's pu should be equal to the previous event's u,
// otherwise initialize the process from step 3."
// GET /fapi/v1/depth: "limit: Default 500; Valid limits:[5, 10, 20, 50, 100, 500, 1000]";
// weight "5, 10, 20, 50: 2; 100: 5; 500: 10; 1000: 20".

import type { LocalOrderBook } from '../../book/local-order-book.js';
import { binanceFuturesSequence } from '../../book/sequence.js';
import { binanceRestSnapshotBook, type BinanceBookOptions } from '../binance/order-book.js';

/** Levels asked for by default: the docs' procedure uses limit=1000 (weight 20). */
export const USDM_DEFAULT_SNAPSHOT_LIMIT = 1000;
/** The only limits /fapi/v1/depth accepts. */
export const USDM_SNAPSHOT_LIMITS: readonly number[] = [5, 10, 20, 50, 100, 500, 1000];
/** Path of the USD-M REST depth snapshot (GET, `?symbol=...&limit=...`), relative to `restBase`. */
export const USDM_SNAPSHOT_PATH = '/fapi/v1/depth';

/** Request weight of GET /fapi/v1/depth for one of USDM_SNAPSHOT_LIMITS. */
export function usdmDepthRequestWeight(limit: number): number {
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}

/** Options of binanceUsdmOrderBook(): as Binance Spot's; `restBase` is https://fapi.binance.com or the simulator's restUrl. */
export type BinanceUsdmBookOptions = BinanceBookOptions;

/**
 * A LocalOrderBook for one USD-M futures symbol, kept by the docs' procedure: a REST snapshot,
 * then `depthUpdate` diffs chained by `pu` (binanceFuturesSequence). Snapshots come from
 * `fetchSnapshot`, or else GET {@link USDM_SNAPSHOT_PATH} on `restBase`, paced by the request's
 * weight (usdmDepthRequestWeight) within the optional shared budget.
 *
 * @throws RangeError when `limit` is not one of USDM_SNAPSHOT_LIMITS (default 1000).
 * @throws TypeError when neither `restBase` nor `fetchSnapshot` is given.
 */
export function binanceUsdmOrderBook(options: BinanceUsdmBookOptions): LocalOrderBook {
  const limit = options.limit ?? USDM_DEFAULT_SNAPSHOT_LIMIT;
  if (!USDM_SNAPSHOT_LIMITS.includes(limit)) {
    throw new RangeError(`binanceUsdmOrderBook: limit ${limit} is not one /fapi/v1/depth accepts (${USDM_SNAPSHOT_LIMITS.join(', ')})`);
  }
  return binanceRestSnapshotBook(options, {
    caller: 'binanceUsdmOrderBook',
    limit,
    weight: usdmDepthRequestWeight(limit),
    sequence: binanceFuturesSequence,
    path: USDM_SNAPSHOT_PATH,
  });
}
