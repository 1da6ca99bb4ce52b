// `<symbol>@trade` (TradesStreamEvent, template 10000) into the neutral TradeTick. One message
// holds several trades (group `trades`): begin() checks the whole message, then next() fills one
// TradeTick per call, with no allocation.
//
//   if (trades.begin(data, start, end)) while (trades.next(tick)) use(tick.price, tick.quantity, tick.side);
//
// begin() validates every entry before the first next(): a message is delivered whole or not at
// all, never as a few trades followed by a failure.
import { SIDE_BUY, SIDE_SELL, type TradeTick } from '../../market/events.js';
import { readDecimalUnits, readUint53 } from './decimal.js';
import type { SbeDecoderOptions } from './frame.js';
import { SbeMessageDecoder } from './message-decoder.js';
import {
  BOOL_FALSE,
  BOOL_TRUE,
  TEMPLATE_TRADES,
  TRADE_ID,
  TRADE_IS_BUYER_MAKER,
  TRADE_PRICE,
  TRADE_QTY,
  TRADES_EVENT_TIME,
  TRADES_PRICE_EXPONENT,
  TRADES_QTY_EXPONENT,
  TRADES_TRANSACT_TIME,
} from './schema.js';
import { SBE_MALFORMED, SBE_NOT_EXACT, SBE_SCALE_MISMATCH, SBE_UNKNOWN_TEMPLATE } from './sbe-error.js';

const EVENT_TIME = 0;
const TRANSACT_TIME = 1;
const TRADE_ID_SLOT = 2;
const PRICE = 3;
const QTY = 4;
const FIRST_ID = 5;
const LAST_ID = 6;

/** Decodes TradesStreamEvent (template 10000, `<symbol>@trade`): begin() checks a message, next() fills one TradeTick per trade. */
export class SbeTradesDecoder extends SbeMessageDecoder {
  /** Trades in the message begun last, and how many next() has not returned yet. */
  count = 0;
  /** Trades of that message next() has not returned yet. */
  remaining = 0;
  private readonly values = new Float64Array(7);
  private cursor = 0;
  private priceShift = 0;
  private qtyShift = 0;

  constructor(options: SbeDecoderOptions = {}) {
    super(options);
  }

  /** `eventTime` of the message begun last, µs since the epoch. */
  get eventTimeUs(): number {
    return this.values[EVENT_TIME]!;
  }

  /** `transactTime`, µs. */
  get transactTimeUs(): number {
    return this.values[TRANSACT_TIME]!;
  }

  /** Ids of the first and last trade of the message begun last (NaN for a message without trades). */
  get firstTradeId(): number {
    return this.values[FIRST_ID]!;
  }

  /** Id of the last trade of the message begun last (NaN for a message without trades). */
  get lastTradeId(): number {
    return this.values[LAST_ID]!;
  }

  /**
   * Checks one TradesStreamEvent whole; true when next() may be called. False, with `error` set,
   * for anything but a complete message whose every trade decodes exactly.
   */
  begin(data: Uint8Array, start: number, end: number): boolean {
    this.remaining = 0;
    const frame = this.frame;
    if (!frame.walk(data, start, end)) return false;
    if (frame.templateId !== TEMPLATE_TRADES) return this.fail(SBE_UNKNOWN_TEMPLATE);
    const view = frame.view;
    const root = frame.base + frame.root;
    const values = this.values;
    this.priceExponent = view.getInt8(root + TRADES_PRICE_EXPONENT);
    this.qtyExponent = view.getInt8(root + TRADES_QTY_EXPONENT);
    const priceShift = (this.priceShift = this.priceExponent + this.scale);
    const qtyShift = (this.qtyShift = this.qtyExponent + this.scale);
    if (!readUint53(view, root + TRADES_EVENT_TIME, values, EVENT_TIME) || !readUint53(view, root + TRADES_TRANSACT_TIME, values, TRANSACT_TIME)) {
      return this.fail(SBE_NOT_EXACT);
    }
    const count = frame.group0Count;
    const entryLength = frame.group0EntryLength;
    let at = frame.base + frame.group0;
    for (let index = 0; index < count; index++, at += entryLength) {
      if (!readUint53(view, at + TRADE_ID, values, TRADE_ID_SLOT) || !readDecimalUnits(view, at + TRADE_PRICE, priceShift, values, PRICE) || !readDecimalUnits(view, at + TRADE_QTY, qtyShift, values, QTY)) {
        return this.fail(SBE_NOT_EXACT);
      }
      const maker = view.getUint8(at + TRADE_IS_BUYER_MAKER);
      if (maker !== BOOL_FALSE && maker !== BOOL_TRUE) return this.fail(SBE_MALFORMED);
      if (index === 0) values[FIRST_ID] = values[TRADE_ID_SLOT]!;
    }
    if (count === 0) values[FIRST_ID] = NaN;
    values[LAST_ID] = count === 0 ? NaN : values[TRADE_ID_SLOT]!;
    this.cursor = frame.group0;
    this.count = this.remaining = count;
    return true;
  }

  /**
   * Fills `out` with the next trade of the message begun last; false when there is none left.
   * The message's bytes must stay as they were since begin() (read before the buffer is reused).
   */
  next(out: TradeTick): boolean {
    if (this.remaining === 0) return false;
    if (out.scale !== this.scale) {
      this.remaining = 0;
      return this.fail(SBE_SCALE_MISMATCH);
    }
    const frame = this.frame;
    const view = frame.view;
    const values = this.values;
    const at = frame.base + this.cursor;
    // begin() proved every read below succeeds.
    readUint53(view, at + TRADE_ID, values, TRADE_ID_SLOT);
    readDecimalUnits(view, at + TRADE_PRICE, this.priceShift, values, PRICE);
    readDecimalUnits(view, at + TRADE_QTY, this.qtyShift, values, QTY);
    out.tradeId = values[TRADE_ID_SLOT]!;
    out.price = values[PRICE]!;
    out.quantity = values[QTY]!;
    // isBuyerMaker: the maker bought, so the taker sold (hit the bid).
    out.side = view.getUint8(at + TRADE_IS_BUYER_MAKER) === BOOL_TRUE ? SIDE_SELL : SIDE_BUY;
    out.tradeTimeUs = values[TRANSACT_TIME]!;
    out.eventTimeUs = values[EVENT_TIME]!;
    this.cursor += frame.group0EntryLength;
    this.remaining--;
    return true;
  }

}
