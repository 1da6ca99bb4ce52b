// The venues the 'tickwire-market' pipeline consumer runs against, each in one place: its MarketVenue
// adapter, how it spells a simulated symbol ("btcusdt") as an instrument id, and which of the
// simulator's update ids its book stream carries (what the parent compares the final books at).
import { binanceSpotMarket, type MarketVenue } from 'tickwire';
import { binanceSbeMarket } from 'tickwire/binance-sbe';
import { binanceUsdmMarket } from 'tickwire/binance-futures';
import { bybitMarket } from 'tickwire/bybit';
import { okxMarket } from 'tickwire/okx';
import type { BookLevels } from 'tickwire/simulator';

export interface PipelineVenue {
  market(): MarketVenue;
  /** The venue's instrument id of a simulated symbol. */
  instrument(symbol: string): string;
  /** The update id of the simulator's `book` that this venue's book stream carries. */
  bookUpdateId(book: BookLevels, instrument: string): number;
}

const upperCase = (symbol: string): string => symbol.toUpperCase();
/** Every venue but Bybit numbers book updates with the market's own id. */
const marketUpdateId = (book: BookLevels): number => book.lastUpdateId;

const VENUES: Record<string, PipelineVenue> = {
  'binance-spot': { market: binanceSpotMarket, instrument: upperCase, bookUpdateId: marketUpdateId },
  // The simulator's SBE endpoint wants an X-MBX-APIKEY header, as the live one does; any key.
  'binance-sbe': { market: () => binanceSbeMarket({ apiKey: 'pipeline-bench' }), instrument: upperCase, bookUpdateId: marketUpdateId },
  'binance-usdm': { market: binanceUsdmMarket, instrument: upperCase, bookUpdateId: marketUpdateId },
  // Bybit's deepest book stream (1000 levels) holds the simulator's whole book, so it compares
  // level for level. Bybit numbers each book topic on its own: the simulator keeps that `u` in
  // book().extra under "<category>:<topic>".
  bybit: {
    market: () => bybitMarket('linear', { bookDepth: 1000 }),
    instrument: upperCase,
    bookUpdateId: (book, instrument) => Number(book.extra?.[`linear:orderbook.1000.${instrument}`]),
  },
  // OKX names instruments BASE-QUOTE.
  okx: { market: okxMarket, instrument: (symbol) => `${symbol.slice(0, -4)}-${symbol.slice(-4)}`.toUpperCase(), bookUpdateId: marketUpdateId },
};

export function pipelineVenue(name: string): PipelineVenue {
  const venue = VENUES[name];
  if (venue === undefined) throw new Error(`pipeline: no MarketVenue adapter for ${name}`);
  return venue;
}
