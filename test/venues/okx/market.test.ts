// okxMarket (the MarketVenue adapter): stream names per instrument, the docs' payloads through
// the adapter's decoders into the neutral shapes, and its book: in-band snapshot, updates chained
// by prevSeqId, a bad checksum and a gap each asking the stream for a new snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOK_IN_SYNC, BOOK_SYNCING, DIFF_APPLIED, DIFF_RESYNC, DIFF_SNAPSHOT_LOADED, OrderBook } from '../../../src/book/index.js';
import { SIDE_BUY, TopOfBook, TradeTick } from '../../../src/market/index.js';
import { OkxChecksum, okxMarket, okxPublic } from '../../../src/venues/okx/index.js';
import { bytes, dataArray, DOC_BBO_TBT, DOC_TRADES } from './fixtures.js';

test('stream names and decoders of the adapter', () => {
  const venue = okxMarket();
  assert.equal(venue.name, 'okx');
  assert.equal(venue.profile, okxPublic);
  assert.deepEqual([venue.topOfBookStream('BTC-USDT'), venue.tradeStream('BTC-USDT'), venue.bookStream('BTC-USDT')], ['bbo-tbt:BTC-USDT', 'trades:BTC-USDT', 'books:BTC-USDT']);
  assert.equal(okxMarket({ bookChannel: 'books50-l2-tbt', topOfBookChannel: 'tickers' }).bookStream('ETH-USDT'), 'books50-l2-tbt:ETH-USDT');
  const top = new TopOfBook();
  const bbo = dataArray(DOC_BBO_TBT);
  assert.equal(venue.createTopOfBookDecoder(8).decode(bbo, 0, bbo.length, top), true);
  assert.equal(top.updateId, 363996337);
  const trades = venue.createTradeDecoder(8);
  const tick = new TradeTick();
  const payload = dataArray(DOC_TRADES);
  assert.equal(trades.begin(payload, 0, payload.length) && trades.next(tick), true);
  assert.deepEqual([tick.side, tick.tradeId], [SIDE_BUY, 130639474]);
});

test('the book: in-band snapshot, chained updates, a bad checksum and a gap ask for a new snapshot', () => {
  const venue = okxMarket({ snapshotIntervalMs: 0 });
  let requests = 0;
  const book = venue.createOrderBook('BTC-USDT', { scale: 8, restUrl: null, listener: {}, requestSnapshot: () => requests++ });
  const decoder = venue.createBookDecoder(8);
  const checksum = new OkxChecksum();
  const model = new OrderBook();
  const push = (asks: string, bids: string, prev: number, seq: number, corrupt = 0): number => {
    const text = `[{"asks":[${asks}],"bids":[${bids}],"ts":"1","checksum":0,"prevSeqId":${prev},"seqId":${seq}}]`;
    const first = bytes(text);
    assert.ok(decoder.decode(first, 0, first.length));
    if (prev === -1) model.load(decoder.diff, seq);
    else model.apply(decoder.diff);
    const sum = checksum.compute(model) + corrupt;
    const real = bytes(text.replace('"checksum":0', `"checksum":${sum | 0}`));
    assert.ok(decoder.decode(real, 0, real.length));
    return book.onDiff(decoder.diff);
  };
  assert.equal(push('["10.5","1","0","1"],["11","2","0","1"]', '["10","3","0","1"]', -1, 100), DIFF_SNAPSHOT_LOADED);
  assert.equal(book.state, BOOK_IN_SYNC);
  assert.equal(push('["10.5","0","0","1"]', '["10.1","4","0","1"]', 100, 105), DIFF_APPLIED);
  assert.equal(push('', '', 105, 105), DIFF_APPLIED); // the keep-alive
  assert.equal(book.bids.bestPrice, 1_010_000_000);
  assert.equal(push('["11","5","0","1"]', '', 105, 107, 1), DIFF_RESYNC); // a bad checksum
  assert.equal(book.state, BOOK_SYNCING);
  assert.equal(requests, 1);
  assert.equal(push('["11","5","0","1"]', '["10","3","0","1"]', -1, 110), DIFF_SNAPSHOT_LOADED);
  assert.equal(push('["11","6","0","1"]', '', 120, 125), DIFF_RESYNC); // prevSeqId 120 is not the book's 110: a gap
  assert.equal(requests, 2);
  book.close(); // stops the re-ask timer
});
