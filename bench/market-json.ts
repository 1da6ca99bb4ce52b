// Market-data JSON extraction: tickwire's jsonFields (scan + typed reads straight from the bytes)
// against the usual way (bytes -> string -> JSON.parse -> field access -> parseFloat), on
//   - bookTicker messages (~105 B): symbol compare, 4 decimals, 1 update id; all in one key order
//     (what one stream sends: src/market-json/shape.ts speculates on it), then two key orders
//     interleaved (two streams on one extractor: the general scanner's speed), then wrapped as on
//     a combined stream ({"stream":..,"data":{..}}, fields under data);
//   - depthUpdate messages (20 + 20 levels, ~1.4 KiB): ids and every level's price * quantity;
//   - a 500 KiB partial-book snapshot (bids/asks): every level;
//   - a 400 KiB message made of 8 KiB strings: where string scanning hands off to src/kernels.
// Figures: msg/s, ns/msg, MB/s and V8 heap bytes allocated per message (GC profiler window).
//
//   node dist/bench/market-json.js [--quick] [--duration-ms=N] [--json]
//
// `runMarketJsonBench(options)` is the entry for bench/main.ts. Each variant has its own loop
// function so every call site in it stays monomorphic.
import { decimalFallbackCount } from '../src/market-json/decimal.js';
import { jsonFields, type JsonFields } from '../src/market-json/index.js';
import { corpus, level, loopBenchSettings, measureCase, runWhenMain, type Corpus, type LoopBenchOptions, type LoopBenchSettings, type Loop } from './loop-timing.js';

export interface MarketJsonBenchRow {
  case: string;
  variant: string;
  /** Average message size in bytes. */
  bytes: number;
  nsPerMsg: number;
  msgPerSec: number;
  mbPerSec: number;
  /** V8 heap bytes allocated per message in steady state. */
  heapBytesPerMsg: number;
  /** Baseline (bytes -> string -> JSON.parse) ns/msg over this variant's ns/msg. */
  speedup: number;
  /** How often the allocating decimal fallback ran, per message. */
  fallbacksPerMsg: number;
}

export type MarketJsonBenchOptions = LoopBenchOptions;

const encoder = new TextEncoder();

/**
 * 1024 distinct bookTicker messages, Binance spelling (8 decimals, quoted). `interleaved`: every
 * other message has its first two keys swapped, so consecutive messages never share a key order.
 */
function bookTickerCorpus(interleaved = false, combined = false): Corpus {
  const texts: string[] = [];
  for (let k = 0; k < 1024; k++) {
    const bid = 67000 + ((k * 7919) % 100000) / 100;
    const id = `"u":${400900217 + k * 3}`;
    const symbol = `"s":"${k % 4 === 0 ? 'BTCUSDT' : 'ETHUSDT'}"`;
    const head = interleaved && k % 2 === 1 ? `${symbol},${id}` : `${id},${symbol}`;
    const message = `{${head},"b":"${bid.toFixed(8)}","B":"${(((k * 31) % 5000) / 1000).toFixed(8)}","a":"${(bid + 0.01).toFixed(8)}","A":"${(((k * 17) % 9000) / 1000).toFixed(8)}"}`;
    texts.push(combined ? `{"stream":"${k % 4 === 0 ? 'btcusdt' : 'ethusdt'}@bookTicker","data":${message}}` : message);
  }
  return corpus(texts);
}

/** 64 distinct depthUpdate messages with 20 bid and 20 ask levels. */
function depthUpdateCorpus(): Corpus {
  const texts: string[] = [];
  for (let k = 0; k < 64; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < 20; j++) {
      bids.push(level(67000 - j * 0.5 - k, ((k + j * 13) % 400) / 100));
      asks.push(level(67000.01 + j * 0.5 + k, ((k * 3 + j * 7) % 400) / 100));
    }
    texts.push(
      `{"e":"depthUpdate","E":${1700000000000 + k},"s":"BTCUSDT","U":${157 + k * 40},"u":${196 + k * 40},"b":[${bids.join(',')}],"a":[${asks.join(',')}]}`,
    );
  }
  return corpus(texts);
}

/** One partial-book snapshot of about `bytes` bytes ({"lastUpdateId":..,"bids":[..],"asks":[..]}). */
function snapshotCorpus(bytes: number): Corpus {
  const levelsPerSide = Math.floor(bytes / 2 / 30);
  const bids: string[] = [];
  const asks: string[] = [];
  for (let j = 0; j < levelsPerSide; j++) {
    bids.push(level(4.1 - j * 0.00001, 431 + (j % 97)));
    asks.push(level(4.2 + j * 0.00001, 12 + (j % 89)));
  }
  return corpus([`{"lastUpdateId":1027024,"bids":[${bids.join(',')}],"asks":[${asks.join(',')}]}`]);
}

