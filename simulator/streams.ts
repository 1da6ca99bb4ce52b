import { fragment, JsonWriter } from './json-writer.js';
import type { DepthDiff, SymbolMarket } from './market.js';
import { SIDE_ASK, SIDE_BID } from './market.js';
import { KLINE_INTERVALS, UTC8_OFFSET_MS } from './kline.js';

// Stream kinds (Binance Spot web-socket-streams.md, "Detailed Stream information").
export const KIND_TRADE = 0; // <symbol>@trade
export const KIND_AGG_TRADE = 1; // <symbol>@aggTrade
export const KIND_BOOK_TICKER = 2; // <symbol>@bookTicker
export const KIND_DEPTH_DIFF = 3; // <symbol>@depth, <symbol>@depth@100ms
export const KIND_DEPTH_PARTIAL = 4; // <symbol>@depth<5|10|20>[@100ms]
export const KIND_KLINE = 5; // <symbol>@kline_<interval>[@+08:00]
export const KIND_MINI_TICKER = 6; // <symbol>@miniTicker
export const KIND_TICKER = 7; // <symbol>@ticker (24 h rolling window)
export const KIND_WINDOW_TICKER = 8; // <symbol>@ticker_<1h|4h|1d>
export const KIND_AVG_PRICE = 9; // <symbol>@avgPrice
export const KIND_REFERENCE_PRICE = 10; // <symbol>@referencePrice
export const KIND_BLOCK_TRADE = 11; // <symbol>@blockTrade
export const KIND_ALL_MINI_TICKERS = 12; // !miniTicker@arr
export const KIND_ALL_WINDOW_TICKERS = 13; // !ticker_<1h|4h|1d>@arr

/** Kinds whose figures come from the trade ledger (it starts recording when one is subscribed). */
export function usesLedger(kind: number): boolean {
  return kind >= KIND_KLINE && kind <= KIND_REFERENCE_PRICE || kind >= KIND_ALL_MINI_TICKERS;
}

export interface StreamSpec {
  name: string;
  /** Lower-case symbol; '' for the all-market streams. */
  symbol: string;
  kind: number;
  /** Levels of a partial book stream (5, 10, 20), else 0. */
  levels: number;
  /** Update speed of timed streams (100, 1000 or 2000 ms); 0 for real-time streams. */
  intervalMs: number;
  /** Kline interval ("1m") or ticker window ("1h"); '' otherwise. */
  variant: string;
  /** Kline timezone offset: 8 h for `@+08:00`, else 0. */
  offsetMs: number;
}

const STREAM_PATTERN =
  /^([a-z0-9]+)@(trade|aggTrade|bookTicker|depth(5|10|20)?(@100ms)?|kline_(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)(@\+08:00)?|miniTicker|ticker|ticker_(1h|4h|1d)|avgPrice|referencePrice|blockTrade)$/;
const GLOBAL_PATTERN = /^!(miniTicker|ticker_(1h|4h|1d))@arr$/;

function spec(name: string, symbol: string, kind: number, intervalMs: number, levels = 0, variant = '', offsetMs = 0): StreamSpec {
  return { name, symbol, kind, levels, intervalMs, variant, offsetMs };
}

/**
 * Parses a stream name as Binance spells it. Symbols are lower case ("All symbols for streams
 * are lowercase"); returns null for anything else, including symbols the simulator does not list.
 */
export function parseStreamName(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
  const global = GLOBAL_PATTERN.exec(name);
  if (global !== null) {
    return global[2] === undefined ? spec(name, '', KIND_ALL_MINI_TICKERS, 1000) : spec(name, '', KIND_ALL_WINDOW_TICKERS, 1000, 0, global[2]);
  }
  const match = STREAM_PATTERN.exec(name);
  if (match === null) return null;
  const symbol = match[1]!;
  if (!symbols.has(symbol)) return null;
  const type = match[2]!;
  switch (type) {
    case 'trade':
      return spec(name, symbol, KIND_TRADE, 0);
    case 'aggTrade':
      return spec(name, symbol, KIND_AGG_TRADE, 0);
    case 'bookTicker':
      return spec(name, symbol, KIND_BOOK_TICKER, 0);
    case 'blockTrade':
      return spec(name, symbol, KIND_BLOCK_TRADE, 0);
    case 'miniTicker':
      return spec(name, symbol, KIND_MINI_TICKER, 1000);
    case 'ticker':
      return spec(name, symbol, KIND_TICKER, 1000);
    case 'avgPrice':
      return spec(name, symbol, KIND_AVG_PRICE, 1000);
    case 'referencePrice':
      return spec(name, symbol, KIND_REFERENCE_PRICE, 1000);
  }
  if (match[7] !== undefined) return spec(name, symbol, KIND_WINDOW_TICKER, 1000, 0, match[7]);
  if (match[5] !== undefined) {
    // "Update Speed: 1000ms for 1s, 2000ms for the other intervals".
    return spec(name, symbol, KIND_KLINE, match[5] === '1s' ? 1000 : 2000, 0, match[5], match[6] === undefined ? 0 : UTC8_OFFSET_MS);
  }
  const intervalMs = match[4] === '@100ms' ? 100 : 1000;
  if (match[3] === undefined) return spec(name, symbol, KIND_DEPTH_DIFF, intervalMs);
  return spec(name, symbol, KIND_DEPTH_PARTIAL, intervalMs, Number(match[3]));
}

