// Depth messages into a local order book: what a book costs per diff.
//   - depth decode: a 20+20-level depthUpdate (~1.4 KiB) from bytes to the book's representation
//     (ids, and every level's price and quantity as fixed-point integers) with BinanceDepthDecoder,
//     against the usual way (buffer.toString + JSON.parse, then parseFloat of every level) and
//     against jsonFields + its level iterator (float64 levels);
//   - book update: the same, plus LocalOrderBook.onDiff on a book in sync (sequence check and
//     every level set), against JSON.parse + a Map<string, string> book per side (what a ws-based
//     client typically keeps);
//   - the same depth decode on a combined stream ({"stream":..,"data":{..}}).
// Figures: ns/msg, msg/s, V8 heap bytes allocated per message, and the speed-up over
// buffer.toString + JSON.parse alone (the target: >= 5x for decode + every level read).
//
//   node dist/bench/book.js [--quick] [--duration-ms=N] [--json]
//
// `runBookBench(options)` is the entry for bench/main.ts.
import { jsonFields } from '../src/market-json/index.js';
import { LocalOrderBook } from '../src/book/index.js';
import { BinanceDepthDecoder, binanceSnapshotDecoder } from '../src/venues/binance/index.js';
import { BASELINE, corpus, inReceiveBuffer, level, loopBenchSettings, measureCase, runWhenMain, type Corpus, type Loop, type LoopBenchOptions } from './loop-timing.js';

export interface BookBenchRow {
  case: string;
  variant: string;
  bytes: number;
  nsPerMsg: number;
  msgPerSec: number;
  heapBytesPerMsg: number;
  /** buffer.toString + JSON.parse (nothing else) ns/msg over this variant's ns/msg. */
  vsToStringJsonParse: number;
  /** How many messages the decoder handed to its general path (should be 0 on this corpus). */
  generalPathPerMsg: number;
}

export type BookBenchOptions = LoopBenchOptions;

const encoder = new TextEncoder();
const LEVELS = 20;
const DISTINCT = 64;

/**
 * 64 depthUpdates of 20 bid and 20 ask levels around 67,000 (the market-json bench's corpus):
 * every level moves with the message, some quantities are 0 (removals).
 */
function depthTexts(combined: boolean): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < LEVELS; j++) {
      bids.push(level(67000 - j * 0.5 - k, ((k + j * 13) % 400) / 100));
      asks.push(level(67000.01 + j * 0.5 + k, ((k * 3 + j * 7) % 400) / 100));
    }
    const body = `{"e":"depthUpdate","E":${1700000000000 + k},"s":"BTCUSDT","U":${157 + k * 40},"u":${196 + k * 40},"b":[${bids.join(',')}],"a":[${asks.join(',')}]}`;
    texts.push(combined ? `{"stream":"btcusdt@depth@100ms","data":${body}}` : body);
  }
  return texts;
}

/** A snapshot of 1000 levels per side around the corpus's prices, so updates land in a full book. */
function snapshotBody(lastUpdateId: number): Uint8Array {
  const bids: string[] = [];
  const asks: string[] = [];
  for (let j = 0; j < 1000; j++) {
    bids.push(level(67000 - j * 0.25, 1 + (j % 7)));
    asks.push(level(67000.01 + j * 0.25, 1 + (j % 5)));
  }
  return encoder.encode(`{"lastUpdateId":${lastUpdateId},"bids":[${bids.join(',')}],"asks":[${asks.join(',')}]}`);
}

/** A LocalOrderBook in sync at update id 0 (the benchmark renumbers every diff to follow on). */
function syncedBook(): LocalOrderBook {
  const book = new LocalOrderBook({
    symbol: 'BTCUSDT',
    fetchSnapshot: () => new Promise<Uint8Array>(() => {}), // never asked: the snapshot is given below
    decodeSnapshot: binanceSnapshotDecoder(),
  });
  if (!book.onSnapshotBody(snapshotBody(0)) || book.state !== 1) throw new Error('bench: book not in sync');
  return book;
}

function baselineLoops(c: Corpus): Record<string, Loop> {
  return {
    [BASELINE]: (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { u: number };
        sum += m.u;
      }
      return sum;
    },
    'buffer.toString + JSON.parse + parseFloat levels': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { u: number; b: [string, string][]; a: [string, string][] };
        sum += m.u;
        for (const [price, quantity] of m.b) sum += parseFloat(price) * parseFloat(quantity);
        for (const [price, quantity] of m.a) sum -= parseFloat(price) * parseFloat(quantity);
      }
      return sum;
    },
  };
}

/**
 * The decoder over one ordinary buffer holding the whole corpus (levels -> fixed-point): each
 * message's range is copied into kernel memory for the WebAssembly level kernel (Buffer.copy on
 * Node 22+, a word copy on Node 20; kernels/level-pairs.ts prepare()).
 */
const DECODER = 'BinanceDepthDecoder, ordinary buffer (levels -> fixed-point)';
/** The same with one Buffer per message, as `ws` delivers them (a whole-view copy into kernel memory). */
const DECODER_PER_MESSAGE = 'BinanceDepthDecoder, one Buffer per message (as ws delivers)';
/** The same over the bytes in kernel memory, as the client receives them: read in place by the WebAssembly kernel. */
const DECODER_RECEIVE_BUFFER = 'BinanceDepthDecoder, in the receive buffer (WebAssembly levels)';

