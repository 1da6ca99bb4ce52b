// The venues `startExchange({ venue })` knows, by name. One line per venue dialect.
import { binanceSbeDialect } from './binance-sbe/index.js';
import { binanceSpotDialect } from './binance-spot/index.js';
import { binanceUsdmDialect } from './binance-usdm/index.js';
import { bybitDialect } from './bybit/index.js';
import { okxDialect } from './okx/index.js';
import type { VenueDialect } from './dialect.js';

const DIALECTS: readonly VenueDialect[] = [binanceSpotDialect, binanceSbeDialect, binanceUsdmDialect, okxDialect, bybitDialect];

/** Venue names accepted by ExchangeOptions.venue. */
export const VENUE_NAMES: readonly string[] = DIALECTS.map((dialect) => dialect.name);

/** The default venue: Binance Spot. */
export const DEFAULT_VENUE = 'binance-spot';

export function findDialect(name: string): VenueDialect {
  const dialect = DIALECTS.find((candidate) => candidate.name === name);
  if (dialect === undefined) throw new RangeError(`unknown venue ${JSON.stringify(name)} (known: ${VENUE_NAMES.join(', ')})`);
  return dialect;
}
