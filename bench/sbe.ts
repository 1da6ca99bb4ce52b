// Binance SBE versus Binance JSON for the same events: bestBidAsk vs bookTicker, a one-trade
// TradesStreamEvent vs trade, and a 20+20-level DepthDiffStreamEvent vs depthUpdate. Per case,
// ns/event and V8 heap bytes/event of
//   - tickwire SBE decoders (tickwire/binance-sbe) into TopOfBook / TradeTick / DepthDiff,
//   - tickwire's JSON decoders into the same shapes (binanceSpotMarket's adapters, BinanceDepthDecoder),
//   - buffer.toString + JSON.parse + parseFloat of the same JSON (what most clients do).
// Both tickwire paths produce exact fixed-point integers; the JSON.parse path gives floats.
//
//   node dist/bench/sbe.js [--quick] [--duration-ms=N] [--json]
//
// `runSbeBench(options)` is the entry for bench/main.ts.
import { TopOfBook, TradeTick } from '../src/market/events.js';
import { BinanceDepthDecoder } from '../src/venues/binance/depth-decoder.js';
import { BinanceTopOfBookDecoder, BinanceTradeIterator } from '../src/venues/binance/market.js';
import { SbeBestBidAskDecoder, SbeDepthDecoder, SbeTradesDecoder } from '../src/venues/binance-sbe/index.js';
import { LevelBatch, SbeWriter, TradeBatch, writeBestBidAskEvent, writeDepthDiffEvent, writeTradesEvent } from '../simulator/venues/binance-sbe/sbe-writer.js';
import { BASELINE, corpus, loopBenchSettings, measureCase, packCorpus, runWhenMain, type Corpus, type Loop, type LoopBenchOptions, type LoopBenchSettings } from './loop-timing.js';

export interface SbeBenchRow {
  case: string;
  variant: string;
  /** Average message size in bytes. */
  bytes: number;
  nsPerEvent: number;
  /** V8 heap bytes allocated per event in steady state. */
  heapBytesPerEvent: number;
  /** toString + JSON.parse ns/event over this variant's. */
  speedupOverJsonParse: number;
}

export type SbeBenchOptions = LoopBenchOptions;

const EVENTS = 1024;
const SCALE = 8;
const PRICE_EXPONENT = -2;
const QTY_EXPONENT = -5;
const symbol = new TextEncoder().encode('BTCUSDT');

/** Prices in cents, quantities in 1e-5: the same values as mantissas (SBE) and as 8-decimal strings (JSON). */
const decimal = (mantissa: number, exponent: number): string => (mantissa * 10 ** exponent).toFixed(8);

interface Pair {
  sbe: Corpus;
  json: Corpus;
}

function bestBidAskPair(): Pair {
  const writer = new SbeWriter();
  const sbe: Uint8Array[] = [];
  const json: string[] = [];
  for (let k = 0; k < EVENTS; k++) {
    const id = 400900217 + k * 3;
    const bid = 6_700_000 + ((k * 7919) % 100_000);
    const bidQty = (k * 31) % 500_000;
    const askQty = (k * 17) % 900_000;
    writer.reset();
    writeBestBidAskEvent(writer, symbol, 1_700_000_000_000_000 + k, id, PRICE_EXPONENT, QTY_EXPONENT, bid, bidQty, bid + 1, askQty);
    sbe.push(Uint8Array.from(writer.bytes()));
    json.push(`{"u":${id},"s":"BTCUSDT","b":"${decimal(bid, PRICE_EXPONENT)}","B":"${decimal(bidQty, QTY_EXPONENT)}","a":"${decimal(bid + 1, PRICE_EXPONENT)}","A":"${decimal(askQty, QTY_EXPONENT)}"}`);
  }
  return { sbe: packCorpus(sbe), json: corpus(json) };
}

