// binance-ticker end to end, as a child process: the embedded simulator over wss with the test
// CA, plain and --json output, the summary, exit codes; and against an external simulator with
// --url while the test drops the connection and opens a gap in the depth stream.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startExchange, type Exchange } from '../../../simulator/exchange.js';
import { SIMULATOR_API_KEY, TICKER_VENUES } from '../../../apps/binance-ticker/venues.js';
import { venueStreamName } from '../../../apps/binance-ticker/ticker.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const cli = join(root, 'dist', 'apps', 'binance-ticker', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `during` is called once the child has printed its first output line. */
function run(args: string[], during?: () => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let called = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!called && during !== undefined && stdout.includes('\n')) {
        called = true;
        during();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('embedded simulator, --duration 2: plain lines, summary, exit code 0', async () => {
  const result = await run(['btcusdt', 'ethusdt', '--duration', '2']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\[\s+1\.\ds\] btcusdt {2}bid \d+(\.\d+)? x [\d.]+ {2}ask \d+(\.\d+)? x [\d.]+/m);
  assert.match(result.stdout, /^summary: binance-spot bookTicker from embedded simulator wss:\/\/localhost:\d+/m);
  const messages = /^ {2}messages {4}(\d+) \(([\d.]+) msg\/s\)/m.exec(result.stdout);
  assert.ok(messages !== null, result.stdout);
  assert.ok(Number(messages[1]) > 50, `only ${messages[1]} messages`);
  assert.match(result.stdout, /latency send->socket read \(us\): p50 [\d.]+ {2}p99 [\d.]+ {2}p99\.9 [\d.]+/);
  assert.match(result.stdout, /stage read->delivered {5}\(us\): p50 [\d.]+/);
  assert.match(result.stdout, /reconnects {2}0 \(0 after silence\) {2}errors 0/);
  assert.match(result.stdout, /^ {2}stream {6}gaps 0 \(0 ids missing\) {2}rollovers 0 \(0 handed over\) {2}resets 0 {2}backwards 0 {2}resubscribed 0$/m);
});

test('--json: every line parses; ticks carry symbol, bid and ask; the last line is the summary', async () => {
  const result = await run(['btcusdt', 'ethusdt', '--duration', '2', '--json', '--rate', '50']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const ticks = lines.filter((line) => line['type'] === 'tick');
  assert.ok(ticks.length >= 8, `${ticks.length} ticks`); // 4 refreshes per second x 2 symbols, over 2 s
  for (const tick of ticks) {
    assert.ok(tick['symbol'] === 'btcusdt' || tick['symbol'] === 'ethusdt');
    assert.ok('bid' in tick && 'ask' in tick);
  }
  const last = ticks.at(-1)!;
  assert.equal(typeof last['bid'], 'number');
  assert.ok((last['bid'] as number) < (last['ask'] as number), 'bid below ask');
  const summary = lines.at(-1)!;
  assert.equal(summary['type'], 'summary');
  assert.ok((summary['messages'] as number) > 0);
  assert.equal(summary['reconnects'], 0);
  const latency = summary['latency'] as Record<string, number>;
  assert.ok(latency['p50']! > 0 && latency['p999']! >= latency['p50']!);
});

test('--url: dropped connection mid-run -> reconnects and continues, summary counts it', async () => {
  const exchange: Exchange = await startExchange({ symbols: ['btcusdt'], rate: 200, stamp: true });
  try {
    let dropped = 0;
    let afterDrop = 0;
    const result = await run(['btcusdt', '--url', exchange.url, '--duration', '2', '--json'], () => {
      setTimeout(() => {
        dropped = exchange.injectFault({ type: 'drop' });
        afterDrop = exchange.stats().messagesSent;
      }, 300);
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(dropped, 1);
    assert.match(result.stderr, /reconnected \(#1\)/);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    assert.equal(summary['reconnects'], 1);
    assert.ok(exchange.stats().messagesSent > afterDrop + 20, 'the new connection received data');
    assert.ok(summary['messages']! > afterDrop, `summary ${summary['messages']} vs ${afterDrop} sent before the drop`);
  } finally {
    await exchange.close();
  }
});

test('--stream depth --url: a gap in the diff stream is resynced from a new snapshot', async () => {
  const exchange: Exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  try {
    const result = await run(['btcusdt', '--stream', 'depth', '--url', exchange.url, '--duration', '2', '--json'], () => {
      setTimeout(() => exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 3 }), 400);
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = lines.at(-1)!;
    assert.equal(summary['gaps'], 1, 'the stream reported the missing ids');
    assert.ok((summary['missingIds'] as number) >= 3, 'three diffs dropped: at least their three update ids'); // a diff covers one or more ids
    assert.equal(summary['resyncs'], 1, 'the book resynced from a new snapshot');
    assert.equal(summary['errors'], 0);
    const last = lines.filter((line) => line['type'] === 'tick').at(-1)!;
    assert.ok((last['bid'] as number) < (last['ask'] as number), 'a synced book has bid below ask');
  } finally {
    await exchange.close();
  }
});

test('--stream trade --url: serverShutdown -> rollover and handover on stderr, no gap, counted in the summary', async () => {
  const exchange: Exchange = await startExchange({ symbols: ['btcusdt'], rate: 200 });
  try {
    const result = await run(['btcusdt', '--stream', 'trade', '--url', exchange.url, '--duration', '2', '--json'], () => {
      setTimeout(() => exchange.injectFault({ type: 'serverShutdown' }), 300);
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /rollover \(server-shutdown\)/);
    assert.match(result.stderr, /handover: connection 1 -> 2, no event lost or doubled/);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    assert.equal(summary['rollovers'], 1);
    assert.equal(summary['handovers'], 1);
    assert.equal(summary['reconnects'], 0);
    assert.equal(summary['gaps'], 0);
    assert.equal(summary['missingIds'], 0);
  } finally {
    await exchange.close();
  }
});

// One run per venue the ticker knows and per stream it follows, each against that venue's
// embedded simulator: data flows, nothing fails, a depth book syncs (a snapshot loaded, bid below
// ask). A stream kind the venue's adapter lacks (null stream name) is skipped and said so.
for (const [name, venue] of Object.entries(TICKER_VENUES)) {
  const adapter = venue.market({ apiKey: SIMULATOR_API_KEY });
  for (const stream of ['bookTicker', 'trade', 'depth']) {
    const kind = ['bookTicker', 'trade', 'depth'].indexOf(stream);
    const lacking = venueStreamName(adapter, kind, venue.example) === null;
    if (lacking) {
      test(`--venue ${name} --stream ${stream}: the venue has no such stream -> skipped, said so, exit code 0`, async () => {
        const result = await run([venue.example, '--venue', name, '--stream', stream, '--duration', '2', '--json']);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        // The CLI takes symbols in any case and lists them lower-cased (the adapter sets the venue's case).
        const symbol = venue.example.toLowerCase();
        assert.deepEqual(lines, [{ type: 'skipped', venue: name, stream, symbols: [symbol], reason: `${name} has no ${stream} stream` }]);
        const plain = await run([venue.example, '--venue', name, '--stream', stream]);
        assert.equal(plain.code, 0, plain.stderr);
        assert.equal(plain.stdout, `skipped: ${name} has no ${stream} stream (${symbol})\n`);
      });
      continue;
    }
    test(`--venue ${name} --stream ${stream}: the venue's simulator, data through the neutral layer, exit code 0`, async () => {
      const result = await run([venue.example, '--venue', name, '--stream', stream, '--duration', '2', '--json', '--rate', '50']);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const summary = lines.at(-1)!;
      if (stream === 'depth') {
        assert.ok((summary['snapshots'] as number) >= 1, `${name}: the book loaded a snapshot`);
        assert.match(result.stderr, new RegExp(`${venue.example.toLowerCase()}: book in sync at id \\d+`));
      }
      assert.equal(summary['type'], 'summary');
      assert.equal(summary['venue'], name);
      assert.ok((summary['messages'] as number) > 0, `no ${stream} messages from ${name}`);
      assert.equal(summary['errors'], 0, result.stderr);
      assert.equal(summary['other'], 0, 'every delivered event was readable');
      const last = lines.filter((line) => line['type'] === 'tick').at(-1)!;
      if (stream === 'trade') assert.ok((last['last'] as number) > 0, 'a trade price');
      else assert.ok((last['bid'] as number) < (last['ask'] as number), 'bid below ask');
    });
  }
}

test('bad arguments: usage on stderr, exit code 2', async () => {
  const result = await run(['--stream', 'candles', 'btcusdt']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown stream 'candles'/);
  assert.match(result.stderr, /usage: binance-ticker/);
  const none = await run([]);
  assert.equal(none.code, 2);
});

test('Ctrl-C (SIGINT): clean stop with the summary, exit code 0', async () => {
  const result = await new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'btcusdt', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!signalled && stdout.includes('"type":"tick"')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.equal(summary['type'], 'summary');
  assert.equal(summary['errors'], 0);
});
