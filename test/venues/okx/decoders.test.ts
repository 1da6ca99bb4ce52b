// OKX decoders on the docs' own example payloads (exact fixed-point values, ids and times), as
// compact pushes and as printed in the docs (whitespace, through the stream decoder's general
// path), and refusals of what is not a push of the channel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEPTH_DIFF, DEPTH_SNAPSHOT, type DepthDiff } from '../../../src/book/index.js';
import { SIDE_BUY, SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/index.js';
import { OKX_CHECKSUM_UNVERIFIABLE, OkxBookDecoder, OkxTopOfBookDecoder, OkxTradeIterator, isCanonicalDecimal } from '../../../src/venues/okx/index.js';
import { bytes, dataArray, DOC_BBO_TBT, DOC_BOOKS5, DOC_BOOKS_SNAPSHOT, DOC_BOOKS_UPDATE, DOC_TICKERS, DOC_TRADES } from './fixtures.js';

const U = 100_000_000; // units per whole at scale 8

function levels(side: Float64Array, count: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < count; k++) out.push([side[2 * k]!, side[2 * k + 1]!]);
  return out;
}

function summary(diff: DepthDiff): unknown {
  return {
    kind: diff.kind,
    first: diff.firstUpdateId,
    final: diff.finalUpdateId,
    previous: diff.previousUpdateId,
    checksum: diff.checksum,
    eventTime: diff.eventTime,
    bids: levels(diff.bids, diff.bidCount),
    asks: levels(diff.asks, diff.askCount),
  };
}

/** The docs' levels as [price, size] units, best first. */
function units(pairs: Array<[string, string]>): number[][] {
  return pairs.map(([price, size]) => [Math.round(Number(price) * U), Math.round(Number(size) * U)]);
}

const DOC_ASKS = units([['8476.98', '415'], ['8477', '7'], ['8477.34', '85'], ['8477.56', '1'], ['8505.84', '8'], ['8506.37', '85'], ['8506.49', '2'], ['8506.96', '100']]);
const DOC_BIDS = units([['8476.97', '256'], ['8475.55', '101'], ['8475.54', '100'], ['8475.3', '1'], ['8447.32', '6'], ['8447.02', '246'], ['8446.83', '24'], ['8446', '95']]);

/** The raw `data` array of a push as printed (whitespace kept). */
function rawDataArray(push: string): Uint8Array {
  const start = push.indexOf('"data": [') + '"data": '.length;
  const end = push.lastIndexOf(']') + 1;
  return bytes(push.slice(start, end));
}

