// Binance USD-M futures stream names and URL routes (derivatives docs, "Websocket Market
// Streams" and "Important WebSocket Change Notice — Base URL Split & Migration"):
//
//   "Public (high-frequency public market data): wss://fstream.binance.com/public"
//   "Market (regular market data): wss://fstream.binance.com/market"
//   "ws mode: streams are composed in the URL path" (/public/ws/bnbusdt@depth/ethusdt@depth)
//   "stream mode: streams are passed via query (e.g., ?streams=)" (/market/stream?streams=...)
//   "Connections that do not include a routed path (/public, /market, or /private) will only
//    receive data from the Public endpoint."
// Depth and bookTicker streams are Public; aggTrade and markPrice are Market.
import type { StreamCatalogue } from '../../registry.js';
import { combinedPrefix, streamsFromPath, type StreamSpec } from '../../streams.js';

export const USDM_KIND_AGG_TRADE = 1; // <symbol>@aggTrade ("Update Speed: 100ms"; one trade per aggregate here)
export const USDM_KIND_BOOK_TICKER = 2; // <symbol>@bookTicker (real time)
export const USDM_KIND_DEPTH_DIFF = 3; // <symbol>@depth (250 ms), @depth@500ms, @depth@100ms
export const USDM_KIND_DEPTH_PARTIAL = 4; // <symbol>@depth<5|10|20>[@500ms|@100ms] (250 ms default)
export const USDM_KIND_MARK_PRICE = 5; // <symbol>@markPrice (3000 ms), <symbol>@markPrice@1s (1000 ms)

export const ROUTE_PUBLIC = 1;
export const ROUTE_MARKET = 2;

/** "Bids and asks, pushed every 250 milliseconds, 500 milliseconds, 100 milliseconds". */
const DEFAULT_DEPTH_INTERVAL_MS = 250;
/** "Mark price and funding rate for a single symbol pushed every 3 seconds or every second." */
const MARK_PRICE_INTERVAL_MS = 3000;

export const USDM_TIMER_INTERVALS_MS: readonly number[] = [100, 250, 500, 1000, 3000];

const STREAM_PATTERN = /^([a-z0-9]+)@(aggTrade|bookTicker|markPrice(@1s)?|depth(5|10|20)?(@100ms|@500ms)?)$/;

function spec(name: string, symbol: string, kind: number, intervalMs: number, levels = 0): StreamSpec {
  return { name, symbol, kind, levels, intervalMs, variant: '', offsetMs: 0 };
}

export function parseUsdmStreamName(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
  const match = STREAM_PATTERN.exec(name);
  if (match === null || !symbols.has(match[1]!)) return null;
  const symbol = match[1]!;
  const type = match[2]!;
  if (type === 'aggTrade') return spec(name, symbol, USDM_KIND_AGG_TRADE, 0);
  if (type === 'bookTicker') return spec(name, symbol, USDM_KIND_BOOK_TICKER, 0);
  if (type.startsWith('markPrice')) return spec(name, symbol, USDM_KIND_MARK_PRICE, match[3] === undefined ? MARK_PRICE_INTERVAL_MS : 1000);
  const intervalMs = match[5] === '@100ms' ? 100 : match[5] === '@500ms' ? 500 : DEFAULT_DEPTH_INTERVAL_MS;
  if (match[4] === undefined) return spec(name, symbol, USDM_KIND_DEPTH_DIFF, intervalMs);
  return spec(name, symbol, USDM_KIND_DEPTH_PARTIAL, intervalMs, Number(match[4]));
}

export function usdmStreamNamesFor(symbol: string): string[] {
  const names = [`${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@markPrice`, `${symbol}@markPrice@1s`];
  for (const speed of ['', '@100ms', '@500ms']) {
    names.push(`${symbol}@depth${speed}`);
    for (const levels of [5, 10, 20]) names.push(`${symbol}@depth${levels}${speed}`);
  }
  return names;
}

export const usdmCatalogue: StreamCatalogue = {
  namesFor: usdmStreamNamesFor,
  globalNames: [],
  parse: parseUsdmStreamName,
  isDiff: (spec) => spec.kind === USDM_KIND_DEPTH_DIFF,
  usesLedger: () => false,
  combinedPrefix,
  routeOf: (spec) => (spec.kind === USDM_KIND_AGG_TRADE || spec.kind === USDM_KIND_MARK_PRICE ? ROUTE_MARKET : ROUTE_PUBLIC),
};

/**
 * Streams named by a connection URL: `[/public|/market]/ws[/<a>/<b>]` or
 * `[/public|/market]/stream?streams=<a>/<b>`; no route prefix serves the Public route only.
 * Null for any other path.
 */
export function usdmStreamsFromPath(path: string, query: URLSearchParams): { combined: boolean; names: string[]; routeMask: number } | null {
  let routeMask = ROUTE_PUBLIC;
  let rest = path;
  if (path.startsWith('/public/')) rest = path.slice(7);
  else if (path.startsWith('/market/')) {
    rest = path.slice(7);
    routeMask = ROUTE_MARKET;
  }
  const wanted = streamsFromPath(rest, query);
  return wanted === null ? null : { ...wanted, routeMask };
}