/**
 * Streams named in a connection URL: `/ws`, `/ws/<a>/<b>` (raw) or `/stream?streams=<a>/<b>`
 * (combined). Returns null when the path is not one the stream server serves.
 */
export function streamsFromPath(path: string, query: URLSearchParams): { combined: boolean; names: string[] } | null {
  if (path === '/ws' || path === '/ws/') return { combined: false, names: [] };
  if (path.startsWith('/ws/')) return { combined: false, names: path.slice(4).split('/').filter((name) => name !== '').map(safeDecode) };
  if (path === '/stream' || path === '/stream/') {
    const streams = query.get('streams');
    // URLSearchParams reads '+' as a space; no stream name has a space, so a literal '+' (as in
    // `kline_1m@+08:00`, which clients rarely escape) is restored.
    return { combined: true, names: streams === null || streams === '' ? [] : streams.replaceAll(' ', '+').split('/') };
  }
  return null;
}

export const TIME_UNIT_MILLISECONDS = 0;
export const TIME_UNIT_MICROSECONDS = 1;

/**
 * "All time and timestamp related fields are milliseconds by default. To receive the
 * information in microseconds, please add the parameter timeUnit=MICROSECOND or
 * timeUnit=microsecond in the URL." Returns null for any other value.
 */
export function timeUnitFromQuery(query: URLSearchParams): number | null {
  const unit = query.get('timeUnit');
  if (unit === null || unit === 'MILLISECOND' || unit === 'millisecond') return TIME_UNIT_MILLISECONDS;
  if (unit === 'MICROSECOND' || unit === 'microsecond') return TIME_UNIT_MICROSECONDS;
  return null;
}

/** Percent-decodes a path segment; a malformed escape stays as is (and then names no stream). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** All-market streams (`!…@arr`), served once per exchange. */
export const GLOBAL_STREAM_NAMES: readonly string[] = ['!miniTicker@arr', '!ticker_1h@arr', '!ticker_4h@arr', '!ticker_1d@arr'];

/** Every stream name the simulator serves for a symbol (the documented spellings). */
export function streamNamesFor(symbol: string): string[] {
  const names = [`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@depth`, `${symbol}@depth@100ms`];
  for (const levels of [5, 10, 20]) names.push(`${symbol}@depth${levels}`, `${symbol}@depth${levels}@100ms`);
  for (const interval of KLINE_INTERVALS) names.push(`${symbol}@kline_${interval}`, `${symbol}@kline_${interval}@+08:00`);
  names.push(`${symbol}@miniTicker`, `${symbol}@ticker`, `${symbol}@ticker_1h`, `${symbol}@ticker_4h`, `${symbol}@ticker_1d`);
  names.push(`${symbol}@avgPrice`, `${symbol}@referencePrice`, `${symbol}@blockTrade`);
  return names;
}

// ---- payloads: keys in the documented order, numbers as numbers, decimals as strings ------
// Each writer appends one complete JSON object (ending in '}') to the JsonWriter.

