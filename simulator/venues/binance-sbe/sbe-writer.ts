// Writes Binance's SBE stream messages (sbe/schemas/stream_1_0.xml, little-endian) into a reusable
// buffer. Written from the schema on its own, apart from the library's decoder, so the two check
// each other: a misread offset in one shows up as a failed round trip, not as a shared bug.
//
//   header: blockLength u16, templateId u16, schemaId u16 (1), version u16 (0)
//   TradesStreamEvent 10000:   eventTime i64, transactTime i64, priceExponent i8, qtyExponent i8;
//                              trades (u16 blockLength, u32 numInGroup): id i64, price i64, qty i64, isBuyerMaker u8
//   BestBidAskStreamEvent 10001: eventTime i64, bookUpdateId i64, priceExponent i8, qtyExponent i8,
//                              bidPrice i64, bidQty i64, askPrice i64, askQty i64
//   DepthSnapshotStreamEvent 10002: eventTime i64, bookUpdateId i64, priceExponent i8, qtyExponent i8;
//                              bids, asks (u16 blockLength, u16 numInGroup): price i64, qty i64
//   DepthDiffStreamEvent 10003: eventTime i64, firstBookUpdateId i64, lastBookUpdateId i64,
//                              priceExponent i8, qtyExponent i8; bids, asks as above
//   every message ends with symbol: varString8 (u8 length, bytes)
// Prices and quantities are mantissas (value = mantissa * 10^exponent).

const INITIAL_BYTES = 64 * 1024;
const TWO_POW_32 = 4294967296;

export const SBE_STREAM_SCHEMA_ID = 1;
export const SBE_STREAM_SCHEMA_VERSION = 0;
export const TEMPLATE_TRADES = 10000;
export const TEMPLATE_BEST_BID_ASK = 10001;
export const TEMPLATE_DEPTH_SNAPSHOT = 10002;
export const TEMPLATE_DEPTH_DIFF = 10003;

/** A growable little-endian byte writer. */
export class SbeWriter {
  buffer: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  position = 0;
  /** The header's schemaId and version (a fault can change them to test a client's check). */
  schemaId = SBE_STREAM_SCHEMA_ID;
  version = SBE_STREAM_SCHEMA_VERSION;

  reset(): void {
    this.position = 0;
  }

  /** The bytes written since reset() (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  header(blockLength: number, templateId: number): void {
    this.uint16(blockLength);
    this.uint16(templateId);
    this.uint16(this.schemaId);
    this.uint16(this.version);
  }

  uint8(value: number): void {
    this.ensure(1);
    this.view.setUint8(this.position, value);
    this.position += 1;
  }

  int8(value: number): void {
    this.ensure(1);
    this.view.setInt8(this.position, value);
    this.position += 1;
  }

  uint16(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.position, value, true);
    this.position += 2;
  }

  uint32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.position, value, true);
    this.position += 4;
  }

  /** An int64 from a safe integer (|value| < 2^53). */
  int64(value: number): void {
    const high = Math.floor(value / TWO_POW_32);
    this.int64Words(high, value - high * TWO_POW_32);
  }

  /** An int64 as its two 32-bit words (any int64, e.g. values past 2^53 in tests). */
  int64Words(high: number, low: number): void {
    this.ensure(8);
    this.view.setUint32(this.position, low >>> 0, true);
    this.view.setInt32(this.position + 4, high | 0, true);
    this.position += 8;
  }

  /** varString8: a uint8 length, then the bytes (at most 255). */
  varString8(text: Uint8Array): void {
    const length = Math.min(255, text.length);
    this.ensure(1 + length);
    this.buffer[this.position++] = length;
    this.buffer.set(text.subarray(0, length), this.position);
    this.position += length;
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
}

/** Trades of one TradesStreamEvent, as mantissas (reused: fill, write, clear). */
export class TradeBatch {
  count = 0;
  ids: Float64Array;
  prices: Float64Array;
  quantities: Float64Array;
  buyerIsMaker: Uint8Array;

  constructor(capacity = 16) {
    this.ids = new Float64Array(capacity);
    this.prices = new Float64Array(capacity);
    this.quantities = new Float64Array(capacity);
    this.buyerIsMaker = new Uint8Array(capacity);
  }

  add(id: number, price: number, quantity: number, buyerIsMaker: boolean): void {
    if (this.count === this.ids.length) this.grow();
    const index = this.count++;
    this.ids[index] = id;
    this.prices[index] = price;
    this.quantities[index] = quantity;
    this.buyerIsMaker[index] = buyerIsMaker ? 1 : 0;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const grown = <T extends Float64Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.ids = grown(this.ids, new Float64Array(size));
    this.prices = grown(this.prices, new Float64Array(size));
    this.quantities = grown(this.quantities, new Float64Array(size));
    this.buyerIsMaker = grown(this.buyerIsMaker, new Uint8Array(size));
  }
}

/** Book levels of one side, as [price, quantity] mantissa pairs. */
export class LevelBatch {
  count = 0;
  pairs: Float64Array;

