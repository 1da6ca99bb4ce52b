// The simulator's Binance SBE dialect over loopback, read by `ws` as an independent peer: the
// upgrade needs the API-key header, events arrive as binary SBE frames that the library's
// decoders read exactly (ids chaining as the docs say), control requests and serverShutdown are
// JSON text, and the diffs applied on the REST snapshot give exchange.book().
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startExchange, type Exchange } from '../../../simulator/exchange.js';
import { DEPTH_DIFF, DEPTH_SNAPSHOT } from '../../../src/book/depth-diff.js';
import { TopOfBook, TradeTick } from '../../../src/market/events.js';
import { SbeBestBidAskDecoder, SbeDepthDecoder, SbeTradesDecoder, TEMPLATE_BEST_BID_ASK, TEMPLATE_DEPTH_DIFF, TEMPLATE_DEPTH_SNAPSHOT, TEMPLATE_TRADES } from '../../../src/venues/binance-sbe/index.js';
import { waitFor } from '../../stream/ledger.js';

const API_KEY = { 'X-MBX-APIKEY': 'test-ed25519-key' };

interface Received {
  binary: Uint8Array[];
  text: string[];
}

function open(url: string, headers: Record<string, string> = API_KEY): Promise<{ socket: WebSocket; received: Received }> {
  const received: Received = { binary: [], text: [] };
  const socket = new WebSocket(url, { headers });
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) received.binary.push(Uint8Array.from(data));
    else received.text.push(data.toString('utf8'));
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, received }));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

const templateOf = (data: Uint8Array): number => data[2]! | (data[3]! << 8);

