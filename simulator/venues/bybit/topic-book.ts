// What one `orderbook.{depth}.{symbol}` topic has told its subscribers: the top `depth` levels
// of each side as last published, its update id `u`, and the deltas that bring the published
// book to the market's current one. Bybit's rules (docs/v5/websocket/public/orderbook.mdx):
// "Once you have subscribed successfully, you will receive a `snapshot`. The WebSocket will keep
// pushing `delta` messages every time the orderbook changes"; a delta "has size=0, which means
// that all quotations for this price have been filled or cancelled" — a level that leaves the
// top `depth` is sent with size 0 too, so the client's book stays the venue's top `depth`.
// "Linear, inverse, spot level 1 data has `snapshot` message only" and "if 3 seconds have elapsed
// without a change in the orderbook, a `snapshot` message will be pushed again, and the field `u`
// will be the same as that in the previous message."
//
// `u` grows by one per message of the topic (the docs promise only an update id; the simulator's
// +1 lets tests tell a lost message from a delivered one); u = 1 after restart().
import type { Levels } from './payloads.js';

/** "if 3 seconds have elapsed without a change ... a `snapshot` message will be pushed again" (level 1). */
export const LEVEL1_REPEAT_MS = 3000;

export interface BookSource {
  /** Best `limit` levels of a side (0 bids, 1 asks), best first, as [tick, quantity units]. */
  topLevels(side: number, limit: number): Array<[number, number]>;
  readonly tickUnits: number;
}

export class TopicBook {
  readonly depth: number;
  /** The update id of the last message (0: none yet). */
  u = 0;
  /** When the last message was sent (ms), for level 1's repeat. */
  lastSentAt = 0;
  /** Published levels: price units -> quantity units. */
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private started = false;

  constructor(depth: number) {
    this.depth = depth;
  }

  /** True once the topic has a published book (its first subscriber started it). */
  get live(): boolean {
    return this.started;
  }

  /** Publishes the market's current top as a whole (first subscriber, restart, re-sent snapshot). */
  load(source: BookSource): void {
    this.started = true;
    fill(this.bids, source, 0, this.depth);
    fill(this.asks, source, 1, this.depth);
  }

  /** The published book as snapshot levels, best first. */
  snapshot(): { bids: Levels; asks: Levels } {
    return { bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) };
  }

  /** The changes from the published book to the market's top (sizes 0 for levels gone), now published; null if none. */
  delta(source: BookSource): { bids: Levels; asks: Levels } | null {
    const bids = changes(this.bids, source, 0, this.depth);
    const asks = changes(this.asks, source, 1, this.depth);
    if (bids.length === 0 && asks.length === 0) return null;
    bids.sort((x, y) => y[0] - x[0]);
    asks.sort((x, y) => x[0] - y[0]);
    return { bids, asks };
  }

  /** Stops publishing (the last subscriber left): the next subscriber starts from a fresh snapshot. */
  stop(): void {
    this.started = false;
    this.bids.clear();
    this.asks.clear();
  }
}

function fill(published: Map<number, number>, source: BookSource, side: number, depth: number): void {
  published.clear();
  for (const [tick, quantity] of source.topLevels(side, depth)) published.set(tick * source.tickUnits, quantity);
}

function changes(published: Map<number, number>, source: BookSource, side: number, depth: number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const current = new Map<number, number>();
  for (const [tick, quantity] of source.topLevels(side, depth)) current.set(tick * source.tickUnits, quantity);
  for (const [price, quantity] of current) {
    if (published.get(price) !== quantity) {
      found.push([price, quantity]);
      published.set(price, quantity);
    }
  }
  for (const price of [...published.keys()]) {
    if (!current.has(price)) {
      found.push([price, 0]);
      published.delete(price);
    }
  }
  return found;
}

function sorted(levels: Map<number, number>, direction: number): Array<[number, number]> {
  return [...levels].sort((x, y) => direction * (x[0] - y[0]));
}
