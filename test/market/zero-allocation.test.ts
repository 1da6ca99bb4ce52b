// openMarket allocates nothing per message in steady state: the Binance Spot simulator (in a
// child process, so its allocations stay out of the counts) at full speed, three instruments with
// top of book, trades and books; the strategy's callbacks read every field. GCs counted over 300k
// messages after a warm-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOK_IN_SYNC, binanceSpotMarket, openMarket, type DepthDiff, type LocalOrderBook, type TopOfBook, type TradeTick } from '../../src/index.js';
import { SteadyStateWindow, forkExchange } from '../helpers/steady-state.js';

// Longer than the stream's own test: the trade path (iterator + callback) is still being
// optimized after 100k messages on a loaded machine, and installing that code allocates.
const WARMUP = 300_000;
const MEASURED = 300_000;
/**
 * Book updates the warm-up must also include. At full speed a book diff comes every 100 ms per
 * symbol among ~100k other messages a second, so 300k messages hold only ~30 of them: the book
 * code would still be unoptimized (its first TurboFan compile came after ~70 diffs of ~100 levels
 * a side on Node 22).
 */
const WARMUP_BOOK_UPDATES = 300;
/** Book updates the window must hold besides its 300k messages (~100 levels a side each at full speed). */
const MEASURED_BOOK_UPDATES = 20;

test('openMarket on Binance Spot: no GC over 300k top-of-book, trade and book messages (20+ book updates)', { timeout: 180_000 }, async () => {
  const symbols = ['btcusdt', 'ethusdt', 'bnbusdt'];
  const { child, port } = await forkExchange({ symbols, rate: 0 });
  // Doubles live in a typed array: a closure variable holding a double is boxed on every store.
  const sums = new Float64Array(2); // [spread sum, net taker volume]
  let inSync = 0;
  let bookUpdates = 0;
  let measuredBookUpdates = 0;
  const steady = new SteadyStateWindow(WARMUP, MEASURED, {
    warmedUp: () => bookUpdates >= WARMUP_BOOK_UPDATES,
    measuredEnough: () => measuredBookUpdates >= MEASURED_BOOK_UPDATES,
  });
  const market = openMarket({
    venue: binanceSpotMarket(),
    instruments: symbols.map((symbol) => symbol.toUpperCase()),
    url: `ws://127.0.0.1:${port}`,
    restUrl: `http://127.0.0.1:${port}`,
    onTopOfBook(top: TopOfBook) {
      sums[0]! += top.askPrice - top.bidPrice;
      steady.count();
    },
    onTrade(tick: TradeTick) {
      sums[1]! += tick.quantity * tick.side;
      steady.count();
    },
    onBook(book: LocalOrderBook, _diff: DepthDiff, _instrument: number) {
      bookUpdates++;
      if (steady.isOpen) measuredBookUpdates++;
      if (book.state === BOOK_IN_SYNC) inSync += book.bids.bestPrice > 0 ? 1 : 0;
      steady.count();
    },
  });
  try {
    await steady.finished;
    const { scavenges, others, growth } = await steady.collect();
    console.log(`openMarket steady state over ${steady.measuredMessages} messages (${measuredBookUpdates} book updates): ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes; in-sync book updates ${inSync}, gaps ${market.stream.stats.gaps}, spread sum ${sums[0]}, net volume ${sums[1]}`);
    assert.equal(scavenges, 0);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
    assert.ok(measuredBookUpdates >= MEASURED_BOOK_UPDATES);
    assert.ok(inSync > 0, 'the books were in sync');
    assert.ok(sums[0]! > 0);
  } finally {
    await market.stop();
    child.disconnect();
  }
});
