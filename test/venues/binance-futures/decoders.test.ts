// USD-M futures: the docs' example payloads decode exactly (depthUpdate with T and pu, bookTicker
// with e/E/T, markPrice, aggTrade, the /fapi/v1/depth snapshot), through the typed decoders, the
// stream decoder (ids chained by pu) and the MarketVenue adapters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPTH_DIFF, DEPTH_SNAPSHOT } from '../../../src/book/index.js';
import { SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/index.js';
import { AggTradeDecoder, BinanceDepthDecoder, DECIMALS_UNITS, MESSAGE_DATA } from '../../../src/index.js';
import {
  binanceUsdm,
  binanceUsdmMarket,
  binanceUsdmMarketStreams,
  binanceUsdmOrderBook,
  binanceUsdmTradesMarket,
  isUsdmPublicStream,
  UsdmBookTickerDecoder,
  UsdmMarkPriceDecoder,
  usdmDepthRequestWeight,
} from '../../../src/venues/binance-futures/index.js';
import { bytes, DOC_AGG_TRADE, DOC_BOOK_TICKER, DOC_DEPTH_UPDATE, DOC_MARK_PRICE, DOC_REST_DEPTH } from './fixtures.js';

/** [price, quantity] pairs of one side of a diff, in 1e-8 units. */
function levels(side: Float64Array, count: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < count; k++) out.push([side[2 * k]!, side[2 * k + 1]!]);
  return out;
}

/** A lookup over a fixed list of names, as the managed stream's name table answers. */
function lookupOf(names: string[]): { find(data: Uint8Array, start: number, end: number): number } {
  const decoder = new TextDecoder();
  return { find: (data, start, end) => names.indexOf(decoder.decode(data.subarray(start, end))) };
}

