// OKX v5 pushes decoded, per event, against buffer.toString + JSON.parse of the same message:
//   - books update (10+10 levels, the `books` channel's incremental push): OkxBookDecoder alone;
//     the stream decoder (envelope, stream lookup, seqId/prevSeqId) + OkxBookDecoder; and that
//     applied to an OrderBook with and without the CRC-32 checksum of its top 25 levels;
//   - trades (one trade per push, the docs' shape): OkxTradeIterator, stream decoder + iterator;
//   - bbo-tbt (one level per side): OkxTopOfBookDecoder, stream decoder + decoder.
// Figures: ns/event, V8 heap bytes per event, and the speed-up over toString + JSON.parse.
//
//   node dist/bench/okx.js [--quick] [--duration-ms=N] [--json]
import { DepthDiff, OrderBook } from '../src/book/index.js';
import { TopOfBook, TradeTick } from '../src/market/index.js';
import { StreamNameTable } from '../src/stream/name-table.js';
import { OkxBookDecoder, OkxChecksum, OkxTopOfBookDecoder, OkxTradeIterator, okxPublic, type OkxStreamDecoder } from '../src/venues/okx/index.js';
import { BASELINE, corpus, loopBenchSettings, measureCase, runWhenMain, type Corpus, type Loop, type LoopBenchOptions } from './loop-timing.js';

export interface OkxBenchRow {
  case: string;
  variant: string;
  bytes: number;
  nsPerEvent: number;
  heapBytesPerEvent: number;
  vsToStringJsonParse: number;
}

export type OkxBenchOptions = LoopBenchOptions;

const DISTINCT = 64;
const LEVELS = 10;
const INST = 'BTC-USDT';

const price = (value: number): string => String(Number(value.toFixed(1)));
const size = (value: number): string => String(Number(value.toFixed(8)));

function booksUpdates(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < LEVELS; j++) {
      bids.push(`["${price(67000 - j * 0.5 - (k % 7) * 0.1)}","${size(((k + j * 13) % 400) / 97)}","0","${1 + (j % 5)}"]`);
      asks.push(`["${price(67000.1 + j * 0.5 + (k % 5) * 0.1)}","${size(((k * 3 + j * 7) % 400) / 89)}","0","${1 + (j % 3)}"]`);
    }
    texts.push(
      `{"arg":{"channel":"books","instId":"${INST}"},"action":"update","data":[{"asks":[${asks.join(',')}],"bids":[${bids.join(',')}],` +
        `"ts":"${1700000000000 + k * 100}","checksum":${(k * 7919) | 0},"prevSeqId":${1000 + k * 10},"seqId":${1010 + k * 10}}]}`,
    );
  }
  return texts;
}

function tradesPushes(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    texts.push(
      `{"arg":{"channel":"trades","instId":"${INST}"},"data":[{"instId":"${INST}","tradeId":"${130639474 + k}","px":"${price(42219.9 + k * 0.1)}",` +
        `"sz":"${size(0.12060306 + k / 1000)}","side":"${k % 2 === 0 ? 'buy' : 'sell'}","ts":"${1630048897897 + k}","count":"1","source":"0","seqId":${1234 + k}}]}`,
    );
  }
  return texts;
}

function bboPushes(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    texts.push(
      `{"arg":{"channel":"bbo-tbt","instId":"${INST}"},"data":[{"asks":[["${price(111.1 + k * 0.1)}","${55154 + k}","0","2"]],` +
        `"bids":[["${price(111 + k * 0.1)}","${57745 + k}","0","2"]],"ts":"${1670324386802 + k}","seqId":${363996337 + k}}]}`,
    );
  }
  return texts;
}

function streamDecoder(channel: string): OkxStreamDecoder {
  const table = new StreamNameTable();
  const name = `${channel}:${INST}`;
  const layouts = new Uint8Array([okxPublic.idLayout(name)]);
  table.add(name);
  return okxPublic.createDecoder(table, () => layouts) as OkxStreamDecoder;
}

function jsonParseLoop(c: Corpus): Loop {
  return (iterations) => {
    let sum = 0;
    for (let n = 0; n < iterations; n++) {
      const k = n % c.count;
      const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { data: unknown[] };
      sum += m.data.length;
    }
    return sum;
  };
}

