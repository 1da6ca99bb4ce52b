// Bybit v5 decoders against buffer.toString + JSON.parse of the same messages: ns per message
// (and per trade) and heap bytes per message, for
//   - orderbook.50 delta: 20 bid + 20 ask levels (BybitOrderbookDecoder -> DepthDiff, fixed-point);
//   - orderbook.1 snapshot -> TopOfBook (BybitTopOfBookDecoder);
//   - publicTrade with 1 trade and with 5 trades (BybitTradeDecoder.begin/next -> TradeTick);
//   - linear tickers snapshot (BybitTickerDecoder, 15 fields).
// Messages in Bybit's compact live spelling (the docs' examples, without whitespace).
//
//   node dist/bench/bybit.js [--quick] [--duration-ms=N] [--json]
//
// `runBybitBench(options)` is the entry for bench/main.ts (`npm run bench`).
import { TopOfBook, TradeTick } from '../src/market/events.js';
import { BybitOrderbookDecoder, BybitTickerDecoder, BybitTopOfBookDecoder, BybitTradeDecoder, TICKER_LAST_PRICE } from '../src/venues/bybit/index.js';
import { BASELINE, corpus, loopBenchSettings, measureCase, runWhenMain, type Corpus, type Loop, type LoopBenchOptions } from './loop-timing.js';

export interface BybitBenchRow {
  case: string;
  variant: string;
  bytes: number;
  /** Events per message (trades in a publicTrade message, else 1). */
  eventsPerMsg: number;
  nsPerMsg: number;
  nsPerEvent: number;
  heapBytesPerMsg: number;
  /** buffer.toString + JSON.parse ns/msg over this variant's. */
  vsToStringJsonParse: number;
}

export type BybitBenchOptions = LoopBenchOptions;

const DISTINCT = 64;
const price = (value: number): string => value.toFixed(2);
const size = (value: number): string => value.toFixed(3);

function deltaTexts(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < 20; j++) {
      bids.push(`["${price(30247.2 - j * 0.1 - k)}","${size(((k + j * 13) % 400) / 100)}"]`);
      asks.push(`["${price(30248.7 + j * 0.1 + k)}","${size(((k * 3 + j * 7) % 400) / 100)}"]`);
    }
    texts.push(`{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":${1687940967466 + k},"data":{"s":"BTCUSDT","b":[${bids.join(',')}],"a":[${asks.join(',')}],"u":${177400507 + k},"seq":${66544703342 + k * 7}},"cts":${1687940967464 + k}}`);
  }
  return texts;
}

function topTexts(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => `{"topic":"orderbook.1.BTCUSDT","ts":${1700000000000 + k},"type":"snapshot","data":{"s":"BTCUSDT","b":[["${price(65000.1 + k)}","${size(0.5 + k / 100)}"]],"a":[["${price(65000.2 + k)}","${size(1.25 + k / 50)}"]],"u":${42 + k},"seq":${1000 + k * 3}},"cts":${1699999999998 + k}}`);
}

function tradeTexts(trades: number): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    const items = Array.from(
      { length: trades },
      (_, t) => `{"T":${1672304486865 + k},"s":"BTCUSDT","S":"${(k + t) % 2 === 0 ? 'Buy' : 'Sell'}","v":"${size(0.001 + t / 1000)}","p":"${price(16578.5 + k + t)}","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb60${(k * 8 + t).toString(16).padStart(4, '0')}","BT":false,"seq":${1783284617 + k}}`,
    );
    return `{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":${1672304486868 + k},"data":[${items.join(',')}]}`;
  });
}

function tickerTexts(): string[] {
  return Array.from(
    { length: DISTINCT },
    (_, k) =>
      `{"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"MinusTick","price24hPcnt":"-0.158315","lastPrice":"${price(66666.6 + k)}","prevPrice24h":"79206.20","highPrice24h":"79266.30","lowPrice24h":"65076.90","prevPrice1h":"66666.60","markPrice":"${price(66666.6 + k)}","indexPrice":"115418.19","openInterest":"492373.72","openInterestValue":"32824881841.75","turnover24h":"4936790807.6521","volume24h":"73191.3870","fundingIntervalHour":"8","fundingCap":"0.005","nextFundingTime":"1760342400000","fundingRate":"-0.005","bid1Price":"${price(66666.6 + k)}","bid1Size":"23789.165","ask1Price":"${price(66666.7 + k)}","ask1Size":"23775.469","preOpenPrice":"","preQty":"","curPreListingPhase":""},"cs":${9532239429 + k},"ts":${1760325052630 + k}}`,
  );
}

