// The SBE decoders read messages built field by field from Binance's schema exactly, and refuse
// everything else with a typed error: another schema id or version, another template, a short
// or padded message, a block or group entry shorter than the schema's, an invalid enum value, a
// decimal the fixed-point scale cannot hold exactly. Nothing throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPTH_DIFF as KIND_DIFF, DEPTH_SNAPSHOT as KIND_SNAPSHOT } from '../../../src/book/depth-diff.js';
import { SIDE_BUY, SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/events.js';
import {
  SBE_MALFORMED,
  SBE_NOT_EXACT,
  SBE_SCALE_MISMATCH,
  SBE_TRUNCATED,
  SBE_UNKNOWN_SCHEMA,
  SBE_UNKNOWN_TEMPLATE,
  SbeBestBidAskDecoder,
  SbeDepthDecoder,
  SbeError,
  SbeTradesDecoder,
} from '../../../src/venues/binance-sbe/index.js';
import * as fx from './fixtures.js';

describe('SBE decoders: messages built from the schema', () => {
  it('BestBidAskStreamEvent -> TopOfBook (the bookTicker example)', () => {
    const decoder = new SbeBestBidAskDecoder();
    const top = new TopOfBook();
    assert.equal(decoder.decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length, top), true);
    assert.equal(top.updateId, 400900217);
    assert.equal(top.eventTimeUs, fx.BEST_BID_ASK_EVENT_TIME);
    assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity], [2535190000, 3121000000, 2536520000, 4066000000]);
    assert.equal(top.bid, 25.3519);
    assert.equal(fx.text(fx.BEST_BID_ASK, decoder.frame.symbolStart, decoder.frame.symbolEnd), 'BNBUSDT');
    assert.deepEqual([decoder.priceExponent, decoder.qtyExponent], [-4, -2]);
    // At scale 4 the same message is still exact; at scale 3 the prices are finer than the scale.
    const top4 = new TopOfBook(4);
    assert.equal(new SbeBestBidAskDecoder({ scale: 4 }).decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length, top4), true);
    assert.deepEqual([top4.bidPrice, top4.bidQuantity], [253519, 312100]);
    const coarse = new SbeBestBidAskDecoder({ scale: 3 });
    const top3 = new TopOfBook(3);
    assert.equal(coarse.decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length, top3), false);
    assert.equal(coarse.error, SBE_NOT_EXACT);
    assert.ok(Number.isNaN(top3.bidPrice), 'a refused message leaves the output untouched');
  });

  it('TradesStreamEvent -> one TradeTick per trade (begin/next)', () => {
    const decoder = new SbeTradesDecoder();
    const tick = new TradeTick();
    assert.equal(decoder.begin(fx.TRADES, 0, fx.TRADES.length), true);
    assert.deepEqual([decoder.count, decoder.firstTradeId, decoder.lastTradeId], [2, 12345, 12346]);
    assert.equal(decoder.next(tick), true);
    assert.deepEqual(
      [tick.tradeId, tick.price, tick.quantity, tick.side, tick.tradeTimeUs, tick.eventTimeUs],
      [12345, 100000, 10000000000, SIDE_SELL, 1_672_515_782_135_500, 1_672_515_782_136_000],
    );
    assert.equal(decoder.next(tick), true);
    assert.deepEqual([tick.tradeId, tick.price, tick.quantity, tick.side], [12346, 200000, 700000000, SIDE_BUY]);
    assert.equal(decoder.next(tick), false);
    assert.equal(fx.text(fx.TRADES, decoder.frame.symbolStart, decoder.frame.symbolEnd), 'BNBBTC');
  });

  it('DepthDiffStreamEvent -> DepthDiff (the depthUpdate example)', () => {
    const decoder = new SbeDepthDecoder();
    assert.equal(decoder.decode(fx.DEPTH_DIFF, 0, fx.DEPTH_DIFF.length), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, KIND_DIFF);
    assert.deepEqual([diff.firstUpdateId, diff.finalUpdateId, diff.eventTime], [157, 160, 1_672_515_782_136_000]);
    assert.deepEqual([diff.bidCount, diff.askCount], [1, 1]);
    assert.deepEqual([...diff.bids.subarray(0, 2), ...diff.asks.subarray(0, 2)], [240000, 1000000000, 260000, 10000000000]);
    assert.equal(fx.text(fx.DEPTH_DIFF, diff.symbolStart, diff.symbolEnd), 'BNBBTC');
  });

  it('DepthSnapshotStreamEvent -> DepthDiff of kind DEPTH_SNAPSHOT (depth20)', () => {
    const decoder = new SbeDepthDecoder();
    assert.equal(decoder.decode(fx.DEPTH_SNAPSHOT, 0, fx.DEPTH_SNAPSHOT.length), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, KIND_SNAPSHOT);
    assert.deepEqual([diff.firstUpdateId, diff.finalUpdateId], [160, 160]);
    assert.deepEqual([...diff.bids.subarray(0, 4)], [240000, 1000000000, 230000, 500000000]);
    assert.deepEqual([diff.bidCount, diff.askCount], [2, 1]);
  });

  it('a message inside a larger buffer at an odd offset, and in a SharedArrayBuffer', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(fx.BEST_BID_ASK.length + 11), 3);
    shared.set(fx.BEST_BID_ASK, 5);
    const top = new TopOfBook();
    const decoder = new SbeBestBidAskDecoder();
    assert.equal(decoder.decode(shared, 5, 5 + fx.BEST_BID_ASK.length, top), true);
    assert.equal(top.askQuantity, 4066000000);
  });
});

