// Classifies the messages of a Binance combined-stream connection and reads each event's stream
// and sequence ids, with no allocation per message.
//
// Data arrives as {"stream":"<name>","data":<payload>}. The fast path reads exactly that byte
// layout (what the live server and the simulator write); anything else (whitespace, other key
// order, control answers, the serverShutdown event) goes through one general jsonFields scan.
// The ids come from the venue's typed decoders run on the payload alone (depth-decoder.ts,
// events.ts), which also validate it.
import { KIND_OBJECT, KIND_STRING, jsonFields, type JsonFields } from '../../market-json/index.js';
import { bytesAt } from '../../market-json/byte-scan.js';
import type { DepthDiff } from '../../book/depth-diff.js';
import { BinanceDepthDecoder } from './depth-decoder.js';
import { AggTradeDecoder, BookTickerDecoder, TradeDecoder } from './events.js';
import {
  MESSAGE_ACK,
  MESSAGE_DATA,
  MESSAGE_REJECT,
  MESSAGE_SHUTDOWN,
  MESSAGE_UNKNOWN,
  type StreamNameLookup,
  type VenueDecoder,
} from '../../stream/venue.js';
import {
  ID_LAYOUT_AGG_TRADE,
  ID_LAYOUT_BOOK_TICKER,
  ID_LAYOUT_DEPTH_DIFF,
  ID_LAYOUT_PREVIOUS_LINKED_DEPTH,
  ID_LAYOUT_TRADE,
} from './id-layouts.js';

const encoder = new TextEncoder();
/** `{"stream":"` */
const STREAM_PREFIX = encoder.encode('{"stream":"');
/** `","data":` */
const DATA_INFIX = encoder.encode('","data":');
const SERVER_SHUTDOWN = encoder.encode('serverShutdown');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// Fields of the general scan.
const F_STREAM = 0;
const F_DATA = 1;
const F_RESULT = 2;
const F_ID = 3;
const F_ERROR_CODE = 4;
const F_ERROR_MSG = 5;
const F_FLAT_CODE = 6;
const F_FLAT_MSG = 7;
const F_EVENT = 8;
const F_DATA_EVENT = 9;
const ENVELOPE_PATHS = ['stream', 'data', 'result', 'id', 'error.code', 'error.msg', 'code', 'msg', 'e', 'data.e'];

export class BinanceStreamDecoder implements VenueDecoder {
  stream = -1;
  payloadStart = 0;
  payloadEnd = 0;
  firstId = NaN;
  lastId = NaN;
  /** Binance streams have no in-band snapshots: every event continues its chain. */
  readonly startsSequence = false;
  requestId = -1;
  errorCode = 0;
  /** The depth diff of the last data message on a depth stream (read in full for its U/u), else null. */
  book: DepthDiff | null = null;

  private readonly lookup: StreamNameLookup;
  private readonly idLayouts: () => Uint8Array;
  private readonly envelope: JsonFields = jsonFields(ENVELOPE_PATHS, { optional: ENVELOPE_PATHS });
  private readonly depth = new BinanceDepthDecoder();
  private readonly trade = new TradeDecoder();
  private readonly aggTrade = new AggTradeDecoder();
  private readonly bookTicker = new BookTickerDecoder();
  private errorData: Uint8Array = new Uint8Array(0);
  private errorStart = 0;
  private errorEnd = 0;

  constructor(lookup: StreamNameLookup, idLayouts: () => Uint8Array) {
    this.lookup = lookup;
    this.idLayouts = idLayouts;
  }

  decode(data: Uint8Array, start: number, end: number): number {
    this.book = null;
    // Fast path: {"stream":"<name>","data":{...}} exactly.
    if (end - start > STREAM_PREFIX.length + DATA_INFIX.length + 2 && data[start + 1] === QUOTE && bytesAt(data, start, STREAM_PREFIX)) {
      const nameStart = start + STREAM_PREFIX.length;
      let nameEnd = nameStart;
      while (nameEnd < end && data[nameEnd] !== QUOTE && data[nameEnd] !== BACKSLASH) nameEnd++;
      const payloadStart = nameEnd + DATA_INFIX.length;
      // The wrapper's brace closes right after the payload object's; the payload itself is
      // validated by the id scan (streams with ids) or by the user's decoder.
      if (data[nameEnd] === QUOTE && data[end - 1] === CLOSE_BRACE && data[end - 2] === CLOSE_BRACE && data[payloadStart] === OPEN_BRACE && bytesAt(data, nameEnd, DATA_INFIX)) {
        const stream = this.lookup.find(data, nameStart, nameEnd);
        if (stream >= 0) return this.dataMessage(data, stream, payloadStart, end - 1);
      }
    }
    return this.decodeGeneral(data, start, end);
  }

