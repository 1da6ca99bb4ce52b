// Classifies the messages of an OKX public connection and reads each push's stream and sequence
// ids, with no allocation per message. OKX v5 docs (Overview / WebSocket, and each channel):
//
//   push         {"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{..}]}
//   subscribed   {"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"}
//   refused      {"id":"1512","event":"error","code":"60012","msg":"Invalid request: ..","connId":"a4d3ae55"}
//   notice       {"event":"notice","code":"64008","msg":"The connection will soon be closed for a
//                 service upgrade. Please reconnect.","connId":"a4d3ae55"} ("30 seconds prior to
//                 the upgrade of the WebSocket service")
//   keep-alive   the text `pong`, answering the client's text `ping`
//
// The push's payload handed on is its `data` array. The fast path reads the push layout above
// byte for byte (what OKX and the simulator write); anything else goes through one jsonFields
// scan. Stream names are `<channel>:<instId>` (channels.ts): the decoder joins the two in a
// scratch buffer to look the stream up.
import { jsonFields, KIND_ARRAY, KIND_STRING, type JsonFields } from '../../market-json/index.js';
import { bytesAt } from '../../market-json/byte-scan.js';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_PONG, MESSAGE_REJECT, MESSAGE_SHUTDOWN, MESSAGE_UNKNOWN, type StreamNameLookup, type VenueDecoder } from '../../stream/venue.js';
import { OKX_LAYOUT_BOOK, OKX_LAYOUT_BOOK_SNAPSHOT, OKX_LAYOUT_TRADES } from './channels.js';
import { DataArrayWalker } from './data-array.js';

const encoder = new TextEncoder();
const ARG_CHANNEL = encoder.encode('{"arg":{"channel":"');
const INST_ID = encoder.encode('","instId":"');
const ACTION = encoder.encode(',"action":"');
const DATA = encoder.encode(',"data":');
const PONG = encoder.encode('pong');
const EVENT_SUBSCRIBE = encoder.encode('subscribe');
const EVENT_UNSUBSCRIBE = encoder.encode('unsubscribe');
const EVENT_ERROR = encoder.encode('error');
const EVENT_NOTICE = encoder.encode('notice');
/** OKX's notice code for "The connection will soon be closed for a service upgrade". */
const NOTICE_SERVICE_UPGRADE = 64008;

const SEQ_ID_KEY = encoder.encode('"seqId":');
const PREV_SEQ_ID_KEY = encoder.encode('"prevSeqId":');
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Longest `<channel>:<instId>` looked up (OKX instrument ids are far shorter). */
const MAX_NAME_BYTES = 128;


// Fields of the general scan.
const F_CHANNEL = 0;
const F_INST_ID = 1;
const F_DATA = 2;
const F_EVENT = 3;
const F_ID = 4;
const F_CODE = 5;
const F_MSG = 6;
const ENVELOPE_PATHS = ['arg.channel', 'arg.instId', 'data', 'event', 'id', 'code', 'msg'];

/** End of a string body without escapes starting at `from` (its closing quote), or -1. */
function plainStringEnd(data: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = data[i]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) return -1;
  }
  return -1;
}

export class OkxStreamDecoder implements VenueDecoder {
  stream = -1;
  payloadStart = 0;
  payloadEnd = 0;
  firstId = NaN;
  lastId = NaN;
  requestId = -1;
  errorCode = 0;
  /** `pong` answers seen (MESSAGE_PONG: liveness for the stream's heartbeat). */
  pongs = 0;

  private readonly lookup: StreamNameLookup;
  private readonly idLayouts: () => Uint8Array;
  private readonly envelope: JsonFields = jsonFields(ENVELOPE_PATHS, { optional: ENVELOPE_PATHS });
  private readonly bookIds: JsonFields = jsonFields(['seqId', 'prevSeqId'], { optional: ['prevSeqId'] });
  private readonly tradeIds: JsonFields = jsonFields(['tradeId', 'count'], { optional: ['count'] });
  private readonly walker = new DataArrayWalker();
  private readonly name = new Uint8Array(MAX_NAME_BYTES);
  /** seqId, prevSeqId (books) or tradeId, count (trades) of the current push: a typed array, so no id is boxed. */
  private readonly ids = new Float64Array(2);
  private errorData: Uint8Array = new Uint8Array(0);
  private errorStart = 0;
  private errorEnd = 0;

  constructor(lookup: StreamNameLookup, idLayouts: () => Uint8Array) {
    this.lookup = lookup;
    this.idLayouts = idLayouts;
  }

