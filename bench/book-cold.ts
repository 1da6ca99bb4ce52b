// Order-book updates with cold caches: what a diff costs a process that holds many books. In the
// pipeline bench (100 symbols, one event per symbol every 100 ms) each book is touched once per
// event of its symbol, and in between the rest of the process, the kernel and the machine's other
// tenants have evicted its lines; there the book's update was most of tickwire's CPU per event,
// about four times what the same updates cost with the book in cache.
//
// It records depth@100ms streams from the embedded simulator, decodes every event once, then
// replays them into N books, timing OrderBook.apply alone. By default every book takes the same
// stream (one symbol's diffs, applied to the books round-robin, so all stay equal to each other);
// with --distinct 1 each book takes its own symbol's stream in arrival order, as in the pipeline
// bench: the branches of the merge then see different diffs from one book to the next, as they do
// in a live process (the same diff 100 times in a row trains the branch predictor). Between two
// applies it writes one byte per cache line of a --thrash-mb buffer; rounds alternate with and
// without that thrash.
//
//   node dist/bench/book-cold.js [--books N] [--thrash-mb N] [--seconds S] [--rounds N] [--distinct 0|1]
import { connect, BinanceDepthDecoder, DepthDiff, OrderBook, StreamNameTable } from '../src/index.js';
import { startExchange } from '../simulator/index.js';

