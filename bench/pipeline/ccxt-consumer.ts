// Consumer (a): ccxt's binance `watchOrderBookForSymbols` (what `watchOrderBook` calls), pointed
// at the simulator: its REST base and its spot stream URL are overridden to the simulator's
// loopback addresses, and fetchMarkets is limited to spot. ccxt does the rest as it does against
// Binance: GET /api/v3/exchangeInfo, a SUBSCRIBE for `<symbol>@depth@100ms`, a REST snapshot per
// symbol, buffered diffs, the U/u checks.
//
// ccxt resolves the user's `await` once per batch of updates (a future per symbol), so its user
// callbacks are fewer than its events; the events are counted where ccxt applies a diff to a book.
import type { BookDump, ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

/** The part of ccxt's order book structure the benchmark reads. */
interface CcxtOrderBook {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  nonce: number | undefined;
}

/** The part of ccxt.pro.binance the benchmark uses (typed here so the bench does not depend on ccxt's typings). */
interface CcxtBinance {
  urls: { api: Record<string, unknown> & { ws: Record<string, unknown> } };
  orderbooks: Record<string, CcxtOrderBook | undefined>;
  loadMarkets(): Promise<unknown>;
  loadHttpProxyAgent(): Promise<unknown>;
  safeSymbol(marketId: string, market?: unknown, delimiter?: unknown, marketType?: string): string;
  watchOrderBookForSymbols(symbols: string[]): Promise<CcxtOrderBook>;
  handleOrderBookMessage(client: unknown, message: unknown, orderbook: unknown): unknown;
  close(): Promise<void>;
}

type CcxtModule = { pro: { binance: new (config: object) => CcxtBinance } };

/** ccxt's own cap: "watchOrderBookForSymbols() accepts 200 symbols at most". */
const CCXT_SYMBOLS_PER_CALL = 200;

export class CcxtConsumer implements PipelineConsumer {
  events = 0;
  resyncs = 0;
  private closed = false;
  /** Upper-case market id -> ccxt unified symbol ("BTCUSDT" -> "BTC/USDT"). */
  private readonly unified = new Map<string, string>();

  private constructor(
    private readonly exchange: CcxtBinance,
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {}

  /** Loads ccxt; undefined when it is not installed (the run is then reported as skipped). */
  static async create(spec: ConsumerSpec, user: UserCallback): Promise<CcxtConsumer | undefined> {
    let ccxt: CcxtModule;
    try {
      const module = (await import('ccxt')) as unknown as { default?: CcxtModule } & CcxtModule;
      ccxt = module.default ?? module;
    } catch {
      return undefined;
    }
    const exchange = new ccxt.pro.binance({
      // The simulator has no REST request weights; ccxt's client-side throttle would only add waits.
      enableRateLimit: false,
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
    });
    // REST: every public spot endpoint ccxt uses lives under /api/v3 (exchangeInfo, depth).
    exchange.urls.api['public'] = `${spec.restUrl}/api/v3`;
    // Stream: ccxt appends "/<stream index>" (wss://stream.binance.com:9443/ws/0) and then
    // subscribes with SUBSCRIBE; the simulator opens such a path as the live server does.
    exchange.urls.api.ws['spot'] = `${spec.wsUrl}/ws`;
    return new CcxtConsumer(exchange, spec, user);
  }

  async start(): Promise<void> {
    const exchange = this.exchange;
    // ccxt opens ws:// (not wss://) URLs only with its http agent loaded first.
    await exchange.loadHttpProxyAgent();
    await exchange.loadMarkets();
    for (const symbol of this.spec.symbols) this.unified.set(symbol.toUpperCase(), exchange.safeSymbol(symbol.toUpperCase(), undefined, undefined, 'spot'));
    // Count applied diffs where ccxt applies them (snapshot replay and live updates alike).
    const apply = exchange.handleOrderBookMessage.bind(exchange);
    exchange.handleOrderBookMessage = (client, message, orderbook) => {
      this.events++;
      return apply(client, message, orderbook);
    };
    const symbols = [...this.unified.values()];
    for (let from = 0; from < symbols.length; from += CCXT_SYMBOLS_PER_CALL) void this.watch(symbols.slice(from, from + CCXT_SYMBOLS_PER_CALL));
  }

  /** The user's loop, as ccxt's examples write it. */
  private async watch(symbols: string[]): Promise<void> {
    while (!this.closed) {
      try {
        const book = await this.exchange.watchOrderBookForSymbols(symbols);
        const bid = book.bids[0];
        const ask = book.asks[0];
        if (bid !== undefined && ask !== undefined) this.user.onBook(bid[0], ask[0]);
      } catch (error) {
        if (this.closed) return;
        // ccxt rejects the watch on a nonce gap (InvalidNonce) and resubscribes on the next call;
        // anything else ends the run (the child reports it).
        if ((error as Error).name !== 'InvalidNonce' || ++this.resyncs > 100) throw error;
      }
    }
  }

  private book(symbol: string): CcxtOrderBook | undefined {
    const unified = this.unified.get(symbol);
    return unified === undefined ? undefined : this.exchange.orderbooks[unified];
  }

  syncedBooks(): number {
    let synced = 0;
    for (const symbol of this.unified.keys()) if (this.book(symbol)?.nonce !== undefined) synced++;
    return synced;
  }

  updateId(symbol: string): number {
    return this.book(symbol)?.nonce ?? NaN;
  }

  dump(symbol: string): BookDump {
    const book = this.book(symbol);
    if (book === undefined) return { updateId: NaN, bids: [], asks: [] };
    const copy = (levels: Array<[number, number]>): Array<[number, number]> => levels.map(([price, quantity]) => [price, quantity]);
    return { updateId: book.nonce ?? NaN, bids: copy(book.bids), asks: copy(book.asks) };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.exchange.close().catch(() => undefined);
  }
}