  decode(data: Uint8Array, start: number, end: number): number {
    if (end - start === PONG.length && bytesAt(data, start, PONG)) {
      this.pongs++;
      return MESSAGE_PONG;
    }
    // Fast path: {"arg":{"channel":"<c>","instId":"<i>"}[,"action":"<a>"],"data":[..]}
    if (end - start > ARG_CHANNEL.length + 16 && data[start + 2] === 0x61 && bytesAt(data, start, ARG_CHANNEL) && data[end - 1] === CLOSE_BRACE) {
      const channelStart = start + ARG_CHANNEL.length;
      const channelEnd = plainStringEnd(data, channelStart, end);
      if (channelEnd > 0 && bytesAt(data, channelEnd, INST_ID)) {
        const instStart = channelEnd + INST_ID.length;
        const instEnd = plainStringEnd(data, instStart, end);
        if (instEnd > 0 && data[instEnd + 1] === CLOSE_BRACE) {
          let pos = instEnd + 2;
          if (bytesAt(data, pos, ACTION)) {
            const actionEnd = plainStringEnd(data, pos + ACTION.length, end);
            pos = actionEnd < 0 ? end : actionEnd + 1;
          }
          if (bytesAt(data, pos, DATA) && data[pos + DATA.length] === OPEN_BRACKET && data[end - 2] === CLOSE_BRACKET) {
            const stream = this.find(data, channelStart, channelEnd, instStart, instEnd);
            if (stream >= 0) return this.dataMessage(data, stream, pos + DATA.length, end - 1);
          }
        }
      }
    }
    return this.decodeGeneral(data, start, end);
  }

  errorText(): string {
    // The raw string body (escapes included: OKX's messages quote the request back, \"..\").
    const raw = new TextDecoder().decode(this.errorData.subarray(this.errorStart, this.errorEnd));
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }

  /** The stream `<channel>:<instId>`, joined in the scratch buffer; -1 when unknown. */
  private find(data: Uint8Array, channelStart: number, channelEnd: number, instStart: number, instEnd: number): number {
    const length = channelEnd - channelStart + 1 + instEnd - instStart;
    if (length > MAX_NAME_BYTES) return -1;
    // A byte loop, not set(subarray()): a subarray is an object per message.
    const name = this.name;
    let at = 0;
    for (let i = channelStart; i < channelEnd; i++) name[at++] = data[i]!;
    name[at++] = COLON;
    for (let i = instStart; i < instEnd; i++) name[at++] = data[i]!;
    return this.lookup.find(name, 0, length);
  }

  private dataMessage(data: Uint8Array, stream: number, payloadStart: number, payloadEnd: number): number {
    this.stream = stream;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
    this.firstId = NaN;
    this.lastId = NaN;
    switch (this.idLayouts()[stream]) {
      case OKX_LAYOUT_BOOK:
        this.bookSequence(data, payloadStart, payloadEnd, true);
        break;
      case OKX_LAYOUT_BOOK_SNAPSHOT:
        this.bookSequence(data, payloadStart, payloadEnd, false);
        break;
      case OKX_LAYOUT_TRADES:
        this.tradeSequence(data, payloadStart, payloadEnd);
        break;
      default:
        break;
    }
    return MESSAGE_DATA;
  }

  /** Books: first = prevSeqId + 1 (0 for a snapshot, whose prevSeqId is -1), last = seqId. Snapshot channels: seqId alone. */
  private bookSequence(data: Uint8Array, start: number, end: number, chained: boolean): void {
    const ids = this.ids;
    if (!this.tailIds(data, start, end, chained)) {
      const walker = this.walker;
      if (!walker.begin(data, start, end) || !walker.next()) return;
      const fields = this.bookIds;
      if (!fields.scan(data, walker.objectStart, walker.objectEnd)) return;
      fields.integerInto(0, ids, 0);
      ids[1] = -1;
      if (fields.has(1)) fields.integerInto(1, ids, 1);
    }
    if (!chained) {
      this.firstId = ids[0]!;
      this.lastId = ids[0]!;
      return;
    }
    this.firstId = ids[1]! + 1;
    this.lastId = ids[0]!;
  }

  /**
   * The ids where OKX writes them, at the end of the push: `..,"prevSeqId":<n>,"seqId":<n>}]`
   * (books) or `..,"seqId":<n>}]` (books5, bbo-tbt), read backwards from the payload's end into
   * ids[0] (seqId) and ids[1] (prevSeqId). False for any other layout (the scan then reads them);
   * the payload itself is validated by the book decoder that reads it.
   */
  private tailIds(data: Uint8Array, start: number, end: number, chained: boolean): boolean {
    const ids = this.ids;
    if (end - start < 12 || data[end - 1] !== CLOSE_BRACKET || data[end - 2] !== CLOSE_BRACE) return false;
    const seqStart = readIntegerBackwards(data, end - 3, start, ids, 0);
    if (seqStart < 0 || !bytesAt(data, seqStart - SEQ_ID_KEY.length, SEQ_ID_KEY)) return false;
    const comma = seqStart - SEQ_ID_KEY.length - 1;
    if (data[comma] !== COMMA) return false;
    if (!chained) return true;
    const previousStart = readIntegerBackwards(data, comma - 1, start, ids, 1);
    return previousStart >= 0 && bytesAt(data, previousStart - PREV_SEQ_ID_KEY.length, PREV_SEQ_ID_KEY) && data[previousStart - PREV_SEQ_ID_KEY.length - 1] === COMMA;
  }

