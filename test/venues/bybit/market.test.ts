// bybitMarket: the MarketVenue of Bybit spot and linear — stream names per instrument, the
// neutral decoders on the docs' payloads, and an in-band book that asks for a new snapshot when
// a delta does not move u forward.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOK_IN_SYNC, BOOK_SYNCING, DIFF_APPLIED, DIFF_RESYNC, DIFF_SNAPSHOT_LOADED } from '../../../src/book/local-order-book.js';
import { SIDE_BUY, TopOfBook, TradeTick } from '../../../src/market/events.js';
import { bybitLinear, bybitMarket, bybitSpot } from '../../../src/venues/bybit/index.js';
import { ORDERBOOK_DELTA, ORDERBOOK_SNAPSHOT, PUBLIC_TRADE } from './fixtures.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test('names and profiles per category; depth option checked', () => {
  const spot = bybitMarket('spot');
  const linear = bybitMarket('linear', { bookDepth: 200 });
  assert.deepEqual([spot.name, spot.profile, linear.name, linear.profile], ['bybit-spot', bybitSpot, 'bybit-linear', bybitLinear]);
  assert.deepEqual([spot.topOfBookStream('btcusdt'), spot.tradeStream('btcusdt'), spot.bookStream('btcusdt')], ['orderbook.1.BTCUSDT', 'publicTrade.BTCUSDT', 'orderbook.50.BTCUSDT']);
  assert.equal(linear.bookStream('ETHUSDT'), 'orderbook.200.ETHUSDT');
  for (const name of [spot.topOfBookStream('X'), spot.tradeStream('X'), linear.bookStream('X')]) assert.equal(spot.profile.validateStreamName(name!), null);
  assert.throws(() => bybitMarket('spot', { bookDepth: 25 as 50 }), RangeError);
});

test('the neutral decoders read the docs payloads', () => {
  const venue = bybitMarket('linear');
  const trades = venue.createTradeDecoder(8);
  const tick = new TradeTick();
  assert.ok(trades.begin(bytes(PUBLIC_TRADE), 0, PUBLIC_TRADE.length));
  assert.ok(trades.next(tick));
  assert.deepEqual([tick.price, tick.quantity, tick.side], [1657850000000, 100000, SIDE_BUY]);
  assert.equal(trades.next(tick), false);
  const book = venue.createBookDecoder(8);
  assert.ok(book.decode(bytes(ORDERBOOK_DELTA), 0, ORDERBOOK_DELTA.length));
  assert.equal(book.diff.finalUpdateId, 177400507);
  const top = new TopOfBook();
  const level1 = '{"topic":"orderbook.1.BTCUSDT","ts":5,"type":"snapshot","data":{"s":"BTCUSDT","b":[["1.5","2"]],"a":[["1.6","3"]],"u":9,"seq":10},"cts":4}';
  assert.ok(venue.createTopOfBookDecoder(8).decode(bytes(level1), 0, level1.length, top));
  assert.deepEqual([top.bidPrice, top.askQuantity, top.updateId, top.eventTimeUs], [150000000, 300000000, 9, 5000]);
});

test('the book loads in-band snapshots, applies deltas that move u forward, and asks for a snapshot otherwise', () => {
  const venue = bybitMarket('spot');
  let requests = 0;
  const states: number[] = [];
  const book = venue.createOrderBook('btcusdt', { scale: 8, restUrl: null, listener: { onStateChange: (_book, state) => states.push(state) }, requestSnapshot: () => requests++ });
  const decoder = venue.createBookDecoder(8);
  assert.ok(decoder.decode(bytes(ORDERBOOK_SNAPSHOT), 0, ORDERBOOK_SNAPSHOT.length));
  assert.equal(book.onDiff(decoder.diff), DIFF_SNAPSHOT_LOADED);
  assert.equal(book.state, BOOK_IN_SYNC);
  assert.deepEqual(book.book.toLevels().bids[0], ['16493.50000000', '0.00600000']);
  assert.ok(decoder.decode(bytes(ORDERBOOK_DELTA), 0, ORDERBOOK_DELTA.length)); // u 177400507 > 18521288
  assert.equal(book.onDiff(decoder.diff), DIFF_APPLIED);
  assert.equal(book.bids.bestPrice, 3024720000000);
  // The same delta again: u does not move forward.
  assert.equal(book.onDiff(decoder.diff), DIFF_RESYNC);
  assert.equal(book.state, BOOK_SYNCING);
  assert.equal(requests, 1, 'a fresh snapshot was asked for (the neutral layer resubscribes)');
  assert.ok(decoder.decode(bytes(ORDERBOOK_SNAPSHOT), 0, ORDERBOOK_SNAPSHOT.length));
  assert.equal(book.onDiff(decoder.diff), DIFF_SNAPSHOT_LOADED);
  assert.deepEqual(states, [BOOK_IN_SYNC, BOOK_SYNCING, BOOK_IN_SYNC]);
  book.close();
});
