// The callback form allocates nothing per message in steady state: decode, stream lookup, id
// checks and delivery over a real socket from the simulator (in a child process), with the
// young-generation GC count asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManagedStream } from '../../src/index.js';
import { SteadyStateWindow, forkExchange } from '../helpers/steady-state.js';

const WARMUP = 100_000;
const MEASURED = 300_000;

test('managed stream, callback form: no scavenge over 300k messages of trades, book tickers and depth diffs', async () => {
  const { child, port } = await forkExchange({ symbols: ['btcusdt', 'ethusdt', 'bnbusdt'], rate: 0 });
  const steady = new SteadyStateWindow(WARMUP, MEASURED);
  let bytes = 0;
  const stream = new ManagedStream({
    url: `ws://127.0.0.1:${port}`,
    onMessage(_stream, _data, start, end) {
      bytes += end - start;
      steady.count();
    },
  });
  try {
    const names: string[] = [];
    for (const symbol of ['btcusdt', 'ethusdt', 'bnbusdt']) names.push(`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@depth@100ms`);
    stream.subscribe(names);
    stream.start();
    await steady.finished;
    const { scavenges, others, growth } = await steady.collect();
    console.log(`managed stream steady state over ${MEASURED} messages (${bytes} bytes): ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes; gaps ${stream.stats.gaps}, duplicates ${stream.stats.duplicates}`);
    assert.ok(scavenges <= 2, `expected at most 2 scavenges, saw ${scavenges}`);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
    assert.equal(stream.stats.delivered, steady.messages);
  } finally {
    await stream.stop();
    child.disconnect();
  }
});
