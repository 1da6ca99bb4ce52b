// Accounting for Bybit fault tests. Bybit's ids do not chain (the docs promise no u + 1, and
// trade ids are UUIDs), so the stream cannot name a lost message the way it does on Binance.
// What tickwire guarantees instead, and what this ledger checks from the payloads themselves:
//   - book topics: every delta delivered continues the message before it (the simulator numbers
//     u + 1 per message of a topic, so the test can see a loss); wherever messages were lost,
//     the next one delivered is a snapshot (the book reloads from it: a reported resync), never
//     a delta on top of a hole. No message is delivered twice.
//   - trades: the simulator's trade numbers (inside its UUID ids) only grow; a trade is missing
//     only where a connection ended (between a 'closed' and the next 'live' event: the reported
//     reconnect), never inside one connection.
import { DEPTH_SNAPSHOT } from '../../../src/book/depth-diff.js';
import type { ManagedStream, StreamEvent } from '../../../src/index.js';
import { TradeTick } from '../../../src/market/events.js';
import { BybitOrderbookDecoder, BybitTradeDecoder } from '../../../src/venues/bybit/index.js';
import { tradeNumberOfUuid } from '../../../simulator/venues/bybit/payloads.js';

export { waitFor, WAIT_LIMIT_MS } from '../../stream/ledger.js';

interface TopicLedger {
  name: string;
  /** Book topics: [u, snapshot, connection epoch]; trades: [number, 0, epoch]. */
  entries: Array<[number, boolean, number]>;
}

export interface BookTotals {
  messages: number;
  snapshots: number;
  /** Deltas lost on the way that a snapshot then replaced. */
  replacedBySnapshot: number;
  /** Deltas delivered twice or out of order (must be 0). */
  duplicated: number;
}

export class BybitLedger {
  readonly topics = new Map<number, TopicLedger>();
  readonly events: StreamEvent[] = [];
  delivered = 0;
  trades = 0;
  stream: ManagedStream | null = null;
  /** Connections opened so far: a trade hole is allowed only between two epochs. */
  private epoch = 0;
  private readonly book = new BybitOrderbookDecoder();
  private readonly trade = new BybitTradeDecoder();
  private readonly tick = new TradeTick();

  readonly onMessage = (stream: number, data: Uint8Array, start: number, end: number): void => {
    this.delivered++;
    const name = this.stream!.streamName(stream);
    const ledger = this.ledgerOf(stream, name);
    if (name.startsWith('orderbook.')) {
      if (!this.book.decode(data, start, end)) throw new Error(`${name}: unreadable orderbook payload`);
      ledger.entries.push([this.book.diff.finalUpdateId, this.book.diff.kind === DEPTH_SNAPSHOT, this.epoch]);
    } else if (name.startsWith('publicTrade.')) {
      if (!this.trade.begin(data, start, end)) throw new Error(`${name}: unreadable trade payload`);
      while (this.trade.next(this.tick)) {
        this.trades++;
        ledger.entries.push([tradeNumberOfUuid(this.trade.tradeIdText()), false, this.epoch]);
      }
      if (this.trade.malformed) throw new Error(`${name}: malformed trade`);
    }
  };

  readonly onEvent = (event: StreamEvent): void => {
    this.events.push(event);
    if (event.type === 'open') this.epoch++;
  };

  count(type: StreamEvent['type']): number {
    return this.events.filter((event) => event.type === type).length;
  }

  /** Last u (book topics) or trade number delivered on `name`; NaN if none. */
  last(name: string): number {
    for (const ledger of this.topics.values()) if (ledger.name === name) return ledger.entries.at(-1)?.[0] ?? NaN;
    return NaN;
  }

  /** Throws on any book delta that does not continue the message before it; returns totals. */
  verifyBooks(): BookTotals {
    const totals: BookTotals = { messages: 0, snapshots: 0, replacedBySnapshot: 0, duplicated: 0 };
    for (const ledger of this.topics.values()) {
      if (!ledger.name.startsWith('orderbook.')) continue;
      let previous = NaN;
      for (const [u, snapshot] of ledger.entries) {
        totals.messages++;
        if (snapshot) {
          totals.snapshots++;
          if (previous === previous && u > previous + 1) totals.replacedBySnapshot += u - previous - 1;
        } else {
          if (previous !== previous) throw new Error(`${ledger.name}: a delta (u ${u}) before any snapshot`);
          if (u <= previous) {
            totals.duplicated++;
            throw new Error(`${ledger.name}: delta u ${u} delivered after u ${previous}`);
          }
          if (u !== previous + 1) throw new Error(`${ledger.name}: deltas u ${previous + 1}..${u - 1} lost without a snapshot after them`);
        }
        previous = u;
      }
    }
    return totals;
  }

  /** Throws on a repeated trade or a hole inside one connection; returns trades and holes across reconnects. */
  verifyTrades(): { trades: number; missingAcrossReconnects: number } {
    let missing = 0;
    for (const ledger of this.topics.values()) {
      if (!ledger.name.startsWith('publicTrade.')) continue;
      let previous = NaN;
      let previousEpoch = 0;
      for (const [number, , epoch] of ledger.entries) {
        if (previous === previous) {
          if (number <= previous) throw new Error(`${ledger.name}: trade ${number} delivered after ${previous}`);
          if (number > previous + 1) {
            if (epoch === previousEpoch) throw new Error(`${ledger.name}: trades ${previous + 1}..${number - 1} lost inside one connection`);
            missing += number - previous - 1;
          }
        }
        previous = number;
        previousEpoch = epoch;
      }
    }
    return { trades: this.trades, missingAcrossReconnects: missing };
  }

  private ledgerOf(stream: number, name: string): TopicLedger {
    let ledger = this.topics.get(stream);
    if (ledger === undefined) {
      ledger = { name, entries: [] };
      this.topics.set(stream, ledger);
    }
    return ledger;
  }
}

