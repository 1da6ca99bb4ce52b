// The ticker's per-message path: one combined-stream event (`{"stream":..,"data":{..}}`) from the
// receive buffer into the model, with src/market-json's extractor (no JSON.parse, no strings),
// plus the send-stamp latency when the sender adds one. Nothing here allocates in steady state:
// fields are read as numbers, the symbol is found by byte compares, depth levels are walked in
// place into the order book.

import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { jsonFields, type JsonFields, type StageClock } from 'tickwire';
import { STREAM_BOOK_TICKER, STREAM_DEPTH, STREAM_TRADE, type TickerModel } from './model.js';
import { BOOK_SYNCED, OrderBook } from './order-book.js';

/** The simulator's stamp field (simulator/exchange.ts `stamp: true`): process.hrtime.bigint() at send. */
export const DEFAULT_STAMP_FIELD = 'T_ns';

const NS_PER_SECOND = 1e9;
/** Digits of the nanoseconds-within-second part of a stamp. */
const NS_DIGITS = 9;

const encoder = new TextEncoder();

export class TickDecoder {
  readonly model: TickerModel;
  /** Local books (depth stream only), one per symbol. */
  readonly books: readonly OrderBook[];
  /** Sender stamp -> socket read, in ns, for messages that carry a stamp. */
  readonly wireLatency: RecordableHistogram = createHistogram();
  /** Messages with a send stamp. */
  stamped = 0;
  /**
   * 1 while a symbol's snapshot is requested and not yet handled (applySnapshot or
   * snapshotFailed clear it), so one request is in flight per book at most.
   */
  readonly snapshotWanted: Uint8Array;
  /** Called (rarely: after a connect or a gap) when a book needs a snapshot. */
  onSnapshotNeeded: (symbolIndex: number) => void = () => {};

  private readonly fields: JsonFields;
  private readonly symbolBytes: readonly Uint8Array[];
  private readonly symbolField: number;
  private readonly stampField: number;
  // bookTicker: b B a A; trade: p q; depth: U u b a
  private readonly fieldA: number;
  private readonly fieldB: number;
  private readonly fieldC: number;
  private readonly fieldD: number;
  private stages: StageClock | null = null;
  /** The StageClock's last read stamp, as seconds and nanoseconds (split once per socket read). */
  private lastReadTime = -1n;
  private readonly readTime = new Float64Array(2);

  constructor(model: TickerModel, stampField: string = DEFAULT_STAMP_FIELD) {
    this.model = model;
    const kind = model.kind;
    const names =
      kind === STREAM_BOOK_TICKER ? ['b', 'B', 'a', 'A'] : kind === STREAM_TRADE ? ['p', 'q', 'E', 'T'] : ['U', 'u', 'b', 'a'];
    const stampPath = `data.${stampField}`;
    const optional = kind === STREAM_TRADE ? [stampPath, 'data.E', 'data.T'] : [stampPath];
    this.fields = jsonFields(['data.s', ...names.map((name) => `data.${name}`), stampPath], { optional });
    this.symbolField = 0;
    this.fieldA = 1;
    this.fieldB = 2;
    this.fieldC = 3;
    this.fieldD = 4;
    this.stampField = 5;
    this.symbolBytes = model.symbols.map((symbol) => encoder.encode(symbol.toUpperCase()));
    this.books = kind === STREAM_DEPTH ? model.symbols.map(() => new OrderBook()) : [];
    this.snapshotWanted = new Uint8Array(model.symbols.length);
  }

  /** The client of the current connection (its stage clock gives the socket read time). */
  attach(stages: StageClock | null): void {
    this.stages = stages;
    this.lastReadTime = -1n;
    for (const book of this.books) book.reset();
    this.snapshotWanted.fill(0);
  }

  /** One message: data[start, end). */
  onMessage(data: Uint8Array, start: number, end: number): void {
    const fields = this.fields;
    const model = this.model;
    if (!fields.scan(data, start, end)) {
      model.other++;
      return;
    }
    const symbol = this.symbolIndex();
    if (symbol < 0) {
      model.other++;
      return;
    }
    model.total++;
    model.messages[symbol]!++;
    if (fields.has(this.stampField)) this.recordLatency(data);

    const kind = model.kind;
    if (kind === STREAM_BOOK_TICKER) {
      // numberInto, not number(): this handler is too large for V8 to inline every accessor.
      fields.numberInto(this.fieldA, model.bid, symbol);
      fields.numberInto(this.fieldB, model.bidQuantity, symbol);
      fields.numberInto(this.fieldC, model.ask, symbol);
      fields.numberInto(this.fieldD, model.askQuantity, symbol);
    } else if (kind === STREAM_TRADE) {
      fields.numberInto(this.fieldA, model.last, symbol);
      fields.numberInto(this.fieldB, model.lastQuantity, symbol);
    } else {
      this.applyDepth(symbol);
    }
  }

