// Command line of binance-ticker. Parsing is separate from main so it can be tested, and so a
// bad argument fails before anything is started.

import { parseArgs } from 'node:util';
import { streamKind } from './model.js';
import { DEFAULT_VENUE, TICKER_VENUES, tickerVenue } from './venues.js';

export const USAGE = `usage: binance-ticker SYMBOL [SYMBOL ...] [options]

  --venue NAME      ${Object.keys(TICKER_VENUES).join(' | ')} (default ${DEFAULT_VENUE}); without
                    --url the embedded simulator serves that venue (binance-sbe
                    reads its API key from BINANCE_API_KEY)
  --stream bookTicker|trade|depth   stream to follow (default bookTicker): the venue's top of
                    book, trades, or a local order book from its depth stream
  --url URL         exchange stream base, e.g. wss://stream.binance.com:9443
                    (default: start the embedded simulator on wss://localhost)
  --rest URL        REST base for depth snapshots (default: derived from --url)
  --ca FILE         trust this CA (PEM) for --url and --rest
  --duration S      stop after S seconds (default: until Ctrl-C)
  --json            one JSON line per symbol per refresh, then a JSON summary
  --rate N          embedded simulator: book updates per second per symbol (default 100; 0 = max)
  --refresh MS      refresh interval (default 250)
  --silence S       reconnect after S seconds without any frame; a ping goes out
                    after S/2 (default 5; 0 = never)
  -h, --help        this text`;

export interface TickerArgs {
  /** A key of TICKER_VENUES. */
  venue: string;
  symbols: string[];
  kind: number;
  url: string | null;
  rest: string | null;
  ca: string | null;
  durationMs: number;
  json: boolean;
  rate: number;
  refreshMs: number;
  silenceMs: number;
  help: boolean;
}

export class UsageError extends Error {
  readonly code = 'TW_ERR_USAGE';
}

function positiveNumber(name: string, text: string | undefined, fallback: number, allowZero: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new UsageError(`--${name}: expected a ${allowZero ? 'non-negative' : 'positive'} number, got '${text}'`);
  return value;
}

export function parseTickerArgs(argv: readonly string[]): TickerArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        venue: { type: 'string' },
        stream: { type: 'string' },
        url: { type: 'string' },
        rest: { type: 'string' },
        ca: { type: 'string' },
        duration: { type: 'string' },
        json: { type: 'boolean' },
        rate: { type: 'string' },
        refresh: { type: 'string' },
        silence: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  const symbols = positionals.map((symbol) => symbol.toLowerCase());
  if (!help && symbols.length === 0) throw new UsageError('at least one symbol is needed, e.g. btcusdt');
  // Letters, digits and '-' (OKX instruments: BTC-USDT); the venue's adapter sets the case it wants.
  for (const symbol of symbols) if (!/^[a-z0-9][a-z0-9-]*$/.test(symbol)) throw new UsageError(`not a symbol: '${symbol}'`);
  const venue = values.venue ?? DEFAULT_VENUE;
  try {
    tickerVenue(venue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (new Set(symbols).size !== symbols.length) throw new UsageError('a symbol is listed twice');
  let kind: number;
  try {
    kind = streamKind(values.stream ?? 'bookTicker');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const url = values.url ?? null;
  if (url !== null && !/^wss?:\/\//.test(url)) throw new UsageError(`--url must start with ws:// or wss://, got '${url}'`);
  return {
    venue,
    symbols,
    kind,
    url,
    rest: values.rest ?? null,
    ca: values.ca ?? null,
    durationMs: positiveNumber('duration', values.duration, Infinity, false) * 1000,
    json: values.json === true,
    rate: positiveNumber('rate', values.rate, 100, true),
    refreshMs: positiveNumber('refresh', values.refresh, 250, false),
    silenceMs: positiveNumber('silence', values.silence, 5, true) * 1000,
    help,
  };
}
