// Bybit v5 decoders against the docs' own example payloads (exact values), compact and spaced
// spellings, u = 1 restarts, and refusals of malformed input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEPTH_DIFF, DEPTH_SNAPSHOT } from '../../../src/book/depth-diff.js';
import { SIDE_BUY, SIDE_SELL, TopOfBook, TradeTick } from '../../../src/market/events.js';
import {
  BybitOrderbookDecoder,
  BybitTickerDecoder,
  BybitTopOfBookDecoder,
  BybitTradeDecoder,
  TICKER_ASK_PRICE,
  TICKER_ASK_SIZE,
  TICKER_BID_PRICE,
  TICKER_BID_SIZE,
  TICKER_FUNDING_RATE,
  TICKER_LAST_PRICE,
  TICKER_MARK_PRICE,
  TICKER_PRICE_24H_PCNT,
  TICKER_VOLUME_24H,
  TICKER_TURNOVER_24H,
} from '../../../src/venues/bybit/index.js';
import { ORDERBOOK_DELTA, ORDERBOOK_SNAPSHOT, PUBLIC_TRADE, TICKER_LINEAR, TICKER_LINEAR_FUTURES, TICKER_SPOT } from './fixtures.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
/** Decimal text -> fixed-point units at scale 8, exactly (BigInt, no float rounding). */
export function units(text: string, scale = 8): number {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = Number(BigInt(whole! + fraction.padEnd(scale, '0').slice(0, scale)));
  return negative ? -value : value;
}
/** The same JSON without whitespace (what the live venue sends). */
const compact = (text: string): string => JSON.stringify(JSON.parse(text) as unknown);
/** Decodes `text` placed in the middle of a larger buffer (offsets must be honoured). */
function framed(text: string): [Uint8Array, number, number] {
  const data = bytes(`##${text}##`);
  return [data, 2, data.length - 2];
}

function levels(pairs: Array<[string, string]>): number[] {
  return pairs.flatMap(([price, quantity]) => [units(price), units(quantity)]);
}

test('orderbook: the docs snapshot and delta decode exactly, spaced and compact', () => {
  const decoder = new BybitOrderbookDecoder();
  for (const text of [ORDERBOOK_SNAPSHOT, compact(ORDERBOOK_SNAPSHOT)]) {
    assert.equal(decoder.decode(...framed(text)), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, DEPTH_SNAPSHOT);
    assert.equal(diff.firstUpdateId, 18521288);
    assert.equal(diff.finalUpdateId, 18521288);
    assert.equal(decoder.crossSequence, 7961638724);
    assert.equal(diff.eventTime, 1672304484978);
    assert.equal(diff.transactionTime, 1672304484976);
    assert.equal(decoder.restart, false);
    assert.deepEqual([...diff.bids.subarray(0, 2 * diff.bidCount)], levels([['16493.50', '0.006'], ['16493.00', '0.100']]));
    assert.deepEqual([...diff.asks.subarray(0, 2 * diff.askCount)], levels([['16611.00', '0.029'], ['16612.00', '0.213']]));
  }
  for (const text of [ORDERBOOK_DELTA, compact(ORDERBOOK_DELTA)]) {
    const [data, start, end] = framed(text);
    assert.equal(decoder.decode(data, start, end), true);
    const diff = decoder.diff;
    assert.equal(diff.kind, DEPTH_DIFF);
    assert.equal(diff.finalUpdateId, 177400507);
    assert.equal(decoder.crossSequence, 66544703342);
    assert.equal(diff.eventTime, 1687940967466);
    assert.equal(diff.transactionTime, 1687940967464);
    assert.equal(new TextDecoder().decode(data.subarray(diff.symbolStart, diff.symbolEnd)), 'BTCUSDT');
    assert.equal(new TextDecoder().decode(data.subarray(diff.streamStart, diff.streamEnd)), 'orderbook.50.BTCUSDT');
    assert.deepEqual(
      [...diff.bids.subarray(0, 2 * diff.bidCount)],
      levels([['30247.20', '30.028'], ['30245.40', '0.224'], ['30242.10', '1.593'], ['30240.30', '1.305'], ['30240.00', '0']]),
    );
    assert.deepEqual(
      [...diff.asks.subarray(0, 2 * diff.askCount)],
      levels([['30248.70', '0'], ['30249.30', '0.892'], ['30249.50', '1.778'], ['30249.60', '0'], ['30251.90', '2.947'], ['30252.20', '0.659'], ['30252.50', '4.591']]),
    );
  }
});

