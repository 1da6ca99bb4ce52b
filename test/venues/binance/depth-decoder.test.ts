// BinanceDepthDecoder: the docs' depthUpdate and partial depth examples, combined streams, USD-M
// fields, the fast path and the general path giving the same result, and refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPTH_DIFF, DEPTH_SNAPSHOT, type DepthDiff } from '../../../src/book/index.js';
import { BinanceDepthDecoder } from '../../../src/venues/binance/index.js';
import { bytes, DOC_DEPTH_UPDATE, DOC_PARTIAL_DEPTH, text } from './fixtures.js';

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
    eventTime: diff.eventTime,
    bids: levels(diff.bids, diff.bidCount),
    asks: levels(diff.asks, diff.askCount),
  };
}

describe('BinanceDepthDecoder', () => {
  it('reads the docs depthUpdate on the fast path, levels as exact 1e-8 units', () => {
    const decoder = new BinanceDepthDecoder();
    const data = bytes(DOC_DEPTH_UPDATE);
    assert.equal(decoder.decode(data), true);
    assert.equal(decoder.generalPathCount, 0);
    assert.deepEqual(summary(decoder.diff), {
      kind: DEPTH_DIFF,
      first: 157,
      final: 160,
      previous: NaN,
      eventTime: 1672515782136,
      bids: [[240_000, 1_000_000_000]],
      asks: [[260_000, 10_000_000_000]],
    });
    assert.equal(text(data, decoder.diff.symbolStart, decoder.diff.symbolEnd), 'BNBBTC');
  });

  it('reads the docs partial depth (pretty-printed: the general path) as a snapshot', () => {
    const decoder = new BinanceDepthDecoder();
    assert.equal(decoder.decode(bytes(DOC_PARTIAL_DEPTH)), true);
    assert.equal(decoder.generalPathCount, 1);
    assert.deepEqual(summary(decoder.diff), {
      kind: DEPTH_SNAPSHOT,
      first: 160,
      final: 160,
      previous: NaN,
      eventTime: NaN,
      bids: [[240_000, 1_000_000_000]],
      asks: [[260_000, 10_000_000_000]],
    });
    const compact = bytes(JSON.stringify(JSON.parse(DOC_PARTIAL_DEPTH)));
    assert.equal(decoder.decode(compact), true);
    assert.equal(decoder.generalPathCount, 1, 'compact partial depth takes the fast path');
  });

  it('combined streams: stream name recorded, both key orders', () => {
    const decoder = new BinanceDepthDecoder({ combined: true });
    for (const message of [`{"stream":"bnbbtc@depth@100ms","data":${DOC_DEPTH_UPDATE}}`, `{"data":${DOC_DEPTH_UPDATE},"stream":"bnbbtc@depth@100ms"}`]) {
      const data = bytes(message);
      assert.equal(decoder.decode(data), true);
      assert.equal(text(data, decoder.diff.streamStart, decoder.diff.streamEnd), 'bnbbtc@depth@100ms');
      assert.equal(decoder.diff.finalUpdateId, 160);
    }
    assert.equal(decoder.generalPathCount, 0);
    assert.equal(decoder.decode(bytes(DOC_DEPTH_UPDATE)), false, 'a flat message is not a combined one');
  });

  it('USD-M futures fields: T and pu', () => {
    const decoder = new BinanceDepthDecoder();
    const message = '{"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}';
    assert.equal(decoder.decode(bytes(message)), true);
    assert.equal(decoder.diff.previousUpdateId, 149);
    assert.equal(decoder.diff.transactionTime, 123456788);
  });

  it('fast and general path agree on the same message in many spellings', () => {
    const fast = new BinanceDepthDecoder();
    const message = '{"e":"depthUpdate","E":1,"s":"X","U":5,"u":9,"b":[["1.5","0.00000000"],["1.25000000","3"]],"a":[],"T_ns":1234,"x":true,"y":null,"z":"w"}';
    assert.equal(fast.decode(bytes(message)), true);
    assert.equal(fast.generalPathCount, 0, 'unknown plain members are skipped on the fast path');
    const expected = summary(fast.diff);
    const spellings = [
      ` ${message}`,
      message.replace(/,/g, ' , '),
      message.replace('"1.5"', '1.5'),
      message.replace('["1.5","0.00000000"]', '["1.5","0.00000000","extra"]'),
      message.replace('"z":"w"', '"z":{"nested":[1,2]}'),
      message.replace('"s":"X"', '"s":"\\u0058"'),
      message.replace('"U":5', '"U":5,"U":5'),
    ];
    for (const spelling of spellings) {
      const decoder = new BinanceDepthDecoder();
      assert.equal(decoder.decode(bytes(spelling)), true, spelling);
      assert.equal(decoder.generalPathCount, 1, spelling);
      const got = summary(decoder.diff) as { eventTime: number };
      assert.deepEqual(got, expected, spelling);
    }
  });

  it('refuses what is not an exact depth message', () => {
    const decoder = new BinanceDepthDecoder({ scale: 4 });
    const refused = [
      '',
      '{}',
      DOC_DEPTH_UPDATE.slice(0, -1),
      DOC_DEPTH_UPDATE.replace('"U":157,', ''),
      DOC_DEPTH_UPDATE.replace('"b":[["0.0024","10"]]', '"b":null'),
      DOC_DEPTH_UPDATE.replace('"0.0024"', '"0.00245"'), // finer than scale 4
      DOC_DEPTH_UPDATE.replace('"0.0024"', '"-0.0024"'),
      DOC_DEPTH_UPDATE.replace('"0.0024"', '"1e-3"'),
      DOC_DEPTH_UPDATE.replace('"0.0024"', '"0."'),
      DOC_DEPTH_UPDATE.replace('"0.0024"', '"999999999999"'), // 2^53 or more at scale 4
      DOC_DEPTH_UPDATE.replace('["0.0024","10"]', '["0.0024"]'),
      DOC_DEPTH_UPDATE.replace('"u":160', '"u":160,"lastUpdateId":1'),
      DOC_DEPTH_UPDATE.replace('"U":157', '"U":9007199254740993'),
      DOC_DEPTH_UPDATE.replace('"s":"BNBBTC"', '"s":"BNB\u0001"'),
      `${DOC_DEPTH_UPDATE}x`,
    ];
    for (const message of refused) assert.equal(decoder.decode(bytes(message)), false, message);
    assert.equal(decoder.decode(bytes(DOC_DEPTH_UPDATE.replace('"0.0024"', '"0.00240000"'))), true, 'zeros past the scale are exact');
    assert.equal(decoder.diff.bids[0], 24);
  });

  it('decodes a slice of a larger buffer without reading past its end', () => {
    const decoder = new BinanceDepthDecoder();
    const message = DOC_DEPTH_UPDATE;
    const data = bytes(`${message}${message}`);
    assert.equal(decoder.decode(data, 0, message.length), true);
    assert.equal(decoder.decode(data, 0, message.length - 1), false);
    assert.equal(decoder.decode(data, message.length, data.length), true);
    // Cut inside a level: the bytes after `end` complete it, but they are not the message's.
    const cut = message.indexOf('"10"') + 2;
    assert.equal(decoder.decode(data, 0, cut), false);
  });

  it('grows its level arrays for large messages (a 5000-level snapshot)', () => {
    const decoder = new BinanceDepthDecoder();
    const side = Array.from({ length: 5000 }, (_, k) => `["${(100 + k / 100).toFixed(8)}","${(k + 1).toFixed(8)}"]`).join(',');
    assert.equal(decoder.decode(bytes(`{"lastUpdateId":7,"bids":[${side}],"asks":[${side}]}`)), true);
    assert.equal(decoder.diff.bidCount, 5000);
    assert.equal(decoder.diff.asks[2 * 4999], 14999000000);
    assert.equal(decoder.diff.asks[2 * 4999 + 1], 500000000000);
  });
});