function tradePair(): Pair {
  const writer = new SbeWriter();
  const batch = new TradeBatch();
  const sbe: Uint8Array[] = [];
  const json: string[] = [];
  for (let k = 0; k < EVENTS; k++) {
    const id = 3_000_000_000 + k;
    const price = 6_700_000 + ((k * 7919) % 100_000);
    const qty = 1 + ((k * 31) % 50_000);
    const time = 1_700_000_000_000 + k;
    batch.clear();
    batch.add(id, price, qty, k % 2 === 0);
    writer.reset();
    writeTradesEvent(writer, symbol, time * 1000, time * 1000, PRICE_EXPONENT, QTY_EXPONENT, batch);
    sbe.push(Uint8Array.from(writer.bytes()));
    json.push(`{"e":"trade","E":${time},"s":"BTCUSDT","t":${id},"p":"${decimal(price, PRICE_EXPONENT)}","q":"${decimal(qty, QTY_EXPONENT)}","T":${time},"m":${k % 2 === 0},"M":true}`);
  }
  return { sbe: packCorpus(sbe), json: corpus(json) };
}

function depthPair(): Pair {
  const writer = new SbeWriter();
  const bids = new LevelBatch();
  const asks = new LevelBatch();
  const sbe: Uint8Array[] = [];
  const json: string[] = [];
  for (let k = 0; k < 64; k++) {
    bids.clear();
    asks.clear();
    const bidText: string[] = [];
    const askText: string[] = [];
    for (let j = 0; j < 20; j++) {
      const bid = 6_700_000 - j * 50 - k;
      const ask = 6_700_001 + j * 50 + k;
      const bidQty = ((k + j * 13) % 400) * 1000;
      const askQty = ((k * 3 + j * 7) % 400) * 1000;
      bids.add(bid, bidQty);
      asks.add(ask, askQty);
      bidText.push(`["${decimal(bid, PRICE_EXPONENT)}","${decimal(bidQty, QTY_EXPONENT)}"]`);
      askText.push(`["${decimal(ask, PRICE_EXPONENT)}","${decimal(askQty, QTY_EXPONENT)}"]`);
    }
    writer.reset();
    writeDepthDiffEvent(writer, symbol, (1_700_000_000_000 + k) * 1000, 157 + k * 40, 196 + k * 40, PRICE_EXPONENT, QTY_EXPONENT, bids, asks);
    sbe.push(Uint8Array.from(writer.bytes()));
    json.push(`{"e":"depthUpdate","E":${1_700_000_000_000 + k},"s":"BTCUSDT","U":${157 + k * 40},"u":${196 + k * 40},"b":[${bidText.join(',')}],"a":[${askText.join(',')}]}`);
  }
  return { sbe: packCorpus(sbe), json: corpus(json) };
}

// Each loop reads the same figures: the top of book's four values and id, each trade's price,
// quantity and id, every level of the depth diff and its final id. One loop per variant keeps
// every call site monomorphic.

function topLoops(pair: Pair): Array<[string, Corpus, Loop]> {
  const sbeDecoder = new SbeBestBidAskDecoder({ scale: SCALE });
  const jsonDecoder = new BinanceTopOfBookDecoder(SCALE);
  const top = new TopOfBook(SCALE);
  const sum = (out: TopOfBook): number => out.bidPrice + out.bidQuantity - out.askPrice + out.askQuantity + out.updateId;
  return [
    ['tickwire SBE -> TopOfBook', pair.sbe, (iterations) => {
      const c = pair.sbe;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        if (sbeDecoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!, top)) total += sum(top);
      }
      return total;
    }],
    ['tickwire JSON -> TopOfBook', pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        if (jsonDecoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!, top)) total += sum(top);
      }
      return total;
    }],
    [BASELINE, pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as Record<string, string | number>;
        total += parseFloat(m['b'] as string) + parseFloat(m['B'] as string) - parseFloat(m['a'] as string) + parseFloat(m['A'] as string) + (m['u'] as number);
      }
      return total;
    }],
  ];
}