  /**
   * Trades: "tradeId | The last trade ID in the trades aggregation", "if tradeId = 123 and count
   * = 3, it means the message aggregates the trades of tradeId = 123, 122, and 121": the push
   * covers [first tradeId - count + 1, last tradeId].
   */
  private tradeSequence(data: Uint8Array, start: number, end: number): void {
    const walker = this.walker;
    if (!walker.begin(data, start, end)) return;
    const fields = this.tradeIds;
    let first = NaN;
    let last = NaN;
    const ids = this.ids;
    while (walker.next()) {
      if (!fields.scan(data, walker.objectStart, walker.objectEnd)) return;
      fields.integerInto(0, ids, 0);
      ids[1] = 1;
      if (fields.has(1)) fields.integerInto(1, ids, 1);
      if (ids[0] !== ids[0] || !(ids[1]! >= 1)) return;
      if (first !== first) first = ids[0]! - ids[1]! + 1;
      last = ids[0]!;
    }
    if (walker.malformed) return;
    this.firstId = first;
    this.lastId = last;
  }

  /** Any valid JSON: a push in another layout, an answer to a request, or a notice. */
  private decodeGeneral(data: Uint8Array, start: number, end: number): number {
    const fields = this.envelope;
    if (!fields.scan(data, start, end)) return MESSAGE_UNKNOWN;
    if (fields.kind(F_DATA) === KIND_ARRAY) {
      if (fields.kind(F_CHANNEL) !== KIND_STRING || fields.kind(F_INST_ID) !== KIND_STRING || fields.escaped(F_CHANNEL) || fields.escaped(F_INST_ID)) return MESSAGE_UNKNOWN;
      const stream = this.find(data, fields.start(F_CHANNEL), fields.end(F_CHANNEL), fields.start(F_INST_ID), fields.end(F_INST_ID));
      if (stream < 0) return MESSAGE_UNKNOWN;
      return this.dataMessage(data, stream, fields.start(F_DATA), fields.end(F_DATA));
    }
    // "id: Unique identifier of the message. Provided by client. It will be returned in response
    // message": the profile sends the request id as decimal digits.
    this.requestId = fields.has(F_ID) ? fields.integer(F_ID) : -1;
    if (Number.isNaN(this.requestId)) this.requestId = -1;
    if (fields.equals(F_EVENT, EVENT_SUBSCRIBE) || fields.equals(F_EVENT, EVENT_UNSUBSCRIBE)) {
      return this.requestId >= 0 ? MESSAGE_ACK : MESSAGE_UNKNOWN;
    }
    if (fields.equals(F_EVENT, EVENT_ERROR)) {
      this.errorCode = fields.has(F_CODE) ? fields.integer(F_CODE) : 0;
      if (Number.isNaN(this.errorCode)) this.errorCode = 0;
      this.errorData = data;
      this.errorStart = fields.kind(F_MSG) === KIND_STRING ? fields.start(F_MSG) : 0;
      this.errorEnd = fields.kind(F_MSG) === KIND_STRING ? fields.end(F_MSG) : 0;
      return MESSAGE_REJECT;
    }
    if (fields.equals(F_EVENT, EVENT_NOTICE) && fields.integer(F_CODE) === NOTICE_SERVICE_UPGRADE) return MESSAGE_SHUTDOWN;
    return MESSAGE_UNKNOWN;
  }
}

/**
 * The integer ending at data[last] (digits, an optional '-' before them), read backwards into
 * out[slot]; returns the index just before it (where its key ends), or -1.
 */
function readIntegerBackwards(data: Uint8Array, last: number, floor: number, out: Float64Array, slot: number): number {
  let pos = last;
  while (pos > floor && (data[pos]! - ZERO) >>> 0 <= 9) pos--;
  const digits = last - pos;
  if (digits === 0 || digits > 15 || (digits > 1 && data[pos + 1] === ZERO)) return -1;
  let value = 0;
  for (let i = pos + 1; i <= last; i++) value = value * 10 + (data[i]! - ZERO);
  if (data[pos] === MINUS) {
    value = -value;
    pos--;
  }
  out[slot] = value;
  return pos + 1;
}
