// Bybit v5 `publicTrade.{symbol}` messages -> one TradeTick per trade, without allocation:
//
//   {"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,
//    "s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick",
//    "i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]}
//
// From docs/v5/websocket/public/trade.mdx: "data: array. Sorted by the time the trade was matched
// in ascending order"; T "The timestamp (ms) that the order is filled"; S "Side of taker. `Buy`,
// `Sell`"; v "Trade size"; p "Trade price"; i "Trade ID" (a string: a UUID in the example);
// BT "Whether it is a block trade order or not"; seq "cross sequence"; "a single message may have
// up to 1024 trades. As such, multiple messages may be sent for the same `seq`."
//
// begin() validates the whole message (jsonFields) and finds the array; each next() fills one
// TradeTick from the next object. The trade id is a string: TradeTick.tradeId is its value only
// when it is all digits (a safe integer), NaN otherwise (a UUID); its bytes stay readable as
// data[tradeIdStart, tradeIdEnd) until the buffer is reused.
import { SIDE_BUY, SIDE_SELL, SIDE_UNKNOWN, type TradeTick } from '../../market/events.js';
import { numberSlot, readSafeInteger } from '../../market-json/decimal.js';
import { DEFAULT_SCALE, scanUnits } from '../../market-json/fixed-point.js';
import { jsonFields, KIND_ARRAY, type JsonFields } from '../../market-json/index.js';
import { CompactTopLevel } from './compact-json.js';
import { readIntegerField } from './integer-field.js';
import { CHAR_COMMA, CHAR_LBRACE, CHAR_QUOTE, CHAR_RBRACE, MemberReader, skipSpace } from './json-walk.js';

const CHAR_LBRACKET = 0x5b;
const F_DATA = 0;
const F_TS = 1;

// Members of one trade, as bits of `seen`.
const M_TIME = 1; // T
const M_SIDE = 2; // S
const M_SIZE = 4; // v
const M_PRICE = 8; // p
const M_ID = 16; // i
const REQUIRED = M_TIME | M_SIDE | M_SIZE | M_PRICE | M_ID;

/**
 * Reads Bybit v5 `publicTrade.{symbol}` messages one trade at a time into a caller's TradeTick,
 * without allocation: begin() validates the message and finds its `data` array, then next()
 * fills the tick until false (check `malformed` to tell the end from a bad trade). A message may
 * hold up to 1024 trades. Ranges and `data` point into the receive buffer: read them before it is reused.
 */