  constructor(capacity = 64) {
    this.pairs = new Float64Array(2 * capacity);
  }

  add(price: number, quantity: number): void {
    if (2 * this.count === this.pairs.length) {
      const next = new Float64Array(this.pairs.length * 2);
      next.set(this.pairs);
      this.pairs = next;
    }
    this.pairs[2 * this.count] = price;
    this.pairs[2 * this.count + 1] = quantity;
    this.count++;
  }

  clear(): void {
    this.count = 0;
  }
}

export function writeTradesEvent(writer: SbeWriter, symbol: Uint8Array, eventTimeUs: number, transactTimeUs: number, priceExponent: number, qtyExponent: number, trades: TradeBatch): void {
  writer.header(18, TEMPLATE_TRADES);
  writer.int64(eventTimeUs);
  writer.int64(transactTimeUs);
  writer.int8(priceExponent);
  writer.int8(qtyExponent);
  // groupSizeEncoding: blockLength 25 (isBestMatch is a constant: no bytes), numInGroup uint32.
  writer.uint16(25);
  writer.uint32(trades.count);
  for (let index = 0; index < trades.count; index++) {
    writer.int64(trades.ids[index]!);
    writer.int64(trades.prices[index]!);
    writer.int64(trades.quantities[index]!);
    writer.uint8(trades.buyerIsMaker[index]!);
  }
  writer.varString8(symbol);
}

export function writeBestBidAskEvent(
  writer: SbeWriter,
  symbol: Uint8Array,
  eventTimeUs: number,
  bookUpdateId: number,
  priceExponent: number,
  qtyExponent: number,
  bidPrice: number,
  bidQty: number,
  askPrice: number,
  askQty: number,
): void {
  writer.header(50, TEMPLATE_BEST_BID_ASK);
  writer.int64(eventTimeUs);
  writer.int64(bookUpdateId);
  writer.int8(priceExponent);
  writer.int8(qtyExponent);
  writer.int64(bidPrice);
  writer.int64(bidQty);
  writer.int64(askPrice);
  writer.int64(askQty);
  writer.varString8(symbol);
}

/** The exponents ending the root block, both level groups and the symbol (depth and depth20). */
function writeBookTail(writer: SbeWriter, symbol: Uint8Array, priceExponent: number, qtyExponent: number, bids: LevelBatch, asks: LevelBatch): void {
  writer.int8(priceExponent);
  writer.int8(qtyExponent);
  writeLevels(writer, bids);
  writeLevels(writer, asks);
  writer.varString8(symbol);
}

function writeLevels(writer: SbeWriter, levels: LevelBatch): void {
  // groupSize16Encoding: blockLength 16, numInGroup uint16.
  writer.uint16(16);
  writer.uint16(levels.count);
  const pairs = levels.pairs;
  for (let index = 0; index < 2 * levels.count; index++) writer.int64(pairs[index]!);
}

export function writeDepthDiffEvent(
  writer: SbeWriter,
  symbol: Uint8Array,
  eventTimeUs: number,
  firstBookUpdateId: number,
  lastBookUpdateId: number,
  priceExponent: number,
  qtyExponent: number,
  bids: LevelBatch,
  asks: LevelBatch,
): void {
  writer.header(26, TEMPLATE_DEPTH_DIFF);
  writer.int64(eventTimeUs);
  writer.int64(firstBookUpdateId);
  writer.int64(lastBookUpdateId);
  writeBookTail(writer, symbol, priceExponent, qtyExponent, bids, asks);
}

export function writeDepthSnapshotEvent(
  writer: SbeWriter,
  symbol: Uint8Array,
  eventTimeUs: number,
  bookUpdateId: number,
  priceExponent: number,
  qtyExponent: number,
  bids: LevelBatch,
  asks: LevelBatch,
): void {
  writer.header(18, TEMPLATE_DEPTH_SNAPSHOT);
  writer.int64(eventTimeUs);
  writer.int64(bookUpdateId);
  writeBookTail(writer, symbol, priceExponent, qtyExponent, bids, asks);
}

/**
 * The exponent that writes a multiple of `unitsPerStep` 1e-8 units (a tick or lot) with the
 * fewest digits: tick 0.01 (1e6 units) -> -2, lot 0.00001 (1e3 units) -> -5, 1 whole -> 0.
 */
export function exponentFor(unitsPerStep: number): number {
  let exponent = -8;
  let divisor = 10;
  while (exponent < 0 && unitsPerStep % divisor === 0) {
    exponent++;
    divisor *= 10;
  }
  return exponent;
}

/** 1e-8 units -> the mantissa at `exponent` (units / 10^(8 + exponent)), exact for units the exponent was chosen for. */
export function mantissaOf(units: number, exponent: number): number {
  return units / 10 ** (8 + exponent);
}
