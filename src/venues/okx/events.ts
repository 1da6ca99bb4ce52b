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
import { jsonFields, KIND_ARRAY, type JsonFields, type LevelIterator } from '../../market-json/index.js';
import { SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN, type TopOfBook, type TradeTick } from '../../market/events.js';
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
const T_BIDS = 4;
const T_ASKS = 5;
const T_TS = 6;
const T_SEQ_ID = 7;
const TOP_FIELDS = ['bidPx', 'bidSz', 'askPx', 'askSz', 'bids', 'asks', 'ts', 'seqId'];

/**
 * Best bid and ask from a `tickers` push (bidPx/bidSz/askPx/askSz) or a `bbo-tbt`/`books5` push
 * (the first level of bids and asks). `updateId` is the push's seqId (tickers carry none: NaN).
 */
export class OkxTopOfBookDecoder {
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(TOP_FIELDS, { optional: TOP_FIELDS });
  private readonly walker = new DataArrayWalker();
  private readonly units = new Float64Array(4);

  constructor(scale = 8) {
    this.scale = scale;
  }

  /** Fills `out` from the `data` array data[start, end); false (out undefined) when unreadable. */
  decode(data: Uint8Array, start: number, end: number, out: TopOfBook): boolean {
    const walker = this.walker;
    if (!walker.begin(data, start, end) || !walker.next()) return false;
    const fields = this.fields;
    if (!fields.scan(data, walker.objectStart, walker.objectEnd)) return false;
    const units = this.units;
    const scale = this.scale;
    if (fields.has(T_BID_PX)) {
      // tickers. An empty side is sent as "" (no best price): NaN then.
      readOrNaN(data, fields, T_BID_PX, scale, units, 0);
      readOrNaN(data, fields, T_BID_SZ, scale, units, 1);
      readOrNaN(data, fields, T_ASK_PX, scale, units, 2);
      readOrNaN(data, fields, T_ASK_SZ, scale, units, 3);
    } else if (fields.kind(T_BIDS) === KIND_ARRAY && fields.kind(T_ASKS) === KIND_ARRAY) {
      if (!firstLevel(data, fields.levels(T_BIDS), scale, units, 0)) return false;
      if (!firstLevel(data, fields.levels(T_ASKS), scale, units, 2)) return false;
    } else {
      return false;
    }
    out.bidPrice = units[0]!;
    out.bidQuantity = units[1]!;
    out.askPrice = units[2]!;
    out.askQuantity = units[3]!;
    out.updateId = fields.has(T_SEQ_ID) ? fields.integer(T_SEQ_ID) : NaN;
    out.eventTimeUs = fields.has(T_TS) ? fields.integer(T_TS) * MICROSECONDS_PER_MILLISECOND : NaN;
    return true;
  }
}

/** A field's decimal into units[index]: NaN when absent or empty, false never (bad text gives NaN too). */
function readOrNaN(data: Uint8Array, fields: JsonFields, field: number, scale: number, units: Float64Array, index: number): void {
  if (!fields.has(field) || fields.escaped(field) || !readUnits(data, fields.start(field), fields.end(field), scale, units, index)) units[index] = NaN;
}

/** The first [price, size] of a level array into units[index], units[index + 1]; NaN, NaN when the side is empty. */
function firstLevel(data: Uint8Array, levels: LevelIterator, scale: number, units: Float64Array, index: number): boolean {
  if (!levels.next()) {
    units[index] = NaN;
    units[index + 1] = NaN;
    return !levels.malformed;
  }
  return readUnits(data, levels.priceStart, levels.priceEnd, scale, units, index) && readUnits(data, levels.quantityStart, levels.quantityEnd, scale, units, index + 1);
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
  private readonly units = new Float64Array(2);
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
    out.tradeId = fields.integer(R_TRADE_ID);
    out.tradeTimeUs = fields.integer(R_TS) * MICROSECONDS_PER_MILLISECOND;
    out.eventTimeUs = NaN;
    return true;
  }
}


