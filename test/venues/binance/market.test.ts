// The Binance Spot MarketVenue: stream names per instrument, and the docs' example payloads
// decoded into the neutral shapes exactly (fixed-point units, µs times, taker side).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPTH_DIFF } from '../../../src/book/index.js';
import { SIDE_BUY, SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/index.js';
import { binanceSpotMarket } from '../../../src/venues/binance/index.js';
import { binanceSpot } from '../../../src/venues/binance/profile.js';
import * as doc from './fixtures.js';

const { bytes } = doc;

describe('binanceSpotMarket', () => {
  const venue = binanceSpotMarket();

  it('names the streams of an instrument the way the profile accepts them', () => {
    assert.equal(venue.name, 'binance-spot');
    assert.equal(venue.profile, binanceSpot);
    assert.equal(venue.topOfBookStream('BTCUSDT'), 'btcusdt@bookTicker');
    assert.equal(venue.tradeStream('BTCUSDT'), 'btcusdt@trade');
    assert.equal(venue.bookStream('BTCUSDT'), 'btcusdt@depth@100ms');
    assert.equal(binanceSpotMarket({ depthSpeedMs: 1000 }).bookStream('ethusdt'), 'ethusdt@depth');
    for (const name of ['btcusdt@bookTicker', 'btcusdt@trade', 'btcusdt@depth@100ms']) assert.equal(binanceSpot.validateStreamName(name), null);
  });

  it('bookTicker (docs example) -> TopOfBook in fixed-point units', () => {
    const top = new TopOfBook(8);
    const decoder = venue.createTopOfBookDecoder(8);
    const data = bytes(doc.DOC_BOOK_TICKER);
    assert.equal(decoder.decode(data, 0, data.length, top), true);
    assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity], [2535190000, 3121000000, 2536520000, 4066000000]);
    assert.equal(top.updateId, 400900217);
    assert.ok(Number.isNaN(top.eventTimeUs), 'Spot bookTicker carries no event time');
    assert.equal(top.bid, 25.3519);
    const coarse = new TopOfBook(2);
    assert.equal(venue.createTopOfBookDecoder(2).decode(data, 0, data.length, coarse), false, '25.3519 does not fit 2 decimals');
    assert.equal(decoder.decode(bytes(doc.DOC_TRADE), 0, doc.DOC_TRADE.length, top), false, 'a trade is not a top of book');
  });

  it('trade (docs example) -> one TradeTick, then the iterator is done', () => {
    const tick = new TradeTick(8);
    const trades = venue.createTradeDecoder(8);
    const data = bytes(doc.DOC_TRADE);
    assert.equal(trades.begin(data, 0, data.length), true);
    assert.equal(trades.next(tick), true);
    assert.deepEqual([tick.price, tick.quantity, tick.tradeId], [100000, 10000000000, 12345]);
    assert.equal(tick.side, SIDE_SELL, 'm: true = the buyer is the maker = the taker sold');
    assert.equal(tick.tradeTimeUs, 1672515782136000);
    assert.equal(tick.eventTimeUs, 1672515782136000);
    assert.equal(trades.next(tick), false);
    const buy = bytes(doc.DOC_TRADE.replace('"m":true', '"m":false'));
    assert.equal(trades.begin(buy, 0, buy.length), true);
    assert.equal(trades.next(tick), true);
    assert.equal(tick.side, SIDE_BUY);
    assert.equal(trades.begin(bytes(doc.DOC_AGG_TRADE), 0, doc.DOC_AGG_TRADE.length), false);
    assert.equal(trades.next(tick), false);
  });

  it('depthUpdate (docs example) -> DepthDiff', () => {
    const book = venue.createBookDecoder(8);
    const data = bytes(doc.DOC_DEPTH_UPDATE);
    assert.equal(book.decode(data, 0, data.length), true);
    const diff = book.diff;
    assert.equal(diff.kind, DEPTH_DIFF);
    assert.deepEqual([diff.firstUpdateId, diff.finalUpdateId], [157, 160]);
    assert.deepEqual([...diff.bids.subarray(0, 2)], [240000, 1000000000]);
    assert.deepEqual([...diff.asks.subarray(0, 2)], [260000, 10000000000]);
  });

  it('a book needs a REST URL', () => {
    const context = { scale: 8, restUrl: null, listener: {}, requestSnapshot: () => undefined };
    assert.throws(() => venue.createOrderBook('BTCUSDT', context), /REST URL/);
    const book = venue.createOrderBook('btcusdt', { ...context, restUrl: 'http://127.0.0.1:9' });
    assert.equal(book.symbol, 'BTCUSDT');
    assert.equal(book.scale, 8);
    book.close();
  });
});
