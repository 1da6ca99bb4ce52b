// The venues the ticker can follow (`--venue`): each is the library's MarketVenue adapter (the
// venue-neutral layer: stream names per instrument, decoders into TopOfBook / TradeTick /
// DepthDiff, a LocalOrderBook with the venue's rules) plus the name of the embedded simulator's
// dialect that serves it. Binance Spot stays the default.

import { binanceSpotMarket, type MarketVenue } from 'tickwire';
import { binanceSbeMarket } from 'tickwire/binance-sbe';
import { okxMarket } from 'tickwire/okx';
import { binanceUsdmMarket } from 'tickwire/binance-futures';
import { bybitMarket } from 'tickwire/bybit';

/** What building a venue's adapter may need. */
export interface VenueSettings {
  /** Trusted CA for https REST snapshots (the simulator's test CA). */
  ca?: string | Buffer;
  /** The API key of venues that want one on the upgrade (Binance SBE's X-MBX-APIKEY). */
  apiKey?: string;
}

export interface TickerVenue {
  /** The MarketVenue adapter. */
  market(settings: VenueSettings): MarketVenue;
  /** The venue refuses connections without an API key (read from BINANCE_API_KEY). */
  needsApiKey: boolean;
  /** `startExchange({ venue })` of the embedded simulator. */
  simulator: string;
  /** A symbol as the venue spells it, for the usage text and the tests. */
  example: string;
  /** The simulator's name of a symbol as typed (OKX's "btc-usdt" is the simulator's "btcusdt"); default: as typed. */
  simulatorSymbol?: (symbol: string) => string;
}

/** Least time between two snapshot requests of one book (Binance weighs depth requests). */
const SNAPSHOT_INTERVAL_MS = 250;

export const TICKER_VENUES: Readonly<Record<string, TickerVenue>> = {
  'binance-spot': {
    market: ({ ca }) => binanceSpotMarket({ snapshotIntervalMs: SNAPSHOT_INTERVAL_MS, ...(ca !== undefined && { ca }) }),
    simulator: 'binance-spot',
    example: 'btcusdt',
    needsApiKey: false,
  },
  // Binance's SBE market-data streams: binary frames, the API key on the upgrade, REST snapshots as on Spot.
  'binance-sbe': {
    market: ({ ca, apiKey }) =>
      binanceSbeMarket({ apiKey: apiKey ?? '', snapshotIntervalMs: SNAPSHOT_INTERVAL_MS, ...(ca !== undefined && { ca }) }),
    simulator: 'binance-sbe',
    example: 'btcusdt',
    needsApiKey: true,
  },
  // USD-M futures on the Public route (bookTicker, depth with REST snapshots): that route carries
  // no trade stream, so the adapter has none and the ticker skips `--stream trade` for it.
  'binance-usdm': {
    market: ({ ca }) => binanceUsdmMarket({ snapshotIntervalMs: SNAPSHOT_INTERVAL_MS, ...(ca !== undefined && { ca }) }),
    simulator: 'binance-usdm',
    example: 'BTCUSDT',
    needsApiKey: false,
  },
  // Bybit v5 public spot and linear: one simulator dialect serves both (the category is the path);
  // books come with in-band snapshots, so no REST and no CA beyond the stream's.
  'bybit-spot': {
    market: () => bybitMarket('spot'),
    simulator: 'bybit',
    example: 'BTCUSDT',
    needsApiKey: false,
  },
  'bybit-linear': {
    market: () => bybitMarket('linear'),
    simulator: 'bybit',
    example: 'BTCUSDT',
    needsApiKey: false,
  },
  // OKX v5 public: bbo-tbt, trades, books (in-band snapshots chained by prevSeqId, checksums).
  okx: {
    market: () => okxMarket(),
    simulator: 'okx',
    example: 'BTC-USDT',
    needsApiKey: false,
    simulatorSymbol: (symbol) => symbol.replace('-', ''),
  },
};

/** Any key opens the simulator's SBE streams (it only checks that one is sent). */
export const SIMULATOR_API_KEY = 'tickwire-simulator';

export const DEFAULT_VENUE = 'binance-spot';

/** The registry entry of `name`; throws a RangeError naming the known venues. */
export function tickerVenue(name: string): TickerVenue {
  const venue = TICKER_VENUES[name];
  if (venue === undefined) throw new RangeError(`unknown venue '${name}' (expected ${Object.keys(TICKER_VENUES).join(', ')})`);
  return venue;
}