describe('USD-M decoders on the docs examples', () => {
  it('depthUpdate: E, T, U, u, pu and the levels', () => {
    const decoder = new BinanceDepthDecoder({ scale: 8 });
    const data = bytes(DOC_DEPTH_UPDATE);
    assert.equal(decoder.decode(data, 0, data.length), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, DEPTH_DIFF);
    assert.deepEqual([diff.eventTime, diff.transactionTime, diff.firstUpdateId, diff.finalUpdateId, diff.previousUpdateId], [123456789, 123456788, 157, 160, 149]);
    assert.deepEqual([levels(diff.bids, diff.bidCount), levels(diff.asks, diff.askCount)], [[[240000, 1000000000]], [[260000, 10000000000]]]);
  });

  it('GET /fapi/v1/depth: lastUpdateId, E, T and the levels', () => {
    const decoder = new BinanceDepthDecoder({ scale: 8 });
    const data = bytes(DOC_REST_DEPTH);
    assert.equal(decoder.decode(data, 0, data.length), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, DEPTH_SNAPSHOT);
    assert.deepEqual([diff.finalUpdateId, diff.eventTime, diff.transactionTime], [1027024, 1589436922972, 1589436922959]);
    assert.deepEqual([levels(diff.bids, diff.bidCount), levels(diff.asks, diff.askCount)], [[[400000000, 43100000000]], [[400000200, 1200000000]]]);
  });

  it('bookTicker with e, E and T (unlike Spot)', () => {
    for (const decimals of [undefined, DECIMALS_UNITS]) {
      const decoder = new UsdmBookTickerDecoder(decimals === undefined ? {} : { decimals, scale: 8 });
      const data = bytes(DOC_BOOK_TICKER);
      assert.equal(decoder.decode(data, 0, data.length), true);
      assert.deepEqual([decoder.updateId, decoder.eventTime, decoder.transactionTime], [400900217, 1568014460893, 1568014460891]);
      const prices = [decoder.bidPrice, decoder.bidQuantity, decoder.askPrice, decoder.askQuantity];
      assert.deepEqual(prices, decimals === undefined ? [25.3519, 31.21, 25.3652, 40.66] : [2535190000, 3121000000, 2536520000, 4066000000]);
      assert.equal(decoder.symbolIs(bytes('BNBUSDT')), true);
    }
    const decoder = new UsdmBookTickerDecoder();
    const spot = bytes('{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}');
    assert.equal(decoder.decode(spot, 0, spot.length), false, "Spot's bookTicker has no e/T: not a futures bookTicker");
  });

  it('markPriceUpdate; an empty funding rate (delivery contract) reads NaN', () => {
    const decoder = new UsdmMarkPriceDecoder({ decimals: DECIMALS_UNITS, scale: 8 });
    const data = bytes(DOC_MARK_PRICE);
    assert.equal(decoder.decode(data, 0, data.length), true);
    assert.deepEqual(
      [decoder.eventTime, decoder.markPrice, decoder.indexPrice, decoder.estimatedSettlePrice, decoder.fundingRate, decoder.nextFundingTime],
      [1562305380000, 1179415000000, 1178462659091, 1178425641265, 38167, 1562306400000],
    );
    const delivery = bytes(DOC_MARK_PRICE.replace('"r":"0.00038167"', '"r":""'));
    assert.equal(decoder.decode(delivery, 0, delivery.length), true);
    assert.ok(Number.isNaN(decoder.fundingRate));
    const broken = bytes(DOC_MARK_PRICE.replace('"p":"11794.15000000"', '"p":""'));
    assert.equal(decoder.decode(broken, 0, broken.length), false, 'only the optional funding rate may be empty');
  });

  it('aggTrade (no "M" on futures) with the Spot AggTradeDecoder', () => {
    const decoder = new AggTradeDecoder({ decimals: DECIMALS_UNITS, scale: 8 });
    const data = bytes(DOC_AGG_TRADE);
    assert.equal(decoder.decode(data, 0, data.length), true);
    assert.deepEqual(
      [decoder.aggregateId, decoder.price, decoder.quantity, decoder.firstTradeId, decoder.lastTradeId, decoder.tradeTime, decoder.buyerIsMaker, decoder.eventTime],
      [5933014, 100000, 10000000000, 100, 105, 123456785, 1, 123456789],
    );
  });
});

describe('USD-M stream decoder and profiles', () => {
  it('a depth event reports first = pu + 1 and last = u (chained by pu, not U)', () => {
    const names = ['btcusdt@depth@100ms', 'bnbusdt@bookTicker'];
    const decoder = binanceUsdm.createDecoder(lookupOf(names), () => Uint8Array.from(names, (name) => binanceUsdm.idLayout(name)));
    const depth = bytes(`{"stream":"btcusdt@depth@100ms","data":${DOC_DEPTH_UPDATE}}`);
    assert.equal(decoder.decode(depth, 0, depth.length), MESSAGE_DATA);
    assert.deepEqual([decoder.stream, decoder.firstId, decoder.lastId], [0, 150, 160]);
    assert.equal(new TextDecoder().decode(depth.subarray(decoder.payloadStart, decoder.payloadEnd)), DOC_DEPTH_UPDATE);
    const ticker = bytes(`{"stream":"bnbusdt@bookTicker","data":${DOC_BOOK_TICKER}}`);
    assert.equal(decoder.decode(ticker, 0, ticker.length), MESSAGE_DATA);
    assert.deepEqual([decoder.stream, decoder.firstId, decoder.lastId], [1, 400900217, 400900217]);
  });

  it('routes: Public (depth, bookTicker) and Market (aggTrade, markPrice); limits from the docs', () => {
    assert.equal(binanceUsdm.connectionUrl('wss://fstream.binance.com'), 'wss://fstream.binance.com/public/stream');
    assert.equal(binanceUsdmMarketStreams.connectionUrl('wss://fstream.binance.com/'), 'wss://fstream.binance.com/market/stream');
    for (const name of ['btcusdt@depth', 'btcusdt@depth@100ms', 'btcusdt@depth5@500ms', 'btcusdt@bookTicker', '!bookTicker']) {
      assert.equal(isUsdmPublicStream(name), true, name);
      assert.equal(binanceUsdm.validateStreamName(name), null);
      assert.match(binanceUsdmMarketStreams.validateStreamName(name)!, /Public-route/);
    }
    for (const name of ['btcusdt@aggTrade', 'btcusdt@markPrice', 'btcusdt@markPrice@1s', 'btcusdt@kline_1m']) {
      assert.equal(binanceUsdmMarketStreams.validateStreamName(name), null);
      assert.match(binanceUsdm.validateStreamName(name)!, /Market-route/);
    }
    assert.equal(binanceUsdm.limits.maxIncomingPerSecond, 10);
    assert.equal(binanceUsdm.limits.maxStreamsPerConnection, 1024);
    assert.equal(binanceUsdm.limits.serverPingIntervalMs, 180_000);
    assert.equal(binanceUsdm.limits.connectionLifetimeMs, 86_400_000);
  });

  it('the /fapi/v1/depth limits and weights; any other limit is refused before a request', () => {
    assert.deepEqual([5, 10, 20, 50, 100, 500, 1000].map(usdmDepthRequestWeight), [2, 2, 2, 2, 5, 10, 20]);
    assert.throws(() => binanceUsdmOrderBook({ symbol: 'BTCUSDT', restBase: 'http://127.0.0.1:1', limit: 5000 }), RangeError);
    assert.throws(() => binanceUsdmOrderBook({ symbol: 'BTCUSDT', limit: 1000 }), TypeError);
  });
});