  /** A REST snapshot body for one symbol's book; returns the OrderBook SNAPSHOT_* result, or -1 if unreadable. */
  applySnapshot(symbol: number, body: Uint8Array): number {
    const snapshot = snapshotFields;
    const book = this.books[symbol]!;
    this.snapshotWanted[symbol] = 0;
    if (!snapshot.scan(body, 0, body.length)) {
      if (book.needsSnapshot) this.wantSnapshot(symbol);
      return -1;
    }
    const result = book.applySnapshot(snapshot.integer(0), snapshot.levels(1), snapshot.levels(2));
    this.publishBest(symbol, book);
    if (book.needsSnapshot) this.wantSnapshot(symbol);
    return result;
  }

  /** The snapshot request failed: the next buffered event asks again. */
  snapshotFailed(symbol: number): void {
    this.snapshotWanted[symbol] = 0;
  }

  private applyDepth(symbol: number): void {
    const fields = this.fields;
    const book = this.books[symbol]!;
    book.onDiff(fields.integer(this.fieldA), fields.integer(this.fieldB), fields.levels(this.fieldC), fields.levels(this.fieldD));
    if (book.state === BOOK_SYNCED) this.publishBest(symbol, book);
    else if (this.snapshotWanted[symbol] === 0) this.wantSnapshot(symbol); // first buffered event, or DIFF_GAP
  }

  private wantSnapshot(symbol: number): void {
    if (this.snapshotWanted[symbol] === 1) return;
    this.snapshotWanted[symbol] = 1;
    this.onSnapshotNeeded(symbol);
  }

  private publishBest(symbol: number, book: OrderBook): void {
    const model = this.model;
    model.bid[symbol] = book.bids.price(0);
    model.bidQuantity[symbol] = book.bids.quantity(0);
    model.ask[symbol] = book.asks.price(0);
    model.askQuantity[symbol] = book.asks.quantity(0);
  }

  private symbolIndex(): number {
    const symbols = this.symbolBytes;
    for (let k = 0; k < symbols.length; k++) if (this.fields.equals(this.symbolField, symbols[k]!)) return k;
    return -1;
  }

  /**
   * readTime - stamp, exactly: both are split into whole seconds and nanoseconds so no float64
   * ever holds a 16+ digit nanosecond count (hrtime counts from boot: 10^15 ns is 11.6 days).
   */
  private recordLatency(data: Uint8Array): void {
    const stages = this.stages;
    if (stages === null) return;
    const readTimeNs = stages.readTimeNs;
    if (readTimeNs !== this.lastReadTime) {
      // Once per socket read: the bigint divisions allocate, like the clock read that made it.
      this.lastReadTime = readTimeNs;
      this.readTime[0] = Number(readTimeNs / 1_000_000_000n);
      this.readTime[1] = Number(readTimeNs % 1_000_000_000n);
    }
    const fields = this.fields;
    const start = fields.start(this.stampField);
    const end = fields.end(this.stampField);
    const split = end - NS_DIGITS;
    let seconds = 0;
    let nanoseconds = 0;
    for (let i = start; i < end; i++) {
      const digit = data[i]! - 0x30;
      if (digit < 0 || digit > 9) return; // not a plain unsigned integer: no latency sample
      if (i < split) seconds = seconds * 10 + digit;
      else nanoseconds = nanoseconds * 10 + digit;
    }
    const latency = (this.readTime[0]! - seconds) * NS_PER_SECOND + (this.readTime[1]! - nanoseconds);
    // A stamp taken after the read (clock skew between processes on other OSes) counts as 1 ns.
    this.wireLatency.record(latency >= 1 ? latency : 1);
    this.stamped++;
  }
}

/** REST depth snapshot: `{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}`. */
const snapshotFields = jsonFields(['lastUpdateId', 'bids', 'asks']);
