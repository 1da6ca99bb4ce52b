// The receive path allocates nothing per message: 1,000,000 ~100-byte messages from a real
// server over loopback, with the young-generation GC count and heap growth asserted flat.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect } from '../../src/index.js';
import { GcWindow } from '../helpers/gc-window.js';

const TOTAL = 1_000_000;
/** Messages received before measuring: lets the JIT settle and the buffers reach their size. */
const WARMUP = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;

interface ServerInfo {
  port: number;
  frameBytes: number;
}

test('1M messages: flat heap and no more than a couple of scavenges', async () => {
  const server = fork(fileURLToPath(new URL('./blast-server.js', import.meta.url)), [String(TOTAL)], { stdio: 'inherit' });
  try {
    const info = await new Promise<ServerInfo>((resolve, reject) => {
      server.once('message', (message) => resolve(message as ServerInfo));
      server.once('error', reject);
    });
    assert.ok(info.frameBytes >= 100 && info.frameBytes <= 125, `frame size ${info.frameBytes}`);

    const gcWindow = new GcWindow();

    let received = 0;
    let bytes = 0;
    let heapAtWarmup = 0;
    let heapAtEnd = 0;
    let resolveDone!: () => void;
    let rejectDone!: (error: Error) => void;
    const finished = new Promise<void>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    const client = await connect(`ws://127.0.0.1:${info.port}/`, {
      onMessage(_data, start, end) {
        received++;
        bytes += end - start;
        if (received === WARMUP) {
          // A full collection first, so the window starts from a clean heap: on Node 26 one CI run
          // saw a major GC in the window (0 scavenges, the heap 1.4 MB smaller at its end), which
          // collected what connecting and warming up had left behind, not anything the messages made.
          gc?.();
          heapAtWarmup = process.memoryUsage().heapUsed;
          gcWindow.begin();
        } else if (received === TOTAL) {
          gcWindow.end();
          heapAtEnd = process.memoryUsage().heapUsed;
          resolveDone();
        }
      },
      onError: (error) => rejectDone(error),
    });
    await finished;
    const { scavenges, others } = await gcWindow.collect();
    client.terminate();

    assert.equal(received, TOTAL);
    assert.equal(bytes, TOTAL * (info.frameBytes - 2));
    const growth = heapAtEnd - heapAtWarmup;
    console.log(`steady state over ${TOTAL - WARMUP} messages: ${scavenges} scavenges, ${others} other GCs, heap growth ${growth} bytes`);
    assert.ok(scavenges <= 2, `expected at most 2 scavenges, saw ${scavenges}`);
    assert.equal(others, 0);
    assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
  } finally {
    server.kill();
  }
});
