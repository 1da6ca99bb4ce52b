// Sequence rules: whether a diff follows on from the book, per venue. LocalOrderBook asks its
// rule about every diff and acts on the answer; a venue with other ids (Bybit `u`/`seq`, OKX
// `seqId`/`prevSeqId`) plugs in a rule of its own. The rule gets the objects, not the ids: update
// ids are above 2^31 on Binance, and a double passed to a call V8 does not inline is boxed.

import type { DepthDiff } from './depth-diff.js';

/** The diff continues the book: apply it. */
export const SEQUENCE_APPLY = 0;
/** The diff is already contained in the book (its final id is not newer): skip it. */
export const SEQUENCE_STALE = 1;
/** Updates between the book and the diff are missing: resync. */
export const SEQUENCE_GAP = 2;
/** The diff overlaps the book without continuing it (ids went backwards or ranges overlap): resync. */
export const SEQUENCE_BROKEN = 3;

/**
 * How a venue's depth diffs chain onto a book: LocalOrderBook asks it about every diff and every snapshot, so one book
 * serves every venue (binanceSpotSequence, binanceFuturesSequence, and each venue's own).
 */
export interface SequenceRule {
  /**
   * Classifies `diff` against `bookId`, the book's update id (Binance: U, u and pu against it);
   * `first` is true for the first diff after a snapshot was loaded (some venues allow it to
   * overlap the snapshot).
   */
  check(book: { readonly updateId: number }, first: boolean, diff: DepthDiff): number;
  /**
   * True when a snapshot is too old for the buffered diffs: its update id ends before the first
   * buffered diff starts, so the updates in between are known to no one (ask again).
   */
  snapshotTooOld(snapshotId: number, firstBufferedId: number): boolean;
}

/**
 * Binance Spot (web-socket-streams.md, "How to manage a local order book correctly"): drop an
 * event whose u <= the book's id; the first event after the snapshot must have
 * U <= lastUpdateId + 1 <= u; after that "U of the next event is equal to u + 1 of the previous
 * event" — anything larger is a gap, anything smaller an overlap no valid stream produces.
 */
export const binanceSpotSequence: SequenceRule = {
  check(book: { readonly updateId: number }, first: boolean, diff: DepthDiff): number {
    const bookId = book.updateId;
    const firstId = diff.firstUpdateId;
    const finalId = diff.finalUpdateId;
    if (finalId <= bookId) return SEQUENCE_STALE;
    if (firstId === bookId + 1) return SEQUENCE_APPLY;
    if (firstId > bookId + 1) return SEQUENCE_GAP;
    return first ? SEQUENCE_APPLY : SEQUENCE_BROKEN;
  },
  snapshotTooOld(snapshotId: number, firstBufferedId: number): boolean {
    // Step 4: "If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back to step 3."
    return snapshotId < firstBufferedId;
  },
};

/**
 * Binance USD-M futures (derivatives docs, "How to manage a local order book correctly"): "Drop
 * any event where u is < lastUpdateId in the snapshot. The first processed event should have
 * U <= lastUpdateId AND u >= lastUpdateId. While listening to the stream, each new event's pu
 * should be equal to the previous event's u, otherwise initialize the process from step 3."
 */
export const binanceFuturesSequence: SequenceRule = {
  check(book: { readonly updateId: number }, first: boolean, diff: DepthDiff): number {
    const bookId = book.updateId;
    const firstId = diff.firstUpdateId;
    const finalId = diff.finalUpdateId;
    const previousId = diff.previousUpdateId;
    if (first) {
      if (finalId < bookId) return SEQUENCE_STALE;
      return firstId <= bookId ? SEQUENCE_APPLY : SEQUENCE_GAP;
    }
    if (previousId === bookId) return SEQUENCE_APPLY;
    if (finalId <= bookId) return SEQUENCE_STALE;
    return previousId > bookId ? SEQUENCE_GAP : SEQUENCE_BROKEN;
  },
  snapshotTooOld(snapshotId: number, firstBufferedId: number): boolean {
    return snapshotId < firstBufferedId;
  },
};
