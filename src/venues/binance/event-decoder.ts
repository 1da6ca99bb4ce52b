// The shared machinery of the typed Binance event decoders (events.ts): a table of fields with
// their types, one jsonFields extractor, and a reusable result in typed arrays. decode() scans
// the message once and fills every field: integers and decimals into `values` (a Float64Array,
// so nothing is boxed or allocated), strings as byte ranges into the receive buffer, booleans as
// 1 / 0. Every event has its symbol ("s") and event time ("E", optional) in the first two slots;
// defineFields() names the rest with getters on the subclass's prototype (which V8 inlines).
//
// Decimals ("25.35190000") are read one of two ways, chosen per decoder:
//   DECIMALS_NUMBER  the float64 parseFloat would give (the nearest double: fine for display and
//                    most arithmetic);
//   DECIMALS_UNITS   an exact fixed-point integer, value * 10^scale (src/market-json/fixed-point.ts),
//                    for sums and comparisons that must not drift; NaN when the text is finer than
//                    the scale or too large for it.

import { DEFAULT_SCALE, checkScale, readSignedUnits } from '../../market-json/fixed-point.js';
import { jsonFields, KIND_FALSE, KIND_NULL, KIND_STRING, KIND_TRUE, type JsonFields } from '../../market-json/index.js';

/** `decimals`: decimal fields read as the float64 parseFloat gives (the nearest double). */
export const DECIMALS_NUMBER = 0;
/** `decimals`: decimal fields read as exact fixed-point integers (value × 10^scale); NaN when finer than the scale. */
export const DECIMALS_UNITS = 1;

export const FIELD_INTEGER = 0;
export const FIELD_DECIMAL = 1;
export const FIELD_STRING = 2;
export const FIELD_BOOLEAN = 3;

export interface FieldSpec {
  /** Key path inside the event ("u", "k.o"). */
  readonly path: string;
  readonly type: number;
  /**
   * Absent (or null) is allowed: integers and decimals read NaN, strings an empty range, booleans
   * -1. An optional decimal may also be the empty string (USD-M markPrice "r" of a delivery
   * contract), read as NaN.
   */
  readonly optional?: boolean;
}

/** A table entry of events.ts: the field and the getter that reads it. */
export interface NamedField extends FieldSpec {
  readonly name: string;
}

/** Slots every decoder has before its table's: the symbol and the event time. */
const COMMON_FIELDS: readonly FieldSpec[] = [
  { path: 's', type: FIELD_STRING },
  { path: 'E', type: FIELD_INTEGER, optional: true },
];
const COMMON_COUNT = COMMON_FIELDS.length;

/**
 * Adds one getter per table entry to `decoder`'s prototype: `name` for numbers and booleans;
 * `<name>Start`, `<name>End` and `<name>Is(bytes)` for strings. Runs once per class, at load.
 */
export function defineFields(decoder: { prototype: EventDecoder }, fields: readonly NamedField[]): void {
  fields.forEach((field, index) => {
    const k = COMMON_COUNT + index;
    if (field.type === FIELD_STRING) {
      Object.defineProperty(decoder.prototype, `${field.name}Start`, { get: function (this: EventDecoder) { return this.ranges[2 * k]; } });
      Object.defineProperty(decoder.prototype, `${field.name}End`, { get: function (this: EventDecoder) { return this.ranges[2 * k + 1]; } });
      Object.defineProperty(decoder.prototype, `${field.name}Is`, {
        value: function (this: EventDecoder, expected: Uint8Array) {
          return this.stringEquals(k, expected);
        },
      });
    } else {
      Object.defineProperty(decoder.prototype, field.name, { get: function (this: EventDecoder) { return this.values[k]; } });
    }
  });
}

/** Options of every typed Binance event decoder (`new TradeDecoder(options)`...). */
export interface EventDecoderOptions {
  /** Messages come wrapped as on a combined stream ({"stream":..,"data":{..}}). Default false. */
  combined?: boolean;
  /** DECIMALS_NUMBER (default) or DECIMALS_UNITS. */
  decimals?: number;
  /** Fixed-point decimals for DECIMALS_UNITS. Default 8. */
  scale?: number;
}

const encoder = new TextEncoder();

/**
 * The base of the typed Binance event decoders (TradeDecoder, KlineDecoder...): one scan of the
 * event fills every field of the subclass's table into typed arrays, read through getters. Not
 * constructed directly: each subclass passes its field table and accepted event types.
 */
export class EventDecoder {
  /** Numeric value of each field in spec order (integers, decimals, booleans 1/0/-1). */
  readonly values: Float64Array;
  /** Byte range of each string field in the last decoded buffer (start, end), 0, 0 when absent. */
  readonly ranges: Int32Array;
  /** Messages are read wrapped as on a combined stream (`{"stream":..,"data":{..}}`); false: the bare event. */
  readonly combined: boolean;
  /** How decimal fields are read: DECIMALS_NUMBER (float64, as parseFloat) or DECIMALS_UNITS (exact fixed-point). */
  readonly decimals: number;
  /** Decimal places of fixed-point values under DECIMALS_UNITS (value × 10^scale); unused for DECIMALS_NUMBER. */
  readonly scale: number;
  /** The last decoded buffer (string ranges point into it). */
  data: Uint8Array = new Uint8Array(0);
  private readonly fields: JsonFields;
  private readonly types: Uint8Array;
  /** 1 for optional fields (an empty decimal string reads NaN). */
  private readonly optionalFields: Uint8Array;
  /** Accepted values of "e" (none for events without one, e.g. bookTicker). */
  private readonly eventTypes: readonly Uint8Array[];
  private readonly eventTypeField: number;
  private readonly streamField: number;

