// Bybit over a real socket allocates nothing per message in steady state: the stream's decoder
// (topic lookup, the orderbook's u for the monotonic check), delivery, and the user's decoders
// (orderbook -> DepthDiff, publicTrade -> TradeTick per trade, orderbook.1 -> TopOfBook), with
// the young-generation GC count asserted. The simulator runs in a child process so that its
// allocations stay out of the count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManagedStream } from '../../../src/index.js';
import { TopOfBook, TradeTick } from '../../../src/market/events.js';
import { BybitOrderbookDecoder, BybitTopOfBookDecoder, BybitTradeDecoder, bybitLinear } from '../../../src/venues/bybit/index.js';
import { SteadyStateWindow, forkExchange } from '../../helpers/steady-state.js';

const WARMUP = 50_000;
const MEASURED = 250_000;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT'];

test('Bybit linear through the managed stream and the Bybit decoders: no scavenge over 250k messages', async () => {
  const { child, port } = await forkExchange({ venue: 'bybit', symbols: SYMBOLS.map((symbol) => symbol.toLowerCase()), rate: 0 });
  const steady = new SteadyStateWindow(WARMUP, MEASURED);
  const book = new BybitOrderbookDecoder();
  const trades = new BybitTradeDecoder();
  const top = new BybitTopOfBookDecoder();
  const tick = new TradeTick();
  const best = new TopOfBook();
  let tradeCount = 0;
  let bookMessages = 0;
  let unreadable = 0;
  // Stream indices in subscription order: per symbol orderbook.50, orderbook.1, publicTrade.
  const stream = new ManagedStream({
    url: `ws://127.0.0.1:${port}`,
    venue: bybitLinear,
    onMessage(index, data, start, end) {
      const kind = index % 3;
      if (kind === 0) {
        if (book.decode(data, start, end)) bookMessages++;
        else unreadable++;
      } else if (kind === 1) {
        if (!top.decode(data, start, end, best)) unreadable++;
      } else if (trades.begin(data, start, end)) {
        while (trades.next(tick)) tradeCount++;
        if (trades.malformed) unreadable++;
      } else {
        unreadable++;
      }
      steady.count();
    },
  });
  try {
    stream.subscribe(SYMBOLS.flatMap((symbol) => [`orderbook.50.${symbol}`, `orderbook.1.${symbol}`, `publicTrade.${symbol}`]));
    stream.start();
    await steady.finished;
    const { scavenges, others, growth } = await steady.collect();
    console.log(`bybit steady state over ${MEASURED} messages: ${tradeCount} trades, ${bookMessages} book messages, ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes`);
    assert.equal(unreadable, 0);
    assert.ok(bookMessages > 0 && tradeCount > 0);
    assert.ok(scavenges <= 2, `expected at most 2 scavenges, saw ${scavenges}`);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
  } finally {
    await stream.stop();
    child.disconnect();
  }
});
