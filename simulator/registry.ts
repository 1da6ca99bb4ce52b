// The stream registry: every stream the simulator serves, by name, with its subscribers.
// Subscribing and unsubscribing keep the per-stream state (diff accumulators, microsecond
// audience) consistent; the fan-out and the venue's event publisher read it. Which streams
// exist and what they mean comes from the venue's StreamCatalogue (venues/dialect.ts).
import type { TradeLedger } from './ledger.js';
import { DepthDiff, type SymbolMarket } from './market.js';
import type { Session } from './session.js';
import type { StreamSpec } from './streams.js';

/** A venue's stream names: what it serves per symbol and across the market, and how to read a name. */
export interface StreamCatalogue {
  /** Every stream name served for one (lower-case) symbol. */
  namesFor(symbol: string): string[];
  /** Streams served once per exchange (all-market streams); may be empty. */
  readonly globalNames: readonly string[];
  /** Reads a name this catalogue listed (never called with others). */
  parse(name: string, symbols: ReadonlySet<string>): StreamSpec | null;
  /** Diff-depth streams: the registry keeps a change accumulator fed while someone listens. */
  isDiff(spec: StreamSpec): boolean;
  /** Streams whose figures come from the trade ledger (it starts recording when one is subscribed). */
  usesLedger(spec: StreamSpec): boolean;
  /** Binary streams (e.g. SBE): the fan-out sends the payload as a binary message, never wrapped. */
  isBinary?(spec: StreamSpec): boolean;
  /** Bytes before the payload for combined subscribers; default none (the venue's payload names its stream). */
  combinedPrefix?(name: string): Uint8Array;
  /**
   * Venues that serve streams on several URL routes (Binance USD-M /public and /market): the
   * route bit of a stream. A connection subscribed to a stream outside its Session.routeMask
   * lists it but is sent nothing for it. Default: every route (bit mask ~0).
   */
  routeOf?(spec: StreamSpec): number;
}

/** StreamCatalogue.routeOf's default and Session.routeMask's: every route. */
export const ALL_ROUTES = ~0;

export interface StreamEntry {
  spec: StreamSpec;
  /** `{"stream":"<name>","data":` for combined subscribers. */
  prefix: Uint8Array;
  /** The symbol's market; null for all-market (`!…@arr`) streams. */
  market: SymbolMarket | null;
  subscribers: Session[];
  /** Diff-depth streams: the changes since the last event. */
  diff: DepthDiff | null;
  /** Fault injection: diff events still to drop. */
  dropEvents: number;
  /** Subscribers that asked for timeUnit=MICROSECOND (time fields are written once per unit). */
  microSubscribers: number;
  /** Fault injection: this stream sends nothing while the others go on. */
  silenced: boolean;
  /** Klines: start of the period last sent (0: none yet), to send it once more, closed. */
  periodStart: number;
  /** All-market streams: each symbol's ledger trade count when last sent (send the changed ones). */
  readonly seenTrades: number[];
  /** Sent as binary messages (payload only, never wrapped for combined subscribers). */
  readonly binary: boolean;
  /** StreamCatalogue.routeOf: served to connections whose routeMask has this bit. */
  readonly route: number;
}

const NO_PREFIX = new Uint8Array(0);

export class StreamRegistry {
  readonly entries = new Map<string, StreamEntry>();
  /**
   * Called when a diff stream's accumulator starts collecting (its first subscriber): a venue
   * whose events name their predecessor (USD-M `pu`) records where the stream stood.
   */
  onDiffAttach: ((entry: StreamEntry) => void) | null = null;
  /** Streams sent on a timer, by update speed in ms (100, 1000, 2000). */
  readonly timed = new Map<number, StreamEntry[]>();

  readonly markets: readonly SymbolMarket[];
  readonly ledgers: readonly TradeLedger[];
  readonly catalogue: StreamCatalogue;
  private readonly ledgerByMarket: Map<SymbolMarket, TradeLedger>;