interface Options {
  books: number;
  thrashMb: number;
  seconds: number;
  rounds: number;
  distinct: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { books: 100, thrashMb: 4, seconds: 15, rounds: 6, distinct: false };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${argv[i]} needs a whole number`);
    if (argv[i] === '--books') options.books = Math.max(1, value);
    else if (argv[i] === '--thrash-mb') options.thrashMb = value;
    else if (argv[i] === '--seconds') options.seconds = Math.max(1, value);
    else if (argv[i] === '--rounds') options.rounds = Math.max(2, value);
    else if (argv[i] === '--distinct') options.distinct = value !== 0;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

/** What a replay applies: each book's snapshot, and the diffs as (book index, diff) in order. */
interface Replay {
  snapshots: DepthDiff[];
  books: number[];
  diffs: DepthDiff[];
}

/** Records `symbols` streams; the diffs that follow each symbol's snapshot, in arrival order. */
async function record(symbols: readonly string[], seconds: number): Promise<Replay> {
  const exchange = await startExchange({ symbols: [...symbols], rate: 1000, seed: 9 });
  const decoder = new BinanceDepthDecoder();
  const snapshots = symbols.map((symbol) => snapshotDiff(exchange.book(symbol)));
  // Symbol bytes -> book index, found from the message as the pipeline's consumer does (adds are in order: index k is symbols[k]).
  const names = new StreamNameTable();
  for (const symbol of symbols) names.add(symbol.toUpperCase());
  const replay: Replay = { snapshots, books: [], diffs: [] };
  const streams = symbols.map((symbol) => `${symbol}@depth@100ms`).join('/');
  const client = await connect(`${exchange.url}/ws/${streams}`, {
    onMessage: (data, start, end) => {
      if (!decoder.decode(data, start, end)) return;
      const diff = decoder.diff;
      const book = names.find(data, diff.symbolStart, diff.symbolEnd);
      if (book < 0 || diff.finalUpdateId <= snapshots[book]!.finalUpdateId) return;
      const kept = new DepthDiff(diff.scale); // the decoder's diff is reused for the next message
      kept.copyFrom(diff);
      replay.books.push(book);
      replay.diffs.push(kept);
    },
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  client.terminate();
  await exchange.close();
  return replay;
}

/** One symbol's stream taken by every book: each diff applied to book 0, 1, ... in turn. */
function sameStream(recorded: Replay, books: number): Replay {
  const replay: Replay = { snapshots: Array.from({ length: books }, () => recorded.snapshots[0]!), books: [], diffs: [] };
  for (const diff of recorded.diffs) {
    for (let book = 0; book < books; book++) {
      replay.books.push(book);
      replay.diffs.push(diff);
    }
  }
  return replay;
}

/** The simulator's book (decimal text) as the fixed-point levels OrderBook.load takes. */
function snapshotDiff(book: { lastUpdateId: number; bids: Array<[string, string]>; asks: Array<[string, string]> }): DepthDiff {
  const units = (text: string): number => {
    const [whole = '0', fraction = ''] = text.split('.');
    return Number(whole) * 1e8 + Number((fraction + '00000000').slice(0, 8));
  };
  const diff = new DepthDiff(8);
  const fill = (pairs: Array<[string, string]>, levels: Float64Array): void => {
    pairs.forEach(([price, quantity], k) => {
      levels[2 * k] = units(price);
      levels[2 * k + 1] = units(quantity);
    });
  };
  fill(book.bids, diff.growBids(book.bids.length));
  fill(book.asks, diff.growAsks(book.asks.length));
  diff.bidCount = book.bids.length;
  diff.askCount = book.asks.length;
  diff.finalUpdateId = book.lastUpdateId;
  return diff;
}

function round(replay: Replay, thrash: Uint8Array | null): { usPerApply: number; books: OrderBook[] } {
  const books = replay.snapshots.map((snapshot) => {
    const book = new OrderBook(8);
    book.load(snapshot, snapshot.finalUpdateId);
    return book;
  });
  let elapsed = 0;
  let offset = 0;
  for (let k = 0; k < replay.diffs.length; k++) {
    if (thrash !== null) {
      for (let i = offset++ & 63; i < thrash.length; i += 64) thrash[i]!++;
    }
    const book = books[replay.books[k]!]!;
    const started = performance.now();
    book.apply(replay.diffs[k]!);
    elapsed += performance.now() - started;
  }
  return { usPerApply: (1000 * elapsed) / replay.diffs.length, books };
}

const options = parseArgs(process.argv.slice(2));
const symbols = Array.from({ length: options.distinct ? options.books : 1 }, (_, k) => (k === 0 ? 'btcusdt' : `sym${k}usdt`));
const recorded = await record(symbols, options.seconds);
const replay = options.distinct ? recorded : sameStream(recorded, options.books);
const thrash = options.thrashMb > 0 ? new Uint8Array(options.thrashMb << 20) : null;
const levels = replay.diffs.reduce((sum, diff) => sum + diff.bidCount + diff.askCount, 0);
console.log(
  `${replay.diffs.length} applies of depth@100ms diffs (${(levels / replay.diffs.length).toFixed(1)} levels each), ${options.books} books, ` +
    `${options.distinct ? 'each its own symbol' : 'all the same symbol'}, thrash ${options.thrashMb} MB`,
);
const cold: number[] = [];
const warm: number[] = [];
let reference: string[] | null = null;
for (let r = 0; r < options.rounds; r++) {
  for (const withThrash of [true, false]) {
    const { usPerApply, books } = round(replay, withThrash ? thrash : null);
    // every round replays the same diffs: its books must equal the first round's
    const final = books.map((book) => JSON.stringify(book.toLevels()));
    reference ??= final;
    if (final.some((text, k) => text !== reference![k])) throw new Error('a replay of the same diffs ended with different books');
    (withThrash ? cold : warm).push(usPerApply);
  }
}
if (!options.distinct && new Set(reference).size !== 1) throw new Error('books that took the same diffs differ');
// the first round of each kind includes the JIT's warm-up: left out of the median
const median = (values: number[]): number => values.slice(1).sort((a, b) => a - b)[(values.length - 1) >> 1]!;
console.log(`OrderBook.apply, cold caches: ${median(cold).toFixed(2)} us per diff (rounds ${cold.map((v) => v.toFixed(2)).join(' ')})`);
console.log(`OrderBook.apply, warm:        ${median(warm).toFixed(2)} us per diff (rounds ${warm.map((v) => v.toFixed(2)).join(' ')})`);