export class BybitTradeDecoder {
  /** Byte range of the current trade's id `i` in `data` (a UUID string, or digits on some markets): its first byte, after the opening quote. */
  tradeIdStart = 0;
  /** End (exclusive, at the closing quote) of the current trade's id in `data`: the id is data[tradeIdStart, tradeIdEnd). */
  tradeIdEnd = 0;
  /** Byte range of the current trade's symbol `s` in `data`: its first byte; 0 with symbolEnd when absent. */
  symbolStart = 0;
  /** End (exclusive) of the current trade's symbol in `data`: the symbol is data[symbolStart, symbolEnd). */
  symbolEnd = 0;
  /** The current trade's `seq` (cross sequence), NaN when absent. */
  crossSequence = NaN;
  /** The current trade's `BT`: a block trade. */
  blockTrade = false;
  /** Trades read from the current message so far. */
  count = 0;
  /** next() stopped on a trade that is not readable (a required member missing or malformed). */
  malformed = false;
  /** The buffer of the current message (the id and symbol ranges point into it). */
  data: Uint8Array = new Uint8Array(0);
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(['data', 'ts'], { optional: ['ts'] });
  private readonly member = new MemberReader();
  private readonly compact = new CompactTopLevel();
  private readonly units = new Float64Array(2);
  private pos = 0;
  private end = 0;
  private eventTimeUs = NaN;

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = scale;
  }

  /** Starts reading the trades of data[start, end); false when it is not a valid publicTrade message. */
  begin(data: Uint8Array, start = 0, end: number = data.length): boolean {
    const fields = this.fields;
    this.count = 0;
    this.malformed = false;
    this.pos = 0;
    this.end = 0;
    const compact = this.compact;
    if (compact.scan(data, start, end)) {
      // Fast path: valid compact JSON, `data` and `ts` located in the same pass.
      if (compact.dataStart < 0 || data[compact.dataStart] !== CHAR_LBRACKET) return false;
      this.data = data;
      if (compact.tsStart >= 0) readSafeInteger(data, compact.tsStart, compact.tsEnd);
      else numberSlot[0] = NaN;
      this.eventTimeUs = numberSlot[0]! * 1000;
      this.pos = compact.dataStart + 1;
      this.end = compact.dataEnd - 1;
      return true;
    }
    if (!fields.scan(data, start, end) || fields.kind(F_DATA) !== KIND_ARRAY) return false;
    this.data = data;
    readIntegerField(fields, F_TS, data);
    this.eventTimeUs = numberSlot[0]! * 1000;
    this.pos = fields.start(F_DATA) + 1; // after '['
    this.end = fields.end(F_DATA) - 1; // at ']'
    return true;
  }

  /** Fills `out` with the next trade; false at the end of the array or on a malformed trade (`malformed`). */
  next(out: TradeTick): boolean {
    const data = this.data;
    const end = this.end;
    let pos = skipSpace(data, this.pos, end);
    if (pos >= end) return false;
    if (this.count > 0) {
      if (data[pos] !== CHAR_COMMA) return this.stop();
      pos = skipSpace(data, pos + 1, end);
    }
    if (data[pos] !== CHAR_LBRACE) return this.stop();
    pos = skipSpace(data, pos + 1, end);
    const scale = this.scale;
    const units = this.units;
    const member = this.member;
    let seen = 0;
    this.crossSequence = NaN;
    this.blockTrade = false;
    this.symbolStart = this.symbolEnd = 0;
    out.tradeId = NaN;
    // The members up to the object's closing brace (one pass; the bytes are valid JSON).
    let closed = data[pos] === CHAR_RBRACE;
    while (!closed && pos < end && data[pos] === CHAR_QUOTE) {
      pos = skipSpace(data, member.read(data, pos, end), end);
      const keyLength = member.keyEnd - member.keyStart;
      const k0 = data[member.keyStart]!;
      const start = member.valueStart;
      const stop = member.valueStop;
      if (keyLength === 1) {
        switch (k0) {
          case 0x54: // T
            readSafeInteger(data, start, stop);
            out.tradeTimeUs = numberSlot[0]! * 1000;
            if (out.tradeTimeUs === out.tradeTimeUs) seen |= M_TIME;
            break;
          case 0x53: // S
            out.side = sideOf(data, start, stop);
            if (out.side !== SIDE_UNKNOWN) seen |= M_SIDE;
            break;
          case 0x76: // v
            if (member.valueQuoted && scanUnits(data, start, stop, scale, units, 1) === stop) {
              out.quantity = units[1]!;
              seen |= M_SIZE;
            }
            break;
          case 0x70: // p
            if (member.valueQuoted && scanUnits(data, start, stop, scale, units, 0) === stop) {
              out.price = units[0]!;
              seen |= M_PRICE;
            }
            break;
          case 0x69: // i
            if (member.valueQuoted) {
              this.tradeIdStart = start;
              this.tradeIdEnd = stop;
              readDigits(data, start, stop);
              out.tradeId = numberSlot[0]!;
              seen |= M_ID;
            }
            break;
          case 0x73: // s
            this.symbolStart = start;
            this.symbolEnd = stop;
            break;
          default:
            break;
        }
      } else if (keyLength === 2 && k0 === 0x42 && data[member.keyStart + 1] === 0x54) {
        this.blockTrade = data[start] === 0x74; // BT: true
      } else if (keyLength === 3 && k0 === 0x73 && data[member.keyStart + 1] === 0x65 && data[member.keyStart + 2] === 0x71) {
        readSafeInteger(data, start, stop); // seq
        this.crossSequence = numberSlot[0]!;
      }
      if (data[pos] === CHAR_COMMA) pos = skipSpace(data, pos + 1, end);
      else closed = data[pos] === CHAR_RBRACE;
    }
    this.pos = pos + 1;
    if (!closed || (seen & REQUIRED) !== REQUIRED) return this.stop();
    out.eventTimeUs = this.eventTimeUs;
    this.count++;
    return true;
  }

  /** The current trade's id as a string (allocates: logging and tests). */
  tradeIdText(): string {
    return new TextDecoder().decode(this.data.subarray(this.tradeIdStart, this.tradeIdEnd));
  }

  private stop(): false {
    this.malformed = true;
    this.pos = this.end;
    return false;
  }
}

/** `Buy` / `Sell` -> SIDE_BUY / SIDE_SELL (the taker's side); anything else SIDE_UNKNOWN. */
function sideOf(data: Uint8Array, start: number, stop: number): number {
  if (stop - start === 3 && data[start] === 0x42 && data[start + 1] === 0x75 && data[start + 2] === 0x79) return SIDE_BUY;
  if (stop - start === 4 && data[start] === 0x53 && data[start + 1] === 0x65 && data[start + 2] === 0x6c && data[start + 3] === 0x6c) return SIDE_SELL;
  return SIDE_UNKNOWN;
}

/** A trade id of digits only -> its value in numberSlot[0]; NaN for a UUID or an unsafe integer. */
function readDigits(data: Uint8Array, start: number, stop: number): void {
  for (let k = start; k < stop; k++) {
    if ((data[k]! - 0x30) >>> 0 > 9) {
      numberSlot[0] = NaN;
      return;
    }
  }
  readSafeInteger(data, start, stop);
}