/** A book holding the corpus's price range, so updates land among existing levels. */
function seededBook(): OrderBook {
  const diff = new DepthDiff();
  diff.growBids(400);
  diff.growAsks(400);
  for (let j = 0; j < 400; j++) {
    diff.bids[2 * j] = Math.round((67000 - j * 0.1) * 10) * 10_000_000;
    diff.bids[2 * j + 1] = 100_000_000 + j;
    diff.asks[2 * j] = Math.round((67000.1 + j * 0.1) * 10) * 10_000_000;
    diff.asks[2 * j + 1] = 100_000_000 + j;
  }
  diff.bidCount = diff.askCount = 400;
  const book = new OrderBook();
  book.load(diff, 0);
  return book;
}

function booksLoops(c: Corpus): Record<string, Loop> {
  const stream = streamDecoder('books');
  const books = new OkxBookDecoder();
  const book = seededBook();
  const checksum = new OkxChecksum();
  const diff = books.diff;
  return {
    [BASELINE]: jsonParseLoop(c),
    'OkxBookDecoder (payload only)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        const start = c.offsets[k]!;
        const end = c.offsets[k + 1]!;
        // The payload range as the stream decoder reports it, found once per message here too.
        if (stream.decode(c.data, start, end) !== 0) continue;
        if (books.decode(c.data, stream.payloadStart, stream.payloadEnd)) sum += diff.bidCount + diff.finalUpdateId;
      }
      return sum;
    },
    'stream decoder + OkxBookDecoder + OrderBook.apply': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (stream.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!) !== 0) continue;
        if (!books.decode(c.data, stream.payloadStart, stream.payloadEnd)) continue;
        book.apply(diff);
        sum += book.bids.count;
      }
      return sum;
    },
    'stream decoder + OkxBookDecoder + OrderBook.apply + checksum': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (stream.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!) !== 0) continue;
        if (!books.decode(c.data, stream.payloadStart, stream.payloadEnd)) continue;
        book.apply(diff);
        sum += checksum.compute(book) === diff.checksum ? 1 : 0;
      }
      return sum;
    },
  };
}

function tradesLoops(c: Corpus): Record<string, Loop> {
  const stream = streamDecoder('trades');
  const trades = new OkxTradeIterator();
  const tick = new TradeTick();
  return {
    [BASELINE]: jsonParseLoop(c),
    'stream decoder + OkxTradeIterator': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (stream.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!) !== 0) continue;
        if (!trades.begin(c.data, stream.payloadStart, stream.payloadEnd)) continue;
        while (trades.next(tick)) sum += tick.side;
      }
      return sum;
    },
  };
}

function bboLoops(c: Corpus): Record<string, Loop> {
  const stream = streamDecoder('bbo-tbt');
  const decoder = new OkxTopOfBookDecoder();
  const top = new TopOfBook();
  return {
    [BASELINE]: jsonParseLoop(c),
    'stream decoder + OkxTopOfBookDecoder': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (stream.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!) !== 0) continue;
        if (decoder.decode(c.data, stream.payloadStart, stream.payloadEnd, top)) sum += top.instrument;
      }
      return sum;
    },
  };
}

export function runOkxBench(options: OkxBenchOptions = {}): OkxBenchRow[] {
  const settings = loopBenchSettings('okx', options);
  const cases: Array<[string, Corpus, (c: Corpus) => Record<string, Loop>]> = [
    ['books update 10+10', corpus(booksUpdates()), booksLoops],
    ['trades (1 trade)', corpus(tradesPushes()), tradesLoops],
    ['bbo-tbt', corpus(bboPushes()), bboLoops],
  ];
  return cases.flatMap(([name, c, make]) =>
    measureCase(settings, name, make(c)).map((figures) => ({
      case: name,
      variant: figures.variant,
      bytes: Math.round(c.averageBytes),
      nsPerEvent: Math.round(figures.nsPerMsg),
      heapBytesPerEvent: Number(figures.heapBytesPerMsg.toFixed(2)),
      vsToStringJsonParse: Number(figures.vsBaseline.toFixed(2)),
    })),
  );
}

export function renderOkxTable(rows: readonly OkxBenchRow[]): string {
  const lines = ['| case | variant | bytes | ns/event | heap B/event | vs toString+JSON.parse |', '|---|---|---:|---:|---:|---:|'];
  for (const row of rows) lines.push(`| ${row.case} | ${row.variant} | ${row.bytes} | ${row.nsPerEvent} | ${row.heapBytesPerEvent.toFixed(1)} | ${row.vsToStringJsonParse.toFixed(2)}x |`);
  return lines.join('\n');
}

runWhenMain(import.meta.url, runOkxBench, renderOkxTable);