describe('OkxBookDecoder', () => {
  it('reads the docs books snapshot exactly: prevSeqId -1 makes it a snapshot', () => {
    for (const payload of [dataArray(DOC_BOOKS_SNAPSHOT), rawDataArray(DOC_BOOKS_SNAPSHOT)]) {
      const decoder = new OkxBookDecoder();
      assert.equal(decoder.decode(payload, 0, payload.length), true);
      assert.deepEqual(summary(decoder.diff), {
        kind: DEPTH_SNAPSHOT,
        first: 123456,
        final: 123456,
        previous: -1,
        checksum: -855196043,
        eventTime: 1597026383085,
        bids: DOC_BIDS,
        asks: DOC_ASKS,
      });
    }
  });

  it('reads the docs incremental update: first = prevSeqId + 1, final = seqId', () => {
    const decoder = new OkxBookDecoder();
    const payload = dataArray(DOC_BOOKS_UPDATE);
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    assert.deepEqual(summary(decoder.diff), {
      kind: DEPTH_DIFF,
      first: 123457,
      final: 123457,
      previous: 123456,
      checksum: -855196043,
      eventTime: 1597026383085,
      bids: DOC_BIDS,
      asks: DOC_ASKS,
    });
  });

  it('reads bbo-tbt and books5 (no prevSeqId, no checksum) as snapshots of the top', () => {
    const decoder = new OkxBookDecoder();
    let payload = dataArray(DOC_BBO_TBT);
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    assert.deepEqual(summary(decoder.diff), {
      kind: DEPTH_SNAPSHOT,
      first: 363996337,
      final: 363996337,
      previous: -1,
      checksum: NaN,
      eventTime: 1670324386802,
      bids: units([['111.05', '57745']]),
      asks: units([['111.06', '55154']]),
    });
    payload = dataArray(DOC_BOOKS5);
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    assert.equal(decoder.diff.bidCount, 5);
    assert.equal(decoder.diff.askCount, 5);
    assert.deepEqual(levels(decoder.diff.asks, 5).at(-1), [111.1 * U, 67272 * U]);
  });

  it('reads the keep-alive update (empty sides, seqId = prevSeqId) and a sequence reset', () => {
    const decoder = new OkxBookDecoder();
    let payload = bytes('[{"asks":[],"bids":[],"ts":"1","checksum":0,"prevSeqId":15,"seqId":15}]');
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    assert.equal(decoder.diff.kind, DEPTH_DIFF);
    assert.equal(decoder.diff.bidCount + decoder.diff.askCount, 0);
    assert.equal(decoder.diff.firstUpdateId, 16);
    assert.equal(decoder.diff.finalUpdateId, 15);
    payload = bytes('[{"asks":[["1.5","2","0","1"]],"bids":[],"ts":"1","checksum":0,"prevSeqId":15,"seqId":3}]');
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    assert.equal(decoder.diff.previousUpdateId, 15);
    assert.equal(decoder.diff.finalUpdateId, 3);
  });

  it('marks a message whose level text OKX would not write (trailing or leading zeros) as unverifiable', () => {
    const decoder = new OkxBookDecoder();
    for (const level of ['["0.5000","1","0","1"]', '["1","2.10","0","1"]', '["01.5","1","0","1"]']) {
      const payload = bytes(`[{"asks":[${level}],"bids":[],"checksum":123,"prevSeqId":1,"seqId":2}]`);
      assert.equal(decoder.decode(payload, 0, payload.length), true, level);
      assert.equal(decoder.diff.checksum, OKX_CHECKSUM_UNVERIFIABLE, level);
    }
    assert.equal(isCanonicalDecimal(bytes('0.5'), 0, 3), true);
    assert.equal(isCanonicalDecimal(bytes('0'), 0, 1), true);
    assert.equal(isCanonicalDecimal(bytes('100'), 0, 3), true);
    assert.equal(isCanonicalDecimal(bytes('10.0'), 0, 4), false);
  });

  it('refuses what is not one book object of decimals at the scale', () => {
    const decoder = new OkxBookDecoder(2);
    for (const text of [
      '[]',
      '{"asks":[],"bids":[],"seqId":1}',
      '[{"asks":[],"bids":[],"seqId":1},{"asks":[],"bids":[],"seqId":2}]',
      '[{"asks":[],"bids":[]}]',
      '[{"asks":[["1.001","1","0","1"]],"bids":[],"seqId":1}]',
      '[{"asks":[["-1","1","0","1"]],"bids":[],"seqId":1}]',
      '[{"asks":[["1"]],"bids":[],"seqId":1}]',
      '[{"asks":[],"bids":[],"seqId":"x"}]',
      '[{"asks":[],"bids":[],"seqId":1,"checksum":"5"}]',
      '[{"asks":[],"bids":[],"seqId":1}',
    ]) {
      const payload = bytes(text);
      assert.equal(decoder.decode(payload, 0, payload.length), false, text);
    }
  });
});

describe('OkxTopOfBookDecoder', () => {
  it('reads the docs tickers push: bidPx/bidSz/askPx/askSz, ts in µs, no seqId', () => {
    const decoder = new OkxTopOfBookDecoder();
    const out = new TopOfBook();
    const payload = dataArray(DOC_TICKERS);
    assert.equal(decoder.decode(payload, 0, payload.length, out), true);
    assert.deepEqual([out.bidPrice, out.bidQuantity, out.askPrice, out.askQuantity], [888888 * U / 100, 5 * U, 999999 * U / 100, 11 * U]);
    assert.equal(out.eventTimeUs, 1597026383085000);
    assert.ok(Number.isNaN(out.updateId));
  });

  it('reads the docs bbo-tbt push: the one level per side, seqId as the update id', () => {
    const decoder = new OkxTopOfBookDecoder();
    const out = new TopOfBook();
    const payload = rawDataArray(DOC_BBO_TBT);
    assert.equal(decoder.decode(payload, 0, payload.length, out), true);
    assert.deepEqual([out.bidPrice, out.bidQuantity, out.askPrice, out.askQuantity], [11105 * U / 100, 57745 * U, 11106 * U / 100, 55154 * U]);
    assert.equal(out.updateId, 363996337);
    assert.equal(out.eventTimeUs, 1670324386802000);
  });

  it('refuses a push with neither shape', () => {
    const decoder = new OkxTopOfBookDecoder();
    const payload = bytes('[{"last":"1"}]');
    assert.equal(decoder.decode(payload, 0, payload.length, new TopOfBook()), false);
  });
});