/** A ~400 KiB message whose bulk is 8 KiB strings (news/announcement payloads): the kernel hand-off case. */
function longStringCorpus(): Corpus {
  const items: string[] = [];
  for (let j = 0; j < 50; j++) items.push(`{"id":${j},"title":"${'market update '.repeat(585).slice(0, 8192)}"}`);
  return corpus([`{"lastUpdateId":${1027024},"items":[${items.join(',')}]}`]);
}

// ---- bookTicker loops ----

/** Prices and quantities of one scanned bookTicker (fields 1-4). */
const prices = new Float64Array(4);

/**
 * b, B, a, A into `prices` with numberInto: number() returns its double, and V8 boxes a double
 * returned by a call it did not inline. Whether those calls were inlined changed from run to run
 * (tier-up order): one run in two showed ~16 B/msg, one HeapNumber, in one of the three bookTicker
 * cases, whichever it was. numberInto (and this function) hand values over in a typed array, so
 * the figure is the parser's own on every run.
 */
function readPrices(fields: JsonFields): void {
  fields.numberInto(1, prices, 0);
  fields.numberInto(2, prices, 1);
  fields.numberInto(3, prices, 2);
  fields.numberInto(4, prices, 3);
}

function bookTickerLoops(c: Corpus): Record<string, Loop> {
  const fields = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);
  const btcusdt = encoder.encode('BTCUSDT');
  const mask = c.count - 1;
  return {
    'tickwire jsonFields': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        if (!fields.scan(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        if (fields.equals(0, btcusdt)) sum += 1;
        readPrices(fields);
        sum += prices[0]! + prices[1]! - prices[2]! + prices[3]! + fields.integer(5);
      }
      return sum;
    },
    'JSON.parse (string given)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const m = JSON.parse(c.texts[n & mask]!) as Record<string, string | number>;
        if (m['s'] === 'BTCUSDT') sum += 1;
        sum += parseFloat(m['b'] as string) + parseFloat(m['B'] as string) - parseFloat(m['a'] as string) + parseFloat(m['A'] as string) + (m['u'] as number);
      }
      return sum;
    },
    'buffer.toString + JSON.parse': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as Record<string, string | number>;
        if (m['s'] === 'BTCUSDT') sum += 1;
        sum += parseFloat(m['b'] as string) + parseFloat(m['B'] as string) - parseFloat(m['a'] as string) + parseFloat(m['A'] as string) + (m['u'] as number);
      }
      return sum;
    },
  };
}

/** bookTicker on a combined stream: {"stream":..,"data":{..}}, fields read under data. */
function combinedBookTickerLoops(c: Corpus): Record<string, Loop> {
  const fields = jsonFields(['data.s', 'data.b', 'data.B', 'data.a', 'data.A', 'data.u']);
  const btcusdt = encoder.encode('BTCUSDT');
  const mask = c.count - 1;
  type Combined = { data: Record<string, string | number> };
  return {
    'tickwire jsonFields': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        if (!fields.scan(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        if (fields.equals(0, btcusdt)) sum += 1;
        readPrices(fields);
        sum += prices[0]! + prices[1]! - prices[2]! + prices[3]! + fields.integer(5);
      }
      return sum;
    },
    'JSON.parse (string given)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const m = (JSON.parse(c.texts[n & mask]!) as Combined).data;
        if (m['s'] === 'BTCUSDT') sum += 1;
        sum += parseFloat(m['b'] as string) + parseFloat(m['B'] as string) - parseFloat(m['a'] as string) + parseFloat(m['A'] as string) + (m['u'] as number);
      }
      return sum;
    },
    'buffer.toString + JSON.parse': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n & mask;
        const m = (JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as Combined).data;
        if (m['s'] === 'BTCUSDT') sum += 1;
        sum += parseFloat(m['b'] as string) + parseFloat(m['B'] as string) - parseFloat(m['a'] as string) + parseFloat(m['A'] as string) + (m['u'] as number);
      }
      return sum;
    },
  };
}

// ---- depth loops (depthUpdate and snapshot share the shape: two level arrays) ----

