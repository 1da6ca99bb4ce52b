// The simulator's OKX dialect over loopback, read by `ws` as an independent peer: the URL path,
// one answer per argument, refusals (60012 invalid, 60018 unknown channel), text ping/pong, the
// books snapshot then updates chained by prevSeqId with checksums the library verifies, the
// `checksum` and `gap` faults, the upgrade notice, and the 30 s idle rule (shortened).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startExchange, type Exchange } from '../../../simulator/exchange.js';
import { createOkxDialect } from '../../../simulator/venues/okx/index.js';
import type { VenueDialect } from '../../../simulator/venues/dialect.js';
import { DEPTH_SNAPSHOT, OrderBook } from '../../../src/book/index.js';
import { OkxBookDecoder, OkxChecksum, OkxTopOfBookDecoder, OkxTradeIterator } from '../../../src/venues/okx/index.js';
import { TopOfBook, TradeTick } from '../../../src/market/index.js';
import { waitFor } from '../../stream/ledger.js';

interface Peer {
  socket: WebSocket;
  text: string[];
  closed: Promise<number>;
}

function open(url: string): Promise<Peer> {
  const text: string[] = [];
  const socket = new WebSocket(url);
  socket.on('message', (data: Buffer) => text.push(data.toString('utf8')));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, text, closed }));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

type Push = { arg?: { channel: string; instId: string }; event?: string; action?: string; data?: unknown[]; id?: string; code?: string; msg?: string };
const parsed = (peer: Peer): Push[] => peer.text.filter((t) => t !== 'pong').map((t) => JSON.parse(t) as Push);
const encoder = new TextEncoder();