  /** @internal subclasses pass their field table and the accepted values of "e". */
  constructor(table: readonly FieldSpec[], eventTypes: readonly string[], options: EventDecoderOptions = {}) {
    const specs = [...COMMON_FIELDS, ...table];
    this.combined = options.combined ?? false;
    this.decimals = options.decimals ?? DECIMALS_NUMBER;
    this.scale = checkScale(options.scale ?? DEFAULT_SCALE);
    const prefix = this.combined ? 'data.' : '';
    const paths = specs.map((spec) => prefix + spec.path);
    const optional = specs.filter((spec) => spec.optional === true).map((spec) => prefix + spec.path);
    this.eventTypeField = eventTypes.length > 0 ? paths.length : -1;
    if (eventTypes.length > 0) paths.push(`${prefix}e`);
    this.streamField = this.combined ? paths.length : -1;
    if (this.combined) {
      paths.push('stream');
      optional.push('stream');
    }
    this.fields = jsonFields(paths, { optional });
    this.types = Uint8Array.from(specs, (spec) => spec.type);
    this.optionalFields = Uint8Array.from(specs, (spec) => (spec.optional === true ? 1 : 0));
    this.eventTypes = eventTypes.map((type) => encoder.encode(type));
    this.values = new Float64Array(specs.length);
    this.ranges = new Int32Array(2 * (specs.length + 1));
  }

  /**
   * Decodes data[start, end). False when it is not valid JSON, a required field is missing, the
   * event type differs, or an integer or decimal field does not hold one.
   */
  decode(data: Uint8Array, start = 0, end: number = data.length): boolean {
    const fields = this.fields;
    if (!fields.scan(data, start, end)) return false;
    this.data = data;
    if (this.eventTypeField >= 0 && !this.eventTypeMatches()) return false;
    const types = this.types;
    const values = this.values;
    const ranges = this.ranges;
    for (let k = 0; k < types.length; k++) {
      const type = types[k]!;
      const kind = fields.kind(k);
      if (type === FIELD_STRING) {
        const present = kind === KIND_STRING;
        ranges[2 * k] = present ? fields.start(k) : 0;
        ranges[2 * k + 1] = present ? fields.end(k) : 0;
        if (!present && kind !== 0 && kind !== KIND_NULL) return false;
        continue;
      }
      if (type === FIELD_BOOLEAN) {
        if (kind === KIND_TRUE) values[k] = 1;
        else if (kind === KIND_FALSE) values[k] = 0;
        else if (kind === 0 || kind === KIND_NULL) values[k] = -1;
        else return false;
        continue;
      }
      if (kind === 0 || kind === KIND_NULL) {
        values[k] = NaN; // optional (a required one failed scan())
        continue;
      }
      // integerInto / numberInto: the value goes straight into the typed array; a double returned
      // from a call V8 does not inline (this method is large) would be boxed, i.e. allocated.
      if (type === FIELD_INTEGER) {
        fields.integerInto(k, values, k);
        if (values[k] !== values[k]) return false;
      } else if (kind === KIND_STRING && fields.start(k) === fields.end(k) && this.optionalFields[k] === 1) {
        values[k] = NaN;
      } else if (this.decimals === DECIMALS_NUMBER) {
        fields.numberInto(k, values, k);
        if (values[k] !== values[k]) return false;
      } else if (kind !== KIND_STRING || fields.escaped(k) || !readSignedUnits(data, fields.start(k), fields.end(k), this.scale, values, k)) {
        return false;
      }
    }
    if (this.streamField >= 0) {
      const present = fields.kind(this.streamField) === KIND_STRING;
      ranges[2 * types.length] = present ? fields.start(this.streamField) : 0;
      ranges[2 * types.length + 1] = present ? fields.end(this.streamField) : 0;
    }
    return true;
  }

  /** "E" (ms, or µs on a stream opened with timeUnit=MICROSECOND); NaN when the event has none. */
  get eventTime(): number {
    return this.values[1]!;
  }

  /** Byte offset in `data` where the symbol ("s", e.g. BTCUSDT) starts. */
  get symbolStart(): number {
    return this.ranges[0]!;
  }

  /** Byte offset in `data` where the symbol ends (exclusive). */
  get symbolEnd(): number {
    return this.ranges[1]!;
  }

  /** True when the symbol equals `expected` (UTF-8 bytes of e.g. "BTCUSDT"). */
  symbolIs(expected: Uint8Array): boolean {
    return this.fields.equals(0, expected);
  }

  /** True when string field `k` equals `expected` (UTF-8 bytes), e.g. the symbol against "BTCUSDT". */
  stringEquals(k: number, expected: Uint8Array): boolean {
    return this.fields.equals(k, expected);
  }

  /** String field `k` as a JS string. ALLOCATES: setup and logging only. */
  stringOf(k: number): string {
    return this.fields.string(k) ?? '';
  }

  /** Stream name range of a combined-stream message (start, end in `data`), 0, 0 otherwise. */
  get streamStart(): number {
    return this.ranges[this.ranges.length - 2]!;
  }

  /** End (exclusive) of the stream name's range in `data`; 0 for a bare event. */
  get streamEnd(): number {
    return this.ranges[this.ranges.length - 1]!;
  }

  private eventTypeMatches(): boolean {
    const types = this.eventTypes;
    for (let k = 0; k < types.length; k++) if (this.fields.equals(this.eventTypeField, types[k]!)) return true;
    return false;
  }
}