describe('OkxTradeIterator', () => {
  it('reads the docs trades push: taker side, tradeId, ts in µs', () => {
    const trades = new OkxTradeIterator();
    const tick = new TradeTick();
    const payload = rawDataArray(DOC_TRADES);
    assert.equal(trades.begin(payload, 0, payload.length), true);
    assert.equal(trades.next(tick), true);
    assert.deepEqual([tick.price, tick.quantity, tick.side, tick.tradeId, tick.tradeTimeUs], [4221990 * U / 100, 12060306, SIDE_BUY, 130639474, 1630048897897000]);
    assert.equal(trades.next(tick), false);
  });

  it('yields every trade of an aggregated push in order, and stops at an unreadable one', () => {
    const trades = new OkxTradeIterator();
    const tick = new TradeTick();
    const payload = bytes(
      '[{"instId":"X-Y","tradeId":"7","px":"1.5","sz":"2","side":"sell","ts":"10","count":"1"},' +
        '{"instId":"X-Y","tradeId":"8","px":"1.25","sz":"3","side":"buy","ts":"11","count":"1"},{"tradeId":"9"}]',
    );
    assert.equal(trades.begin(payload, 0, payload.length), true);
    const seen: number[][] = [];
    while (trades.next(tick)) seen.push([tick.tradeId, tick.price, tick.quantity, tick.side]);
    assert.deepEqual(seen, [
      [7, 1.5 * U, 2 * U, SIDE_SELL],
      [8, 1.25 * U, 3 * U, SIDE_BUY],
    ]);
    assert.equal(trades.begin(bytes('{"px":"1"}'), 0, 10), false);
  });
});

describe('OkxBookDecoder fast path', () => {
  it('reads the compact docs pushes without the general path', () => {
    const decoder = new OkxBookDecoder();
    for (const push of [DOC_BOOKS_SNAPSHOT, DOC_BOOKS_UPDATE, DOC_BBO_TBT, DOC_BOOKS5]) {
      const payload = dataArray(push);
      assert.equal(decoder.decode(payload, 0, payload.length), true);
    }
    assert.equal(decoder.generalPathCount, 0);
  });

  it('gives the general path result for any push it accepts (fuzzed spelling, order and values)', () => {
    const decimal = fc.oneof(
      fc.integer({ min: 0, max: 99_999 }).map(String),
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.stringMatching(/^[0-9]{1,9}$/)).map(([w, f]) => `${w}.${f}`),
      fc.constantFrom('0', '00', '01', '1.', '.5', '-1', '1e5', '0.50', 'x'),
    );
    const level = fc.tuple(decimal, decimal, fc.constantFrom('"0"', '"3"', '0', 'null', '"a\\"b"')).map(([p, s, extra]) => `["${p}","${s}",${extra}]`);
    const levels = fc.array(level, { maxLength: 4 }).map((items) => `[${items.join(',')}]`);
    const integer = fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }).map(String), fc.constantFrom('1.5', '01', '-0', '"7"'));
    const member = fc.oneof(
      levels.map((v) => `"asks":${v}`),
      levels.map((v) => `"bids":${v}`),
      integer.map((v) => `"seqId":${v}`),
      integer.map((v) => `"prevSeqId":${v}`),
      integer.map((v) => `"checksum":${v}`),
      fc.integer({ min: 0, max: 2 ** 45 }).map((v) => `"ts":"${v}"`),
      fc.constantFrom('"instId":"BTC-USDT"', '"x":[1]', '"y":{"z":1}'),
    );
    fc.assert(
      fc.property(fc.array(member, { minLength: 0, maxLength: 8 }), fc.integer({ min: 0, max: 10 }), (members, scale) => {
        const text = `[{${members.join(',')}}]`;
        const payload = bytes(text);
        const fast = new OkxBookDecoder(scale);
        const general = new OkxBookDecoder(scale);
        const fastOk = fast.decode(payload, 0, payload.length);
        let generalOk = false;
        try {
          JSON.parse(text);
          generalOk = general.decodeObject(payload, 1, payload.length - 1);
        } catch {
          generalOk = false;
        }
        assert.equal(fastOk, generalOk, text);
        if (fastOk) assert.deepEqual(summary(fast.diff), summary(general.diff), text);
      }),
      { numRuns: 2000 },
    );
  });
});