function jsonParseLoop(c: Corpus): Loop {
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      const message = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { ts: number };
      sum += message.ts;
    }
    return sum;
  };
}

function orderbookLoop(c: Corpus): Loop {
  const decoder = new BybitOrderbookDecoder();
  const diff = decoder.diff;
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (!decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
      sum += diff.finalUpdateId + diff.bidCount + diff.bids[0]! - diff.asks[2 * diff.askCount - 1]!;
    }
    return sum;
  };
}

function topLoop(c: Corpus): Loop {
  const decoder = new BybitTopOfBookDecoder();
  const top = new TopOfBook();
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!, top)) sum += top.bidPrice - top.askPrice + top.updateId;
    }
    return sum;
  };
}

function tradeLoop(c: Corpus): Loop {
  const decoder = new BybitTradeDecoder();
  const tick = new TradeTick();
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (!decoder.begin(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
      while (decoder.next(tick)) sum += tick.price + tick.quantity * tick.side;
    }
    return sum;
  };
}

function tickerLoop(c: Corpus): Loop {
  const decoder = new BybitTickerDecoder();
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) sum += decoder.values[TICKER_LAST_PRICE]! + decoder.present;
    }
    return sum;
  };
}

export function runBybitBench(options: BybitBenchOptions = {}): BybitBenchRow[] {
  const settings = loopBenchSettings('bybit', options);
  const cases: Array<{ name: string; events: number; corpus: Corpus; variant: string; loop: (c: Corpus) => Loop }> = [
    { name: 'orderbook.50 delta 20+20', events: 1, corpus: corpus(deltaTexts()), variant: 'BybitOrderbookDecoder (levels -> fixed-point)', loop: orderbookLoop },
    { name: 'orderbook.1 snapshot (top of book)', events: 1, corpus: corpus(topTexts()), variant: 'BybitTopOfBookDecoder -> TopOfBook', loop: topLoop },
    { name: 'publicTrade, 1 trade', events: 1, corpus: corpus(tradeTexts(1)), variant: 'BybitTradeDecoder -> TradeTick', loop: tradeLoop },
    { name: 'publicTrade, 5 trades', events: 5, corpus: corpus(tradeTexts(5)), variant: 'BybitTradeDecoder -> TradeTick', loop: tradeLoop },
    { name: 'tickers (linear snapshot)', events: 1, corpus: corpus(tickerTexts()), variant: 'BybitTickerDecoder (15 fields)', loop: tickerLoop },
  ];
  return cases.flatMap((item) =>
    measureCase(settings, item.name, { [BASELINE]: jsonParseLoop(item.corpus), [item.variant]: item.loop(item.corpus) }).map((figures) => ({
      case: item.name,
      variant: figures.variant,
      bytes: Math.round(item.corpus.averageBytes),
      eventsPerMsg: item.events,
      nsPerMsg: Math.round(figures.nsPerMsg),
      nsPerEvent: Math.round(figures.nsPerMsg / item.events),
      heapBytesPerMsg: Number(figures.heapBytesPerMsg.toFixed(2)),
      vsToStringJsonParse: Number(figures.vsBaseline.toFixed(2)),
    })),
  );
}

export function renderBybitTable(rows: readonly BybitBenchRow[]): string {
  const lines = ['| case | variant | bytes | ns/msg | ns/event | heap B/msg | vs toString+JSON.parse |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const row of rows) lines.push(`| ${row.case} | ${row.variant} | ${row.bytes} | ${row.nsPerMsg} | ${row.nsPerEvent} | ${row.heapBytesPerMsg} | ${row.vsToStringJsonParse} |`);
  return lines.join('\n');
}

runWhenMain(import.meta.url, runBybitBench, (rows) => `Node ${process.version}\n${renderBybitTable(rows)}`);
