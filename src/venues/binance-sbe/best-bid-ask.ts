// `<symbol>@bestBidAsk` (BestBidAskStreamEvent, template 10001) into the neutral TopOfBook.
// sbe-market-data-streams.md: "Best bid/ask streams in SBE are the equivalent of bookTicker
// streams in JSON, except they support auto-culling, and also include the eventTime field."
// Auto-culling: "when the system is under high load, it may drop outdated events instead of
// queuing all events and delivering them with a delay ... This is done on a per-symbol basis."
// So bookUpdateId grows with holes that mean nothing was lost that matters (SEQUENCE_MONOTONIC).
//
//   const bba = new SbeBestBidAskDecoder();   const top = new TopOfBook();
//   onMessage(data, start, end) { if (bba.decode(data, start, end, top)) use(top.bidPrice, ...); }
import type { TopOfBook } from '../../market/events.js';
import { readDecimalUnits, readUint53 } from './decimal.js';
import type { SbeDecoderOptions } from './frame.js';
import { SbeMessageDecoder } from './message-decoder.js';
import {
  BBA_ASK_PRICE,
  BBA_ASK_QTY,
  BBA_BID_PRICE,
  BBA_BID_QTY,
  BBA_BOOK_UPDATE_ID,
  BBA_EVENT_TIME,
  BBA_PRICE_EXPONENT,
  BBA_QTY_EXPONENT,
  TEMPLATE_BEST_BID_ASK,
} from './schema.js';
import { SBE_NOT_EXACT, SBE_SCALE_MISMATCH, SBE_UNKNOWN_TEMPLATE } from './sbe-error.js';

const EVENT_TIME = 0;
const UPDATE_ID = 1;
const BID_PRICE = 2;
const BID_QTY = 3;
const ASK_PRICE = 4;
const ASK_QTY = 5;

/** Decodes BestBidAskStreamEvent (template 10001, `<symbol>@bestBidAsk`) into a TopOfBook, without allocating. */
export class SbeBestBidAskDecoder extends SbeMessageDecoder {
  private readonly values = new Float64Array(6);

  constructor(options: SbeDecoderOptions = {}) {
    super(options);
  }

  /**
   * Decodes one message into `out` (whose scale must be the decoder's). False, with `error` set
   * and `out` untouched, for anything but a complete, exact BestBidAskStreamEvent.
   */
  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean {
    const frame = this.frame;
    if (!frame.walk(data, start, end)) return false;
    if (frame.templateId !== TEMPLATE_BEST_BID_ASK) return this.fail(SBE_UNKNOWN_TEMPLATE);
    if (out.scale !== this.scale) return this.fail(SBE_SCALE_MISMATCH);
    const view = frame.view;
    const at = frame.base + frame.root;
    const values = this.values;
    const priceExponent = view.getInt8(at + BBA_PRICE_EXPONENT);
    const qtyExponent = view.getInt8(at + BBA_QTY_EXPONENT);
    const priceShift = priceExponent + this.scale;
    const qtyShift = qtyExponent + this.scale;
    if (
      !readUint53(view, at + BBA_EVENT_TIME, values, EVENT_TIME) ||
      !readUint53(view, at + BBA_BOOK_UPDATE_ID, values, UPDATE_ID) ||
      !readDecimalUnits(view, at + BBA_BID_PRICE, priceShift, values, BID_PRICE) ||
      !readDecimalUnits(view, at + BBA_BID_QTY, qtyShift, values, BID_QTY) ||
      !readDecimalUnits(view, at + BBA_ASK_PRICE, priceShift, values, ASK_PRICE) ||
      !readDecimalUnits(view, at + BBA_ASK_QTY, qtyShift, values, ASK_QTY)
    ) {
      return this.fail(SBE_NOT_EXACT);
    }
    this.priceExponent = priceExponent;
    this.qtyExponent = qtyExponent;
    out.eventTimeUs = values[EVENT_TIME]!;
    out.updateId = values[UPDATE_ID]!;
    out.bidPrice = values[BID_PRICE]!;
    out.bidQuantity = values[BID_QTY]!;
    out.askPrice = values[ASK_PRICE]!;
    out.askQuantity = values[ASK_QTY]!;
    return true;
  }

}

