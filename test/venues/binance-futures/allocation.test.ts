// Zero allocation for the USD-M decoders in steady state, counted as garbage collections: 200k
// depthUpdate events (with T and pu; BinanceDepthDecoder into its DepthDiff, fixed-point),
// 500k bookTicker events (UsdmBookTickerDecoder), 500k markPrice events and 500k aggTrade events
// through the MarketVenue adapters (TopOfBook, TradeTick), from a preallocated buffer. Each
// message goes through a handler (as a socket's onMessage) and the numbers read go into a
// Float64Array (test/market-json/allocation.test.ts explains why not into a loop's local).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopOfBook, TradeTick } from '../../../src/market/index.js';
import { BinanceDepthDecoder, DECIMALS_UNITS } from '../../../src/index.js';
import { binanceUsdmMarket, binanceUsdmTradesMarket, UsdmMarkPriceDecoder } from '../../../src/venues/binance-futures/index.js';
import { measureSettled, type RoundsMeasure } from '../../helpers/gc-window.js';
import { pack } from '../../helpers/pack.js';

const DISTINCT = 256;
const ROUND = 10_000;

function depthUpdates(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const level = (price: number): string => `["${price.toFixed(2)}","${(((k * 7 + price) % 50) + 0.001).toFixed(3)}"]`;
    const bids = Array.from({ length: 10 }, (_, j) => level(65000 - j * 0.1 - k * 0.01)).join(',');
    const asks = Array.from({ length: 10 }, (_, j) => level(65000.1 + j * 0.1 + k * 0.01)).join(',');
    const u = 7_000_000_000 + k * 9;
    texts.push(`{"e":"depthUpdate","E":${1700000000000 + k},"T":${1700000000000 + k - 1},"s":"BTCUSDT","U":${u - 5},"u":${u},"pu":${u - 9},"b":[${bids}],"a":[${asks}]}`);
  }
  return texts;
}

function bookTickers(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    const bid = (65000 + k * 0.1).toFixed(2);
    const ask = (65000.1 + k * 0.1).toFixed(2);
    return `{"e":"bookTicker","u":${7_000_000_000 + k},"E":${1700000000000 + k},"T":${1700000000000 + k - 1},"s":"BTCUSDT","b":"${bid}","B":"${((k % 97) / 4).toFixed(2)}","a":"${ask}","A":"${((k % 13) * 1.25).toFixed(2)}"}`;
  });
}

function markPrices(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    const mark = (65000 + k * 0.37).toFixed(8);
    return `{"e":"markPriceUpdate","E":${1700000000000 + k},"s":"BTCUSDT","p":"${mark}","i":"${mark}","P":"${mark}","r":"0.000${100 + k}","T":1700006400000}`;
  });
}

function aggTrades(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    return `{"e":"aggTrade","E":${1700000000000 + k},"s":"BTCUSDT","a":${5933014 + k},"p":"${(65000 + k * 0.1).toFixed(2)}","q":"${((k % 50) / 1000 + 0.001).toFixed(3)}","f":${100 + k},"l":${100 + k},"T":${1700000000000 + k},"m":${k % 2 === 0}}`;
  });
}

/** Whether a window meets assertFlat's bounds (a window that does not is measured once more). */
function flat(counts: RoundsMeasure): boolean {
  return counts.scavenges <= 2 && counts.others === 0 && counts.growth < 1024 * 1024;
}

function assertFlat(what: string, counts: RoundsMeasure): void {
  console.log(`${what}: ${counts.scavenges} scavenges, ${counts.others} other GCs, heap growth ${counts.growth} bytes`);
  assert.ok(counts.scavenges <= 2, `${what}: expected at most 2 scavenges, saw ${counts.scavenges}`);
  assert.equal(counts.others, 0, what);
  assert.ok(counts.growth < 1024 * 1024, `${what}: heap grew by ${counts.growth} bytes`);
}

test('USD-M depthUpdate (T, pu) into a fixed-point DepthDiff: no per-message allocation', async () => {
  const { data, offsets } = pack(depthUpdates());
  const decoder = new BinanceDepthDecoder({ scale: 8 });
  const sums = new Float64Array(2);
  let failures = 0;
  const onMessage = (k: number): void => {
    if (!decoder.decode(data, offsets[k]!, offsets[k + 1]!)) {
      failures++;
      return;
    }
    const diff = decoder.diff;
    sums[0]! += diff.previousUpdateId + diff.transactionTime + diff.bidCount + diff.askCount;
    sums[1]! += diff.bids[0]! + diff.asks[0]!;
  };
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) onMessage(n & (DISTINCT - 1));
  };
  const counts = await measureSettled(round, 20, flat);
  assert.equal(failures, 0);
  assert.ok(Number.isFinite(sums[0]) && sums[1]! > 0);
  assertFlat('200k USD-M depthUpdate', counts);
});

test('USD-M bookTicker -> TopOfBook and markPrice: no per-message allocation', async () => {
  const tickers = pack(bookTickers());
  const marks = pack(markPrices());
  const topDecoder = binanceUsdmMarket().createTopOfBookDecoder(8);
  const markDecoder = new UsdmMarkPriceDecoder({ decimals: DECIMALS_UNITS, scale: 8 });
  const top = new TopOfBook(8);
  const sums = new Float64Array(2);
  let failures = 0;
  const onTicker = (k: number): void => {
    if (!topDecoder.decode(tickers.data, tickers.offsets[k]!, tickers.offsets[k + 1]!, top)) failures++;
    else sums[0]! += top.bidPrice - top.askPrice + top.updateId + top.eventTimeUs;
  };
  const onMark = (k: number): void => {
    if (!markDecoder.decode(marks.data, marks.offsets[k]!, marks.offsets[k + 1]!)) failures++;
    else sums[1]! += markDecoder.markPrice + markDecoder.fundingRate + markDecoder.nextFundingTime;
  };
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) {
      onTicker(n & (DISTINCT - 1));
      onMark(n & (DISTINCT - 1));
    }
  };
  const counts = await measureSettled(round, 50, flat);
  assert.equal(failures, 0);
  assert.ok(Number.isFinite(sums[0]) && Number.isFinite(sums[1]));
  assertFlat('500k USD-M bookTicker + 500k markPrice', counts);
});

test('USD-M aggTrade -> TradeTick: no per-message allocation', async () => {
  const { data, offsets } = pack(aggTrades());
  const trades = binanceUsdmTradesMarket().createTradeDecoder(8);
  const tick = new TradeTick(8);
  const sums = new Float64Array(1);
  let failures = 0;
  const onMessage = (k: number): void => {
    if (!trades.begin(data, offsets[k]!, offsets[k + 1]!)) {
      failures++;
      return;
    }
    while (trades.next(tick)) sums[0]! += tick.price + tick.quantity + tick.side + tick.tradeId;
  };
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) onMessage(n & (DISTINCT - 1));
  };
  const counts = await measureSettled(round, 50, flat);
  assert.equal(failures, 0);
  assert.ok(sums[0]! > 0);
  assertFlat('500k USD-M aggTrade', counts);
});
