// USD-M futures decode cost per event: the depthUpdate (20+20 levels, with "T" and "pu"), the
// bookTicker (with e/E/T) and the aggTrade of fstream, each decoded by tickwire (fixed-point,
// into DepthDiff / TopOfBook / TradeTick through the MarketVenue decoders) against
// buffer.toString + JSON.parse of the same bytes (the usual way, without even reading a field).
// Figures: ns/event, events/s, V8 heap bytes per event, and the speed-up over toString + JSON.parse.
// The decoders' loops sum into a Float64Array, not a local: a double local of a long loop that
// calls a function V8 does not inline is boxed on every iteration on Node 22+ (see
// test/market-json/allocation.test.ts), which would measure the harness, not the decoder.
//
//   node dist/bench/binance-futures.js [--quick] [--duration-ms=N] [--json]
//
// `runBinanceFuturesBench(options)` is the entry for bench/main.ts.
import { TopOfBook, TradeTick } from '../src/market/index.js';
import { BinanceDepthDecoder } from '../src/venues/binance/index.js';
import { binanceUsdmMarket, binanceUsdmTradesMarket } from '../src/venues/binance-futures/index.js';
import { BASELINE, corpus, level, loopBenchSettings, measureCase, runWhenMain, type Corpus, type Loop, type LoopBenchOptions } from './loop-timing.js';

export interface FuturesBenchRow {
  event: string;
  variant: string;
  bytes: number;
  nsPerEvent: number;
  eventsPerSec: number;
  heapBytesPerEvent: number;
  /** buffer.toString + JSON.parse ns/event over this variant's. */
  vsToStringJsonParse: number;
}

export type FuturesBenchOptions = LoopBenchOptions;

const DISTINCT = 64;

function depthTexts(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < 20; j++) {
      bids.push(level(67000 - j * 0.1 - k * 0.01, ((k + j * 13) % 400) / 100));
      asks.push(level(67000.1 + j * 0.1 + k * 0.01, ((k * 3 + j * 7) % 400) / 100));
    }
    const u = 7_400_000_000_000 + k * 57;
    texts.push(`{"e":"depthUpdate","E":${1765000000000 + k},"T":${1765000000000 + k - 2},"s":"BTCUSDT","U":${u - 40},"u":${u},"pu":${u - 57},"b":[${bids.join(',')}],"a":[${asks.join(',')}]}`);
  }
  return texts;
}

function bookTickerTexts(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    const bid = (67000 + k * 0.1).toFixed(2);
    const ask = (67000.1 + k * 0.1).toFixed(2);
    return `{"e":"bookTicker","u":${7_400_000_000_000 + k * 3},"E":${1765000000000 + k},"T":${1765000000000 + k - 1},"s":"BTCUSDT","b":"${bid}","B":"${((k % 97) / 8).toFixed(3)}","a":"${ask}","A":"${((k % 13) * 1.25).toFixed(3)}"}`;
  });
}

function aggTradeTexts(): string[] {
  return Array.from({ length: DISTINCT }, (_, k) => {
    return `{"e":"aggTrade","E":${1765000000000 + k},"s":"BTCUSDT","a":${2_900_000_000 + k},"p":"${(67000 + k * 0.1).toFixed(1)}","q":"${((k % 50) / 1000 + 0.001).toFixed(3)}","f":${6_800_000_000 + k * 2},"l":${6_800_000_001 + k * 2},"T":${1765000000000 + k - 3},"m":${k % 2 === 0}}`;
  });
}

function jsonParse(c: Corpus): Loop {
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { E: number };
      sum += m.E;
    }
    return sum;
  };
}

function depthLoop(c: Corpus): Loop {
  const decoder = new BinanceDepthDecoder({ scale: 8 });
  const diff = decoder.diff;
  const sum = new Float64Array(1);
  return (iterations) => {
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (!decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
      sum[0]! += diff.previousUpdateId + diff.bidCount + diff.bids[0]! - diff.asks[2 * diff.askCount - 1]!;
    }
    return sum[0]!;
  };
}

function bookTickerLoop(c: Corpus): Loop {
  const decoder = binanceUsdmMarket().createTopOfBookDecoder(8);
  const top = new TopOfBook(8);
  const sum = new Float64Array(1);
  return (iterations) => {
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!, top)) sum[0]! += top.bidPrice - top.askPrice + top.eventTimeUs;
    }
    return sum[0]!;
  };
}

function aggTradeLoop(c: Corpus): Loop {
  const trades = binanceUsdmTradesMarket().createTradeDecoder(8);
  const tick = new TradeTick(8);
  const sum = new Float64Array(1);
  return (iterations) => {
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      if (!trades.begin(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
      while (trades.next(tick)) sum[0]! += tick.price + tick.quantity + tick.side;
    }
    return sum[0]!;
  };
}

export function runBinanceFuturesBench(options: FuturesBenchOptions = {}): FuturesBenchRow[] {
  const settings = loopBenchSettings('binance-futures', options);
  const cases: Array<[string, Corpus, string, (c: Corpus) => Loop]> = [
    ['depthUpdate 20+20 (T, pu)', corpus(depthTexts()), 'BinanceDepthDecoder -> DepthDiff (fixed-point)', depthLoop],
    ['bookTicker (e, E, T)', corpus(bookTickerTexts()), 'UsdmTopOfBookDecoder -> TopOfBook (fixed-point)', bookTickerLoop],
    ['aggTrade', corpus(aggTradeTexts()), 'UsdmTradeIterator -> TradeTick (fixed-point)', aggTradeLoop],
  ];
  return cases.flatMap(([event, c, label, make]) =>
    measureCase(settings, event, { [BASELINE]: jsonParse(c), [label]: make(c) }).map((figures) => ({
      event,
      variant: figures.variant,
      bytes: Math.round(c.averageBytes),
      nsPerEvent: Math.round(figures.nsPerMsg),
      eventsPerSec: Math.round(1e9 / figures.nsPerMsg),
      heapBytesPerEvent: Number(figures.heapBytesPerMsg.toFixed(2)),
      vsToStringJsonParse: Number(figures.vsBaseline.toFixed(2)),
    })),
  );
}

export function renderBinanceFuturesTable(rows: readonly FuturesBenchRow[]): string {
  const lines = ['| event | variant | bytes | ns/event | events/s | heap B/event | vs toString+JSON.parse |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    lines.push(`| ${row.event} | ${row.variant} | ${row.bytes} | ${row.nsPerEvent} | ${row.eventsPerSec.toLocaleString('en-US')} | ${row.heapBytesPerEvent.toFixed(1)} | ${row.vsToStringJsonParse.toFixed(2)}x |`);
  }
  return lines.join('\n');
}

runWhenMain(import.meta.url, runBinanceFuturesBench, renderBinanceFuturesTable);