const BOOK_TICKER_U = fragment('{"u":');
const FIELD_S = fragment(',"s":"');
const BOOK_TICKER_B = fragment('","b":"');
const BOOK_TICKER_BQ = fragment('","B":"');
const BOOK_TICKER_A = fragment('","a":"');
const BOOK_TICKER_AQ = fragment('","A":"');
const QUOTE_BRACE = fragment('"}');
const TRADE_E = fragment('{"e":"trade","E":');
const AGG_TRADE_E = fragment('{"e":"aggTrade","E":');
const TRADE_T = fragment('","t":');
const AGG_TRADE_A = fragment('","a":');
const FIELD_P = fragment(',"p":"');
const FIELD_Q = fragment('","q":"');
const TRADE_TIME = fragment('","T":');
const AGG_FIRST = fragment('","f":');
const AGG_LAST = fragment(',"l":');
const AGG_TIME = fragment(',"T":');
const FIELD_M = fragment(',"m":');
const IGNORE_M = fragment(',"M":true}');
const DEPTH_E = fragment('{"e":"depthUpdate","E":');
const DEPTH_FIRST = fragment('","U":');
const DEPTH_LAST = fragment(',"u":');
export const DEPTH_B = fragment(',"b":');
export const DEPTH_A = fragment(',"a":');
const SNAPSHOT_ID = fragment('{"lastUpdateId":');
export const SNAPSHOT_BIDS = fragment(',"bids":');
export const SNAPSHOT_ASKS = fragment(',"asks":');
const LEVEL_OPEN = fragment('["');
const LEVEL_MIDDLE = fragment('","');
const LEVEL_CLOSE = fragment('"]');
const SHUTDOWN_E = fragment('{"e":"serverShutdown","E":');
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** `{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}` */
export function writeBookTicker(writer: JsonWriter, market: SymbolMarket): void {
  writer.bytes(BOOK_TICKER_U);
  writer.uint(market.updateId);
  writeBookTickerQuotes(writer, market);
}

/** The book ticker's tail, shared with USD-M: `,"s":"BNBUSDT","b":"25.35190000",..,"A":"40.66000000"}`. */
export function writeBookTickerQuotes(writer: JsonWriter, market: SymbolMarket): void {
  const tickUnits = market.tickUnits;
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(BOOK_TICKER_B);
  writer.units(market.bestBidTick * tickUnits);
  writer.bytes(BOOK_TICKER_BQ);
  writer.units(market.bestBidQuantity);
  writer.bytes(BOOK_TICKER_A);
  writer.units(market.bestAskTick * tickUnits);
  writer.bytes(BOOK_TICKER_AQ);
  writer.units(market.bestAskQuantity);
  writer.bytes(QUOTE_BRACE);
}