function depthLoops(c: Corpus, bidsKey: string, asksKey: string, idKey: string): Record<string, Loop> {
  const fields = jsonFields([idKey, bidsKey, asksKey]);
  const count = c.count;
  return {
    'tickwire jsonFields': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % count;
        if (!fields.scan(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        sum += fields.integer(0);
        const bids = fields.levels(1);
        while (bids.next()) sum += bids.price() * bids.quantity();
        const asks = fields.levels(2);
        while (asks.next()) sum -= asks.price() * asks.quantity();
      }
      return sum;
    },
    'JSON.parse (string given)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const m = JSON.parse(c.texts[n % count]!) as Record<string, unknown>;
        sum += m[idKey] as number;
        for (const [price, quantity] of m[bidsKey] as [string, string][]) sum += parseFloat(price) * parseFloat(quantity);
        for (const [price, quantity] of m[asksKey] as [string, string][]) sum -= parseFloat(price) * parseFloat(quantity);
      }
      return sum;
    },
    'buffer.toString + JSON.parse': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % count;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as Record<string, unknown>;
        sum += m[idKey] as number;
        for (const [price, quantity] of m[bidsKey] as [string, string][]) sum += parseFloat(price) * parseFloat(quantity);
        for (const [price, quantity] of m[asksKey] as [string, string][]) sum -= parseFloat(price) * parseFloat(quantity);
      }
      return sum;
    },
  };
}

function longStringLoops(c: Corpus): Record<string, Loop> {
  const fields = jsonFields(['lastUpdateId']);
  return {
    'tickwire jsonFields': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) if (fields.scan(c.data, c.offsets[0]!, c.offsets[1]!)) sum += fields.integer(0);
      return sum;
    },
    'JSON.parse (string given)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) sum += (JSON.parse(c.texts[0]!) as { lastUpdateId: number }).lastUpdateId;
      return sum;
    },
    'buffer.toString + JSON.parse': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        sum += (JSON.parse(c.buffer.toString('utf8', c.offsets[0]!, c.offsets[1]!)) as { lastUpdateId: number }).lastUpdateId;
      }
      return sum;
    },
  };
}

function runCase(settings: LoopBenchSettings, name: string, c: Corpus, loops: Record<string, Loop>, heapIterations: number): MarketJsonBenchRow[] {
  return measureCase(settings, name, loops, heapIterations, decimalFallbackCount).map((figures) => ({
    case: name,
    variant: figures.variant,
    bytes: Math.round(c.averageBytes),
    nsPerMsg: figures.nsPerMsg,
    msgPerSec: 1e9 / figures.nsPerMsg,
    mbPerSec: (c.averageBytes / figures.nsPerMsg) * 1e3,
    heapBytesPerMsg: figures.heapBytesPerMsg,
    speedup: figures.vsBaseline,
    fallbacksPerMsg: figures.countedPerMsg,
  }));
}

/** Runs every case; returns one row per case and variant. */
export function runMarketJsonBench(options: MarketJsonBenchOptions = {}): MarketJsonBenchRow[] {
  const settings = loopBenchSettings('market-json', options);
  const quick = settings.quick;
  const tickers = bookTickerCorpus();
  const interleavedTickers = bookTickerCorpus(true);
  const combinedTickers = bookTickerCorpus(false, true);
  const updates = depthUpdateCorpus();
  const snapshot = snapshotCorpus(500 * 1024);
  const longStrings = longStringCorpus();
  return [
    ...runCase(settings, 'bookTicker', tickers, bookTickerLoops(tickers), quick ? 20_000 : 200_000),
    ...runCase(settings, 'bookTicker, 2 key orders interleaved', interleavedTickers, bookTickerLoops(interleavedTickers), quick ? 20_000 : 200_000),
    ...runCase(settings, 'bookTicker, combined stream', combinedTickers, combinedBookTickerLoops(combinedTickers), quick ? 20_000 : 200_000),
    ...runCase(settings, 'depthUpdate 20+20', updates, depthLoops(updates, 'b', 'a', 'u'), quick ? 2_000 : 20_000),
    ...runCase(settings, 'snapshot 500 KiB', snapshot, depthLoops(snapshot, 'bids', 'asks', 'lastUpdateId'), quick ? 5 : 40),
    ...runCase(settings, 'long strings 400 KiB', longStrings, longStringLoops(longStrings), quick ? 5 : 40),
  ];
}

export function renderMarketJsonTable(rows: readonly MarketJsonBenchRow[]): string {
  const lines = [
    '| case | variant | bytes | ns/msg | msg/s | MB/s | heap B/msg | vs toString+JSON.parse |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.case} | ${row.variant} | ${row.bytes} | ${row.nsPerMsg.toFixed(0)} | ${Math.round(row.msgPerSec).toLocaleString('en-US')} | ${row.mbPerSec.toFixed(0)} | ${row.heapBytesPerMsg.toFixed(1)} | ${row.speedup.toFixed(2)}x |`,
    );
  }
  return lines.join('\n');
}

runWhenMain(import.meta.url, runMarketJsonBench, renderMarketJsonTable);
