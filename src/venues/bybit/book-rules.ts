// The order book rules of Bybit v5 `orderbook.{depth}.{symbol}`, from
// docs/v5/websocket/public/orderbook.mdx ("Process snapshot/delta"):
//
//   "Once you have subscribed successfully, you will receive a `snapshot`. The WebSocket will keep
//    pushing `delta` messages every time the orderbook changes. If you receive a new `snapshot`
//    message, you will have to reset your local orderbook."
//   "If you receive an amount that is `0`, delete the entry / If you receive an amount that does
//    not exist, insert it / If the entry exists, you simply update the value"
//   u: "Occasionally, you'll receive "u"=1, which is a snapshot data due to the restart of the
//    service. So please overwrite your local orderbook"
//
// Snapshots (and u = 1, which the decoder turns into a snapshot) load the book in-band: no REST.
// What the docs do not say: that a delta's u is the previous u + 1. Only the full-depth stream
// (orderbook.full) documents u as "Always incremental within a session" — growing, not by one.
// So a hole between two u values is not a gap tickwire may report; what is detectable is a delta
// whose u does not move forward (repeated or backwards: out of order, or a book from before a
// restart), which breaks the book: resync, i.e. subscribe again for a fresh snapshot. A lost
// connection loses nothing silently either: the new subscription starts with a snapshot.
import type { DepthDiff } from '../../book/depth-diff.js';
import { SEQUENCE_APPLY, SEQUENCE_BROKEN, type SequenceRule } from '../../book/sequence.js';

/**
 * Bybit's book rule as a SequenceRule: a delta applies when its u is above the book's update id
 * and otherwise breaks the book (a resync resubscribes for a fresh snapshot). Holes in u are not
 * gaps (the docs do not promise u + 1), and in-band snapshots are never too old.
 */
export const bybitBookSequence: SequenceRule = {
  check(book: { readonly updateId: number }, _first: boolean, diff: DepthDiff): number {
    return diff.finalUpdateId > book.updateId ? SEQUENCE_APPLY : SEQUENCE_BROKEN;
  },
  snapshotTooOld(): boolean {
    // Snapshots come in-band, in order with the deltas: never too old for them.
    return false;
  },
};