function tradeLoops(pair: Pair): Array<[string, Corpus, Loop]> {
  const sbeDecoder = new SbeTradesDecoder({ scale: SCALE });
  const jsonDecoder = new BinanceTradeIterator(SCALE);
  const tick = new TradeTick(SCALE);
  return [
    ['tickwire SBE -> TradeTick', pair.sbe, (iterations) => {
      const c = pair.sbe;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        if (!sbeDecoder.begin(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        while (sbeDecoder.next(tick)) total += tick.price + tick.quantity + tick.tradeId + tick.side;
      }
      return total;
    }],
    ['tickwire JSON -> TradeTick', pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        if (!jsonDecoder.begin(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        while (jsonDecoder.next(tick)) total += tick.price + tick.quantity + tick.tradeId + tick.side;
      }
      return total;
    }],
    [BASELINE, pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & (EVENTS - 1);
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as Record<string, string | number | boolean>;
        total += parseFloat(m['p'] as string) + parseFloat(m['q'] as string) + (m['t'] as number) + (m['m'] === true ? -1 : 1);
      }
      return total;
    }],
  ];
}

function depthLoops(pair: Pair): Array<[string, Corpus, Loop]> {
  const sbeDecoder = new SbeDepthDecoder({ scale: SCALE });
  const jsonDecoder = new BinanceDepthDecoder({ scale: SCALE });
  const mask = 63;
  const levels = (decoder: { diff: { bids: Float64Array; asks: Float64Array; bidCount: number; askCount: number; finalUpdateId: number } }): number => {
    const diff = decoder.diff;
    let total = diff.finalUpdateId;
    for (let j = 0; j < 2 * diff.bidCount; j += 2) total += diff.bids[j]! * 1e-8 * diff.bids[j + 1]!;
    for (let j = 0; j < 2 * diff.askCount; j += 2) total += diff.asks[j]! * 1e-8 * diff.asks[j + 1]!;
    return total;
  };
  return [
    ['tickwire SBE -> DepthDiff', pair.sbe, (iterations) => {
      const c = pair.sbe;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        if (sbeDecoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) total += levels(sbeDecoder);
      }
      return total;
    }],
    ['tickwire JSON -> DepthDiff', pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        if (jsonDecoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) total += levels(jsonDecoder);
      }
      return total;
    }],
    [BASELINE, pair.json, (iterations) => {
      const c = pair.json;
      let total = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { u: number; b: string[][]; a: string[][] };
        total += m.u;
        for (const [price, qty] of m.b) total += parseFloat(price!) * parseFloat(qty!);
        for (const [price, qty] of m.a) total += parseFloat(price!) * parseFloat(qty!);
      }
      return total;
    }],
  ];
}

function runCase(settings: LoopBenchSettings, name: string, variants: Array<[string, Corpus, Loop]>, heapIterations: number): SbeBenchRow[] {
  const loops = Object.fromEntries(variants.map(([variant, , loop]) => [variant, loop]));
  return measureCase(settings, name, loops, heapIterations).map((figures, v) => ({
    case: name,
    variant: figures.variant,
    bytes: Math.round(variants[v]![1].averageBytes),
    nsPerEvent: Math.round(figures.nsPerMsg * 10) / 10,
    heapBytesPerEvent: Math.round(figures.heapBytesPerMsg * 10) / 10,
    speedupOverJsonParse: Math.round(figures.vsBaseline * 100) / 100,
  }));
}

export function runSbeBench(options: SbeBenchOptions = {}): SbeBenchRow[] {
  const settings = loopBenchSettings('sbe', options);
  const small = settings.heapIterations * 10;
  return [
    ...runCase(settings, 'top of book (bestBidAsk / bookTicker)', topLoops(bestBidAskPair()), small),
    ...runCase(settings, 'trade (1 per message)', tradeLoops(tradePair()), small),
    ...runCase(settings, 'depth diff 20+20', depthLoops(depthPair()), settings.heapIterations),
  ];
}

export function renderSbeMarkdown(rows: readonly SbeBenchRow[]): string {
  const lines = ['| case | variant | bytes | ns/event | heap B/event | vs toString + JSON.parse |', '|---|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.case} | ${row.variant} | ${row.bytes} | ${row.nsPerEvent} | ${row.heapBytesPerEvent} | ${row.speedupOverJsonParse}x |`);
  return lines.join('\n');
}

runWhenMain(
  import.meta.url,
  runSbeBench,
  (rows) => `Node ${process.version}\n${renderSbeMarkdown(rows)}`,
  (rows) => ({ node: process.version, rows }),
);
