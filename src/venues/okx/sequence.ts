// OKX's book sequence as a SequenceRule for LocalOrderBook. OKX v5 docs, WS / Order book
// channel, "Sequence ID":
//
//   "Users can use prevSeqId and seqId to build the message sequencing for incremental order
//    book updates. Generally the value of seqId is larger than prevSeqId. The prevSeqId in the
//    new message matches with seqId of the previous message. The smallest possible sequence ID
//    value is 0, except in snapshot messages where the prevSeqId is always -1."
//   "1. If there are no updates to the depth for an extended period (Around 60 seconds), [...]
//    for the channel that has incremental data, OKX will send a message with 'asks': [],
//    'bids': [] to inform users that the connection is still active. seqId is the same as the
//    last sent message and prevSeqId equals to seqId. 2. The sequence number may be reset due to
//    maintenance, and in this case, users will receive an incremental message with seqId smaller
//    than prevSeqId. However, subsequent messages will follow the regular sequencing rule."
//
// The book's update id is the seqId of the last message applied (OkxBookDecoder puts prevSeqId
// in DepthDiff.previousUpdateId and seqId in finalUpdateId). An update applies exactly when its
// prevSeqId is the book's id, which covers the keep-alive and the reset; one naming a later
// predecessor is a gap, one naming an earlier one is stale if it ends at or before the book (a
// copy from before an in-band snapshot) and broken otherwise.
import { SEQUENCE_APPLY, SEQUENCE_BROKEN, SEQUENCE_GAP, SEQUENCE_STALE, type SequenceRule } from '../../book/sequence.js';
import type { DepthDiff } from '../../book/depth-diff.js';

/**
 * OKX's prevSeqId/seqId chain as a SequenceRule: an update applies when its prevSeqId equals
 * the book's update id (the last applied seqId), which also accepts keep-alives and the
 * maintenance reset; a later prevSeqId is a gap, an earlier one stale or broken. Snapshots
 * come in-band, so none is ever too old.
 */
export const okxSequence: SequenceRule = {
  check(book: { readonly updateId: number }, _first: boolean, diff: DepthDiff): number {
    const bookId = book.updateId;
    const previousId = diff.previousUpdateId;
    if (previousId === bookId) return SEQUENCE_APPLY;
    if (previousId > bookId) return SEQUENCE_GAP;
    return diff.finalUpdateId <= bookId ? SEQUENCE_STALE : SEQUENCE_BROKEN;
  },
  snapshotTooOld(): boolean {
    // Snapshots come in-band, in order with the updates: a snapshot is never older than what
    // follows it on the same stream.
    return false;
  },
};
