// Every Binance Spot event decoder reads the documentation's own example payload exactly, flat
// and on a combined stream, in both decimal modes; and refuses other events and bad values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggTradeDecoder,
  ArrayEvents,
  AvgPriceDecoder,
  BlockTradeDecoder,
  BookTickerDecoder,
  DECIMALS_UNITS,
  KlineDecoder,
  MiniTickerDecoder,
  ReferencePriceDecoder,
  TickerDecoder,
  TradeDecoder,
  WindowTickerDecoder,
} from '../../../src/venues/binance/index.js';
import * as doc from './fixtures.js';

const { bytes, text } = doc;
const combined = (stream: string, payload: string): Uint8Array => bytes(`{"stream":"${stream}","data":${payload}}`);

describe('Binance event decoders: the docs examples', () => {
  it('bookTicker', () => {
    const decoder = new BookTickerDecoder();
    const data = bytes(doc.DOC_BOOK_TICKER);
    assert.equal(decoder.decode(data), true);
    assert.equal(decoder.updateId, 400900217);
    assert.equal(text(data, decoder.symbolStart, decoder.symbolEnd), 'BNBUSDT');
    assert.equal(decoder.symbolIs(bytes('BNBUSDT')), true);
    assert.equal(decoder.symbolIs(bytes('BNBBTC')), false);
    assert.deepEqual([decoder.bidPrice, decoder.bidQuantity, decoder.askPrice, decoder.askQuantity], [25.3519, 31.21, 25.3652, 40.66]);
    const units = new BookTickerDecoder({ decimals: DECIMALS_UNITS });
    assert.equal(units.decode(data), true);
    assert.deepEqual([units.bidPrice, units.bidQuantity, units.askPrice, units.askQuantity], [2535190000, 3121000000, 2536520000, 4066000000]);
  });

  it('trade', () => {
    const decoder = new TradeDecoder();
    assert.equal(decoder.decode(bytes(doc.DOC_TRADE)), true);
    assert.deepEqual(
      [decoder.eventTime, decoder.tradeId, decoder.price, decoder.quantity, decoder.tradeTime, decoder.buyerIsMaker],
      [1672515782136, 12345, 0.001, 100, 1672515782136, 1],
    );
    assert.equal(decoder.symbolIs(bytes('BNBBTC')), true);
    assert.equal(decoder.decode(bytes(doc.DOC_AGG_TRADE)), false, 'an aggTrade is not a trade');
  });

  it('aggTrade', () => {
    const decoder = new AggTradeDecoder({ decimals: DECIMALS_UNITS, scale: 3 });
    assert.equal(decoder.decode(bytes(doc.DOC_AGG_TRADE)), true);
    assert.deepEqual(
      [decoder.eventTime, decoder.aggregateId, decoder.price, decoder.quantity, decoder.firstTradeId, decoder.lastTradeId, decoder.tradeTime, decoder.buyerIsMaker],
      [1672515782136, 12345, 1, 100000, 100, 105, 1672515782136, 1],
    );
  });

  it('blockTrade', () => {
    const decoder = new BlockTradeDecoder();
    assert.equal(decoder.decode(bytes(doc.DOC_BLOCK_TRADE)), true);
    assert.deepEqual([decoder.eventTime, decoder.tradeId, decoder.price, decoder.quantity, decoder.tradeTime, decoder.buyerIsMaker], [1772506983582, 582, 0.052, 5838, 1772506983321, 1]);
  });

  it('kline (pretty-printed as in the docs), also on a combined stream with the +08:00 name', () => {
    for (const [decoder, data] of [
      [new KlineDecoder(), bytes(doc.DOC_KLINE)],
      [new KlineDecoder({ combined: true }), combined('bnbbtc@kline_1m@+08:00', doc.DOC_KLINE)],
    ] as const) {
      assert.equal(decoder.decode(data), true);
      assert.deepEqual(
        [decoder.eventTime, decoder.openTime, decoder.closeTime, decoder.firstTradeId, decoder.lastTradeId, decoder.open, decoder.close, decoder.high, decoder.low],
        [1672515782136, 1672515780000, 1672515839999, 100, 200, 0.001, 0.002, 0.0025, 0.0015],
      );
      assert.deepEqual(
        [decoder.baseVolume, decoder.tradeCount, decoder.closed, decoder.quoteVolume, decoder.takerBuyBaseVolume, decoder.takerBuyQuoteVolume],
        [1000, 100, 0, 1, 500, 0.5],
      );
      assert.equal(text(data, decoder.intervalStart, decoder.intervalEnd), '1m');
      assert.equal(decoder.symbolIs(bytes('BNBBTC')), true);
    }
    const wrapped = new KlineDecoder({ combined: true });
    const data = combined('bnbbtc@kline_1m@+08:00', doc.DOC_KLINE);
    wrapped.decode(data);
    assert.equal(text(data, wrapped.streamStart, wrapped.streamEnd), 'bnbbtc@kline_1m@+08:00');
  });

  it('miniTicker', () => {
    const decoder = new MiniTickerDecoder();
    assert.equal(decoder.decode(bytes(doc.DOC_MINI_TICKER)), true);
    assert.deepEqual([decoder.eventTime, decoder.close, decoder.open, decoder.high, decoder.low, decoder.baseVolume, decoder.quoteVolume], [1672515782136, 0.0025, 0.001, 0.0025, 0.001, 10000, 18]);
  });

  it('ticker', () => {
    const decoder = new TickerDecoder();
    assert.equal(decoder.decode(bytes(doc.DOC_TICKER)), true);
    assert.deepEqual(
      [decoder.priceChange, decoder.priceChangePercent, decoder.weightedAveragePrice, decoder.firstTradeBeforeWindowPrice, decoder.lastPrice, decoder.lastQuantity],
      [0.0015, 250, 0.0018, 0.0009, 0.0025, 10],
    );
    assert.deepEqual([decoder.bidPrice, decoder.bidQuantity, decoder.askPrice, decoder.askQuantity], [0.0024, 10, 0.0026, 100]);
    assert.deepEqual([decoder.open, decoder.high, decoder.low, decoder.baseVolume, decoder.quoteVolume], [0.001, 0.0025, 0.001, 10000, 18]);
    assert.deepEqual([decoder.openTime, decoder.closeTime, decoder.firstTradeId, decoder.lastTradeId, decoder.tradeCount], [0, 86400000, 0, 18150, 18151]);
  });

  it('ticker_<window> (1h, 4h, 1d event types)', () => {
    const decoder = new WindowTickerDecoder();
    for (const type of ['1hTicker', '4hTicker', '1dTicker']) {
      assert.equal(decoder.decode(bytes(doc.DOC_WINDOW_TICKER.replace('1hTicker', type))), true, type);
      assert.deepEqual(
        [decoder.priceChange, decoder.priceChangePercent, decoder.open, decoder.high, decoder.low, decoder.lastPrice, decoder.weightedAveragePrice, decoder.baseVolume, decoder.quoteVolume],
        [0.0015, 250, 0.001, 0.0025, 0.001, 0.0025, 0.0018, 10000, 18],
      );
      assert.deepEqual([decoder.openTime, decoder.closeTime, decoder.firstTradeId, decoder.lastTradeId, decoder.tradeCount], [0, 1675216573749, 0, 18150, 18151]);
    }
    assert.equal(decoder.decode(bytes(doc.DOC_WINDOW_TICKER.replace('1hTicker', '24hrTicker'))), false);
  });

  it('avgPrice', () => {
    const decoder = new AvgPriceDecoder({ decimals: DECIMALS_UNITS });
    const data = bytes(doc.DOC_AVG_PRICE);
    assert.equal(decoder.decode(data), true);
    assert.deepEqual([decoder.eventTime, decoder.averagePrice, decoder.lastTradeTime], [1693907033000, 2577686000000, 1693907032213]);
    assert.equal(text(data, decoder.intervalStart, decoder.intervalEnd), '5m');
  });

  it('referencePrice, with "r": null meaning none', () => {
    const decoder = new ReferencePriceDecoder();
    assert.equal(decoder.decode(bytes(doc.DOC_REFERENCE_PRICE)), true);
    assert.deepEqual([decoder.referencePrice, decoder.time], [1, 1770313263917]);
    assert.equal(decoder.decode(bytes(doc.DOC_REFERENCE_PRICE.replace('"1.00"', 'null'))), true);
    assert.ok(Number.isNaN(decoder.referencePrice));
  });

  it('!miniTicker@arr and !ticker_1h@arr: elements walked in place, flat and combined', () => {
    const elements = [doc.DOC_MINI_TICKER, doc.DOC_MINI_TICKER.replace('BNBBTC', 'ETHBTC').replace('"c":"0.0025"', '"c":"0.0031"')];
    const mini = new MiniTickerDecoder();
    for (const [events, data] of [
      [new ArrayEvents(), bytes(` [ ${elements.join(' , ')} ] `)],
      [new ArrayEvents({ combined: true }), combined('!miniTicker@arr', `[${elements.join(',')}]`)],
    ] as const) {
      assert.equal(events.reset(data), true);
      const closes: number[] = [];
      while (events.next()) {
        assert.equal(mini.decode(data, events.elementStart, events.elementEnd), true);
        closes.push(mini.close);
      }
      assert.deepEqual(closes, [0.0025, 0.0031]);
    }
    const empty = new ArrayEvents();
    assert.equal(empty.reset(bytes('[]')), true);
    assert.equal(empty.next(), false);
    assert.equal(empty.reset(bytes('[{"e":1},')), false, 'invalid JSON is refused whole');
    assert.equal(empty.reset(bytes('{"e":1}')), false, 'not an array');
  });
});

