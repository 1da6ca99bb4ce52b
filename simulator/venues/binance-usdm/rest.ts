// REST on the futures stream port: GET /fapi/v1/depth (the snapshot a local book starts from),
// /fapi/v1/ping and /fapi/v1/time, with the request-weight accounting of the derivatives docs:
//
//   GET /fapi/v1/depth "limit: Default 500; Valid limits:[5, 10, 20, 50, 100, 500, 1000]",
//   weight by limit "5, 10, 20, 50: 2; 100: 5; 500: 10; 1000: 20".
//   exchangeInfo rateLimits: {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400}
//   "Every request will contain X-MBX-USED-WEIGHT-(intervalNum)(intervalLetter) in the response
//    headers which has the current used weight for the IP for all request rate limiters defined."
//   "HTTP 429 return code is used when breaking a request rate limit."
//   -1003 TOO_MANY_REQUESTS "Too many requests; current limit is %s requests per minute. Please use
//    the websocket for live updates to avoid polling the API."
import type { HttpRequest, HttpResponse } from 'tickwire';
import type { JsonWriter } from '../../json-writer.js';
import type { SymbolMarket } from '../../market.js';
import { restError } from '../../rest.js';
import { payloadText } from '../../streams.js';

export const DEPTH_DEFAULT_LIMIT = 500;
const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];
/** REQUEST_WEIGHT per IP per minute. */
export const WEIGHT_PER_MINUTE = 2400;
const MINUTE_MS = 60_000;
/** Per-IP weight records kept; beyond this the oldest window is forgotten first. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** Weight of GET /fapi/v1/depth for a valid limit. */
export function usdmDepthWeight(limit: number): number {
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}

function json(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body };
}

export interface UsdmSnapshotSource {
  markets: readonly SymbolMarket[];
  /** Writes the REST snapshot of `market` with `limit` levels per side. */
  writeSnapshot(writer: JsonWriter, market: SymbolMarket, limit: number): void;
  /** REQUEST_WEIGHT per minute per IP (0: no limit). */
  weightPerMinute: number;
}

export function createUsdmRestHandler(source: UsdmSnapshotSource): (request: HttpRequest) => HttpResponse | undefined {
  // Per IP: the minute the weight counts in and the weight used in it.
  const windows = new Map<string, { minute: number; used: number }>();

  function charge(address: string, weight: number): { used: number; retryAfterS: number } {
    const minute = Math.floor(Date.now() / MINUTE_MS);
    let window = windows.get(address);
    if (window === undefined || window.minute !== minute) {
      if (window === undefined && windows.size >= MAX_TRACKED_ADDRESSES) windows.delete(windows.keys().next().value!);
      window = { minute, used: 0 };
      windows.set(address, window);
    }
    window.used += weight;
    const over = source.weightPerMinute > 0 && window.used > source.weightPerMinute;
    return { used: window.used, retryAfterS: over ? Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - Date.now()) / 1000)) : 0 };
  }

  return (request) => {
    if (request.method !== 'GET') return undefined;
    if (request.path === '/fapi/v1/ping') return json(200, '{}');
    if (request.path === '/fapi/v1/time') return json(200, `{"serverTime":${Date.now()}}`);
    if (request.path !== '/fapi/v1/depth') return undefined;
    const limitText = request.query.get('limit');
    const limit = limitText === null ? DEPTH_DEFAULT_LIMIT : Number(limitText);
    const valid = DEPTH_LIMITS.includes(limit) && (limitText === null || /^\d+$/.test(limitText));
    const { used, retryAfterS } = charge(request.remoteAddress, valid ? usdmDepthWeight(limit) : 1);
    const weightHeader = { 'X-MBX-USED-WEIGHT-1M': String(used) };
    if (retryAfterS > 0) {
      const message = `Too many requests; current limit is ${source.weightPerMinute} requests per minute. Please use the websocket for live updates to avoid polling the API.`;
      return json(429, restError(-1003, message), { ...weightHeader, 'Retry-After': String(retryAfterS) });
    }
    const symbol = request.query.get('symbol');
    if (symbol === null || symbol === '') {
      return json(400, restError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."), weightHeader);
    }
    const market = source.markets.find((candidate) => candidate.upperSymbol === symbol);
    if (market === undefined) return json(400, restError(-1121, 'Invalid symbol.'), weightHeader);
    if (!valid) return json(400, restError(-1130, "Data sent for parameter 'limit' is not valid."), weightHeader);
    return json(200, payloadText((writer) => source.writeSnapshot(writer, market, limit)), weightHeader);
  };
}
