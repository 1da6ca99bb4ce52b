// GET /api/v3/exchangeInfo (rest-api.md, "Exchange information"): the documented shape for the
// simulated symbols, so third-party clients (ccxt and the like) can load their markets from the
// simulator. Only the filters the simulated market follows are listed: PRICE_FILTER (the tick)
// and LOT_SIZE (the lot and the largest level).
import { formatUnits } from './decimal.js';
import type { SymbolMarket } from './market.js';

/** Quote assets recognised at the end of a symbol, longest first ("btcfdusd" is BTC/FDUSD). */
const QUOTE_ASSETS = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY', 'BRL', 'JPY'];

/** Splits "BTCUSDT" into ["BTC", "USDT"]; unknown quotes split after the first three letters. */
export function splitSymbol(upperSymbol: string): [string, string] {
  for (const quote of QUOTE_ASSETS) {
    if (upperSymbol.length > quote.length && upperSymbol.endsWith(quote)) return [upperSymbol.slice(0, -quote.length), quote];
  }
  return [upperSymbol.slice(0, 3), upperSymbol.slice(3)];
}

function symbolInfo(market: SymbolMarket): Record<string, unknown> {
  const [baseAsset, quoteAsset] = splitSymbol(market.upperSymbol);
  return {
    symbol: market.upperSymbol,
    status: 'TRADING',
    baseAsset,
    baseAssetPrecision: 8,
    quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    opoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: formatUnits(market.tickUnits), maxPrice: '1000000.00000000', tickSize: formatUnits(market.tickUnits) },
      { filterType: 'LOT_SIZE', minQty: formatUnits(market.lotUnits), maxQty: formatUnits(market.lotUnits * market.maxLots), stepSize: formatUnits(market.lotUnits) },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  };
}

/** The response body for the selected markets. */
export function exchangeInfoBody(markets: readonly SymbolMarket[]): string {
  return JSON.stringify({
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: markets.map(symbolInfo),
  });
}

/**
 * The symbols asked for: `symbol=BTCUSDT`, or `symbols=["BTCUSDT","ETHUSDT"]` (a JSON array,
 * usually percent-encoded). Returns null when a name is not one of the markets, or the
 * parameter is malformed (the caller answers -1121 / -1100).
 */
export function selectMarkets(markets: readonly SymbolMarket[], query: URLSearchParams): SymbolMarket[] | null {
  const one = query.get('symbol');
  const many = query.get('symbols');
  let names: unknown;
  if (one !== null) names = [one];
  else if (many !== null) {
    try {
      names = JSON.parse(many);
    } catch {
      return null;
    }
  } else {
    return [...markets];
  }
  if (!Array.isArray(names) || names.length === 0) return null;
  const selected: SymbolMarket[] = [];
  for (const name of names) {
    const market = markets.find((candidate) => candidate.upperSymbol === name);
    if (market === undefined) return null;
    selected.push(market);
  }
  return selected;
}