function decodeAll(decoder: BinanceDepthDecoder, c: Corpus, data: Uint8Array, iterations: number): number {
  let sum = 0;
  const diff = decoder.diff;
  for (let n = 0; n < iterations; n++) {
    const k = n % c.count;
    if (!decoder.decode(data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
    sum += diff.finalUpdateId + diff.bidCount + diff.bids[0]! - diff.asks[2 * diff.askCount - 1]!;
  }
  return sum;
}

/** The same for messages that each have their own Buffer (whole views). */
function decodeEach(decoder: BinanceDepthDecoder, messages: readonly Buffer[], iterations: number): number {
  let sum = 0;
  const diff = decoder.diff;
  for (let n = 0; n < iterations; n++) {
    const message = messages[n % messages.length]!;
    if (!decoder.decode(message, 0, message.length)) continue;
    sum += diff.finalUpdateId + diff.bidCount + diff.bids[0]! - diff.asks[2 * diff.askCount - 1]!;
  }
  return sum;
}

/** Each message of the corpus copied into a Buffer of its own (small ones share Node's pool, as ws's do). */
function perMessageBuffers(c: Corpus): Buffer[] {
  return Array.from({ length: c.count }, (_, k) => Buffer.from(c.data.subarray(c.offsets[k]!, c.offsets[k + 1]!)));
}

function decodeLoops(c: Corpus, decoder: BinanceDepthDecoder): Record<string, Loop> {
  const fields = jsonFields(['u', 'b', 'a']);
  const receive = inReceiveBuffer(c);
  const messages = perMessageBuffers(c);
  return {
    'jsonFields + level iterator (float64)': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (!fields.scan(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        sum += fields.integer(0);
        const bids = fields.levels(1);
        while (bids.next()) sum += bids.price() * bids.quantity();
        const asks = fields.levels(2);
        while (asks.next()) sum -= asks.price() * asks.quantity();
      }
      return sum;
    },
    [DECODER]: (iterations) => decodeAll(decoder, c, c.data, iterations),
    [DECODER_PER_MESSAGE]: (iterations) => decodeEach(decoder, messages, iterations),
    [DECODER_RECEIVE_BUFFER]: (iterations) => decodeAll(decoder, c, receive, iterations),
  };
}

function bookLoops(c: Corpus): Record<string, Loop> {
  const decoder = new BinanceDepthDecoder();
  const book = syncedBook();
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  let nextId = book.updateId + 1;
  return {
    'JSON.parse + Map<string, string> book': (iterations) => {
      let sum = 0;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        const m = JSON.parse(c.buffer.toString('utf8', c.offsets[k]!, c.offsets[k + 1]!)) as { u: number; b: [string, string][]; a: [string, string][] };
        for (const [price, quantity] of m.b) {
          if (parseFloat(quantity) === 0) bids.delete(price);
          else bids.set(price, quantity);
        }
        for (const [price, quantity] of m.a) {
          if (parseFloat(quantity) === 0) asks.delete(price);
          else asks.set(price, quantity);
        }
        sum += m.u + bids.size;
      }
      return sum;
    },
    'BinanceDepthDecoder + LocalOrderBook.onDiff': (iterations) => {
      let sum = 0;
      const diff = decoder.diff;
      for (let n = 0; n < iterations; n++) {
        const k = n % c.count;
        if (!decoder.decode(c.data, c.offsets[k]!, c.offsets[k + 1]!)) continue;
        // The corpus repeats; renumber so every diff follows on from the book (U = previous u + 1).
        diff.firstUpdateId = nextId;
        diff.finalUpdateId = nextId + 39;
        nextId += 40;
        sum += book.onDiff(diff) + book.bids.count;
      }
      return sum;
    },
  };
}

export function runBookBench(options: BookBenchOptions = {}): BookBenchRow[] {
  const settings = loopBenchSettings('book', options);
  const rows: BookBenchRow[] = [];
  for (const combined of [false, true]) {
    const c = corpus(depthTexts(combined));
    const decoder = new BinanceDepthDecoder({ combined });
    const name = combined ? 'depthUpdate 20+20, combined stream' : 'depthUpdate 20+20';
    const baseline = baselineLoops(c);
    const decode = decodeLoops(c, decoder);
    const loops: Record<string, Loop> = combined
      ? { [BASELINE]: baseline[BASELINE]!, [DECODER]: decode[DECODER]!, [DECODER_PER_MESSAGE]: decode[DECODER_PER_MESSAGE]!, [DECODER_RECEIVE_BUFFER]: decode[DECODER_RECEIVE_BUFFER]! }
      : { ...baseline, ...decode, ...bookLoops(c) };
    for (const figures of measureCase(settings, name, loops, settings.heapIterations, () => decoder.generalPathCount)) {
      rows.push({
        case: name,
        variant: figures.variant,
        bytes: Math.round(c.averageBytes),
        nsPerMsg: Math.round(figures.nsPerMsg),
        msgPerSec: Math.round(1e9 / figures.nsPerMsg),
        heapBytesPerMsg: Number(figures.heapBytesPerMsg.toFixed(2)),
        vsToStringJsonParse: Number(figures.vsBaseline.toFixed(2)),
        generalPathPerMsg: figures.countedPerMsg,
      });
    }
  }
  return rows;
}

export function renderBookTable(rows: readonly BookBenchRow[]): string {
  const lines = ['| case | variant | bytes | ns/msg | msg/s | heap B/msg | vs toString+JSON.parse |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    lines.push(
      `| ${row.case} | ${row.variant} | ${row.bytes} | ${row.nsPerMsg} | ${row.msgPerSec.toLocaleString('en-US')} | ${row.heapBytesPerMsg.toFixed(1)} | ${row.vsToStringJsonParse.toFixed(2)}x |`,
    );
  }
  return lines.join('\n');
}

runWhenMain(import.meta.url, runBookBench, renderBookTable);
