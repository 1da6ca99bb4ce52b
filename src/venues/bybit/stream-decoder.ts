// Classifies the messages of a Bybit v5 public connection, with no allocation per data message.
//
// Data: {"topic":"<topic>","type":...,"ts":...,"data":...} (the whole message is the payload: its
// `type`, `ts` and `cts` sit beside `data`). The fast path reads a message that starts with
// `{"topic":"` (what Bybit and the simulator write); anything else goes through one jsonFields scan.
//
// Control answers, from docs/v5/ws/connect (docs/v5/websocket/wss-authentication.mdx):
//   subscribe, public spot: {"success":true,"ret_msg":"subscribe","conn_id":"2324d924-...","req_id":"10001","op":"subscribe"}
//   subscribe, linear:      {"success":true,"ret_msg":"","conn_id":"3cd84cb1-...","req_id":"","op":"subscribe"}
//   pong, spot:             {"success":true,"ret_msg":"pong","conn_id":"0970e817-...","op":"ping"}
//   pong, linear:           {"success":true,"ret_msg":"pong","conn_id":"465772b1-...","req_id":"","op":"ping"}
// `req_id` is the client's string ("req_id is a customised ID, which is optional"): tickwire sends
// its request number as digits and reads it back. A refusal has "success":false and the reason in
// `ret_msg` (the docs show no numeric code: errorCode is 0).
import { jsonFields, KIND_FALSE, KIND_STRING, KIND_TRUE, type JsonFields } from '../../market-json/index.js';
import { bytesAt } from '../../market-json/byte-scan.js';
import { DEPTH_SNAPSHOT, type DepthDiff } from '../../book/depth-diff.js';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_PONG, MESSAGE_REJECT, MESSAGE_UNKNOWN, type StreamNameLookup, type VenueDecoder } from '../../stream/venue.js';
import { BybitOrderbookDecoder } from './orderbook-decoder.js';
import { TOPIC_ORDERBOOK } from './topics.js';

const encoder = new TextEncoder();
/** `{"topic":"` */
const TOPIC_PREFIX = encoder.encode('{"topic":"');
const OP_PING = encoder.encode('ping');
const OP_PONG = encoder.encode('pong');
const OP_SUBSCRIBE = encoder.encode('subscribe');
const OP_UNSUBSCRIBE = encoder.encode('unsubscribe');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;


const F_TOPIC = 0;
const F_SUCCESS = 1;
const F_RET_MSG = 2;
const F_OP = 3;
const F_REQ_ID = 4;
const F_DATA = 5;
const ENVELOPE_PATHS = ['topic', 'success', 'ret_msg', 'op', 'req_id', 'data'];

export class BybitStreamDecoder implements VenueDecoder {
  stream = -1;
  payloadStart = 0;
  payloadEnd = 0;
  /** Orderbook topics: the message's `u` (first = last); other topics carry no id the stream checks. */
  firstId = NaN;
  lastId = NaN;
  /** Orderbook topics: the message is a snapshot (or u = 1): the book reloads from it. */
  startsSequence = false;
  /** Orderbook topics: the message decoded in full (ManagedStream.decodedBook()), else null. */
  book: DepthDiff | null = null;
  requestId = -1;
  errorCode = 0;

  private readonly lookup: StreamNameLookup;
  private readonly idLayouts: () => Uint8Array;
  private readonly orderbook = new BybitOrderbookDecoder();
  private readonly envelope: JsonFields = jsonFields(ENVELOPE_PATHS, { optional: ENVELOPE_PATHS });
  private errorData: Uint8Array = new Uint8Array(0);
  private errorStart = 0;
  private errorEnd = 0;

  constructor(lookup: StreamNameLookup, idLayouts: () => Uint8Array) {
    this.lookup = lookup;
    this.idLayouts = idLayouts;
  }

  decode(data: Uint8Array, start: number, end: number): number {
    // Fast path: {"topic":"<name>",...} with the name known and the object closed.
    if (end - start > TOPIC_PREFIX.length + 2 && data[start + 1] === QUOTE && data[end - 1] === CLOSE_BRACE && bytesAt(data, start, TOPIC_PREFIX)) {
      const nameStart = start + TOPIC_PREFIX.length;
      let nameEnd = nameStart;
      while (nameEnd < end && data[nameEnd] !== QUOTE && data[nameEnd] !== BACKSLASH) nameEnd++;
      if (data[nameEnd] === QUOTE) {
        const stream = this.lookup.find(data, nameStart, nameEnd);
        if (stream >= 0) return this.dataMessage(data, stream, start, end);
      }
    }
    return this.decodeGeneral(data, start, end);
  }

  errorText(): string {
    return new TextDecoder().decode(this.errorData.subarray(this.errorStart, this.errorEnd));
  }

  private dataMessage(data: Uint8Array, stream: number, start: number, end: number): number {
    this.stream = stream;
    this.payloadStart = start;
    this.payloadEnd = end;
    this.firstId = NaN;
    this.lastId = NaN;
    this.startsSequence = false;
    this.book = null;
    // The book's u for the stream's check (the payload is validated by the same decode; an
    // unreadable one keeps NaN ids and is reported, not delivered).
    if (this.idLayouts()[stream] === TOPIC_ORDERBOOK && this.orderbook.decode(data, start, end)) {
      const diff = this.orderbook.diff;
      this.book = diff;
      this.firstId = diff.firstUpdateId;
      this.lastId = diff.finalUpdateId;
      this.startsSequence = diff.kind === DEPTH_SNAPSHOT;
    }
    return MESSAGE_DATA;
  }

  /** Any valid JSON: data in another layout, or an answer to a request. */
  private decodeGeneral(data: Uint8Array, start: number, end: number): number {
    const fields = this.envelope;
    if (!fields.scan(data, start, end)) return MESSAGE_UNKNOWN;
    if (fields.kind(F_TOPIC) === KIND_STRING && fields.has(F_DATA)) {
      if (fields.escaped(F_TOPIC)) return MESSAGE_UNKNOWN;
      const stream = this.lookup.find(data, fields.start(F_TOPIC), fields.end(F_TOPIC));
      return stream < 0 ? MESSAGE_UNKNOWN : this.dataMessage(data, stream, start, end);
    }
    // The pong of spot/linear ("op":"ping", "ret_msg":"pong") and of option/spread ("op":"pong").
    if (fields.equals(F_OP, OP_PING) || fields.equals(F_OP, OP_PONG)) return MESSAGE_PONG;
    if (!fields.equals(F_OP, OP_SUBSCRIBE) && !fields.equals(F_OP, OP_UNSUBSCRIBE)) return MESSAGE_UNKNOWN;
    const requestId = fields.has(F_REQ_ID) ? fields.integer(F_REQ_ID) : NaN;
    this.requestId = requestId === requestId && requestId >= 0 ? requestId : -1;
    const success = fields.kind(F_SUCCESS);
    if (success === KIND_TRUE) return MESSAGE_ACK;
    if (success !== KIND_FALSE) return MESSAGE_UNKNOWN;
    this.errorCode = 0;
    this.errorData = data;
    this.errorStart = fields.kind(F_RET_MSG) === KIND_STRING ? fields.start(F_RET_MSG) : 0;
    this.errorEnd = fields.kind(F_RET_MSG) === KIND_STRING ? fields.end(F_RET_MSG) : 0;
    return MESSAGE_REJECT;
  }
}
