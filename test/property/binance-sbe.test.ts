// Property tests of the SBE decoders against the simulator's SBE writer (written apart from them,
// from the same schema): random events round-trip exactly when the fixed-point scale can hold
// them, and are refused (SBE_NOT_EXACT) exactly when it cannot, per a BigInt reference; every
// truncation, byte flip and extension of a valid message is refused or decoded without throwing;
// any schema id but 1 or version but 0 is refused as an unknown schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TopOfBook, TradeTick, SIDE_BUY, SIDE_SELL } from '../../src/market/events.js';
import {
  SBE_NOT_EXACT,
  SBE_OK,
  SBE_UNKNOWN_SCHEMA,
  SbeBestBidAskDecoder,
  SbeDepthDecoder,
  SbeTradesDecoder,
} from '../../src/venues/binance-sbe/index.js';
import {
  LevelBatch,
  SbeWriter,
  TradeBatch,
  writeBestBidAskEvent,
  writeDepthDiffEvent,
  writeDepthSnapshotEvent,
  writeTradesEvent,
} from '../../simulator/venues/binance-sbe/sbe-writer.js';

const SCALE = 8;
const TWO_POW_53 = 2n ** 53n;

/** Reference: mantissa * 10^exponent as units at SCALE, or null when not an exact non-negative integer below 2^53. */
function referenceUnits(mantissa: bigint, exponent: number): number | null {
  if (mantissa < 0n) return null;
  const shift = exponent + SCALE;
  let units: bigint;
  if (shift >= 0) units = mantissa * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (mantissa % divisor !== 0n) return null;
    units = mantissa / divisor;
  }
  return units < TWO_POW_53 ? Number(units) : null;
}

function referenceId(value: bigint): number | null {
  return value >= 0n && value < TWO_POW_53 ? Number(value) : null;
}

// Mostly values a venue sends, sometimes the int64 range's edges.
const int64 = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: TWO_POW_53 + 5n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
);
const exponent = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -10, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: -128, max: 127 }) });
const id = fc.oneof({ weight: 8, arbitrary: fc.bigInt({ min: 0n, max: TWO_POW_53 - 1n }) }, { weight: 1, arbitrary: int64 });
const symbol = fc.stringMatching(/^[A-Z0-9]{1,20}$/).map((text) => new TextEncoder().encode(text));

/** The writer only takes safe integers; the tests patch in arbitrary int64s at known offsets. */
function patchInt64(data: Uint8Array, at: number, value: bigint): void {
  new DataView(data.buffer, data.byteOffset).setBigInt64(at, value, true);
}

const writer = new SbeWriter();

test('BestBidAskStreamEvent: exact round trip, or refused exactly when the reference says so', () => {
  const decoder = new SbeBestBidAskDecoder();
  fc.assert(
    fc.property(id, id, exponent, exponent, fc.array(int64, { minLength: 4, maxLength: 4 }), symbol, (eventTime, updateId, pe, qe, values, name) => {
      writer.reset();
      writeBestBidAskEvent(writer, name, 0, 0, pe, qe, 0, 0, 0, 0);
      const data = Uint8Array.from(writer.bytes());
      patchInt64(data, 8, eventTime);
      patchInt64(data, 16, updateId);
      values.forEach((value, k) => patchInt64(data, 26 + 8 * k, value));
      const expected = [referenceId(eventTime), referenceId(updateId), referenceUnits(values[0]!, pe), referenceUnits(values[1]!, qe), referenceUnits(values[2]!, pe), referenceUnits(values[3]!, qe)];
      const top = new TopOfBook(SCALE);
      const ok = decoder.decode(data, 0, data.length, top);
      if (expected.includes(null)) {
        assert.equal(ok, false);
        assert.equal(decoder.error, SBE_NOT_EXACT);
        assert.ok(Number.isNaN(top.bidPrice));
      } else {
        assert.equal(ok, true, decoder.lastError()?.message);
        assert.deepEqual([top.eventTimeUs, top.updateId, top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity], expected);
      }
    }),
    { numRuns: 2000 },
  );
});

const trade = fc.record({ id, price: int64, qty: int64, maker: fc.boolean() });