describe('USD-M MarketVenues', () => {
  it('binanceUsdmMarket: bookTicker -> TopOfBook with the event time; depth diffs; no trade stream on /public', () => {
    const venue = binanceUsdmMarket();
    assert.equal(venue.profile, binanceUsdm);
    assert.deepEqual([venue.topOfBookStream('BTCUSDT'), venue.tradeStream('BTCUSDT'), venue.bookStream('BTCUSDT')], ['btcusdt@bookTicker', null, 'btcusdt@depth@100ms']);
    assert.equal(binanceUsdmMarket({ depthSpeedMs: 250 }).bookStream('ethusdt'), 'ethusdt@depth');
    const top = new TopOfBook(8);
    const data = bytes(DOC_BOOK_TICKER);
    assert.equal(venue.createTopOfBookDecoder(8).decode(data, 0, data.length, top), true);
    assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity, top.updateId, top.eventTimeUs], [2535190000, 3121000000, 2536520000, 4066000000, 400900217, 1568014460893000]);
    const book = venue.createBookDecoder(8);
    const depth = bytes(DOC_DEPTH_UPDATE);
    assert.equal(book.decode(depth, 0, depth.length), true);
    assert.equal(book.diff.previousUpdateId, 149);
  });

  it('binanceUsdmTradesMarket: aggTrade -> one TradeTick (tradeId = a, taker side from m)', () => {
    const venue = binanceUsdmTradesMarket();
    assert.equal(venue.profile, binanceUsdmMarketStreams);
    assert.deepEqual([venue.topOfBookStream('BTCUSDT'), venue.tradeStream('BTCUSDT'), venue.bookStream('BTCUSDT')], [null, 'btcusdt@aggTrade', null]);
    const trades = venue.createTradeDecoder(8);
    const tick = new TradeTick(8);
    const data = bytes(DOC_AGG_TRADE);
    assert.equal(trades.begin(data, 0, data.length), true);
    assert.equal(trades.next(tick), true);
    assert.deepEqual([tick.price, tick.quantity, tick.tradeId, tick.side, tick.tradeTimeUs, tick.eventTimeUs], [100000, 10000000000, 5933014, SIDE_SELL, 123456785000, 123456789000]);
    assert.equal(trades.next(tick), false);
  });
});
