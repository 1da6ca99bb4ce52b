// OKX order book pushes -> DepthDiff, straight from the receive buffer. The payload is the push's
// `data` array (the stream decoder's payloadStart..payloadEnd) holding one object; OKX v5 docs,
// WS / Order book channel:
//
//   {"asks":[["8476.98","415","0","13"],..],"bids":[["8476.97","256","0","12"],..],
//    "ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}
//
//   "An example of the array of asks and bids values: ["411.8", "10", "0", "4"] - "411.8" is the
//    depth price - "10" is the quantity at the price [...] - "0" is part of a deprecated feature
//    and it is always "0" - "4" is the number of orders at the price."
//   "prevSeqId | Sequence ID of the last sent message. Only applicable to books, books-l2-tbt,
//    books50-l2-tbt"; "The smallest possible sequence ID value is 0, except in snapshot messages
//    where the prevSeqId is always -1."
//
// So: prevSeqId -1 (or absent: books5 and bbo-tbt push a snapshot every time) is a DEPTH_SNAPSHOT
// of the top of the book, anything else a DEPTH_DIFF. Ids land in the DepthDiff as
// finalUpdateId = seqId, previousUpdateId = prevSeqId and firstUpdateId = prevSeqId + 1 (the
// stream layer's convention for venues that name their predecessor: src/stream/venue.ts); a
// keep-alive update ("seqId is the same as the last sent message and prevSeqId equals to seqId")
// then has firstUpdateId = finalUpdateId + 1, and one after a sequence reset ("seqId smaller than
// prevSeqId") a finalUpdateId below it. checksum is NaN when absent and
// OKX_CHECKSUM_UNVERIFIABLE when a level is not spelled canonically (checksum.ts says why).

import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff } from '../../book/depth-diff.js';
import { DEFAULT_SCALE, scanUnits } from '../../market-json/fixed-point.js';
import { jsonFields, KIND_ARRAY, KIND_NUMBER, type JsonFields, type LevelIterator } from '../../market-json/index.js';
import { OKX_CHECKSUM_UNVERIFIABLE } from './checksum.js';
import { DataArrayWalker } from './data-array.js';

const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;

// Field order of the scan.
const F_ASKS = 0;
const F_BIDS = 1;
const F_TS = 2;
const F_CHECKSUM = 3;
const F_PREV_SEQ_ID = 4;
const F_SEQ_ID = 5;
const FIELDS = ['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId'];

/** True when data[start, end) is a decimal in OKX's spelling: no leading zero, no trailing fraction zero. */
export function isCanonicalDecimal(data: Uint8Array, start: number, end: number): boolean {
  if (end - start > 1 && data[start] === CHAR_0 && data[start + 1] !== CHAR_DOT) return false;
  for (let i = start; i < end; i++) if (data[i] === CHAR_DOT) return data[end - 1] !== CHAR_0;
  return true;
}

/**
 * Decodes books, books5, bbo-tbt, books-l2-tbt and books50-l2-tbt pushes into one reusable
 * DepthDiff. decode() returns false for anything that is not a valid book push.
 */
export class OkxBookDecoder {
  readonly diff: DepthDiff;
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(FIELDS, { optional: ['ts', 'checksum', 'prevSeqId'] });
  private readonly walker = new DataArrayWalker();
  private data: Uint8Array = new Uint8Array(0);
  /** All levels of the current message were canonical. */
  private canonical = true;

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = scale;
    this.diff = new DepthDiff(scale);
  }

  /** Decodes the `data` array data[start, end) into `this.diff`; false when it is not one book object. */
  decode(data: Uint8Array, start: number, end: number): boolean {
    const diff = this.diff;
    diff.reset();
    const walker = this.walker;
    if (!walker.begin(data, start, end) || !walker.next()) return false;
    const objectStart = walker.objectStart;
    const objectEnd = walker.objectEnd;
    if (walker.next() || walker.malformed) return false; // exactly one object
    return this.decodeObject(data, objectStart, objectEnd);
  }

  /** Decodes one book object data[start, end) (the element of the `data` array). */
  decodeObject(data: Uint8Array, start: number, end: number): boolean {
    const diff = this.diff;
    diff.reset();
    const fields = this.fields;
    if (!fields.scan(data, start, end)) return false;
    if (fields.kind(F_ASKS) !== KIND_ARRAY || fields.kind(F_BIDS) !== KIND_ARRAY || fields.kind(F_SEQ_ID) !== KIND_NUMBER) return false;
    const seqId = fields.integer(F_SEQ_ID);
    if (seqId !== seqId) return false;
    this.data = data;
    this.canonical = true;
    const bidCount = this.readLevels(fields.levels(F_BIDS), true);
    if (bidCount < 0) return false;
    const askCount = this.readLevels(fields.levels(F_ASKS), false);
    if (askCount < 0) return false;
    diff.bidCount = bidCount;
    diff.askCount = askCount;
    diff.finalUpdateId = seqId;
    if (fields.has(F_TS)) diff.eventTime = fields.integer(F_TS);
    if (fields.has(F_CHECKSUM)) {
      const checksum = fields.integer(F_CHECKSUM);
      if (checksum !== checksum || fields.kind(F_CHECKSUM) !== KIND_NUMBER) return false;
      diff.checksum = this.canonical ? checksum : OKX_CHECKSUM_UNVERIFIABLE;
    }
    const previous = fields.has(F_PREV_SEQ_ID) ? fields.integer(F_PREV_SEQ_ID) : -1;
    if (previous !== previous) return false;
    diff.previousUpdateId = previous;
    if (previous === -1) {
      diff.kind = DEPTH_SNAPSHOT;
      diff.firstUpdateId = seqId;
    } else {
      diff.kind = DEPTH_DIFF;
      diff.firstUpdateId = previous + 1;
    }
    return true;
  }

  /** Levels into the diff's pairs; the count, or -1 for a level that is not [price, size, ...] decimals at the scale. */
  private readLevels(levels: LevelIterator, bids: boolean): number {
    const diff = this.diff;
    const data = this.data;
    const scale = this.scale;
    let count = 0;
    while (levels.next()) {
      const out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      const priceStart = levels.priceStart;
      const priceEnd = levels.priceEnd;
      const quantityStart = levels.quantityStart;
      const quantityEnd = levels.quantityEnd;
      if (scanUnits(data, priceStart, priceEnd, scale, out, 2 * count) !== priceEnd) return -1;
      if (scanUnits(data, quantityStart, quantityEnd, scale, out, 2 * count + 1) !== quantityEnd) return -1;
      if (this.canonical && !(isCanonicalDecimal(data, priceStart, priceEnd) && isCanonicalDecimal(data, quantityStart, quantityEnd))) this.canonical = false;
      count++;
    }
    return levels.malformed ? -1 : count;
  }
}