test('orderbook: u = 1 is a restart snapshot whatever its type; ts quoted or bare, before or after type', () => {
  const decoder = new BybitOrderbookDecoder();
  const restart = '{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["1.5","2"]],"a":[],"u":1,"seq":9},"cts":1}';
  assert.equal(decoder.decode(bytes(restart)), true);
  assert.equal(decoder.diff.kind, DEPTH_SNAPSHOT);
  assert.equal(decoder.restart, true);
  assert.equal(decoder.diff.bidCount, 1);
  assert.equal(decoder.diff.askCount, 0);
  // The docs' reminder: spot and futures level 1 put "ts" before "type", spelled quoted.
  const level1 = '{"topic":"orderbook.1.BTCUSDT","ts":"1772694601512","type":"snapshot","data":{"s":"BTCUSDT","b":[["10","1"]],"a":[["11","2"]],"u":5,"seq":6},"cts":1772694601510}';
  assert.equal(decoder.decode(bytes(level1)), true);
  assert.equal(decoder.diff.eventTime, 1772694601512);
  assert.equal(decoder.restart, false);
});

test('orderbook: refuses what is not a valid orderbook message', () => {
  const decoder = new BybitOrderbookDecoder();
  for (const text of [
    '',
    'not json',
    '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[],"a":[]}}', // no u
    '{"topic":"orderbook.50.BTCUSDT","type":"other","data":{"b":[],"a":[],"u":3}}', // unknown type
    '{"topic":"orderbook.50.BTCUSDT","data":{"b":[],"a":[],"u":3}}', // no type
    '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["1.5"]],"a":[],"u":3}}', // half a level
    '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["-1.5","1"]],"a":[],"u":3}}', // negative price
    '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["1.123456789","1"]],"a":[],"u":3}}', // finer than scale 8
    '{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":{},"a":[],"u":3}}', // b not an array
    `${compact(ORDERBOOK_DELTA).slice(0, -1)}`, // truncated
  ]) {
    assert.equal(decoder.decode(bytes(text)), false, text);
  }
});

test('publicTrade: the docs example decodes exactly; several trades, one tick each', () => {
  const decoder = new BybitTradeDecoder();
  const tick = new TradeTick();
  for (const text of [PUBLIC_TRADE, compact(PUBLIC_TRADE)]) {
    const [data, start, end] = framed(text);
    assert.equal(decoder.begin(data, start, end), true);
    assert.equal(decoder.next(tick), true);
    assert.equal(tick.price, units('16578.50'));
    assert.equal(tick.quantity, units('0.001'));
    assert.equal(tick.side, SIDE_BUY);
    assert.equal(tick.tradeTimeUs, 1672304486865000);
    assert.equal(tick.eventTimeUs, 1672304486868000);
    assert.ok(Number.isNaN(tick.tradeId), 'a UUID id is not a number');
    assert.equal(decoder.tradeIdText(), '20f43950-d8dd-5b31-9112-a178eb6023af');
    assert.equal(new TextDecoder().decode(data.subarray(decoder.symbolStart, decoder.symbolEnd)), 'BTCUSDT');
    assert.equal(decoder.crossSequence, 1783284617);
    assert.equal(decoder.blockTrade, false);
    assert.equal(decoder.next(tick), false);
    assert.equal(decoder.malformed, false);
    assert.equal(decoder.count, 1);
  }
  const several = '{"topic":"publicTrade.ETHUSDT","type":"snapshot","ts":5,"data":[{"T":1,"s":"ETHUSDT","S":"Sell","v":"2","p":"3000.5","i":"2290000000061666327","BT":true,"seq":7},{"T":2,"s":"ETHUSDT","S":"Buy","v":"0.5","p":"3001","i":"x-1","BT":false,"seq":7}]}';
  assert.equal(decoder.begin(bytes(several)), true);
  assert.equal(decoder.next(tick), true);
  assert.deepEqual([tick.side, tick.price, tick.quantity, tick.tradeId, decoder.blockTrade], [SIDE_SELL, units('3000.5'), units('2'), NaN, true]); // digits past 2^53: NaN
  assert.equal(decoder.next(tick), true);
  assert.deepEqual([tick.side, tick.price, tick.tradeTimeUs, decoder.blockTrade, decoder.tradeIdText()], [SIDE_BUY, units('3001'), 2000, false, 'x-1']);
  assert.equal(decoder.next(tick), false);
  assert.equal(decoder.malformed, false);
  const digits = '{"topic":"publicTrade.ETHUSDT","type":"snapshot","ts":5,"data":[{"T":1,"S":"Buy","v":"1","p":"1","i":"12345"}]}';
  assert.equal(decoder.begin(bytes(digits)), true);
  assert.equal(decoder.next(tick), true);
  assert.equal(tick.tradeId, 12345);
});

