// `<symbol>@depth` (DepthDiffStreamEvent, template 10003) and `<symbol>@depth20`
// (DepthSnapshotStreamEvent, template 10002) into the book's DepthDiff. The diff stream keeps a
// local book the way the JSON one does (sbe-market-data-streams.md: "Use this stream to maintain
// a local order book", linking web-socket-streams.md "How to manage a local order book
// correctly"): firstBookUpdateId / lastBookUpdateId are JSON's U / u, applied on a REST
// /api/v3/depth snapshot with binanceSpotSequence. depth20 is a snapshot of the top 20 levels
// (kind DEPTH_SNAPSHOT, both ids = bookUpdateId).
//
// Levels are read straight from the groups into the DepthDiff's Float64Arrays (which grow only
// when a message holds more levels than any before): no allocation in steady state.
import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff } from '../../book/depth-diff.js';
import { readDecimalUnits, readUint53 } from './decimal.js';
import type { SbeDecoderOptions } from './frame.js';
import { SbeMessageDecoder } from './message-decoder.js';
import {
  DIFF_EVENT_TIME,
  DIFF_FIRST_UPDATE_ID,
  DIFF_LAST_UPDATE_ID,
  DIFF_PRICE_EXPONENT,
  DIFF_QTY_EXPONENT,
  LEVEL_PRICE,
  LEVEL_QTY,
  SNAPSHOT_BOOK_UPDATE_ID,
  SNAPSHOT_EVENT_TIME,
  SNAPSHOT_PRICE_EXPONENT,
  SNAPSHOT_QTY_EXPONENT,
  TEMPLATE_DEPTH_DIFF,
  TEMPLATE_DEPTH_SNAPSHOT,
} from './schema.js';
import { SBE_NOT_EXACT, SBE_UNKNOWN_TEMPLATE } from './sbe-error.js';

const EVENT_TIME = 0;
const FIRST_ID = 1;
const LAST_ID = 2;

/** Decodes DepthDiffStreamEvent (10003, `<symbol>@depth`) and DepthSnapshotStreamEvent (10002, `<symbol>@depth20`) into a DepthDiff. */
export class SbeDepthDecoder extends SbeMessageDecoder {
  /** The last message decoded (reused; valid until the next decode). Times in µs. */
  readonly diff: DepthDiff;
  private readonly values = new Float64Array(3);

  constructor(options: SbeDecoderOptions = {}) {
    super(options);
    this.diff = new DepthDiff(this.scale);
  }

  /**
   * Decodes a DepthDiffStreamEvent (kind DEPTH_DIFF) or DepthSnapshotStreamEvent (kind
   * DEPTH_SNAPSHOT) into `diff`. False, with `error` set and `diff` reset, for anything else.
   */
  decode(data: Uint8Array, start: number, end: number): boolean {
    const frame = this.frame;
    const diff = this.diff;
    diff.reset();
    if (!frame.walk(data, start, end)) return false;
    const view = frame.view;
    const root = frame.base + frame.root;
    const values = this.values;
    const templateId = frame.templateId;
    let priceExponent = 0;
    let qtyExponent = 0;
    if (templateId === TEMPLATE_DEPTH_DIFF) {
      if (!readUint53(view, root + DIFF_EVENT_TIME, values, EVENT_TIME) || !readUint53(view, root + DIFF_FIRST_UPDATE_ID, values, FIRST_ID) || !readUint53(view, root + DIFF_LAST_UPDATE_ID, values, LAST_ID)) {
        return this.fail(SBE_NOT_EXACT);
      }
      priceExponent = view.getInt8(root + DIFF_PRICE_EXPONENT);
      qtyExponent = view.getInt8(root + DIFF_QTY_EXPONENT);
      diff.kind = DEPTH_DIFF;
    } else if (templateId === TEMPLATE_DEPTH_SNAPSHOT) {
      if (!readUint53(view, root + SNAPSHOT_EVENT_TIME, values, EVENT_TIME) || !readUint53(view, root + SNAPSHOT_BOOK_UPDATE_ID, values, LAST_ID)) {
        return this.fail(SBE_NOT_EXACT);
      }
      values[FIRST_ID] = values[LAST_ID]!;
      priceExponent = view.getInt8(root + SNAPSHOT_PRICE_EXPONENT);
      qtyExponent = view.getInt8(root + SNAPSHOT_QTY_EXPONENT);
      diff.kind = DEPTH_SNAPSHOT;
    } else {
      return this.fail(SBE_UNKNOWN_TEMPLATE);
    }
    const priceShift = priceExponent + this.scale;
    const qtyShift = qtyExponent + this.scale;
    const bidCount = frame.group0Count;
    const askCount = frame.group1Count;
    if (!this.levels(diff.growBids(bidCount), view, frame.base + frame.group0, frame.group0EntryLength, bidCount, priceShift, qtyShift)) return this.fail(SBE_NOT_EXACT);
    if (!this.levels(diff.growAsks(askCount), view, frame.base + frame.group1, frame.group1EntryLength, askCount, priceShift, qtyShift)) return this.fail(SBE_NOT_EXACT);
    diff.bidCount = bidCount;
    diff.askCount = askCount;
    diff.eventTime = values[EVENT_TIME]!;
    diff.firstUpdateId = values[FIRST_ID]!;
    diff.finalUpdateId = values[LAST_ID]!;
    diff.symbolStart = frame.symbolStart;
    diff.symbolEnd = frame.symbolEnd;
    this.priceExponent = priceExponent;
    this.qtyExponent = qtyExponent;
    return true;
  }

  /** Copies `count` [price, qty] entries into `pairs`, exactly; false at the first that is not. */
  private levels(pairs: Float64Array, view: DataView, at: number, entryLength: number, count: number, priceShift: number, qtyShift: number): boolean {
    for (let index = 0; index < count; index++, at += entryLength) {
      if (!readDecimalUnits(view, at + LEVEL_PRICE, priceShift, pairs, 2 * index) || !readDecimalUnits(view, at + LEVEL_QTY, qtyShift, pairs, 2 * index + 1)) return false;
    }
    return true;
  }

  protected override fail(error: number): false {
    this.diff.reset();
    return super.fail(error);
  }
}
