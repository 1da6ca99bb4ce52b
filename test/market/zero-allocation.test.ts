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

test('openMarket on Binance Spot: no GC over 300k top-of-book, trade and book messages', { timeout: 180_000 }, async () => {
  const symbols = ['btcusdt', 'ethusdt', 'bnbusdt'];
  const { child, port } = await forkExchange({ symbols, rate: 0 });
  const steady = new SteadyStateWindow(WARMUP, MEASURED);
  // Doubles live in a typed array: a closure variable holding a double is boxed on every store.
  const sums = new Float64Array(2); // [spread sum, net taker volume]
  let inSync = 0;
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
      if (book.state === BOOK_IN_SYNC) inSync += book.bids.bestPrice > 0 ? 1 : 0;
      steady.count();
    },
  });
  try {
    await steady.finished;
    const { scavenges, others, growth } = await steady.collect();
    console.log(`openMarket steady state over ${MEASURED} messages: ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes; in-sync book updates ${inSync}, gaps ${market.stream.stats.gaps}, spread sum ${sums[0]}, net volume ${sums[1]}`);
    assert.equal(scavenges, 0);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
    assert.ok(inSync > 0, 'the books were in sync');
    assert.ok(sums[0]! > 0);
  } finally {
    await market.stop();
    child.disconnect();
  }
});