describe('simulator: binance-sbe dialect', () => {
  const exchanges: Exchange[] = [];
  const sockets: WebSocket[] = [];
  after(async () => {
    for (const socket of sockets) socket.terminate();
    for (const exchange of exchanges) await exchange.close();
  });

  async function exchange(): Promise<Exchange> {
    const started = await startExchange({ venue: 'binance-sbe', symbols: ['btcusdt'], rate: 400, seed: 7 });
    exchanges.push(started);
    return started;
  }

  it('refuses an upgrade without the X-MBX-APIKEY header (401)', async () => {
    const ex = await exchange();
    await assert.rejects(open(`${ex.url}/ws/btcusdt@trade`, {}), /status 401/);
    await assert.rejects(open(`${ex.url}/ws/btcusdt@trade`, { 'X-MBX-APIKEY': ' ' }), /status 401/);
    await assert.rejects(open(`${ex.url}/ws/btcusdt@bookTicker`), /400/);
  });

  it('serves every stream as binary SBE whose ids chain, and JSON text for control and serverShutdown', async () => {
    const ex = await exchange();
    const { socket, received } = await open(`${ex.url}/stream?streams=btcusdt@bestBidAsk/btcusdt@trade/btcusdt@depth/btcusdt@depth20`);
    sockets.push(socket);
    const seen = (template: number): number => received.binary.filter((data) => templateOf(data) === template).length;
    await waitFor('every template', () => seen(TEMPLATE_TRADES) >= 3 && seen(TEMPLATE_BEST_BID_ASK) >= 20 && seen(TEMPLATE_DEPTH_DIFF) >= 3 && seen(TEMPLATE_DEPTH_SNAPSHOT) >= 2);
    ex.injectFault({ type: 'serverShutdown' });
    socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }));
    await waitFor('answers', () => received.text.length >= 2);
    assert.match(received.text[0]!, /^\{"e":"serverShutdown","E":\d{16}\}$/);
    assert.deepEqual(JSON.parse(received.text[1]!), { result: ['btcusdt@bestBidAsk', 'btcusdt@trade', 'btcusdt@depth', 'btcusdt@depth20'], id: 3 });

    const top = new TopOfBook();
    const tick = new TradeTick();
    const bestBidAsk = new SbeBestBidAskDecoder();
    const trades = new SbeTradesDecoder();
    const depth = new SbeDepthDecoder();
    let lastTopId = 0;
    let nextTradeId = NaN;
    let nextUpdateId = NaN;
    const now = (performance.timeOrigin + performance.now()) * 1000;
    for (const data of received.binary) {
      switch (templateOf(data)) {
        case TEMPLATE_BEST_BID_ASK:
          assert.equal(bestBidAsk.decode(data, 0, data.length, top), true, bestBidAsk.lastError()?.message);
          assert.ok(top.updateId > lastTopId, 'bookUpdateId grows');
          assert.ok(top.bidPrice < top.askPrice && top.bidQuantity > 0 && top.askQuantity > 0);
          assert.ok(Math.abs(top.eventTimeUs - now) < 60e6, 'times in µs');
          lastTopId = top.updateId;
          break;
        case TEMPLATE_TRADES:
          assert.equal(trades.begin(data, 0, data.length), true, trades.lastError()?.message);
          while (trades.next(tick)) {
            if (!Number.isNaN(nextTradeId)) assert.equal(tick.tradeId, nextTradeId, 'trade ids contiguous');
            nextTradeId = tick.tradeId + 1;
          }
          break;
        case TEMPLATE_DEPTH_DIFF:
          assert.equal(depth.decode(data, 0, data.length), true, depth.lastError()?.message);
          assert.equal(depth.diff.kind, DEPTH_DIFF);
          if (!Number.isNaN(nextUpdateId)) assert.equal(depth.diff.firstUpdateId, nextUpdateId, 'U = previous u + 1');
          nextUpdateId = depth.diff.finalUpdateId + 1;
          break;
        default:
          assert.equal(depth.decode(data, 0, data.length), true);
          assert.equal(depth.diff.kind, DEPTH_SNAPSHOT);
          assert.equal(depth.diff.bidCount, 20);
          assert.equal(depth.diff.askCount, 20);
      }
    }
    // The symbol's exponents follow its tick and lot (btcusdt: tick 0.01, lot 0.00001).
    assert.deepEqual([bestBidAsk.priceExponent, bestBidAsk.qtyExponent], [-2, -5]);
  });

  it('subscribes by JSON request on /ws; the REST snapshot plus the diffs give exchange.book()', async () => {
    const ex = await exchange();
    const { socket, received } = await open(`${ex.url}/ws`);
    sockets.push(socket);
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 1 }));
    await waitFor('ack and two diffs', () => received.text.length === 1 && received.binary.length >= 2);
    assert.deepEqual(JSON.parse(received.text[0]!), { result: null, id: 1 });
    const snapshot = (await (await fetch(`${ex.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).json()) as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    await waitFor('a diff past the snapshot', () => {
      const last = received.binary.at(-1)!;
      const depth = new SbeDepthDecoder();
      return depth.decode(last, 0, last.length) && depth.diff.finalUpdateId > snapshot.lastUpdateId;
    });
    ex.pause();
    const expected = ex.book('btcusdt');
    await waitFor('the last diff', () => {
      const depth = new SbeDepthDecoder();
      const last = received.binary.at(-1)!;
      return depth.decode(last, 0, last.length) && depth.diff.finalUpdateId === expected.lastUpdateId;
    });
    // Apply per "How to manage a local order book correctly", in 1e-8 units.
    const toUnits = (text: string): number => Math.round(Number(text) * 1e8);
    const bids = new Map(snapshot.bids.map(([price, qty]) => [toUnits(price!), toUnits(qty!)]));
    const asks = new Map(snapshot.asks.map(([price, qty]) => [toUnits(price!), toUnits(qty!)]));
    let bookId = snapshot.lastUpdateId;
    const depth = new SbeDepthDecoder();
    for (const data of received.binary) {
      assert.equal(depth.decode(data, 0, data.length), true);
      const diff = depth.diff;
      if (diff.finalUpdateId <= bookId) continue;
      assert.ok(diff.firstUpdateId <= bookId + 1, 'no gap');
      for (const [side, pairs, count] of [[bids, diff.bids, diff.bidCount], [asks, diff.asks, diff.askCount]] as const) {
        for (let k = 0; k < count; k++) {
          if (pairs[2 * k + 1] === 0) side.delete(pairs[2 * k]!);
          else side.set(pairs[2 * k]!, pairs[2 * k + 1]!);
        }
      }
      bookId = diff.finalUpdateId;
    }
    assert.equal(bookId, expected.lastUpdateId);
    const sorted = (side: Map<number, number>, descending: boolean): number[][] => [...side].sort((x, y) => (descending ? y[0]! - x[0]! : x[0]! - y[0]!));
    assert.deepEqual(sorted(bids, true), expected.bids.map(([price, qty]) => [toUnits(price), toUnits(qty)]));
    assert.deepEqual(sorted(asks, false), expected.asks.map(([price, qty]) => [toUnits(price), toUnits(qty)]));
  });
});