/** `{"e":"trade","E":..,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":..,"m":true,"M":true}` */
export function writeTrade(
  writer: JsonWriter,
  market: SymbolMarket,
  eventTime: number,
  priceUnits: number,
  quantityUnits: number,
  buyerIsMaker: boolean,
): void {
  writer.bytes(TRADE_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(TRADE_T);
  writer.uint(market.tradeId);
  writer.bytes(FIELD_P);
  writer.units(priceUnits);
  writer.bytes(FIELD_Q);
  writer.units(quantityUnits);
  writer.bytes(TRADE_TIME);
  writer.uint(eventTime);
  writer.bytes(FIELD_M);
  writer.boolean(buyerIsMaker);
  writer.bytes(IGNORE_M);
}

/** `{"e":"aggTrade","E":..,"s":..,"a":12345,"p":..,"q":..,"f":100,"l":105,"T":..,"m":true,"M":true}` */
export function writeAggTrade(
  writer: JsonWriter,
  market: SymbolMarket,
  eventTime: number,
  priceUnits: number,
  quantityUnits: number,
  buyerIsMaker: boolean,
): void {
  writeAggTradeFields(writer, market, eventTime, priceUnits, quantityUnits, buyerIsMaker);
  writer.bytes(IGNORE_M);
}

/** Every aggTrade field up to "m", the object left open: Spot adds `"M":true`, USD-M closes it. */
export function writeAggTradeFields(writer: JsonWriter, market: SymbolMarket, eventTime: number, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
  writer.bytes(AGG_TRADE_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(AGG_TRADE_A);
  writer.uint(market.aggTradeId);
  writer.bytes(FIELD_P);
  writer.units(priceUnits);
  writer.bytes(FIELD_Q);
  writer.units(quantityUnits);
  // One trade per aggregate in this model: first and last trade id are the same.
  writer.bytes(AGG_FIRST);
  writer.uint(market.tradeId);
  writer.bytes(AGG_LAST);
  writer.uint(market.tradeId);
  writer.bytes(AGG_TIME);
  writer.uint(eventTime);
  writer.bytes(FIELD_M);
  writer.boolean(buyerIsMaker);
}

export function writeLevels(writer: JsonWriter, levels: Iterable<[number, number]>, tickUnits: number): void {
  writer.byte(OPEN_BRACKET);
  let first = true;
  for (const [tick, quantity] of levels) {
    if (!first) writer.byte(COMMA);
    first = false;
    writer.bytes(LEVEL_OPEN);
    writer.units(tick * tickUnits);
    writer.bytes(LEVEL_MIDDLE);
    writer.units(quantity);
    writer.bytes(LEVEL_CLOSE);
  }
  writer.byte(CLOSE_BRACKET);
}

export function sortedLevels(levels: Map<number, number>, descending: boolean): Array<[number, number]> {
  const entries = [...levels.entries()];
  entries.sort(descending ? (x, y) => y[0] - x[0] : (x, y) => x[0] - y[0]);
  return entries;
}

/** `depthUpdate` event from the changes collected in `diff` (bids best first, asks best first). */
export function writeDepthUpdate(writer: JsonWriter, market: SymbolMarket, diff: DepthDiff, eventTime: number): void {
  writer.bytes(DEPTH_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(DEPTH_FIRST);
  writer.uint(diff.firstUpdateId);
  writer.bytes(DEPTH_LAST);
  writer.uint(market.updateId);
  writeDiffSides(writer, market, diff);
}

/** A depthUpdate's tail, shared with USD-M: `,"b":[..],"a":[..]}` from the changes in `diff`. */
export function writeDiffSides(writer: JsonWriter, market: SymbolMarket, diff: DepthDiff): void {
  writer.bytes(DEPTH_B);
  writeLevels(writer, sortedLevels(diff.bids, true), market.tickUnits);
  writer.bytes(DEPTH_A);
  writeLevels(writer, sortedLevels(diff.asks, false), market.tickUnits);
  writer.byte(CLOSE_BRACE);
}

/**
 * Partial book (`depth5/10/20`) and REST `GET /api/v3/depth` share one shape:
 * `{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}`.
 */
export function writeBookSnapshot(writer: JsonWriter, market: SymbolMarket, limit: number): void {
  writer.bytes(SNAPSHOT_ID);
  writer.uint(market.updateId);
  writeTopSides(writer, market, limit, SNAPSHOT_BIDS, SNAPSHOT_ASKS);
}

/**
 * A book's top `limit` levels per side, best first, closing the object:
 * `<bidsKey>[["price","qty"],..]<asksKey>[..]}` (keys SNAPSHOT_BIDS/ASKS or DEPTH_B/A).
 */
export function writeTopSides(writer: JsonWriter, market: SymbolMarket, limit: number, bidsKey: Uint8Array, asksKey: Uint8Array): void {
  writer.bytes(bidsKey);
  writeLevels(writer, market.topLevels(SIDE_BID, limit), market.tickUnits);
  writer.bytes(asksKey);
  writeLevels(writer, market.topLevels(SIDE_ASK, limit), market.tickUnits);
  writer.byte(CLOSE_BRACE);
}

/** `{"e":"serverShutdown","E":1770123456789}` */
export function writeServerShutdown(writer: JsonWriter, eventTime: number): void {
  writer.bytes(SHUTDOWN_E);
  writer.uint(eventTime);
  writer.byte(CLOSE_BRACE);
}

/** Combined streams: `{"stream":"<streamName>","data":` before the payload and `}` after it. */
export function combinedPrefix(streamName: string): Uint8Array {
  return fragment(`{"stream":"${streamName}","data":`);
}

/**
 * Adds the optional send-time stamp as the payload's last field (never in the default format):
 * the payload's closing brace is replaced by `,"<field>":<ns>}`, where <ns> is the value
 * process.hrtime.bigint() would give, written from process.hrtime()'s [seconds, nanoseconds]
 * (no BigInt to format: ~1.5x the stamped rate per CPU-second in bench/simulator-rate.ts --stamp).
 */
export function writeStamp(writer: JsonWriter, field: Uint8Array): void {
  const [seconds, nanoseconds] = process.hrtime();
  writer.position--;
  writer.bytes(field);
  writer.nanoseconds(seconds, nanoseconds);
  writer.byte(CLOSE_BRACE);
}

/** The stamp field's bytes: `,"T_ns":`. */
export function stampField(name: string): Uint8Array {
  return fragment(`,"${name}":`);
}

const textWriter = new JsonWriter();

/** Runs a payload writer and returns the JSON as a string (REST answers, tests, tools). */
export function payloadText(write: (writer: JsonWriter) => void): string {
  textWriter.reset();
  write(textWriter);
  return textWriter.toString();
}