  /** `ledgers[i]` records the trades of `markets[i]`. */
  constructor(markets: readonly SymbolMarket[], ledgers: readonly TradeLedger[], catalogue: StreamCatalogue) {
    this.ledgers = ledgers;
    this.markets = markets;
    this.catalogue = catalogue;
    this.ledgerByMarket = new Map(markets.map((market, index) => [market, ledgers[index]!]));
    const symbols = new Set(markets.map((market) => market.symbol));
    const bySymbol = new Map(markets.map((market) => [market.symbol, market]));
    const add = (name: string): StreamEntry => {
      const spec = catalogue.parse(name, symbols);
      if (spec === null) throw new Error(`stream catalogue: ${JSON.stringify(name)} is listed but does not parse`);
      const binary = catalogue.isBinary?.(spec) ?? false;
      const entry: StreamEntry = {
        spec,
        prefix: binary || catalogue.combinedPrefix === undefined ? NO_PREFIX : catalogue.combinedPrefix(name),
        market: spec.symbol === '' ? null : bySymbol.get(spec.symbol)!,
        subscribers: [],
        diff: catalogue.isDiff(spec) ? new DepthDiff() : null,
        dropEvents: 0,
        microSubscribers: 0,
        silenced: false,
        periodStart: 0,
        seenTrades: markets.map(() => 0),
        binary,
        route: catalogue.routeOf?.(spec) ?? ALL_ROUTES,
      };
      this.entries.set(name, entry);
      if (spec.intervalMs !== 0) {
        const list = this.timed.get(spec.intervalMs) ?? [];
        list.push(entry);
        this.timed.set(spec.intervalMs, list);
      }
      return entry;
    };
    for (const market of markets) for (const name of catalogue.namesFor(market.symbol)) add(name);
    for (const name of catalogue.globalNames) add(name);
  }

  get(name: string): StreamEntry | undefined {
    return this.entries.get(name);
  }

  /** Diff-depth streams of one symbol, or of all symbols. */
  diffStreams(symbol?: string): StreamEntry[] {
    const found: StreamEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.diff === null) continue;
      if (symbol === undefined || entry.spec.symbol === symbol) found.push(entry);
    }
    return found;
  }

  subscribe(session: Session, entry: StreamEntry): void {
    if (session.streams.has(entry.spec.name)) return;
    session.streams.add(entry.spec.name);
    // A stream of another route is listed (LIST_SUBSCRIPTIONS) but sends nothing here.
    if ((session.routeMask & entry.route) === 0) return;
    entry.subscribers.push(session);
    if (session.microseconds) entry.microSubscribers++;
    // Statistics streams need the trades from now on: start recording (and keep recording).
    if (this.catalogue.usesLedger(entry.spec)) {
      if (entry.market === null) for (const ledger of this.ledgers) ledger.active = true;
      else this.ledgerOf(entry.market).active = true;
    }
    // Diff changes are collected only while someone listens; a new first subscriber starts a
    // fresh range, so its first event has U right after the subscription.
    if (entry.diff !== null && entry.subscribers.length === 1) {
      entry.market!.diffs.push(entry.diff);
      this.onDiffAttach?.(entry);
    }
  }

  unsubscribe(session: Session, entry: StreamEntry): void {
    if (!session.streams.delete(entry.spec.name)) return;
    const index = entry.subscribers.indexOf(session);
    // Not a subscriber: a stream of another route (see subscribe).
    if (index === -1) return;
    entry.subscribers.splice(index, 1);
    if (session.microseconds) entry.microSubscribers--;
    if (entry.diff !== null && entry.subscribers.length === 0) {
      const diffs = entry.market!.diffs;
      diffs.splice(diffs.indexOf(entry.diff), 1);
      entry.diff.clear();
    }
  }

  ledgerOf(market: SymbolMarket): TradeLedger {
    return this.ledgerByMarket.get(market)!;
  }

  /** A connection went away: it leaves every stream. */
  unsubscribeAll(session: Session): void {
    for (const name of [...session.streams]) this.unsubscribe(session, this.entries.get(name)!);
  }
}
