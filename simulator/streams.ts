import { formatUnits } from './decimal.js';
import type { DepthDiff, SymbolMarket } from './market.js';
import { SIDE_ASK, SIDE_BID } from './market.js';

// Stream kinds (Binance Spot web-socket-streams.md, "Detailed Stream information").
export const KIND_TRADE = 0; // <symbol>@trade
export const KIND_AGG_TRADE = 1; // <symbol>@aggTrade
export const KIND_BOOK_TICKER = 2; // <symbol>@bookTicker
export const KIND_DEPTH_DIFF = 3; // <symbol>@depth, <symbol>@depth@100ms
export const KIND_DEPTH_PARTIAL = 4; // <symbol>@depth<5|10|20>[@100ms]

export interface StreamSpec {
  name: string;
  symbol: string;
  kind: number;
  /** Levels of a partial book stream (5, 10, 20), else 0. */
  levels: number;
  /** Update speed of depth streams (100 or 1000 ms), else 0. */
  intervalMs: number;
}

const STREAM_PATTERN = /^([a-z0-9]+)@(trade|aggTrade|bookTicker|depth(5|10|20)?(@100ms)?)$/;

/**
 * Parses a stream name as Binance spells it. Symbols are lower case ("All symbols for streams
 * are lowercase"); returns null for anything else, including symbols the simulator does not list.
 */
export function parseStreamName(name: string, symbols: ReadonlySet<string>): StreamSpec | null {
  const match = STREAM_PATTERN.exec(name);
  if (match === null) return null;
  const symbol = match[1]!;
  if (!symbols.has(symbol)) return null;
  const type = match[2]!;
  if (type === 'trade') return { name, symbol, kind: KIND_TRADE, levels: 0, intervalMs: 0 };
  if (type === 'aggTrade') return { name, symbol, kind: KIND_AGG_TRADE, levels: 0, intervalMs: 0 };
  if (type === 'bookTicker') return { name, symbol, kind: KIND_BOOK_TICKER, levels: 0, intervalMs: 0 };
  const intervalMs = match[4] === '@100ms' ? 100 : 1000;
  if (match[3] === undefined) return { name, symbol, kind: KIND_DEPTH_DIFF, levels: 0, intervalMs };
  return { name, symbol, kind: KIND_DEPTH_PARTIAL, levels: Number(match[3]), intervalMs };
}

/** Every stream name the simulator serves for a symbol (the documented spellings). */
export function streamNamesFor(symbol: string): string[] {
  const names = [`${symbol}@trade`, `${symbol}@aggTrade`, `${symbol}@bookTicker`, `${symbol}@depth`, `${symbol}@depth@100ms`];
  for (const levels of [5, 10, 20]) names.push(`${symbol}@depth${levels}`, `${symbol}@depth${levels}@100ms`);
  return names;
}

// ---- payloads: keys in the documented order, numbers as numbers, decimals as strings ------

/** `{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}` */
export function bookTickerPayload(market: SymbolMarket): string {
  const tickUnits = market.tickUnits;
  return (
    `{"u":${market.updateId},"s":"${market.upperSymbol}",` +
    `"b":"${formatUnits(market.bestBidTick * tickUnits)}","B":"${formatUnits(market.bestBidQuantity)}",` +
    `"a":"${formatUnits(market.bestAskTick * tickUnits)}","A":"${formatUnits(market.bestAskQuantity)}"}`
  );
}

export function tradePayload(
  market: SymbolMarket,
  eventTime: number,
  priceUnits: number,
  quantityUnits: number,
  buyerIsMaker: boolean,
): string {
  return (
    `{"e":"trade","E":${eventTime},"s":"${market.upperSymbol}","t":${market.tradeId},` +
    `"p":"${formatUnits(priceUnits)}","q":"${formatUnits(quantityUnits)}",` +
    `"T":${eventTime},"m":${buyerIsMaker},"M":true}`
  );
}

export function aggTradePayload(
  market: SymbolMarket,
  eventTime: number,
  priceUnits: number,
  quantityUnits: number,
  buyerIsMaker: boolean,
): string {
  // One trade per aggregate in this model: first and last trade id are the same.
  return (
    `{"e":"aggTrade","E":${eventTime},"s":"${market.upperSymbol}","a":${market.aggTradeId},` +
    `"p":"${formatUnits(priceUnits)}","q":"${formatUnits(quantityUnits)}",` +
    `"f":${market.tradeId},"l":${market.tradeId},"T":${eventTime},"m":${buyerIsMaker},"M":true}`
  );
}

function levelsJson(levels: Iterable<[number, number]>, tickUnits: number): string {
  let json = '[';
  let first = true;
  for (const [tick, quantity] of levels) {
    json += `${first ? '' : ','}["${formatUnits(tick * tickUnits)}","${formatUnits(quantity)}"]`;
    first = false;
  }
  return json + ']';
}

function sortedLevels(levels: Map<number, number>, descending: boolean): Array<[number, number]> {
  const entries = [...levels.entries()];
  entries.sort(descending ? (x, y) => y[0] - x[0] : (x, y) => x[0] - y[0]);
  return entries;
}

/** `depthUpdate` event from the changes collected in `diff` (bids best first, asks best first). */
export function depthUpdatePayload(market: SymbolMarket, diff: DepthDiff, eventTime: number): string {
  return (
    `{"e":"depthUpdate","E":${eventTime},"s":"${market.upperSymbol}","U":${diff.firstUpdateId},"u":${market.updateId},` +
    `"b":${levelsJson(sortedLevels(diff.bids, true), market.tickUnits)},` +
    `"a":${levelsJson(sortedLevels(diff.asks, false), market.tickUnits)}}`
  );
}

/**
 * Partial book (`depth5/10/20`) and REST `GET /api/v3/depth` share one shape:
 * `{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}`.
 */
export function bookSnapshotPayload(market: SymbolMarket, limit: number): string {
  return (
    `{"lastUpdateId":${market.updateId},` +
    `"bids":${levelsJson(market.topLevels(SIDE_BID, limit), market.tickUnits)},` +
    `"asks":${levelsJson(market.topLevels(SIDE_ASK, limit), market.tickUnits)}}`
  );
}

/** `{"e":"serverShutdown","E":1770123456789}` */
export function serverShutdownPayload(eventTime: number): string {
  return `{"e":"serverShutdown","E":${eventTime}}`;
}

/** Combined streams: `{"stream":"<streamName>","data":<rawPayload>}`. */
export function combinedPayload(streamName: string, payload: string): string {
  return `{"stream":"${streamName}","data":${payload}}`;
}

/** Adds the optional send-time stamp as the payload's last field (never in the default format). */
export function withStamp(payload: string, field: string, nanoseconds: bigint): string {
  return `${payload.slice(0, -1)},"${field}":${nanoseconds}}`;
}