  errorText(): string {
    return new TextDecoder().decode(this.errorData.subarray(this.errorStart, this.errorEnd));
  }

  private dataMessage(data: Uint8Array, stream: number, payloadStart: number, payloadEnd: number): number {
    this.stream = stream;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
    this.firstId = NaN;
    this.lastId = NaN;
    this.book = null;
    switch (this.idLayouts()[stream]) {
      case ID_LAYOUT_DEPTH_DIFF:
        if (this.depth.decode(data, payloadStart, payloadEnd)) {
          this.firstId = this.depth.diff.firstUpdateId;
          this.lastId = this.depth.diff.finalUpdateId;
          this.book = this.depth.diff;
        }
        break;
      case ID_LAYOUT_PREVIOUS_LINKED_DEPTH:
        // An event without "pu" has no link to check: its ids stay NaN.
        if (this.depth.decode(data, payloadStart, payloadEnd) && this.depth.diff.previousUpdateId === this.depth.diff.previousUpdateId) {
          this.firstId = this.depth.diff.previousUpdateId + 1;
          this.lastId = this.depth.diff.finalUpdateId;
        }
        break;
      case ID_LAYOUT_TRADE:
        if (this.trade.decode(data, payloadStart, payloadEnd)) this.firstId = this.lastId = this.trade.tradeId;
        break;
      case ID_LAYOUT_AGG_TRADE:
        if (this.aggTrade.decode(data, payloadStart, payloadEnd)) this.firstId = this.lastId = this.aggTrade.aggregateId;
        break;
      case ID_LAYOUT_BOOK_TICKER:
        if (this.bookTicker.decode(data, payloadStart, payloadEnd)) this.firstId = this.lastId = this.bookTicker.updateId;
        break;
      default:
        break;
    }
    return MESSAGE_DATA;
  }

  /** Any valid JSON: a wrapped event in another layout, an answer to a request, or serverShutdown. */
  private decodeGeneral(data: Uint8Array, start: number, end: number): number {
    const fields = this.envelope;
    if (!fields.scan(data, start, end)) return MESSAGE_UNKNOWN;
    // "stream":"!serverShutdown" (combined) or a bare {"e":"serverShutdown"} (raw).
    if (fields.equals(F_DATA_EVENT, SERVER_SHUTDOWN) || fields.equals(F_EVENT, SERVER_SHUTDOWN)) return MESSAGE_SHUTDOWN;
    if (fields.kind(F_STREAM) === KIND_STRING && fields.kind(F_DATA) === KIND_OBJECT && !fields.escaped(F_STREAM)) {
      const stream = this.lookup.find(data, fields.start(F_STREAM), fields.end(F_STREAM));
      if (stream < 0) return MESSAGE_UNKNOWN;
      return this.dataMessage(data, stream, fields.start(F_DATA), fields.end(F_DATA));
    }
    this.requestId = fields.has(F_ID) ? fields.integer(F_ID) : -1;
    if (Number.isNaN(this.requestId)) this.requestId = -1;
    // {"error":{"code":2,"msg":"..."},"id":1} as the live server nests it; {"code":2,"msg":"...","id":1} flat.
    const codeField = fields.has(F_ERROR_CODE) ? F_ERROR_CODE : fields.has(F_FLAT_CODE) ? F_FLAT_CODE : -1;
    if (codeField >= 0) {
      this.errorCode = fields.integer(codeField);
      const msgField = codeField === F_ERROR_CODE ? F_ERROR_MSG : F_FLAT_MSG;
      this.errorData = data;
      this.errorStart = fields.has(msgField) ? fields.start(msgField) : 0;
      this.errorEnd = fields.has(msgField) ? fields.end(msgField) : 0;
      return MESSAGE_REJECT;
    }
    if (fields.has(F_RESULT) && this.requestId >= 0) return MESSAGE_ACK;
    return MESSAGE_UNKNOWN;
  }
}