describe('simulator: okx dialect', () => {
  const exchanges: Exchange[] = [];
  const sockets: WebSocket[] = [];
  after(async () => {
    for (const socket of sockets) socket.terminate();
    for (const exchange of exchanges) await exchange.close();
  });

  async function exchange(venue: string | VenueDialect = 'okx'): Promise<Exchange> {
    const started = await startExchange({ venue, symbols: ['btcusdt', 'ethusdt'], rate: 400, seed: 11 });
    exchanges.push(started);
    return started;
  }

  async function peer(ex: Exchange): Promise<Peer> {
    const p = await open(`${ex.url}/ws/v5/public`);
    sockets.push(p.socket);
    return p;
  }

  it('serves /ws/v5/public only; answers each argument, refuses bad requests and unknown channels; ping -> pong', async () => {
    const ex = await exchange();
    await assert.rejects(open(`${ex.url}/ws/v5/private`), /status 404/);
    const p = await peer(ex);
    p.socket.send('ping');
    p.socket.send(JSON.stringify({ id: '7', op: 'subscribe', args: [{ channel: 'trades', instId: 'BTC-USDT' }, { channel: 'tickers', instId: 'ETH-USDT' }] }));
    p.socket.send(JSON.stringify({ id: '8', op: 'subscribe', args: [{ channel: 'books', instId: 'XRP-USDT' }] }));
    p.socket.send('{"op":"subscribe","argss":[]}');
    p.socket.send(JSON.stringify({ id: '9', op: 'unsubscribe', args: [{ channel: 'tickers', instId: 'ETH-USDT' }] }));
    await waitFor('answers', () => parsed(p).filter((m) => m.event !== undefined).length >= 5 && p.text.includes('pong'));
    const events = parsed(p).filter((m) => m.event !== undefined);
    assert.equal(p.text[0], 'pong');
    assert.deepEqual(events.map((m) => [m.event, m.id, m.arg, m.code]), [
      ['subscribe', '7', { channel: 'trades', instId: 'BTC-USDT' }, undefined],
      ['subscribe', '7', { channel: 'tickers', instId: 'ETH-USDT' }, undefined],
      ['error', '8', undefined, '60018'],
      ['error', undefined, undefined, '60012'],
      ['unsubscribe', '9', { channel: 'tickers', instId: 'ETH-USDT' }, undefined],
    ]);
    assert.match(events[2]!.msg!, /^Subscribe failed, wrong URL or channel:books,instId:XRP-USDT doesn't exist/);
    assert.match(events[3]!.msg!, /^Invalid request: \{"op":"subscribe","argss":\[\]\}$/);
  });

  it('books: a snapshot, then updates whose prevSeqId chains and whose checksum the library verifies; book() equals the book after pause()', async () => {
    const ex = await exchange();
    const p = await peer(ex);
    p.socket.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }, { channel: 'bbo-tbt', instId: 'BTC-USDT' }, { channel: 'trades', instId: 'BTC-USDT' }, { channel: 'books5', instId: 'BTC-USDT' }] }));
    await waitFor('updates', () => parsed(p).filter((m) => m.action === 'update').length >= 10);
    await ex.pause();
    const expected = ex.book('btcusdt');
    await waitFor('the last update', () => {
      const last = parsed(p).filter((m) => m.action !== undefined).at(-1);
      return last !== undefined && (last.data![0] as { seqId: number }).seqId === expected.lastUpdateId;
    });
    const decoder = new OkxBookDecoder();
    const checksum = new OkxChecksum();
    const book = new OrderBook();
    const top = new TopOfBook();
    const tops = new OkxTopOfBookDecoder();
    const trades = new OkxTradeIterator();
    const tick = new TradeTick();
    let previous = NaN;
    let verified = 0;
    let tradesSeen = 0;
    for (const message of parsed(p)) {
      if (message.data === undefined) continue;
      const payload = encoder.encode(JSON.stringify(message.data));
      const channel = message.arg!.channel;
      if (channel === 'trades') {
        assert.equal(trades.begin(payload, 0, payload.length), true);
        while (trades.next(tick)) tradesSeen++;
        continue;
      }
      if (channel !== 'books') {
        assert.equal(tops.decode(payload, 0, payload.length, top), true, channel);
        assert.ok(top.bidPrice < top.askPrice);
        continue;
      }
      assert.equal(decoder.decode(payload, 0, payload.length), true);
      const diff = decoder.diff;
      if (Number.isNaN(previous)) {
        assert.equal(message.action, 'snapshot');
        assert.equal(diff.kind, DEPTH_SNAPSHOT);
        book.load(diff, diff.finalUpdateId);
      } else {
        assert.equal(message.action, 'update');
        assert.equal(diff.previousUpdateId, previous, 'prevSeqId is the previous seqId');
        book.apply(diff);
      }
      previous = diff.finalUpdateId;
      assert.equal(checksum.compute(book), diff.checksum);
      verified++;
    }
    assert.ok(verified >= 11 && tradesSeen > 0);
    const levels = book.toLevels();
    const text = (pairs: Array<[string, string]>): Array<[number, number]> => pairs.map(([p, q]) => [Number(p), Number(q)]);
    assert.deepEqual(text(levels.bids), text(expected.bids));
    assert.deepEqual(text(levels.asks), text(expected.asks));
    assert.equal(expected.extra?.checksum, checksum.compute(book));
  });

  it('faults: `checksum` sends one wrong checksum, `gap` one update the chain skips, `serverShutdown` the 64008 notice', async () => {
    const ex = await exchange();
    const p = await peer(ex);
    p.socket.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'ETH-USDT' }] }));
    await waitFor('updates', () => parsed(p).filter((m) => m.action === 'update').length >= 3);
    assert.equal(ex.injectFault({ type: 'checksum', symbol: 'ethusdt' }), 1);
    const before = parsed(p).length;
    await waitFor('the corrupt update', () => parsed(p).length >= before + 2);
    ex.injectFault({ type: 'gap', symbol: 'ethusdt' });
    const beforeGap = parsed(p).length;
    await waitFor('after the gap', () => parsed(p).length >= beforeGap + 2);
    ex.injectFault({ type: 'serverShutdown' });
    await waitFor('notice', () => parsed(p).some((m) => m.event === 'notice'));
    const decoder = new OkxBookDecoder();
    const checksum = new OkxChecksum();
    const book = new OrderBook();
    let mismatches = 0;
    let breaks = 0;
    let previous = NaN;
    for (const message of parsed(p)) {
      if (message.action === undefined) continue;
      const payload = encoder.encode(JSON.stringify(message.data));
      assert.equal(decoder.decode(payload, 0, payload.length), true);
      const diff = decoder.diff;
      if (message.action === 'snapshot') book.load(diff, diff.finalUpdateId);
      else {
        if (diff.previousUpdateId !== previous) breaks++;
        book.apply(diff);
      }
      previous = diff.finalUpdateId;
      if (breaks === 0 && checksum.compute(book) !== diff.checksum) mismatches++;
    }
    assert.equal(mismatches, 1);
    assert.equal(breaks, 1);
    const notice = parsed(p).find((m) => m.event === 'notice')!;
    assert.equal(notice.code, '64008');
  });

  it('closes a connection nothing was pushed to for the idle limit (30 s; shortened here), not one that pings', async () => {
    const ex = await exchange(createOkxDialect({ idleMs: 3000 }));
    const quiet = await peer(ex);
    const pinging = await peer(ex);
    const timer = setInterval(() => pinging.socket.send("ping"), 200);
    try {
      assert.equal(await quiet.closed, 1001);
      assert.equal(pinging.socket.readyState, WebSocket.OPEN);
      assert.ok(pinging.text.filter((t) => t === 'pong').length > 0);
    } finally {
      clearInterval(timer);
    }
  });
});