test('TradesStreamEvent: every trade round-trips through begin/next, or the whole message is refused', () => {
  const decoder = new SbeTradesDecoder();
  const tick = new TradeTick(SCALE);
  const batch = new TradeBatch(2);
  fc.assert(
    fc.property(fc.nat({ max: 2 ** 52 }), fc.nat({ max: 2 ** 52 }), exponent, exponent, fc.array(trade, { maxLength: 40 }), symbol, (eventTime, transactTime, pe, qe, trades, name) => {
      batch.clear();
      for (let k = 0; k < trades.length; k++) batch.add(0, 0, 0, trades[k]!.maker);
      writer.reset();
      writeTradesEvent(writer, name, eventTime, transactTime, pe, qe, batch);
      const data = Uint8Array.from(writer.bytes());
      // header 8 + root 18 + group header 6, then 25-byte entries.
      trades.forEach((t, k) => {
        patchInt64(data, 32 + 25 * k, t.id);
        patchInt64(data, 40 + 25 * k, t.price);
        patchInt64(data, 48 + 25 * k, t.qty);
      });
      const expected = trades.map((t) => [referenceId(t.id), referenceUnits(t.price, pe), referenceUnits(t.qty, qe)]);
      const exact = expected.every((values) => !values.includes(null));
      assert.equal(decoder.begin(data, 0, data.length), exact);
      if (!exact) {
        assert.equal(decoder.error, SBE_NOT_EXACT);
        assert.equal(decoder.next(tick), false);
        return;
      }
      assert.equal(decoder.count, trades.length);
      for (let k = 0; k < trades.length; k++) {
        assert.equal(decoder.next(tick), true);
        assert.deepEqual([tick.tradeId, tick.price, tick.quantity], expected[k]);
        assert.equal(tick.side, trades[k]!.maker ? SIDE_SELL : SIDE_BUY);
        assert.deepEqual([tick.eventTimeUs, tick.tradeTimeUs], [eventTime, transactTime]);
      }
      assert.equal(decoder.next(tick), false);
    }),
    { numRuns: 1000 },
  );
});

// Below 2^53 / 10^6 units: exact at every exponent from -8 to -2 (the test's range).
const safeLevel = fc.tuple(fc.nat({ max: 2 ** 33 }), fc.nat({ max: 2 ** 33 }));

test('DepthDiff and DepthSnapshot events: levels round-trip exactly at a representable exponent', () => {
  const decoder = new SbeDepthDecoder({ scale: SCALE });
  const bids = new LevelBatch(1);
  const asks = new LevelBatch(1);
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.nat({ max: 2 ** 50 }),
      fc.nat({ max: 1000 }),
      fc.integer({ min: -8, max: -2 }),
      fc.integer({ min: -8, max: -2 }),
      fc.array(safeLevel, { maxLength: 120 }),
      fc.array(safeLevel, { maxLength: 120 }),
      symbol,
      (isDiff, first, span, pe, qe, bidLevels, askLevels, name) => {
        bids.clear();
        asks.clear();
        for (const [price, qty] of bidLevels) bids.add(price, qty);
        for (const [price, qty] of askLevels) asks.add(price, qty);
        writer.reset();
        if (isDiff) writeDepthDiffEvent(writer, name, 5, first, first + span, pe, qe, bids, asks);
        else writeDepthSnapshotEvent(writer, name, 5, first + span, pe, qe, bids, asks);
        const data = writer.bytes();
        assert.equal(decoder.decode(data, 0, data.length), true, decoder.lastError()?.message);
        const diff = decoder.diff;
        assert.deepEqual([diff.firstUpdateId, diff.finalUpdateId], [isDiff ? first : first + span, first + span]);
        const units = (levels: Array<[number, number]>): number[] => levels.flatMap(([price, qty]) => [referenceUnits(BigInt(price), pe)!, referenceUnits(BigInt(qty), qe)!]);
        assert.deepEqual([...diff.bids.subarray(0, 2 * diff.bidCount)], units(bidLevels));
        assert.deepEqual([...diff.asks.subarray(0, 2 * diff.askCount)], units(askLevels));
        assert.equal(new TextDecoder().decode(data.subarray(diff.symbolStart, diff.symbolEnd)), new TextDecoder().decode(name));
      },
    ),
    { numRuns: 500 },
  );
});

