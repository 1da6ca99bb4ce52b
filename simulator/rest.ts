import type { HttpRequest, HttpResponse } from 'tickwire';
import { exchangeInfoBody, selectMarkets } from './exchange-info.js';
import type { SymbolMarket } from './market.js';
import { payloadText, writeBookSnapshot } from './streams.js';

/** GET /api/v3/depth: "Default: 100; Maximum: 5000" (rest-api.md, Order book). */
const DEPTH_DEFAULT_LIMIT = 100;
const DEPTH_MAX_LIMIT = 5000;

/** Binance's REST error object: `{"code":-1121,"msg":"Invalid symbol."}` (errors.md). */
export function restError(code: number, msg: string): string {
  return JSON.stringify({ code, msg });
}

function json(status: number, body: string): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body };
}

/**
 * The REST endpoints a market-data client needs, served on the stream port:
 * GET /api/v3/depth (the snapshot a local book starts from), /api/v3/exchangeInfo, /api/v3/ping,
 * /api/v3/time.
 * Errors use Binance's REST error objects ({"code":-1121,"msg":"Invalid symbol."}).
 */
export function createRestHandler(markets: readonly SymbolMarket[]): (request: HttpRequest) => HttpResponse | undefined {
  return (request) => {
    if (request.method !== 'GET') return undefined;
    if (request.path === '/api/v3/ping') return json(200, '{}');
    if (request.path === '/api/v3/time') return json(200, `{"serverTime":${Date.now()}}`);
    if (request.path === '/api/v3/exchangeInfo') {
      const selected = selectMarkets(markets, request.query);
      return selected === null ? json(400, restError(-1121, 'Invalid symbol.')) : json(200, exchangeInfoBody(selected));
    }
    if (request.path !== '/api/v3/depth') return undefined;
    const symbol = request.query.get('symbol');
    if (symbol === null || symbol === '') {
      return json(400, restError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."));
    }
    const market = markets.find((candidate) => candidate.upperSymbol === symbol);
    if (market === undefined) return json(400, restError(-1121, 'Invalid symbol.'));
    const limitText = request.query.get('limit');
    let limit = DEPTH_DEFAULT_LIMIT;
    if (limitText !== null) {
      if (!/^\d{1,20}$/.test(limitText) || Number(limitText) < 1) {
        return json(400, restError(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'."));
      }
      // "If limit > 5000, only 5000 entries will be returned."
      limit = Math.min(Number(limitText), DEPTH_MAX_LIMIT);
    }
    return json(200, payloadText((writer) => writeBookSnapshot(writer, market, limit)));
  };
}
