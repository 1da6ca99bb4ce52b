// The callback form allocates nothing per message in steady state: decode, stream lookup, id
// checks and delivery over a real socket from the simulator (in a child process), with the
// young-generation GC count asserted.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManagedStream } from '../../src/index.js';
import { GcWindow } from '../helpers/gc-window.js';

const WARMUP = 100_000;
const MEASURED = 300_000;

test('managed stream, callback form: no scavenge over 300k messages of trades, book tickers and depth diffs', async () => {
  const child = fork(fileURLToPath(new URL('./exchange-process.js', import.meta.url)), [JSON.stringify({ symbols: ['btcusdt', 'ethusdt', 'bnbusdt'], rate: 0 })], { stdio: 'inherit' });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('error', reject);
  });
  const gcWindow = new GcWindow();
  let received = 0;
  let bytes = 0;
  let heapAtWarmup = 0;
  let heapAtEnd = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const stream = new ManagedStream({
    url: `ws://127.0.0.1:${port}`,
    onMessage(_stream, _data, start, end) {
      received++;
      bytes += end - start;
      if (received === WARMUP) {
        // Collect the warm-up's garbage (connection setup, compilation) now: left alone, V8 14
        // finishes it with a mark-sweep that can land inside the window, which says nothing about
        // the per-message path this test measures.
        gc?.();
        heapAtWarmup = process.memoryUsage().heapUsed;
        gcWindow.begin();
      } else if (received === WARMUP + MEASURED) {
        gcWindow.end();
        heapAtEnd = process.memoryUsage().heapUsed;
        done();
      }
    },
  });
  try {
    const names: string[] = [];
    for (const symbol of ['btcusdt', 'ethusdt', 'bnbusdt']) names.push(`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@depth@100ms`);
    stream.subscribe(names);
    stream.start();
    await finished;
    const { scavenges, others } = await gcWindow.collect();
    const growth = heapAtEnd - heapAtWarmup;
    console.log(`managed stream steady state over ${MEASURED} messages (${bytes} bytes): ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes; gaps ${stream.stats.gaps}, duplicates ${stream.stats.duplicates}`);
    assert.ok(scavenges <= 2, `expected at most 2 scavenges, saw ${scavenges}`);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
    assert.equal(stream.stats.delivered, received);
  } finally {
    await stream.stop();
    child.disconnect();
  }
});
