// OKX top of book and trades -> the venue-neutral TopOfBook and TradeTick, in place. Payloads are
// the push's `data` array (data-array.ts). OKX v5 docs:
//
// WS / Tickers channel: {"instType":"SPOT","instId":"BTC-USDT","last":"9999.99","lastSz":"0.1",
//   "askPx":"9999.99","askSz":"11","bidPx":"8888.88","bidSz":"5",...,"ts":"1597026383085"}
//   "askPx | Best ask price", "askSz | Best ask size", "bidPx | Best bid price", "bidSz | Best bid
//   size", "ts | Ticker data generation time, Unix timestamp format in milliseconds".
// WS / Order book channel, bbo-tbt ("1 depth level snapshot [...] pushed every 10 ms when there
//   are changes"): {"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],
//   "ts":"1670324386802","seqId":363996337}; books5 the same with five levels.
// WS / Trades channel: {"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9",
//   "sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","source":"0","seqId":1234}
//   "side | Trade side of taker", "tradeId | The last trade ID in the trades aggregation",
//   "ts | Filled time, Unix timestamp format in milliseconds", "Every update may aggregate
//   multiple trades."

import { readUnits } from '../../market-json/fixed-point.js';
import { jsonFields, type JsonFields } from '../../market-json/index.js';
import { SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN, type TopOfBook, type TradeTick } from '../../market/events.js';
import { OkxBookDecoder } from './book-decoder.js';
import { DataArrayWalker } from './data-array.js';

const encoder = new TextEncoder();
const BUY = encoder.encode('buy');
const SELL = encoder.encode('sell');
const MICROSECONDS_PER_MILLISECOND = 1000;

// Top of book fields.
const T_BID_PX = 0;
const T_BID_SZ = 1;
const T_ASK_PX = 2;
const T_ASK_SZ = 3;
const T_TS = 4;
const T_SEQ_ID = 5;
const TOP_FIELDS = ['bidPx', 'bidSz', 'askPx', 'askSz', 'ts', 'seqId'];

/**
 * Best bid and ask from a `tickers` push (bidPx/bidSz/askPx/askSz) or a `bbo-tbt`/`books5` push
 * (the first level of bids and asks, read by OkxBookDecoder's fast path). `updateId` is the
 * push's seqId (tickers carry none: NaN).
 */
export class OkxTopOfBookDecoder {
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(TOP_FIELDS, { optional: TOP_FIELDS });
  private readonly walker = new DataArrayWalker();
  private readonly book: OkxBookDecoder;
  /** bid price, bid size, ask price, ask size, seqId, ts. */
  private readonly units = new Float64Array(6);

  constructor(scale = 8) {
    this.scale = scale;
    this.book = new OkxBookDecoder(scale);
  }

  /** Fills `out` from the `data` array data[start, end); false (out undefined) when unreadable. */
  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean {
    const units = this.units;
    // An object whose first key is "asks" or "bids": a book push; otherwise a ticker.
    if (firstKeyIsLevels(data, start, end)) {
      if (!this.fromBook(data, start, end)) return false;
    } else if (!this.fromTicker(data, start, end)) {
      return false;
    }
    out.bidPrice = units[0]!;
    out.bidQuantity = units[1]!;
    out.askPrice = units[2]!;
    out.askQuantity = units[3]!;
    out.updateId = units[4]!;
    out.eventTimeUs = units[5]! * MICROSECONDS_PER_MILLISECOND;
    return true;
  }

  private fromBook(data: Uint8Array, start: number, end: number): boolean {
    const book = this.book;
    if (!book.decode(data, start, end)) return false;
    const diff = book.diff;
    const units = this.units;
    // if/else, not `count > 0 ? level : NaN`: V8 would merge the double with the NaN constant as
    // a tagged value and box it (see BookSide.refreshBest).
    if (diff.bidCount > 0) {
      units[0] = diff.bids[0]!;
      units[1] = diff.bids[1]!;
    } else {
      units[0] = NaN;
      units[1] = NaN;
    }
    if (diff.askCount > 0) {
      units[2] = diff.asks[0]!;
      units[3] = diff.asks[1]!;
    } else {
      units[2] = NaN;
      units[3] = NaN;
    }
    units[4] = diff.finalUpdateId;
    units[5] = diff.eventTime;
    return true;
  }