/** One valid message of each template. */
function sampleMessages(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const name = new TextEncoder().encode('BTCUSDT');
  writer.reset();
  writeBestBidAskEvent(writer, name, 1, 2, -2, -5, 6500012, 3, 6500013, 4);
  out.push(Uint8Array.from(writer.bytes()));
  const batch = new TradeBatch();
  batch.add(10, 6500012, 3, true);
  batch.add(11, 6500013, 5, false);
  writer.reset();
  writeTradesEvent(writer, name, 1, 1, -2, -5, batch);
  out.push(Uint8Array.from(writer.bytes()));
  const bids = new LevelBatch();
  const asks = new LevelBatch();
  for (let k = 0; k < 5; k++) {
    bids.add(6500012 - k, k);
    asks.add(6500013 + k, k + 1);
  }
  writer.reset();
  writeDepthDiffEvent(writer, name, 1, 100, 104, -2, -5, bids, asks);
  out.push(Uint8Array.from(writer.bytes()));
  writer.reset();
  writeDepthSnapshotEvent(writer, name, 1, 104, -2, -5, bids, asks);
  out.push(Uint8Array.from(writer.bytes()));
  return out;
}

test('garbled frames: truncations, byte flips and extra bytes are refused or decoded, never thrown', () => {
  const messages = sampleMessages();
  const bestBidAsk = new SbeBestBidAskDecoder();
  const trades = new SbeTradesDecoder();
  const depth = new SbeDepthDecoder();
  const top = new TopOfBook();
  const tick = new TradeTick();
  const mutation = fc.record({
    message: fc.nat({ max: messages.length - 1 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }),
    cut: fc.nat(),
    extra: fc.array(fc.nat({ max: 255 }), { maxLength: 8 }),
    offset: fc.nat({ max: 7 }),
  });
  fc.assert(
    fc.property(mutation, ({ message, flips, cut, extra, offset }) => {
      const original = messages[message]!;
      const length = Math.max(0, original.length - (cut % (original.length + 1))) + extra.length;
      const data = new Uint8Array(offset + length);
      data.set(original.subarray(0, Math.min(original.length, length)), offset);
      data.set(extra, offset + length - extra.length);
      for (const [at, value] of flips) if (length > 0) data[offset + (at % length)] = value;
      const end = offset + length;
      // A decoder says false exactly when it reports an error, and what it accepts fits the bytes.
      assert.equal(bestBidAsk.decode(data, offset, end, top), bestBidAsk.error === SBE_OK);
      if (depth.decode(data, offset, end)) {
        assert.equal(depth.error, SBE_OK);
        assert.ok(16 * (depth.diff.bidCount + depth.diff.askCount) + 8 + 18 + 8 <= length);
        assert.ok(depth.diff.symbolEnd <= end);
      } else {
        assert.notEqual(depth.error, SBE_OK);
        assert.equal(depth.diff.bidCount + depth.diff.askCount, 0);
      }
      if (trades.begin(data, offset, end)) {
        let count = 0;
        while (trades.next(tick)) count++;
        assert.equal(count, trades.count);
      } else {
        assert.notEqual(trades.error, SBE_OK);
      }
      // Unchanged messages still decode: the decoders keep no state from a refused one.
      assert.equal(depth.decode(messages[2]!, 0, messages[2]!.length), true);
    }),
    { numRuns: 3000 },
  );
});

test('any schema id but 1, or version above 0, is refused as an unknown schema', () => {
  const messages = sampleMessages();
  const decoders = [new SbeBestBidAskDecoder(), new SbeTradesDecoder(), new SbeDepthDecoder(), new SbeDepthDecoder()];
  fc.assert(
    fc.property(fc.nat({ max: messages.length - 1 }), fc.nat({ max: 0xffff }), fc.nat({ max: 0xffff }), (index, schemaId, version) => {
      fc.pre(schemaId !== 1 || version !== 0);
      const data = Uint8Array.from(messages[index]!);
      const view = new DataView(data.buffer);
      view.setUint16(4, schemaId, true);
      view.setUint16(6, version, true);
      const decoder = decoders[index]!;
      const ok = decoder instanceof SbeBestBidAskDecoder ? decoder.decode(data, 0, data.length, new TopOfBook()) : decoder instanceof SbeTradesDecoder ? decoder.begin(data, 0, data.length) : decoder.decode(data, 0, data.length);
      assert.equal(ok, false);
      assert.equal(decoder.error, SBE_UNKNOWN_SCHEMA);
      assert.equal(decoder.lastError()?.code, 'TW_ERR_SBE_UNKNOWN_SCHEMA');
    }),
    { numRuns: 1000 },
  );
});
