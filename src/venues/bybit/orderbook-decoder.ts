// Bybit v5 `orderbook.{depth}.{symbol}` messages -> DepthDiff, straight from the receive buffer:
//
//   {"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,
//    "data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},
//    "cts":1672304484976}
//
// From docs/v5/websocket/public/orderbook.mdx:
//   "Once you have subscribed successfully, you will receive a `snapshot`. The WebSocket will keep
//    pushing `delta` messages every time the orderbook changes. If you receive a new `snapshot`
//    message, you will have to reset your local orderbook. If there is a problem on Bybit's end, a
//    `snapshot` will be re-sent, which is guaranteed to contain the latest data."
//   u: "Occasionally, you'll receive "u"=1, which is a snapshot data due to the restart of the
//    service. So please overwrite your local orderbook"
//   seq: "Cross sequence. You can use this field to compare different levels orderbook data, and
//    for the smaller seq, then it means the data is generated earlier."
//   ts: "The timestamp (ms) that the system generates the data"; cts: "The timestamp from the
//    matching engine when this orderbook data is produced."
//   "the "ts" field appears before the "type" field" (spot, futures level 1) or after it (futures,
//    other levels): key order is free, and the reminder's example spells ts quoted, so both a
//    bare and a quoted integer are read.
//
// So a `snapshot` (and any message with u = 1) decodes as DEPTH_SNAPSHOT, a `delta` as DEPTH_DIFF;
// firstUpdateId = finalUpdateId = u, eventTime = ts, transactionTime = cts; `seq` is kept on the
// decoder (crossSequence). Validation and field positions come from jsonFields (full RFC 8259
// check), levels are read into fixed-point units; nothing is allocated once the level arrays have
// grown to the largest message.
import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff } from '../../book/depth-diff.js';
import { DEFAULT_SCALE, scanUnits } from '../../market-json/fixed-point.js';
import { jsonFields, KIND_ARRAY, KIND_STRING, type JsonFields, type LevelIterator } from '../../market-json/index.js';
import { numberSlot, readIntegerField } from './integer-field.js';

const encoder = new TextEncoder();
const SNAPSHOT = encoder.encode('snapshot');
const DELTA = encoder.encode('delta');

// Field indices, in the order given to jsonFields.
const F_TYPE = 0;
const F_U = 1;
const F_BIDS = 2;
const F_ASKS = 3;
const F_SEQ = 4;
const F_TS = 5;
const F_CTS = 6;
const F_SYMBOL = 7;
const F_TOPIC = 8;
const PATHS = ['type', 'data.u', 'data.b', 'data.a', 'data.seq', 'ts', 'cts', 'data.s', 'topic'];
const OPTIONAL = ['data.b', 'data.a', 'data.seq', 'ts', 'cts', 'data.s', 'topic'];

/** The update id of a snapshot Bybit sends after a restart of its service. */
export const BYBIT_RESTART_UPDATE_ID = 1;

/**
 * Decodes Bybit v5 `orderbook.{depth}.{symbol}` messages into one reusable DepthDiff straight
 * from the receive buffer: `snapshot` (or u = 1) as DEPTH_SNAPSHOT, `delta` as DEPTH_DIFF, with
 * firstUpdateId = finalUpdateId = u, eventTime = ts (ms), transactionTime = cts (ms), levels in
 * fixed point at the decoder's scale. Feed the diff to a LocalOrderBook using bybitBookSequence.
 */
export class BybitOrderbookDecoder {
  /** The decoded message (reused: valid until the next decode). */
  readonly diff: DepthDiff;
  /** `seq` of the last message (cross sequence), NaN when absent. */
  crossSequence = NaN;
  /** The last message was a snapshot with u = 1: Bybit restarted its service (the book is overwritten). */
  restart = false;
  private readonly scale: number;
  private readonly fields: JsonFields = jsonFields(PATHS, { optional: OPTIONAL });
  private data: Uint8Array = new Uint8Array(0);

  constructor(scale: number = DEFAULT_SCALE) {
    this.scale = scale;
    this.diff = new DepthDiff(scale);
  }

  /** Decodes data[start, end) into `diff`; false (diff undefined) when it is not a valid orderbook message. */
  decode(data: Uint8Array, start = 0, end: number = data.length): boolean {
    const diff = this.diff;
    const fields = this.fields;
    diff.reset();
    this.crossSequence = NaN;
    this.restart = false;
    if (!fields.scan(data, start, end)) return false;
    this.data = data;
    readIntegerField(fields, F_U, data);
    const updateId = numberSlot[0]!;
    if (updateId !== updateId) return false;
    if (fields.equals(F_TYPE, SNAPSHOT)) diff.kind = DEPTH_SNAPSHOT;
    else if (fields.equals(F_TYPE, DELTA)) diff.kind = DEPTH_DIFF;
    else return false;
    if (updateId === BYBIT_RESTART_UPDATE_ID) {
      // "u"=1 "is a snapshot data due to the restart of the service": overwrite, whatever its type says.
      diff.kind = DEPTH_SNAPSHOT;
      this.restart = true;
    }
    diff.firstUpdateId = updateId;
    diff.finalUpdateId = updateId;
    readIntegerField(fields, F_SEQ, data);
    this.crossSequence = numberSlot[0]!;
    readIntegerField(fields, F_TS, data);
    diff.eventTime = numberSlot[0]!;
    readIntegerField(fields, F_CTS, data);
    diff.transactionTime = numberSlot[0]!;
    if (fields.kind(F_SYMBOL) === KIND_STRING && !fields.escaped(F_SYMBOL)) {
      diff.symbolStart = fields.start(F_SYMBOL);
      diff.symbolEnd = fields.end(F_SYMBOL);
    }
    if (fields.kind(F_TOPIC) === KIND_STRING && !fields.escaped(F_TOPIC)) {
      diff.streamStart = fields.start(F_TOPIC);
      diff.streamEnd = fields.end(F_TOPIC);
    }
    // "b"/"a" absent: that side did not change (a delta) or is empty.
    if (fields.has(F_BIDS)) {
      if (fields.kind(F_BIDS) !== KIND_ARRAY) return false;
      const count = this.readLevels(fields.levels(F_BIDS), true);
      if (count < 0) return false;
      diff.bidCount = count;
    }
    if (fields.has(F_ASKS)) {
      if (fields.kind(F_ASKS) !== KIND_ARRAY) return false;
      const count = this.readLevels(fields.levels(F_ASKS), false);
      if (count < 0) return false;
      diff.askCount = count;
    }
    return true;
  }

  private readLevels(levels: LevelIterator, bids: boolean): number {
    const diff = this.diff;
    const data = this.data;
    const scale = this.scale;
    let count = 0;
    while (levels.next()) {
      const out = bids ? diff.growBids(count + 1) : diff.growAsks(count + 1);
      if (scanUnits(data, levels.priceStart, levels.priceEnd, scale, out, 2 * count) !== levels.priceEnd) return -1;
      if (scanUnits(data, levels.quantityStart, levels.quantityEnd, scale, out, 2 * count + 1) !== levels.quantityEnd) return -1;
      count++;
    }
    return levels.malformed ? -1 : count;
  }
}
