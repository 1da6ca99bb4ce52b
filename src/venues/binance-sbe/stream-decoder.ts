// Classifies the messages of one Binance SBE stream connection for the managed stream.
// sbe-market-data-streams.md: "You will receive market data events in SBE in WebSocket binary
// frames"; "You will receive subscription responses in JSON in WebSocket text frames"; "You will
// receive serverShutdown events in JSON in WebSocket text frames".
//
// A binary event carries no stream name (combined streams have no {"stream":..} wrapper here):
// the name is rebuilt from the template and the symbol, `<symbol lower-cased>@<type>`, in a
// scratch buffer, and looked up as bytes. Ids for the sequence check come from the message:
// trades the first and last trade id of its group, bestBidAsk its bookUpdateId, depth its
// first/last book update ids, depth20 none. Only the frame's structure and ids are checked here
// (lengths, schema, template); decimals are checked by the user's decoder at the user's scale.
import { MESSAGE_DATA, MESSAGE_UNKNOWN, type StreamNameLookup, type VenueDecoder } from '../../stream/venue.js';
import { BinanceStreamDecoder } from '../binance/stream-decoder.js';
import { readUint53 } from './decimal.js';
import { SbeFrame, type SbeVersionOptions } from './frame.js';
import {
  BBA_BOOK_UPDATE_ID,
  DIFF_FIRST_UPDATE_ID,
  DIFF_LAST_UPDATE_ID,
  TEMPLATE_BEST_BID_ASK,
  TEMPLATE_DEPTH_DIFF,
  TEMPLATE_DEPTH_SNAPSHOT,
  TEMPLATE_TRADES,
  TRADE_ID,
} from './schema.js';
import { SBE_NOT_EXACT, type SbeError } from './sbe-error.js';

const encoder = new TextEncoder();
/** Stream-name suffix per template, in template order (10000..10003). */
const SUFFIXES = [encoder.encode('@trade'), encoder.encode('@bestBidAsk'), encoder.encode('@depth20'), encoder.encode('@depth')];
const LONGEST_SUFFIX = 11;
/** varString8 holds at most 255 bytes. */
const MAX_SYMBOL = 255;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const CASE_BIT = 0x20;

const FIRST = 0;
const LAST = 1;

/** Options of SbeStreamDecoder. */
export interface SbeStreamDecoderOptions extends SbeVersionOptions {
  /**
   * Called with every binary message the decoder refuses (unknown schema or template, truncated,
   * malformed): rare, so the error object is made then. The managed stream also reports each one
   * as an `unknown-message` event.
   */
  onDecodeError?: (error: SbeError) => void;
}

/** The managed stream's decoder for one Binance SBE connection (binary events, JSON control). */
export class SbeStreamDecoder implements VenueDecoder {
  stream = -1;
  payloadStart = 0;
  payloadEnd = 0;
  firstId = NaN;
  lastId = NaN;
  requestId = -1;
  errorCode = 0;
  /** Binary messages refused (their SBE_* code is in `frame.error`). */
  refused = 0;
  /** The last binary message's walk. */
  readonly frame: SbeFrame;

  private readonly lookup: StreamNameLookup;
  private readonly control: BinanceStreamDecoder;
  private readonly onDecodeError: ((error: SbeError) => void) | null;
  private readonly name = new Uint8Array(MAX_SYMBOL + LONGEST_SUFFIX);
  private readonly ids = new Float64Array(2);

  constructor(lookup: StreamNameLookup, idLayouts: () => Uint8Array, options: SbeStreamDecoderOptions = {}) {
    this.lookup = lookup;
    this.frame = new SbeFrame(options);
    this.control = new BinanceStreamDecoder(lookup, idLayouts);
    this.onDecodeError = options.onDecodeError ?? null;
  }

  /** Text: control answers and serverShutdown, in Binance's JSON (the Spot decoder reads them). */
  decode(data: Uint8Array, start: number, end: number): number {
    const control = this.control;
    const kind = control.decode(data, start, end);
    // SBE streams send no data as JSON: a text "event" is not one of theirs.
    if (kind === MESSAGE_DATA) return MESSAGE_UNKNOWN;
    this.requestId = control.requestId;
    this.errorCode = control.errorCode;
    return kind;
  }

  errorText(): string {
    return this.control.errorText();
  }

  /** Binary: one SBE event. */
  decodeBinary(data: Uint8Array, start: number, end: number): number {
    const frame = this.frame;
    if (!frame.walk(data, start, end)) return this.refuse();
    const stream = this.streamOf(data, frame.templateId - TEMPLATE_TRADES);
    if (stream < 0) return MESSAGE_UNKNOWN;
    const ids = this.ids;
    const view = frame.view;
    const root = frame.base + frame.root;
    ids[FIRST] = ids[LAST] = NaN;
    let readable = true;
    switch (frame.templateId) {
      case TEMPLATE_TRADES: {
        const count = frame.group0Count;
        const first = frame.base + frame.group0;
        if (count !== 0) readable = readUint53(view, first + TRADE_ID, ids, FIRST) && readUint53(view, first + (count - 1) * frame.group0EntryLength + TRADE_ID, ids, LAST);
        break;
      }
      case TEMPLATE_BEST_BID_ASK:
        readable = readUint53(view, root + BBA_BOOK_UPDATE_ID, ids, LAST);
        ids[FIRST] = ids[LAST]!;
        break;
      case TEMPLATE_DEPTH_DIFF:
        readable = readUint53(view, root + DIFF_FIRST_UPDATE_ID, ids, FIRST) && readUint53(view, root + DIFF_LAST_UPDATE_ID, ids, LAST);
        break;
      case TEMPLATE_DEPTH_SNAPSHOT:
      default:
        // depth20: a periodic snapshot whose id repeats while the book is still; no sequence.
        break;
    }
    if (!readable) {
      // An id past 2^53 or negative: delivered without ids, the stream layer reports it unreadable.
      frame.error = SBE_NOT_EXACT;
      ids[FIRST] = ids[LAST] = NaN;
    }
    this.stream = stream;
    this.payloadStart = start;
    this.payloadEnd = end;
    this.firstId = ids[FIRST]!;
    this.lastId = ids[LAST]!;
    return MESSAGE_DATA;
  }

  /** The stream index of `<symbol>@<type>` for the walked message, or -1. */
  private streamOf(data: Uint8Array, templateIndex: number): number {
    const frame = this.frame;
    const name = this.name;
    let length = 0;
    for (let index = frame.symbolStart; index < frame.symbolEnd; index++) {
      const byte = data[index]!;
      // "All symbols in stream names are lowercase"; the event carries the symbol in upper case.
      name[length++] = byte >= UPPER_A && byte <= UPPER_Z ? byte | CASE_BIT : byte;
    }
    const suffix = SUFFIXES[templateIndex]!;
    for (let index = 0; index < suffix.length; index++) name[length++] = suffix[index]!;
    return this.lookup.find(name, 0, length);
  }

  private refuse(): number {
    this.refused++;
    if (this.onDecodeError !== null) {
      const error = this.frame.lastError();
      try {
        if (error !== null) this.onDecodeError(error);
      } catch (thrown) {
        // A user's callback must not unwind through the socket's data callback.
        process.emitWarning(thrown instanceof Error ? thrown : new Error(String(thrown)), 'SbeDecodeErrorHandler');
      }
    }
    return MESSAGE_UNKNOWN;
  }
}