describe('SBE decoders: refusals', () => {
  const top = new TopOfBook();

  function decodeFields(fields: fx.Field[]): SbeBestBidAskDecoder {
    const decoder = new SbeBestBidAskDecoder();
    const data = fx.sbe(fields);
    assert.equal(decoder.decode(data, 0, data.length, top), false);
    return decoder;
  }

  it('another schema id, or a newer version, is an unknown schema; maxVersion opts into newer minor versions', () => {
    const otherId = decodeFields([...fx.header(50, 10001, 2, 0), ...fx.BEST_BID_ASK_FIELDS.slice(4)]);
    assert.equal(otherId.error, SBE_UNKNOWN_SCHEMA);
    const error = otherId.lastError();
    assert.ok(error instanceof SbeError);
    assert.equal(error.code, 'TW_ERR_SBE_UNKNOWN_SCHEMA');
    assert.deepEqual([error.schemaId, error.version, error.templateId], [2, 0, 10001]);
    assert.match(error.message, /schema 2:0/);
    assert.equal(decodeFields([...fx.header(50, 10001, 1, 1), ...fx.BEST_BID_ASK_FIELDS.slice(4)]).error, SBE_UNKNOWN_SCHEMA);
    // Version 1 with a field appended to the root block and var data after the symbol: a reader
    // of version 0 steps over both by the lengths, as the SBE extension mechanism intends.
    const extended = fx.sbe([...fx.header(54, 10001, 1, 1), ...fx.BEST_BID_ASK_FIELDS.slice(4, 12), ['u32', 7], ['str', 'BNBUSDT'], ['str', 'extra']]);
    const tolerant = new SbeBestBidAskDecoder({ maxVersion: 1 });
    const out = new TopOfBook();
    assert.equal(tolerant.decode(extended, 0, extended.length, out), true);
    assert.equal(out.askQuantity, 4066000000);
    assert.equal(fx.text(extended, tolerant.frame.symbolStart, tolerant.frame.symbolEnd), 'BNBUSDT');
    assert.throws(() => new SbeBestBidAskDecoder({ maxVersion: -1 }), RangeError);
  });

  it('another template, and templates the schema does not define', () => {
    const decoder = new SbeBestBidAskDecoder();
    assert.equal(decoder.decode(fx.TRADES, 0, fx.TRADES.length, top), false);
    assert.equal(decoder.error, SBE_UNKNOWN_TEMPLATE);
    assert.equal(new SbeTradesDecoder().begin(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length), false);
    const depth = new SbeDepthDecoder();
    assert.equal(depth.decode(fx.TRADES, 0, fx.TRADES.length), false);
    assert.equal(depth.error, SBE_UNKNOWN_TEMPLATE);
    assert.equal(decodeFields([...fx.header(50, 10004), ...fx.BEST_BID_ASK_FIELDS.slice(4)]).error, SBE_UNKNOWN_TEMPLATE);
  });

  it('every truncation of every message is refused as truncated, without throwing', () => {
    for (const message of [fx.BEST_BID_ASK, fx.TRADES, fx.DEPTH_DIFF, fx.DEPTH_SNAPSHOT]) {
      for (let length = 0; length < message.length; length++) {
        const bestBidAsk = new SbeBestBidAskDecoder();
        const depth = new SbeDepthDecoder();
        const trades = new SbeTradesDecoder();
        assert.equal(bestBidAsk.decode(message, 0, length, new TopOfBook()), false);
        assert.equal(depth.decode(message, 0, length), false);
        assert.equal(trades.begin(message, 0, length), false);
        for (const decoder of [bestBidAsk, depth, trades]) assert.equal(decoder.error, SBE_TRUNCATED, `length ${length} of ${message.length}`);
      }
    }
  });

  it('trailing bytes, short blocks and entries, bad enum values, a huge group count', () => {
    const padded = new Uint8Array(fx.BEST_BID_ASK.length + 1);
    padded.set(fx.BEST_BID_ASK);
    const decoder = new SbeBestBidAskDecoder();
    assert.equal(decoder.decode(padded, 0, padded.length, top), false);
    assert.equal(decoder.error, SBE_MALFORMED);
    assert.equal(decodeFields([...fx.header(49, 10001), ...fx.BEST_BID_ASK_FIELDS.slice(4)]).error, SBE_MALFORMED);

    const trades = new SbeTradesDecoder();
    const withEntryLength = (entryLength: number): Uint8Array => fx.sbe(fx.TRADES_FIELDS.map((field, index) => (index === 8 ? (['u16', entryLength] as const) : field)));
    const short = withEntryLength(24);
    assert.equal(trades.begin(short, 0, short.length), false);
    assert.equal(trades.error, SBE_MALFORMED);
    const badEnum = fx.sbe(fx.TRADES_FIELDS.map((field, index) => (index === 13 ? (['u8', 2] as const) : field)));
    assert.equal(trades.begin(badEnum, 0, badEnum.length), false);
    assert.equal(trades.error, SBE_MALFORMED);
    const huge = fx.sbe(fx.TRADES_FIELDS.map((field, index) => (index === 9 ? (['u32', 0xffffffff] as const) : field)));
    assert.equal(trades.begin(huge, 0, huge.length), false);
    assert.equal(trades.error, SBE_MALFORMED);
    const many = fx.sbe(fx.TRADES_FIELDS.map((field, index) => (index === 9 ? (['u32', 3] as const) : field)));
    assert.equal(trades.begin(many, 0, many.length), false);
    assert.equal(trades.error, SBE_TRUNCATED);
  });

  it('values a double or the scale cannot hold exactly', () => {
    const withField = (index: number, field: fx.Field): fx.Field[] => fx.BEST_BID_ASK_FIELDS.map((old, k) => (k === index ? field : old));
    // index 8 = bidPrice mantissa, 7 = qtyExponent, 5 = bookUpdateId, 4 = eventTime
    assert.equal(decodeFields(withField(8, ['i64', -1])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(8, ['i64', 2n ** 53n])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(8, ['i64', -(2n ** 63n)])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(5, ['i64', 2n ** 53n])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(4, ['i64', -5])).error, SBE_NOT_EXACT);
    // qty 3121 * 10^6 * 10^8 units is past 2^53; 3121 * 10^-9 is finer than scale 8.
    assert.equal(decodeFields(withField(7, ['i8', 6])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(7, ['i8', -9])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(7, ['i8', 127])).error, SBE_NOT_EXACT);
    assert.equal(decodeFields(withField(7, ['i8', -128])).error, SBE_NOT_EXACT);
    // 3120 * 10^-9 = 312 * 10^-8: exact after all (trailing zeros, as fixed-point.ts allows).
    const exact = new SbeBestBidAskDecoder();
    const data = fx.sbe(withField(7, ['i8', -9]).map((field, k) => (k === 9 ? (['i64', 3120] as const) : k === 11 ? (['i64', 40660] as const) : field)));
    const out = new TopOfBook();
    assert.equal(exact.decode(data, 0, data.length, out), true, exact.lastError()?.message);
    assert.deepEqual([out.bidQuantity, out.askQuantity], [312, 4066]);
  });

  it('an output of another scale is reported, not converted', () => {
    const decoder = new SbeBestBidAskDecoder();
    assert.equal(decoder.decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length, new TopOfBook(2)), false);
    assert.equal(decoder.error, SBE_SCALE_MISMATCH);
    const trades = new SbeTradesDecoder();
    assert.equal(trades.begin(fx.TRADES, 0, fx.TRADES.length), true);
    assert.equal(trades.next(new TradeTick(4)), false);
    assert.equal(trades.error, SBE_SCALE_MISMATCH);
    assert.equal(trades.lastError()?.code, 'TW_ERR_SBE_SCALE_MISMATCH');
  });

  it('out-of-range arguments are refused, not read past', () => {
    const decoder = new SbeBestBidAskDecoder();
    assert.equal(decoder.decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length + 5, top), false);
    assert.equal(decoder.decode(fx.BEST_BID_ASK, -1, fx.BEST_BID_ASK.length, top), false);
    assert.equal(decoder.error, SBE_TRUNCATED);
  });
});
