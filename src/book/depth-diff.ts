// The book's input: one decoded depth message (a diff, or a snapshot of the top of the book),
// venue-neutral. A venue decoder (src/venues/<venue>/) fills one DepthDiff per stream and reuses
// it for every message, so decoding allocates nothing once the level arrays have grown to the
// largest message seen.
//
// Levels are fixed-point integers (src/market-json/fixed-point.ts) at the diff's `scale`, stored
// as pairs: bids[2k] = price, bids[2k + 1] = quantity, in the order the message lists them.
// A quantity of 0 removes the level (Binance: "If the quantity is 0, remove the price level").

import { checkScale, DEFAULT_SCALE } from '../market-json/fixed-point.js';
import { grownArray } from '../memory/growth.js';

/** Starting capacity in levels per side; doubles when a message holds more. */
const INITIAL_LEVELS = 64;

/** `kind`: a diff to apply on top of the book (Binance `depthUpdate`). */
export const DEPTH_DIFF = 0;
/** `kind`: the book's top levels as a whole (REST snapshot, Binance partial depth `depth5/10/20`). */
export const DEPTH_SNAPSHOT = 1;

/**
 * One decoded depth message, venue-neutral: a diff to apply or a snapshot of the book's top, with its update ids and
 * its levels as fixed-point pairs. A venue decoder fills one per stream and reuses it for every message.
 */
export class DepthDiff {
  /** Decimal places of the fixed-point levels (prices and quantities are value * 10^scale). */
  readonly scale: number;
  /** DEPTH_DIFF or DEPTH_SNAPSHOT. */
  kind = DEPTH_DIFF;
  /** Event time (ms, or µs when the stream was asked for microseconds); NaN when the message has none. */
  eventTime = NaN;
  /** Transaction time (Binance USD-M `T`); NaN when the message has none. */
  transactionTime = NaN;
  // Id and time fields start (and reset) as NaN, never as a small integer: V8 then gives them a
  // double representation from the start, and storing Binance's ids (past 2^31) into them never
  // changes the object's shape (a Smi -> double field change deprecates the shape, and code that
  // still meets the old one stores every double as a new HeapNumber: test/book/allocation.test.ts).
  /** First update id in the event (Binance `U`); for a snapshot, its lastUpdateId. NaN until decoded. */
  firstUpdateId = NaN;
  /** Final update id in the event (Binance `u`); for a snapshot, its lastUpdateId. NaN until decoded. */
  finalUpdateId = NaN;
  /** The previous event's final update id when the venue sends it (Binance USD-M `pu`), else NaN. */
  previousUpdateId = NaN;
  /** A checksum the venue sent over its book (OKX CRC32), else NaN; checked by a BookVerifier. */
  checksum = NaN;
  /** Byte range of the symbol in the decoded buffer (valid until that buffer is reused); 0, 0 when absent. */
  symbolStart = 0;
  /** End (exclusive) of the symbol's byte range; 0 when absent. */
  symbolEnd = 0;
  /** Byte range of the stream name of a combined-stream message; 0, 0 when absent. */
  streamStart = 0;
  /** End (exclusive) of the stream name's byte range; 0 when absent. */
  streamEnd = 0;
  /** Number of bid / ask levels in this message. */
  bidCount = 0;
  /** Number of ask levels in this message (`asks` holds 2 * askCount entries for it). */
  askCount = 0;
  /** [price, quantity] pairs in message order; only the first 2 * bidCount entries are this message's. */
  bids: Float64Array;
  /** Ask levels as [price, quantity] pairs in message order; only the first 2 * askCount entries are this message's. */
  asks: Float64Array;

  constructor(scale: number = DEFAULT_SCALE, initialLevels: number = INITIAL_LEVELS) {
    this.scale = checkScale(scale);
    this.bids = new Float64Array(2 * initialLevels);
    this.asks = new Float64Array(2 * initialLevels);
  }

  /** Clears everything a decoder fills, before it decodes the next message. */
  reset(): void {
    this.kind = DEPTH_DIFF;
    this.eventTime = NaN;
    this.transactionTime = NaN;
    this.firstUpdateId = NaN;
    this.finalUpdateId = NaN;
    this.previousUpdateId = NaN;
    this.checksum = NaN;
    this.symbolStart = 0;
    this.symbolEnd = 0;
    this.streamStart = 0;
    this.streamEnd = 0;
    this.bidCount = 0;
    this.askCount = 0;
  }

  /** Makes room for `levels` bid levels (a decoder calls it before writing past the end). */
  growBids(levels: number): Float64Array {
    if (2 * levels > this.bids.length) this.bids = grownArray(this.bids, 2 * levels);
    return this.bids;
  }

  /** Makes room for `levels` ask levels. */
  growAsks(levels: number): Float64Array {
    if (2 * levels > this.asks.length) this.asks = grownArray(this.asks, 2 * levels);
    return this.asks;
  }

  /** Copies another diff of the same scale into this one (used to keep a diff past its buffer's life). */
  copyFrom(other: DepthDiff): void {
    if (other.scale !== this.scale) throw new RangeError(`scale ${other.scale} differs from ${this.scale}`);
    this.kind = other.kind;
    this.eventTime = other.eventTime;
    this.transactionTime = other.transactionTime;
    this.firstUpdateId = other.firstUpdateId;
    this.finalUpdateId = other.finalUpdateId;
    this.previousUpdateId = other.previousUpdateId;
    this.checksum = other.checksum;
    this.symbolStart = other.symbolStart;
    this.symbolEnd = other.symbolEnd;
    this.streamStart = other.streamStart;
    this.streamEnd = other.streamEnd;
    this.bidCount = other.bidCount;
    this.askCount = other.askCount;
    this.growBids(other.bidCount).set(other.bids.subarray(0, 2 * other.bidCount));
    this.growAsks(other.askCount).set(other.asks.subarray(0, 2 * other.askCount));
  }
}
