// Accounting for fault tests: every event a managed stream delivers and every gap it reports,
// per stream, checked against the rule "each id the exchange sent reached the user exactly once
// or lies in a reported gap".
import { jsonFields } from '../../src/index.js';
import type { ManagedStream, StreamEvent } from '../../src/index.js';

export interface StreamLedger {
  name: string;
  /** Delivered id ranges and reported gaps, in arrival order: [first, last, kind]. */
  entries: Array<[number, number, 'event' | 'gap' | 'reset']>;
  lastDelivered: number;
}

const depthIds = jsonFields(['U', 'u']);
const tradeId = jsonFields(['t']);
const aggTradeId = jsonFields(['a']);
const updateId = jsonFields(['u']);
const lastUpdateId = jsonFields(['lastUpdateId']);

/** The ids [first, last] of a Binance Spot payload (what the test reads itself, independently of the stream's decoder). */
export function payloadIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  if (/@depth(@\d+ms)?$/.test(name)) {
    if (!depthIds.scan(data, start, end)) throw new Error(`${name}: unreadable depth payload`);
    return [depthIds.integer(0), depthIds.integer(1)];
  }
  const fields = /@depth\d+/.test(name) ? lastUpdateId : name.endsWith('@trade') ? tradeId : name.endsWith('@aggTrade') ? aggTradeId : updateId;
  if (!fields.scan(data, start, end)) throw new Error(`${name}: unreadable payload`);
  const id = fields.integer(0);
  return [id, id];
}

/** Reads the ids [first, last] of one delivered payload of stream `name`. */
export type PayloadIdReader = (name: string, data: Uint8Array, start: number, end: number) => [number, number];

export class Ledger {
  readonly streams = new Map<number, StreamLedger>();
  /** The venue's id reader (default: Binance Spot JSON payloads). */
  private readonly ids: PayloadIdReader;
  readonly events: StreamEvent[] = [];
  delivered = 0;
  stream: ManagedStream | null = null;

  constructor(ids: PayloadIdReader = payloadIds) {
    this.ids = ids;
  }

  /** The managed stream's onMessage. */
  readonly onMessage = (stream: number, data: Uint8Array, start: number, end: number): void => {
    this.delivered++;
    const name = this.stream!.streamName(stream);
    const [first, last] = this.ids(name, data, start, end);
    const ledger = this.ledgerOf(stream, name);
    ledger.entries.push([first, last, 'event']);
    ledger.lastDelivered = last;
  };

  /** The managed stream's onEvent. */
  readonly onEvent = (event: StreamEvent): void => {
    this.events.push(event);
    if (event.type === 'gap') this.ledgerOf(event.stream, event.name).entries.push([event.from, event.to, 'gap']);
    // A reset is reported before its event is delivered: the ids start over from that event.
    if (event.type === 'reset') this.ledgerOf(event.stream, event.name).entries.push([event.received, event.received, 'reset']);
  };

  count(type: StreamEvent['type']): number {
    return this.events.filter((event) => event.type === type).length;
  }

  lastId(name: string): number {
    for (const ledger of this.streams.values()) if (ledger.name === name) return ledger.lastDelivered;
    return NaN;
  }

  /**
   * Checks the contiguous streams (depth diffs, trades, aggTrades): from the first event on,
   * every id is covered exactly once by a delivered event or a reported gap, in order.
   * Returns totals for the report table.
   */
  verifyContiguous(streams = /@(depth(@\d+ms)?|trade|aggTrade)$/): { events: number; ids: number; missing: number; gaps: number; duplicated: number } {
    let events = 0;
    let ids = 0;
    let missing = 0;
    let gaps = 0;
    let duplicated = 0;
    for (const ledger of this.streams.values()) {
      if (!streams.test(ledger.name)) continue;
      let next = NaN;
      for (const [first, last, kind] of ledger.entries) {
        if (kind === 'reset') {
          next = NaN;
          continue;
        }
        if (kind === 'event') events++;
        if (Number.isNaN(next)) {
          if (kind === 'gap') throw new Error(`${ledger.name}: a gap before any event`);
          next = last + 1;
          ids += last - first + 1;
          continue;
        }
        if (last < next) {
          duplicated++;
          throw new Error(`${ledger.name}: ${kind} [${first}, ${last}] delivered again (next expected ${next})`);
        }
        // Depth diffs overlap the previous event only at the very start; after that U === previous u + 1.
        if (first > next) throw new Error(`${ledger.name}: ids [${next}, ${first - 1}] neither delivered nor reported`);
        if (kind === 'gap') {
          if (first !== next) throw new Error(`${ledger.name}: gap [${first}, ${last}] overlaps delivered ids (next ${next})`);
          missing += last - first + 1;
          gaps++;
        } else {
          ids += last - next + 1;
        }
        next = last + 1;
      }
    }
    return { events, ids, missing, gaps, duplicated };
  }

  private ledgerOf(stream: number, name: string): StreamLedger {
    let ledger = this.streams.get(stream);
    if (ledger === undefined) {
      ledger = { name, entries: [], lastDelivered: NaN };
      this.streams.set(stream, ledger);
    }
    return ledger;
  }
}

/** Upper bound for waiting on something that normally takes milliseconds (a loaded 2-core machine). */
export const WAIT_LIMIT_MS = 15_000;

export async function waitFor(what: string, condition: () => boolean, limitMs = WAIT_LIMIT_MS): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
