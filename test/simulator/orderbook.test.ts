import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startExchange, type BookLevels } from '../../simulator/exchange.js';
import { parseUnits } from '../../simulator/decimal.js';
import { Recorder, delay } from './helpers.js';

interface DepthUpdate {
  e: 'depthUpdate';
  U: number;
  u: number;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
}

/**
 * A local order book kept the way Binance's "How to manage a local order book correctly"
 * says: snapshot, drop events with u <= lastUpdateId, the first applied event spans
 * lastUpdateId + 1, then every U is the previous u + 1.
 */
class LocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  updateId: number;
  applied = 0;

  constructor(snapshot: BookLevels) {
    this.updateId = snapshot.lastUpdateId;
    for (const [price, quantity] of snapshot.bids) this.bids.set(price, quantity);
    for (const [price, quantity] of snapshot.asks) this.asks.set(price, quantity);
  }

  /** Returns false on a sequence gap. */
  apply(event: DepthUpdate): boolean {
    if (event.u <= this.updateId) return true;
    if (this.applied === 0) {
      assert.ok(event.U <= this.updateId + 1 && event.u >= this.updateId + 1, `first event [${event.U}, ${event.u}] spans ${this.updateId + 1}`);
    } else if (event.U !== this.updateId + 1) {
      return false;
    }
    for (const [price, quantity] of event.b) {
      if (parseUnits(quantity) === 0) this.bids.delete(price);
      else this.bids.set(price, quantity);
    }
    for (const [price, quantity] of event.a) {
      if (parseUnits(quantity) === 0) this.asks.delete(price);
      else this.asks.set(price, quantity);
    }
    this.updateId = event.u;
    this.applied++;
    return true;
  }

  levels(): BookLevels {
    const sorted = (side: Map<string, string>, descending: boolean): Array<[string, string]> =>
      [...side.entries()].sort((x, y) => (descending ? -1 : 1) * (parseUnits(x[0]) - parseUnits(y[0])));
    return { lastUpdateId: this.updateId, bids: sorted(this.bids, true), asks: sorted(this.asks, false) };
  }
}

async function snapshot(restUrl: string, symbol: string): Promise<BookLevels> {
  const response = await fetch(`${restUrl}/api/v3/depth?symbol=${symbol}&limit=1000`);
  assert.equal(response.status, 200);
  return (await response.json()) as BookLevels;
}

describe('order book from REST snapshot + diff stream', { timeout: 30_000 }, () => {
  for (const rate of [1000, 0]) {
    it(`equals the simulator's book (rate ${rate === 0 ? 'max' : rate}/s, depth@100ms and depth)`, async () => {
      const exchange = await startExchange({ rate, seed: 3, symbols: ['btcusdt', 'ethusdt'] });
      try {
        const client = new Recorder(`${exchange.url}/stream?streams=btcusdt@depth@100ms/btcusdt@depth`);
        // Buffer events first, then take the snapshot (steps 1-3 of the procedure).
        await client.waitFor((m) => m.stream === 'btcusdt@depth@100ms');
        const rest = await snapshot(exchange.restUrl, 'BTCUSDT');
        const books = { 'btcusdt@depth@100ms': new LocalBook(rest), 'btcusdt@depth': new LocalBook(rest) };
        await delay(300);
        exchange.pause();
        const truth = exchange.book('btcusdt');
        for (const stream of Object.keys(books) as Array<keyof typeof books>) {
          await client.waitFor((m) => m.stream === stream && m.data.u === truth.lastUpdateId);
          for (const message of client.messages as Array<{ stream: string; data: DepthUpdate }>) {
            if (message.stream === stream) assert.ok(books[stream].apply(message.data), `no gap in ${stream}`);
          }
          assert.ok(books[stream].applied > 0);
          assert.deepEqual(books[stream].levels(), truth, stream);
        }
        await client.close();
      } finally {
        await exchange.close();
      }
    });
  }

  it('shows an injected sequence gap as U > previous u + 1', async () => {
    const exchange = await startExchange({ rate: 500, symbols: ['btcusdt'] });
    try {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@depth@100ms`);
      await client.waitFor((m) => m.e === 'depthUpdate');
      assert.equal(exchange.injectFault({ type: 'gap', symbol: 'btcusdt' }), 1);
      const from = client.messages.length;
      await client.waitFor(() => client.messages.length >= from + 2);
      const events = client.messages as DepthUpdate[];
      const gaps = events.slice(1).filter((event, index) => event.U !== events[index]!.u + 1);
      assert.equal(gaps.length, 1, 'exactly one gap');
      assert.ok(gaps[0]!.U > events[events.indexOf(gaps[0]!) - 1]!.u + 1);
      await client.close();
    } finally {
      await exchange.close();
    }
  });
});
