#!/usr/bin/env node
// binance-ticker: live best bid/ask (or trades, or a local order book) for a few symbols over the
// library's managed stream (reconnects, rollovers, gaps reported), with messages/s and latency. Without --url it starts the embedded
// exchange simulator (on a worker thread of this process) on wss://localhost, trusted through the
// test CA with verification on, and asks it for send stamps.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulatorThread, type SimulatorThread } from './simulator-thread.js';
import { parseTickerArgs, USAGE, UsageError, type TickerArgs } from './args.js';
import { Ticker, venueStreamName } from './ticker.js';
import { STREAM_NAMES } from './model.js';
import { SIMULATOR_API_KEY, tickerVenue } from './venues.js';
import { frameLines, jsonLines, plainLines, RateMeter, summaryData, summaryLines, TtyFrame } from './view.js';

/** Plain (non-TTY) output is a status block per second, whatever the refresh rate. */
const PLAIN_INTERVAL_MS = 1000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function fail(message: string, code: number): never {
  process.stderr.write(`binance-ticker: ${message}\n`);
  process.exit(code);
}

async function main(args: TickerArgs): Promise<void> {
  let exchange: SimulatorThread | null = null;
  let url = args.url;
  let ca: Buffer | undefined = args.ca === null ? undefined : readFileSync(args.ca);
  let source: string;
  const venue = tickerVenue(args.venue);
  // An API key only from the environment (a command-line argument would show in `ps`).
  const apiKey = process.env['BINANCE_API_KEY'] ?? (url === null ? SIMULATOR_API_KEY : null);
  if (venue.needsApiKey && apiKey === null) fail(`--venue ${args.venue} needs an API key: set BINANCE_API_KEY`, 2);
  // A stream kind the venue does not carry (USD-M's Public route has no trades): nothing to
  // follow, which is not an error; say so and stop before starting a simulator or a connection.
  const probe = venue.market({ ...(apiKey !== null && { apiKey }) });
  const lacking = args.symbols.filter((symbol) => venueStreamName(probe, args.kind, symbol) === null);
  if (lacking.length > 0) {
    const stream = STREAM_NAMES[args.kind]!;
    const reason = `${args.venue} has no ${stream} stream`;
    if (args.json) process.stdout.write(JSON.stringify({ type: 'skipped', venue: args.venue, stream, symbols: lacking, reason }) + '\n');
    else process.stdout.write(`skipped: ${reason} (${lacking.join(', ')})\n`);
    return;
  }
  if (url === null) {
    // Embedded simulator: TLS with the test CA, verification on, send stamps for latency.
    const simulatorSymbols = args.symbols.map((symbol) => venue.simulatorSymbol?.(symbol) ?? symbol);
    exchange = await startSimulatorThread({ venue: venue.simulator, tls: true, symbols: simulatorSymbols, rate: args.rate, stamp: true });
    url = exchange.wssUrl!;
    ca = readFileSync(join(root, 'fixtures', 'tls', 'ca.pem'));
    source = `embedded simulator ${url} (${args.rate === 0 ? 'max' : args.rate} updates/s per symbol)`;
  } else {
    source = url;
  }

  const tty = process.stdout.isTTY === true && !args.json;
  const frame = new TtyFrame();
  let lastEvent = '';
  const note = (text: string): void => {
    if (tty) lastEvent = text;
    else process.stderr.write(`binance-ticker: ${text}\n`);
  };
  const ticker = new Ticker({
    venue: venue.market({ ...(ca !== undefined && { ca }), ...(apiKey !== null && { apiKey }) }),
    symbols: args.symbols,
    kind: args.kind,
    url,
    ...(args.rest !== null && { restUrl: args.rest }),
    ...(ca !== undefined && { ca }),
    silenceMs: args.silenceMs,
    onError: (error) => note(`error: ${error.message}`),
    onEvent: note,
  });
  const startedAt = performance.now();
  const meter = new RateMeter(args.symbols.length, startedAt);
  let lastPlainAt = startedAt;
  ticker.start();

  const refresh = (): void => {
    const now = performance.now();
    const elapsed = now - startedAt;
    if (args.json) {
      meter.sample(ticker.model.messages, ticker.model.total, now);
      process.stdout.write(jsonLines(ticker, meter, Date.now()).join('\n') + '\n');
    } else if (tty) {
      meter.sample(ticker.model.messages, ticker.model.total, now);
      const lines = frameLines(ticker, meter, elapsed);
      if (lastEvent !== '') lines.push(`last event: ${lastEvent}`);
      process.stdout.write(frame.render(lines));
    } else if (now - lastPlainAt >= PLAIN_INTERVAL_MS - 1) {
      lastPlainAt = now;
      meter.sample(ticker.model.messages, ticker.model.total, now);
      process.stdout.write(plainLines(ticker, meter, elapsed).join('\n') + '\n');
    }
  };
  const refreshTimer = setInterval(refresh, args.refreshMs);
  if (tty) process.stdout.write(`${'\x1b['}?25l`); // hide the cursor while redrawing

  let stopping = false;
  const finish = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const elapsed = performance.now() - startedAt;
    clearInterval(refreshTimer);
    clearTimeout(durationTimer);
    if (tty) {
      refresh();
      process.stdout.write(`${'\x1b['}?25h`);
    }
    await ticker.stop();
    if (exchange !== null) await exchange.close();
    if (args.json) process.stdout.write(JSON.stringify({ type: 'summary', source, ...summaryData(ticker, elapsed) }) + '\n');
    else process.stdout.write('\n' + summaryLines(ticker, elapsed, source).join('\n') + '\n');
    // Nothing ever arrived and something failed: say so in the exit code.
    const code = ticker.model.total === 0 && ticker.errors > 0 ? 1 : 0;
    process.stdout.write('', () => process.exit(code));
  };
  const durationTimer = Number.isFinite(args.durationMs) ? setTimeout(() => void finish(), args.durationMs) : undefined;
  process.on('SIGINT', () => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait for the close handshake
    void finish();
  });
  process.on('SIGTERM', () => void finish());
}

let args: TickerArgs;
try {
  args = parseTickerArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(`${error.message}\n${USAGE}`, 2);
  throw error;
}
if (args.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
main(args).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
