import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recorder } from '../../simulator/helpers.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'apps', 'tickwire-exchange', 'main.js');

describe('tickwire-exchange CLI', { timeout: 30_000 }, () => {
  it('prints its URLs as JSON, streams, takes faults on stdin and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, '--port', '0', '--rate', '200', '--symbols', 'ethusdt', '--seed', '5'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const info = JSON.parse(line.toString().split('\n')[0]!) as { url: string; restUrl: string; symbols: string[]; wssUrl: null };
    assert.match(info.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(info.symbols, ['ethusdt']);
    assert.equal(info.wssUrl, null);

    const client = new Recorder(`${info.url}/ws/ethusdt@bookTicker`);
    const ticker = await client.waitFor((m) => m.s === 'ETHUSDT');
    assert.equal(typeof ticker.u, 'number');
    const depth = (await (await fetch(`${info.restUrl}/api/v3/depth?symbol=ETHUSDT&limit=5`)).json()) as { bids: unknown[] };
    assert.equal(depth.bids.length, 5);

    child.stdin.write('drop\n');
    assert.deepEqual(await client.closed, [1006, '']);

    const again = new Recorder(`${info.url}/ws/ethusdt@bookTicker`);
    await again.waitFor((m) => m.s === 'ETHUSDT');
    child.stdin.write('silence ethusdt@bookTicker\nrestart 100\n');
    assert.deepEqual(await again.closed, [1006, '']);
    while (!stderr.includes('restarted')) await once(child.stderr, 'data');
    // Same port after the restart; the stream is still silenced, the REST snapshot answers.
    assert.equal((await fetch(`${info.restUrl}/api/v3/ping`)).status, 200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.match(stderr, /drop -> 1 connection/);
    assert.match(stderr, /silenceStream -> 1 subscriber/);
  });

  it('prints usage with --help', async () => {
    const child = spawn(process.execPath, [bin, '--help']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: tickwire-exchange/);
    assert.match(stdout, /--rate N\|max/);
  });
});