describe('Binance event decoders: refusals', () => {
  it('refuse malformed JSON, missing fields, wrong kinds, and decimals finer than the scale', () => {
    const trade = new TradeDecoder();
    assert.equal(trade.decode(bytes(doc.DOC_TRADE.slice(0, -1))), false);
    assert.equal(trade.decode(bytes(doc.DOC_TRADE.replace('"t":12345,', ''))), false);
    assert.equal(trade.decode(bytes(doc.DOC_TRADE.replace('"p":"0.001"', '"p":"abc"'))), false);
    assert.equal(trade.decode(bytes(doc.DOC_TRADE.replace('"m":true', '"m":"yes"'))), false);
    assert.equal(trade.decode(bytes(doc.DOC_TRADE.replace('"t":12345', '"t":1.5'))), false);
    const units = new TradeDecoder({ decimals: DECIMALS_UNITS, scale: 2 });
    assert.equal(units.decode(bytes(doc.DOC_TRADE)), false, '0.001 needs 3 decimals');
    assert.equal(units.decode(bytes(doc.DOC_TRADE.replace('"0.001"', '"0.01000000"'))), true, 'trailing zeros past the scale are exact');
    assert.equal(units.price, 1);
    const ticker = new TickerDecoder({ decimals: DECIMALS_UNITS });
    assert.equal(ticker.decode(bytes(doc.DOC_TICKER.replace('"p":"0.0015"', '"p":"-0.0015"'))), true, 'price change may be negative');
    assert.equal(ticker.priceChange, -150000);
  });
});
