#!/usr/bin/env node
// tickwire-exchange: runs the Binance-Spot-compatible market stream simulator on loopback.
// Faults can be typed on stdin while it runs (see HELP).
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startExchange, type Fault } from 'tickwire/simulator';

const HELP = `Usage: tickwire-exchange [options]

Serves every Binance Spot market stream (ws://HOST:PORT/ws/<stream>, /stream?streams=a/b) and
GET /api/v3/depth and /api/v3/exchangeInfo on the same port, from a seeded random-walk market.

Options:
  --port N              ws:// and http:// port (default 9443; 0 picks a free port)
  --host H              address to bind (default 127.0.0.1)
  --tls                 also serve wss:// with fixtures/tls/localhost.pem (trust fixtures/tls/ca.pem)
  --tls-port N          wss:// port (default: any free port)
  --symbols a,b         symbols (default btcusdt,ethusdt,bnbusdt)
  --seed N              PRNG seed (default 1)
  --rate N|max          book updates per second per symbol (default 10)
  --depth N             price levels per book side (default 200)
  --stamp [FIELD]       add a send-time stamp in ns (default field T_ns)
  --ping-interval-ms N  server ping interval (default 20000)
  --pong-timeout-ms N   disconnect without pong after (default 60000)
  --lifetime-ms N       connection lifetime (default 86400000)
  --max-incoming N      incoming messages per second before disconnect (default 5, 0: off)
  --stats               print message counts every second
  -h, --help            this text

Faults on stdin (one per line): drop | silent | resume | close [code] | shutdown |
  gap [symbol] | rate N|max | silence <stream> | unsilence <stream> | ratelimit <ms> |
  restart [downtime-ms] | stats`;

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    console.error(`tickwire-exchange: --${name} expects a non-negative number, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return parsed;
}

function rateOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value === 'max' ? 0 : numberOption(value, 'rate');
}

type Command = Fault | { type: 'stats' } | { type: 'restart'; downtimeMs: number };

function parseFault(line: string): Command | null {
  const [command, argument] = line.trim().split(/\s+/);
  switch (command) {
    case 'drop':
    case 'silent':
    case 'resume':
      return { type: command };
    case 'close':
      return { type: 'close', code: argument === undefined ? 1001 : Number(argument) };
    case 'shutdown':
      return { type: 'serverShutdown' };
    case 'gap':
      return argument === undefined ? { type: 'gap' } : { type: 'gap', symbol: argument };
    case 'rate':
      return { type: 'rate', rate: argument === 'max' ? 0 : Number(argument ?? 10) };
    case 'silence':
    case 'unsilence':
      return argument === undefined ? null : { type: command === 'silence' ? 'silenceStream' : 'resumeStream', stream: argument };
    case 'ratelimit':
      return { type: 'rateLimit', retryAfterMs: Number(argument ?? 60_000) };
    case 'restart':
      return { type: 'restart', downtimeMs: Number(argument ?? 0) };
    case 'stats':
      return { type: 'stats' };
    default:
      return null;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      tls: { type: 'boolean' },
      'tls-port': { type: 'string' },
      symbols: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      depth: { type: 'string' },
      stamp: { type: 'boolean' },
      'stamp-field': { type: 'string' },
      'ping-interval-ms': { type: 'string' },
      'pong-timeout-ms': { type: 'string' },
      'lifetime-ms': { type: 'string' },
      'max-incoming': { type: 'string' },
      stats: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(HELP);
    return;
  }
  const limits: Record<string, number> = {};
  const pingInterval = numberOption(values['ping-interval-ms'], 'ping-interval-ms');
  const pongTimeout = numberOption(values['pong-timeout-ms'], 'pong-timeout-ms');
  const lifetime = numberOption(values['lifetime-ms'], 'lifetime-ms');
  const maxIncoming = numberOption(values['max-incoming'], 'max-incoming');
  if (pingInterval !== undefined) limits['pingIntervalMs'] = pingInterval;
  if (pongTimeout !== undefined) limits['pongTimeoutMs'] = pongTimeout;
  if (lifetime !== undefined) {
    limits['lifetimeMs'] = lifetime;
    limits['shutdownNoticeMs'] = Math.min(lifetime / 2, 600_000);
  }
  if (maxIncoming !== undefined) limits['maxIncomingPerSecond'] = maxIncoming;

  const exchange = await startExchange({
    port: numberOption(values.port, 'port') ?? 9443,
    host: values.host ?? '127.0.0.1',
    tls: values.tls === true,
    tlsPort: numberOption(values['tls-port'], 'tls-port'),
    symbols: values.symbols?.split(',').map((symbol) => symbol.trim()).filter((symbol) => symbol !== ''),
    seed: numberOption(values.seed, 'seed'),
    rate: rateOption(values.rate),
    bookDepth: numberOption(values.depth, 'depth'),
    stamp: values['stamp-field'] ?? values.stamp === true,
    limits,
  });

  // First line is machine-readable (tools and benchmarks parse it); the rest is for people.
  console.log(JSON.stringify({ url: exchange.url, wssUrl: exchange.wssUrl ?? null, restUrl: exchange.restUrl, symbols: exchange.symbols }));
  const example = exchange.symbols[0] ?? 'btcusdt';
  console.error(`tickwire-exchange: ${exchange.url}/ws/${example}@bookTicker`);
  console.error(`tickwire-exchange: ${exchange.url}/stream?streams=${example}@trade/${example}@depth@100ms`);
  console.error(`tickwire-exchange: ${exchange.restUrl}/api/v3/depth?symbol=${example.toUpperCase()}&limit=1000`);
  if (exchange.wssUrl !== undefined) console.error(`tickwire-exchange: ${exchange.wssUrl}/ws/${example}@bookTicker (CA: fixtures/tls/ca.pem)`);

  let statsTimer: NodeJS.Timeout | null = null;
  if (values.stats === true) {
    let last = exchange.stats();
    statsTimer = setInterval(() => {
      const now = exchange.stats();
      console.error(`tickwire-exchange: ${now.connections} connections, ${now.messagesSent - last.messagesSent} msg/s, ${now.updates - last.updates} updates/s`);
      last = now;
    }, 1000);
  }

  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const command = parseFault(line);
    if (command === null) {
      console.error(`tickwire-exchange: unknown command ${JSON.stringify(line.trim())}`);
    } else if (command.type === 'stats') {
      console.error(`tickwire-exchange: ${JSON.stringify(exchange.stats())}`);
    } else if (command.type === 'restart') {
      exchange.restart({ downtimeMs: command.downtimeMs }).then(
        () => console.error('tickwire-exchange: restarted'),
        (error: unknown) => console.error(`tickwire-exchange: restart failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    } else {
      try {
        const touched = exchange.injectFault(command);
        const unit = command.type === 'silenceStream' || command.type === 'resumeStream' ? 'subscriber(s)' : 'connection(s)';
        console.error(`tickwire-exchange: ${command.type} -> ${touched} ${unit}`);
      } catch (error) {
        console.error(`tickwire-exchange: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  // Without a terminal on stdin (e.g. spawned by a benchmark), EOF just means "no commands".
  lines.on('close', () => {});

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (statsTimer !== null) clearInterval(statsTimer);
    lines.close();
    await exchange.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`tickwire-exchange: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
