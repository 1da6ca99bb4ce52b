// The Binance SBE profile states the docs' endpoint, limits, header and sequence rules, and the
// MarketVenue adapter names the streams and decodes their payloads into the neutral shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPTH_DIFF } from '../../../src/book/depth-diff.js';
import { SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/events.js';
import { SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC, SEQUENCE_NONE } from '../../../src/stream/venue.js';
import { binanceSbe, binanceSbeMarket, SBE_API_KEY_HEADER } from '../../../src/venues/binance-sbe/index.js';
import * as fx from './fixtures.js';

describe('binanceSbe profile', () => {
  const profile = binanceSbe({ apiKey: 'abc123' });

  it('endpoint, combined path, limits and the API-key header', () => {
    assert.equal(profile.name, 'binance-sbe');
    assert.equal(profile.defaultUrl, 'wss://stream-sbe.binance.com:9443');
    assert.equal(profile.connectionUrl('wss://stream-sbe.binance.com:9443/'), 'wss://stream-sbe.binance.com:9443/stream');
    assert.deepEqual(profile.connectionHeaders?.(), { [SBE_API_KEY_HEADER]: 'abc123' });
    assert.equal(SBE_API_KEY_HEADER, 'X-MBX-APIKEY');
    assert.deepEqual(
      [profile.limits.maxStreamsPerConnection, profile.limits.maxIncomingPerSecond, profile.limits.connectionAttempts, profile.limits.connectionAttemptWindowMs, profile.limits.connectionLifetimeMs, profile.limits.serverPingIntervalMs],
      [1024, 5, 300, 300_000, 86_400_000, 20_000],
    );
    assert.deepEqual(JSON.parse(profile.subscribeRequest(['btcusdt@trade'], 4)), { method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 4 });
  });

  it('sequence rules: trades and diffs contiguous, bestBidAsk monotonic (auto-culling), depth20 none', () => {
    assert.equal(profile.sequenceRule('btcusdt@trade'), SEQUENCE_CONTIGUOUS);
    assert.equal(profile.sequenceRule('btcusdt@depth'), SEQUENCE_CONTIGUOUS);
    assert.equal(profile.sequenceRule('btcusdt@bestBidAsk'), SEQUENCE_MONOTONIC);
    assert.equal(profile.sequenceRule('btcusdt@depth20'), SEQUENCE_NONE);
  });

  it('stream names: the four SBE streams, lower-case symbols only', () => {
    for (const name of ['btcusdt@trade', 'btcusdt@bestBidAsk', 'btcusdt@depth', 'btcusdt@depth20']) assert.equal(profile.validateStreamName(name), null);
    for (const name of ['BTCUSDT@trade', 'btcusdt@bookTicker', 'btcusdt@depth@100ms', 'btcusdt@aggTrade', 'btcusdt@depth5']) assert.notEqual(profile.validateStreamName(name), null);
  });

  it('refuses keys that are not a header value, and a bad maxVersion, at construction', () => {
    assert.throws(() => binanceSbe({ apiKey: '' }), TypeError);
    assert.throws(() => binanceSbe({ apiKey: 'a b' }), TypeError);
    assert.throws(() => binanceSbe({ apiKey: 'k', maxVersion: 1.5 }), RangeError);
  });
});

describe('binanceSbeMarket adapter', () => {
  const market = binanceSbeMarket({ apiKey: 'abc123' });

  it('streams per instrument', () => {
    assert.equal(market.name, 'binance-sbe');
    assert.equal(market.topOfBookStream('BTCUSDT'), 'btcusdt@bestBidAsk');
    assert.equal(market.tradeStream('BTCUSDT'), 'btcusdt@trade');
    assert.equal(market.bookStream('BTCUSDT'), 'btcusdt@depth');
  });

  it('decoders fill the neutral shapes from the schema-built messages', () => {
    const top = new TopOfBook(8);
    assert.equal(market.createTopOfBookDecoder(8).decode(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length, top), true);
    assert.deepEqual([top.bidPrice, top.askQuantity, top.updateId], [2535190000, 4066000000, 400900217]);
    const trades = market.createTradeDecoder(8);
    const tick = new TradeTick(8);
    assert.equal(trades.begin(fx.TRADES, 0, fx.TRADES.length), true);
    assert.equal(trades.next(tick), true);
    assert.deepEqual([tick.tradeId, tick.side], [12345, SIDE_SELL]);
    const book = market.createBookDecoder(8);
    assert.equal(book.decode(fx.DEPTH_DIFF, 0, fx.DEPTH_DIFF.length), true);
    assert.equal(book.diff.kind, DEPTH_DIFF);
    assert.deepEqual([book.diff.firstUpdateId, book.diff.finalUpdateId], [157, 160]);
  });

  it('the book needs a REST URL for its snapshots', () => {
    assert.throws(() => market.createOrderBook('BTCUSDT', { scale: 8, restUrl: null, listener: {}, requestSnapshot: () => {} }), TypeError);
    const book = market.createOrderBook('btcusdt', { scale: 8, restUrl: 'http://127.0.0.1:1', listener: {}, requestSnapshot: () => {} });
    assert.equal(book.symbol, 'BTCUSDT');
    book.close();
  });
});
