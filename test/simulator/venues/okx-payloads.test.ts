// The OKX simulator's pushes: the shape of the docs' examples, levels in OKX's spelling, and a
// checksum that the library's decoder and verifier accept for the book the push describes
// (the CRC of the docs' string, rebuilt here from the push's own text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderBook, TradeTick } from '../../../src/index.js';
import { OkxBookDecoder, OkxChecksum, OkxTradeIterator, crc32 } from '../../../src/venues/okx/index.js';
import { JsonWriter } from '../../../simulator/json-writer.js';
import { SIDE_ASK, SIDE_BID, SymbolMarket } from '../../../simulator/market.js';
import { okxMarketChecksum, writeOkxBookPush, writeOkxTradePush, writeOkxUnits } from '../../../simulator/venues/okx/payloads.js';

const encoder = new TextEncoder();
const CHANNEL = encoder.encode('books');
const INST = encoder.encode('BTC-USDT');

function text(write: (writer: JsonWriter) => void): string {
  const writer = new JsonWriter();
  write(writer);
  return writer.toString();
}

function market(): SymbolMarket {
  const listener = { onTop(): void {}, onTrade(): void {} };
  const result = new SymbolMarket({ symbol: 'btcusdt', price: 65000.5, tickSize: 0.1, lotSize: 0.0001, maxLots: 5000 }, 7, 60, listener);
  for (let step = 0; step < 500; step++) result.step();
  return result;
}

describe('OKX simulator payloads', () => {
  it('spells units as OKX does: no trailing zeros, no dot for whole numbers', () => {
    const cases: Array<[number, string]> = [
      [847_700_000_000, '8477'],
      [847_698_000_000, '8476.98'],
      [12_060_306, '0.12060306'],
      [0, '0'],
      [10, '0.0000001'],
      [100_000_000, '1'],
    ];
    for (const [units, expected] of cases) assert.equal(text((w) => writeOkxUnits(w, units)), expected);
  });

  it('writes a books snapshot whose decoded book checks against the pushed checksum', () => {
    const m = market();
    const bids = m.topLevels(SIDE_BID, 400);
    const asks = m.topLevels(SIDE_ASK, 400);
    const checksum = okxMarketChecksum(m);
    const push = text((w) => writeOkxBookPush(w, CHANNEL, INST, bids, asks, m.tickUnits, { ts: 1597026383085, checksum, prevSeqId: -1, seqId: m.updateId }));
    const parsed = JSON.parse(push) as { arg: unknown; action: string; data: Array<Record<string, unknown>> };
    assert.deepEqual(parsed.arg, { channel: 'books', instId: 'BTC-USDT' });
    assert.equal(parsed.action, 'snapshot');
    assert.deepEqual(Object.keys(parsed.data[0]!), ['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId']);
    assert.equal((parsed.data[0]!.asks as string[][])[0]!.length, 4);
    const decoder = new OkxBookDecoder();
    const payload = encoder.encode(JSON.stringify(parsed.data));
    assert.equal(decoder.decode(payload, 0, payload.length), true);
    const book = new OrderBook();
    book.load(decoder.diff, decoder.diff.finalUpdateId);
    assert.equal(new OkxChecksum().compute(book), checksum);
    // The checksum is the CRC of the docs' string, built here from the push's own text.
    const levels = (side: string[][]): string[][] => side.slice(0, 25);
    const parts: string[] = [];
    const pushedBids = levels(parsed.data[0]!.bids as string[][]);
    const pushedAsks = levels(parsed.data[0]!.asks as string[][]);
    for (let rank = 0; rank < 25; rank++) {
      if (pushedBids[rank]) parts.push(`${pushedBids[rank]![0]}:${pushedBids[rank]![1]}`);
      if (pushedAsks[rank]) parts.push(`${pushedAsks[rank]![0]}:${pushedAsks[rank]![1]}`);
    }
    assert.equal(crc32(encoder.encode(parts.join(':'))), checksum);
  });

  it('writes bbo-tbt without action, checksum or prevSeqId, and updates with them', () => {
    const push = text((w) => writeOkxBookPush(w, encoder.encode('bbo-tbt'), INST, [[10, 500_000_000]], [[11, 600_000_000]], 100_000_000, { ts: 1, checksum: null, prevSeqId: null, seqId: 9 }));
    assert.equal(push, '{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["11","6","0","1"]],"bids":[["10","5","0","1"]],"ts":"1","seqId":9}]}');
    const update = text((w) => writeOkxBookPush(w, CHANNEL, INST, [[10, 0]], [], 100_000_000, { ts: 2, checksum: -5, prevSeqId: 9, seqId: 12 }));
    assert.equal(update, '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[["10","0","0","1"]],"ts":"2","checksum":-5,"prevSeqId":9,"seqId":12}]}');
  });

  it('writes a trade the library reads back', () => {
    const push = text((w) => writeOkxTradePush(w, encoder.encode('trades'), INST, 130639474, 4_221_990_000_000, 12_060_306, true, 1630048897897, 1234));
    assert.equal(
      push,
      '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"1","source":"0","seqId":1234}]}',
    );
    const payload = encoder.encode(JSON.stringify((JSON.parse(push) as { data: unknown }).data));
    const trades = new OkxTradeIterator();
    const tick = new TradeTick();
    assert.equal(trades.begin(payload, 0, payload.length) && trades.next(tick), true);
    assert.equal(tick.price, 4_221_990_000_000);
    assert.equal(tick.tradeId, 130639474);
  });
});
