// The stream registry: every stream the simulator serves, by name, with its subscribers.
// Subscribing and unsubscribing keep the per-stream state (diff accumulators, microsecond
// audience) consistent; the fan-out and the event publisher read it.
import type { TradeLedger } from './ledger.js';
import { DepthDiff, type SymbolMarket } from './market.js';
import type { Session } from './session.js';
import { combinedPrefix, KIND_DEPTH_DIFF, parseStreamName, streamNamesFor, usesLedger, type StreamSpec } from './streams.js';

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
}

/** The real-time streams of one symbol, looked up once per engine event. */
export interface SymbolStreams {
  trade: StreamEntry;
  aggTrade: StreamEntry;
  bookTicker: StreamEntry;
  blockTrade: StreamEntry;
  ledger: TradeLedger;
}

export class StreamRegistry {
  readonly entries = new Map<string, StreamEntry>();
  readonly bySymbol = new Map<string, SymbolStreams>();
  /** Streams sent on a timer, by update speed in ms (100, 1000, 2000). */
  readonly timed = new Map<number, StreamEntry[]>();

  readonly markets: readonly SymbolMarket[];
  readonly ledgers: readonly TradeLedger[];

  /** `ledgers[i]` records the trades of `markets[i]`. */
  constructor(markets: readonly SymbolMarket[], ledgers: readonly TradeLedger[], globalNames: readonly string[]) {
    this.ledgers = ledgers;
    this.markets = markets;
    const symbols = new Set(markets.map((market) => market.symbol));
    const bySymbol = new Map(markets.map((market) => [market.symbol, market]));
    const add = (name: string): StreamEntry => {
      const spec = parseStreamName(name, symbols)!;
      const entry: StreamEntry = {
        spec,
        prefix: combinedPrefix(name),
        market: spec.symbol === '' ? null : bySymbol.get(spec.symbol)!,
        subscribers: [],
        diff: spec.kind === KIND_DEPTH_DIFF ? new DepthDiff() : null,
        dropEvents: 0,
        microSubscribers: 0,
        silenced: false,
        periodStart: 0,
        seenTrades: markets.map(() => 0),
      };
      this.entries.set(name, entry);
      if (spec.intervalMs !== 0) {
        const list = this.timed.get(spec.intervalMs) ?? [];
        list.push(entry);
        this.timed.set(spec.intervalMs, list);
      }
      return entry;
    };
    markets.forEach((market, index) => {
      for (const name of streamNamesFor(market.symbol)) add(name);
      this.bySymbol.set(market.symbol, {
        trade: this.entries.get(`${market.symbol}@trade`)!,
        aggTrade: this.entries.get(`${market.symbol}@aggTrade`)!,
        bookTicker: this.entries.get(`${market.symbol}@bookTicker`)!,
        blockTrade: this.entries.get(`${market.symbol}@blockTrade`)!,
        ledger: ledgers[index]!,
      });
    });
    for (const name of globalNames) add(name);
  }

  get(name: string): StreamEntry | undefined {
    return this.entries.get(name);
  }

  /** Diff-depth streams of one symbol, or of all symbols. */
  diffStreams(symbol?: string): StreamEntry[] {
    const found: StreamEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.spec.kind !== KIND_DEPTH_DIFF) continue;
      if (symbol === undefined || entry.spec.symbol === symbol) found.push(entry);
    }
    return found;
  }

  subscribe(session: Session, entry: StreamEntry): void {
    if (session.streams.has(entry.spec.name)) return;
    session.streams.add(entry.spec.name);
    entry.subscribers.push(session);
    if (session.microseconds) entry.microSubscribers++;
    // Statistics streams need the trades from now on: start recording (and keep recording).
    if (usesLedger(entry.spec.kind)) {
      if (entry.market === null) for (const ledger of this.ledgers) ledger.active = true;
      else this.ledgerOf(entry.market).active = true;
    }
    // Diff changes are collected only while someone listens; a new first subscriber starts a
    // fresh range, so its first event has U right after the subscription.
    if (entry.diff !== null && entry.subscribers.length === 1) entry.market!.diffs.push(entry.diff);
  }

  unsubscribe(session: Session, entry: StreamEntry): void {
    if (!session.streams.delete(entry.spec.name)) return;
    const index = entry.subscribers.indexOf(session);
    if (index !== -1) entry.subscribers.splice(index, 1);
    if (session.microseconds) entry.microSubscribers--;
    if (entry.diff !== null && entry.subscribers.length === 0) {
      const diffs = entry.market!.diffs;
      diffs.splice(diffs.indexOf(entry.diff), 1);
      entry.diff.clear();
    }
  }

  ledgerOf(market: SymbolMarket): TradeLedger {
    return this.bySymbol.get(market.symbol)!.ledger;
  }

  /** A connection went away: it leaves every stream. */
  unsubscribeAll(session: Session): void {
    for (const name of [...session.streams]) this.unsubscribe(session, this.entries.get(name)!);
  }
}
