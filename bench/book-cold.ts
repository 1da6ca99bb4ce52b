// Order-book updates with cold caches: what a diff costs a process that holds many books. In the
// pipeline bench (100 symbols, one event per symbol every 100 ms) each book is touched once per
// event of its symbol, and in between the rest of the process, the kernel and the machine's other
// tenants have evicted its lines; there the book's update was most of tickwire's CPU per event,
// about four times what the same updates cost with the book in cache.
//
// It records a depth@100ms stream from the embedded simulator, decodes every event once, then
// applies the same diffs to N books round-robin (every book takes every diff in order, so all stay
// equal to each other), timing OrderBook.apply alone. Between two applies it writes one byte per
// cache line of a --thrash-mb buffer; rounds alternate with and without that thrash.
//
//   node dist/bench/book-cold.js [--books N] [--thrash-mb N] [--seconds S] [--rounds N]
import { connect, BinanceDepthDecoder, DepthDiff, OrderBook } from '../src/index.js';
import { startExchange } from '../simulator/index.js';

interface Options {
  books: number;
  thrashMb: number;
  seconds: number;
  rounds: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { books: 100, thrashMb: 4, seconds: 15, rounds: 6 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${argv[i]} needs a whole number`);
    if (argv[i] === '--books') options.books = Math.max(1, value);
    else if (argv[i] === '--thrash-mb') options.thrashMb = value;
    else if (argv[i] === '--seconds') options.seconds = Math.max(1, value);
    else if (argv[i] === '--rounds') options.rounds = Math.max(2, value);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

async function record(seconds: number): Promise<{ snapshot: DepthDiff; diffs: DepthDiff[] }> {
  const exchange = await startExchange({ symbols: ['btcusdt'], rate: 1000, seed: 9 });
  const decoder = new BinanceDepthDecoder();
  const diffs: DepthDiff[] = [];
  const snapshot = snapshotDiff(exchange.book('btcusdt'));
  const client = await connect(`${exchange.url}/ws/btcusdt@depth@100ms`, {
    onMessage: (data, start, end) => {
      if (!decoder.decode(data, start, end)) return;
      const diff = decoder.diff;
      if (diff.finalUpdateId <= snapshot.finalUpdateId) return;
      const kept = new DepthDiff(diff.scale); // the decoder's diff is reused for the next message
      kept.copyFrom(diff);
      diffs.push(kept);
    },
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  client.terminate();
  await exchange.close();
  return { snapshot, diffs };
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

function round(options: Options, snapshot: DepthDiff, diffs: readonly DepthDiff[], thrash: Uint8Array | null): { usPerApply: number; books: OrderBook[] } {
  const books = Array.from({ length: options.books }, () => {
    const book = new OrderBook(8);
    book.load(snapshot, snapshot.finalUpdateId);
    return book;
  });
  let elapsed = 0;
  let applies = 0;
  let offset = 0;
  for (const diff of diffs) {
    for (const book of books) {
      if (thrash !== null) {
        for (let i = offset++ & 63; i < thrash.length; i += 64) thrash[i]!++;
      }
      const started = performance.now();
      book.apply(diff);
      elapsed += performance.now() - started;
      applies++;
    }
  }
  return { usPerApply: (1000 * elapsed) / applies, books };
}

const options = parseArgs(process.argv.slice(2));
const { snapshot, diffs } = await record(options.seconds);
const thrash = options.thrashMb > 0 ? new Uint8Array(options.thrashMb << 20) : null;
const levels = diffs.reduce((sum, diff) => sum + diff.bidCount + diff.askCount, 0);
console.log(`${diffs.length} diffs of btcusdt@depth@100ms (${(levels / diffs.length).toFixed(1)} levels each), ${options.books} books, thrash ${options.thrashMb} MB`);
const cold: number[] = [];
const warm: number[] = [];
for (let r = 0; r < options.rounds; r++) {
  for (const withThrash of [true, false]) {
    const { usPerApply, books } = round(options, snapshot, diffs, withThrash ? thrash : null);
    const first = JSON.stringify(books[0]!.toLevels());
    if (books.some((book) => JSON.stringify(book.toLevels()) !== first)) throw new Error('books that took the same diffs differ');
    (withThrash ? cold : warm).push(usPerApply);
  }
}
// the first round of each kind includes the JIT's warm-up: left out of the median
const median = (values: number[]): number => values.slice(1).sort((a, b) => a - b)[(values.length - 1) >> 1]!;
console.log(`OrderBook.apply, cold caches: ${median(cold).toFixed(2)} us per diff (rounds ${cold.map((v) => v.toFixed(2)).join(' ')})`);
console.log(`OrderBook.apply, warm:        ${median(warm).toFixed(2)} us per diff (rounds ${warm.map((v) => v.toFixed(2)).join(' ')})`);