  private fromTicker(data: Uint8Array, start: number, end: number): boolean {
    const walker = this.walker;
    if (!walker.begin(data, start, end) || !walker.next()) return false;
    const fields = this.fields;
    if (!fields.scan(data, walker.objectStart, walker.objectEnd) || !fields.has(T_BID_PX)) return false;
    const units = this.units;
    const scale = this.scale;
    // An empty side is sent as "" (no best price): NaN then.
    readOrNaN(data, fields, T_BID_PX, scale, units, 0);
    readOrNaN(data, fields, T_BID_SZ, scale, units, 1);
    readOrNaN(data, fields, T_ASK_PX, scale, units, 2);
    readOrNaN(data, fields, T_ASK_SZ, scale, units, 3);
    units[4] = NaN;
    units[5] = NaN;
    if (fields.has(T_SEQ_ID)) fields.integerInto(T_SEQ_ID, units, 4);
    if (fields.has(T_TS)) fields.integerInto(T_TS, units, 5);
    return true;
  }
}

/** True when the first key of the array's first object is "asks" or "bids" (whitespace allowed). */
function firstKeyIsLevels(data: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  let opened = 0;
  while (pos < end && opened < 2) {
    const c = data[pos++]!;
    if (c === 0x5b || c === 0x7b) opened++;
    else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  while (pos < end && (data[pos] === 0x20 || data[pos] === 0x0a || data[pos] === 0x0d || data[pos] === 0x09)) pos++;
  if (pos + 5 >= end || data[pos] !== 0x22 || data[pos + 5] !== 0x22) return false;
  const a = data[pos + 1];
  return (a === 0x61 && data[pos + 2] === 0x73 && data[pos + 3] === 0x6b && data[pos + 4] === 0x73) || (a === 0x62 && data[pos + 2] === 0x69 && data[pos + 3] === 0x64 && data[pos + 4] === 0x73);
}

/** A field's decimal into units[index]: NaN when absent or empty, false never (bad text gives NaN too). */
function readOrNaN(data: Uint8Array, fields: JsonFields, field: number, scale: number, units: Float64Array, index: number): void {
  if (!fields.has(field) || fields.escaped(field) || !readUnits(data, fields.start(field), fields.end(field), scale, units, index)) units[index] = NaN;
}

// Trade fields.
const R_PX = 0;
const R_SZ = 1;
const R_SIDE = 2;
const R_TRADE_ID = 3;
const R_TS = 4;
const TRADE_FIELDS = ['px', 'sz', 'side', 'tradeId', 'ts'];

/** The trades of one `trades` push, one TradeTick per next(), in the venue's order. No allocation. */
export class OkxTradeIterator {
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(TRADE_FIELDS);
  private readonly walker = new DataArrayWalker();
  /** price, size, tradeId, ts. */
  private readonly units = new Float64Array(4);
  private data: Uint8Array = new Uint8Array(0);

  constructor(scale = 8) {
    this.scale = scale;
  }

  /** Starts on a `data` array; false when it is not an array. */
  begin(data: Uint8Array, start: number, end: number): boolean {
    this.data = data;
    return this.walker.begin(data, start, end);
  }

  /** Fills `out` with the next trade; false when none is left or the next one is unreadable. */
  next(out: TradeTick): boolean {
    const walker = this.walker;
    if (!walker.next()) return false;
    const data = this.data;
    const fields = this.fields;
    if (!fields.scan(data, walker.objectStart, walker.objectEnd)) return false;
    const units = this.units;
    if (fields.escaped(R_PX) || fields.escaped(R_SZ)) return false;
    if (!readUnits(data, fields.start(R_PX), fields.end(R_PX), this.scale, units, 0)) return false;
    if (!readUnits(data, fields.start(R_SZ), fields.end(R_SZ), this.scale, units, 1)) return false;
    out.price = units[0]!;
    out.quantity = units[1]!;
    out.side = fields.equals(R_SIDE, BUY) ? SIDE_BUY : fields.equals(R_SIDE, SELL) ? SIDE_SELL : SIDE_UNKNOWN;
    fields.integerInto(R_TRADE_ID, units, 2);
    fields.integerInto(R_TS, units, 3);
    out.tradeId = units[2]!;
    out.tradeTimeUs = units[3]! * MICROSECONDS_PER_MILLISECOND;
    out.eventTimeUs = NaN;
    return true;
  }
}


