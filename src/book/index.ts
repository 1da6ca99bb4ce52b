// Public surface of the local order book: a venue-neutral book (fixed-point sides, O(1) best
// levels, rank views into the live arrays), its input (DepthDiff, filled by a venue decoder),
// the snapshot + diff synchronizer with its sequence rules and request pacing.
export { BookError } from './book-error.js';
export type { BookErrorCode } from './book-error.js';
export { DepthDiff, DEPTH_DIFF, DEPTH_SNAPSHOT } from './depth-diff.js';
export { BookSide, DEFAULT_MAX_LEVELS } from './book-side.js';
export { OrderBook } from './order-book.js';
export {
  LocalOrderBook,
  BOOK_SYNCING,
  BOOK_IN_SYNC,
  BOOK_CLOSED,
  REASON_STARTED,
  REASON_SNAPSHOT_LOADED,
  REASON_GAP,
  REASON_SEQUENCE_BROKEN,
  REASON_RESET,
  REASON_CHECKSUM,
  REASON_CLOSED,
  DIFF_APPLIED,
  DIFF_STALE,
  DIFF_BUFFERED,
  DIFF_RESYNC,
  DIFF_IGNORED,
  DIFF_SNAPSHOT_LOADED,
  DIFF_AWAITING_SNAPSHOT,
  DEFAULT_IN_BAND_SNAPSHOT_TIMEOUT_MS,
} from './local-order-book.js';
export type { BookListener, LocalOrderBookOptions, RetryAfterError } from './local-order-book.js';
export {
  binanceSpotSequence,
  binanceFuturesSequence,
  SEQUENCE_APPLY,
  SEQUENCE_STALE,
  SEQUENCE_GAP,
  SEQUENCE_BROKEN,
} from './sequence.js';
export type { SequenceRule } from './sequence.js';
export { RequestBudget, SnapshotPacer, DEFAULT_SNAPSHOT_INTERVAL_MS, DEFAULT_SNAPSHOT_MAX_BACKOFF_MS } from './snapshot-pacer.js';
export type { SnapshotPacing } from './snapshot-pacer.js';
export { DEFAULT_MAX_BUFFERED_EVENTS } from './pending-diffs.js';