test('publicTrade: a trade missing a member or with a bad value stops the iterator as malformed', () => {
  const decoder = new BybitTradeDecoder();
  const tick = new TradeTick();
  const trade = (members: string): string => `{"topic":"publicTrade.X","type":"snapshot","ts":1,"data":[{"T":1,"S":"Buy","v":"1","p":"2","i":"a"},{${members}}]}`;
  for (const members of ['"S":"Buy","v":"1","p":"2","i":"a"', '"T":1,"S":"Hold","v":"1","p":"2","i":"a"', '"T":1,"S":"Buy","v":"x","p":"2","i":"a"', '"T":1,"S":"Buy","v":"1","p":2,"i":"a"', '"T":1,"S":"Buy","v":"1","p":"2"']) {
    assert.equal(decoder.begin(bytes(trade(members))), true);
    assert.equal(decoder.next(tick), true);
    assert.equal(decoder.next(tick), false, members);
    assert.equal(decoder.malformed, true, members);
  }
  assert.equal(decoder.begin(bytes('{"topic":"publicTrade.X","data":{}}')), false);
  assert.equal(decoder.begin(bytes('{"topic":"publicTrade.X","data":[1,2]}')), true);
  assert.equal(decoder.next(tick), false);
  assert.equal(decoder.malformed, true);
});

test('tickers: the docs linear, linear futures and spot examples decode exactly', () => {
  const decoder = new BybitTickerDecoder();
  const top = new TopOfBook();
  assert.equal(decoder.decode(...framed(TICKER_LINEAR)), true);
  assert.equal(decoder.snapshot, true);
  assert.equal(decoder.crossSequence, 9532239429);
  assert.equal(decoder.eventTimeUs, 1760325052630000);
  assert.equal(decoder.values[TICKER_LAST_PRICE], units('66666.60'));
  assert.equal(decoder.values[TICKER_MARK_PRICE], units('66666.60'));
  assert.equal(decoder.values[TICKER_PRICE_24H_PCNT], units('-0.158315'));
  assert.equal(decoder.values[TICKER_FUNDING_RATE], units('-0.005'));
  assert.equal(decoder.amounts[TICKER_VOLUME_24H], 73191.387);
  assert.equal(decoder.amounts[TICKER_TURNOVER_24H], 4936790807.6521);
  decoder.applyTo(top);
  assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity, top.updateId, top.eventTimeUs], [units('66666.60'), units('23789.165'), units('66666.70'), units('23775.469'), 9532239429, 1760325052630000]);
  // A delta names only what changed: the rest of the top of book stays.
  assert.equal(decoder.decode(bytes('{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Size":"1.5"},"cs":9532239430,"ts":1760325052730}')), true);
  assert.equal(decoder.snapshot, false);
  assert.equal(decoder.has(TICKER_BID_SIZE), true);
  assert.equal(decoder.has(TICKER_BID_PRICE), false);
  decoder.applyTo(top);
  assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity, top.updateId], [units('66666.60'), units('1.5'), units('66666.70'), units('23775.469'), 9532239430]);
  // Dated futures: empty strings ("fundingRate": "") hold no value.
  assert.equal(decoder.decode(...framed(TICKER_LINEAR_FUTURES)), true);
  assert.equal(decoder.has(TICKER_FUNDING_RATE), false);
  assert.equal(decoder.values[TICKER_ASK_PRICE], units('131001.00'));
  assert.equal(decoder.values[TICKER_ASK_SIZE], units('0.580'));
  // Spot: a snapshot without bid/ask ("lowPrice24h": "20575" has no fraction).
  assert.equal(decoder.decode(...framed(TICKER_SPOT)), true);
  assert.equal(decoder.has(TICKER_BID_PRICE), false);
  assert.equal(decoder.values[TICKER_LAST_PRICE], units('21109.77'));
  assert.equal(decoder.crossSequence, 2588407389);
  assert.equal(decoder.decode(bytes('{"topic":"tickers.X","type":"snapshot","data":{"lastPrice":"abc"}}')), false);
  assert.equal(decoder.decode(bytes('{"topic":"tickers.X","type":"snapshot","data":[]}')), false);
});

test('top of book from orderbook.1: best levels, empty sides NaN', () => {
  const decoder = new BybitTopOfBookDecoder();
  const top = new TopOfBook();
  const message = '{"topic":"orderbook.1.BTCUSDT","ts":1700000000123,"type":"snapshot","data":{"s":"BTCUSDT","b":[["65000.10","0.5"]],"a":[["65000.20","1.25"]],"u":42,"seq":1000},"cts":1700000000120}';
  assert.equal(decoder.decode(...framed(message), top), true);
  assert.deepEqual([top.bidPrice, top.bidQuantity, top.askPrice, top.askQuantity, top.updateId, top.eventTimeUs], [units('65000.10'), units('0.5'), units('65000.20'), units('1.25'), 42, 1700000000123000]);
  assert.equal(decoder.crossSequence, 1000);
  const oneSided = '{"topic":"orderbook.1.BTCUSDT","ts":1,"type":"snapshot","data":{"s":"BTCUSDT","b":[],"a":[["7","1"]],"u":43,"seq":1001},"cts":1}';
  assert.equal(decoder.decode(bytes(oneSided), 0, oneSided.length, top), true);
  assert.ok(Number.isNaN(top.bidPrice) && Number.isNaN(top.bidQuantity));
  assert.equal(top.askPrice, units('7'));
  assert.equal(decoder.decode(bytes('{}'), 0, 2, top), false);
});
