// The simulator's `bybit` venue over loopback with `ws` as the client: paths, subscribe answers
// and refusals per category, in-band snapshot then deltas that rebuild the simulator's book,
// pongs, level 1 snapshots, tickers, and the Bybit-only faults.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { startExchange, type Exchange } from '../../../../simulator/exchange.js';
import { Recorder } from '../../helpers.js';

const exchanges: Exchange[] = [];
const sockets: WebSocket[] = [];
after(async () => {
  for (const socket of sockets) socket.terminate();
  for (const exchange of exchanges) await exchange.close();
});

async function bybit(): Promise<Exchange> {
  const exchange = await startExchange({ venue: 'bybit', symbols: ['btcusdt', 'ethusdt'], rate: 200 });
  exchanges.push(exchange);
  return exchange;
}

async function client(exchange: Exchange, category: 'spot' | 'linear'): Promise<Recorder> {
  const recorder = new Recorder(`${exchange.url}/v5/public/${category}`);
  sockets.push(recorder.socket);
  await recorder.opened;
  return recorder;
}

type Book = { bids: Map<string, string>; asks: Map<string, string>; u: number };

/** Applies Bybit messages the way the docs say (snapshot resets, size 0 deletes). */
function apply(book: Book, message: { type: string; data: { b: string[][]; a: string[][]; u: number } }): void {
  if (message.type === 'snapshot') {
    book.bids.clear();
    book.asks.clear();
  } else {
    assert.equal(message.data.u, book.u + 1, 'the simulator numbers u + 1 per message');
  }
  book.u = message.data.u;
  for (const [side, levels] of [
    [book.bids, message.data.b],
    [book.asks, message.data.a],
  ] as const) {
    for (const [price, size] of levels) {
      if (Number(size) === 0) side.delete(price!);
      else side.set(price!, size!);
    }
  }
}

test('unknown paths are refused; topics come only by subscription', async () => {
  const exchange = await bybit();
  const refused = new WebSocket(`${exchange.url}/v5/public/option`);
  refused.on('error', () => {});
  const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
  assert.equal(status, 404);
  refused.terminate();
});

test('subscribe answers (spot and linear layouts), refusals, pongs', async () => {
  const exchange = await bybit();
  const spot = await client(exchange, 'spot');
  spot.socket.send('{"req_id":"10001","op":"subscribe","args":["publicTrade.BTCUSDT"]}');
  const ack = await spot.waitFor((m) => m.op === 'subscribe');
  assert.deepEqual({ ...ack, conn_id: 'x' }, { success: true, ret_msg: 'subscribe', conn_id: 'x', req_id: '10001', op: 'subscribe' });
  const eleven = Array.from({ length: 11 }, (_, k) => `orderbook.1.${k % 2 === 0 ? 'BTC' : 'ETH'}USDT${k}`);
  spot.socket.send(JSON.stringify({ req_id: '2', op: 'subscribe', args: eleven }));
  const tooMany = await spot.waitFor((m) => m.req_id === '2');
  assert.equal(tooMany.success, false);
  assert.match(tooMany.ret_msg, /exceeds 10/);
  spot.socket.send('{"req_id":"3","op":"subscribe","args":["orderbook.7.BTCUSDT"]}');
  assert.match((await spot.waitFor((m) => m.req_id === '3')).ret_msg, /handler not found/);
  spot.socket.send('{"req_id":"4","op":"subscribe","args":["publicTrade.BTCUSDT"]}');
  assert.match((await spot.waitFor((m) => m.req_id === '4')).ret_msg, /already subscribed/);
  spot.socket.send('{"req_id":"5","op":"ping"}');
  const pong = await spot.waitFor((m) => m.op === 'ping');
  assert.deepEqual(Object.keys(pong), ['success', 'ret_msg', 'conn_id', 'op']);
  assert.equal(pong.ret_msg, 'pong');
  spot.socket.send('not json');
  assert.equal((await spot.waitFor((m) => m.success === false && m.ret_msg === 'error:invalid JSON')).success, false);

  const linear = await client(exchange, 'linear');
  linear.socket.send('{"op":"subscribe","args":["tickers.BTCUSDT"]}');
  const linearAck = await linear.waitFor((m) => m.op === 'subscribe');
  assert.deepEqual([linearAck.success, linearAck.ret_msg, linearAck.req_id], [true, '', '']);
  linear.socket.send('{"req_id":"p","op":"ping"}');
  const linearPong = await linear.waitFor((m) => m.op === 'ping');
  assert.deepEqual([linearPong.ret_msg, linearPong.req_id], ['pong', 'p']);
  // Linear tickers: a snapshot first, with the best bid and ask, then deltas.
  const ticker = await linear.waitFor((m) => m.topic === 'tickers.BTCUSDT');
  assert.equal(ticker.type, 'snapshot');
  assert.ok(Number(ticker.data.bid1Price) < Number(ticker.data.ask1Price));
  await linear.waitFor((m) => m.topic === 'tickers.BTCUSDT' && m.type === 'delta');
  linear.socket.send('{"req_id":"u","op":"unsubscribe","args":["tickers.BTCUSDT"]}');
  assert.equal((await linear.waitFor((m) => m.req_id === 'u')).success, true);
  linear.socket.send('{"req_id":"u2","op":"unsubscribe","args":["tickers.BTCUSDT"]}');
  assert.match((await linear.waitFor((m) => m.req_id === 'u2')).ret_msg, /not subscribed/);
});

test('orderbook: snapshot then deltas rebuild the top 50 of the simulator\'s book; trades carry UUID ids', async () => {
  const exchange = await bybit();
  const spot = await client(exchange, 'spot');
  spot.socket.send('{"req_id":"1","op":"subscribe","args":["orderbook.50.BTCUSDT","orderbook.1.ETHUSDT","publicTrade.BTCUSDT"]}');
  await spot.waitFor((m) => m.topic === 'orderbook.50.BTCUSDT' && m.type === 'delta');
  const trade = await spot.waitFor((m) => m.topic === 'publicTrade.BTCUSDT');
  assert.match(trade.data[0].i, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(['Buy', 'Sell'].includes(trade.data[0].S));
  // Spot puts "ts" before "type" (the docs' reminder).
  const raw = spot.raw.find((text) => text.startsWith('{"topic":"orderbook.50.BTCUSDT"'))!;
  assert.ok(raw.indexOf('"ts"') < raw.indexOf('"type"'));
  exchange.pause();
  const u = Number(exchange.book('btcusdt').extra!['spot:orderbook.50.BTCUSDT']);
  await spot.waitFor((m) => m.topic === 'orderbook.50.BTCUSDT' && m.data.u === u);
  const book: Book = { bids: new Map(), asks: new Map(), u: 0 };
  for (const message of spot.messages as Array<{ topic?: string; type: string; data: { b: string[][]; a: string[][]; u: number } }>) {
    if (message.topic === 'orderbook.50.BTCUSDT') apply(book, message);
  }
  const truth = exchange.book('btcusdt');
  assert.deepEqual([...book.bids], truth.bids.slice(0, 50));
  assert.deepEqual([...book.asks].sort((x, y) => Number(x[0]) - Number(y[0])), truth.asks.slice(0, 50));
  // Level 1 is snapshot only.
  const levelOne = (spot.messages as Array<{ topic?: string; type: string; data: { b: unknown[]; a: unknown[] } }>).filter((m) => m.topic === 'orderbook.1.ETHUSDT');
  assert.ok(levelOne.length > 0 && levelOne.every((m) => m.type === 'snapshot' && m.data.b.length <= 1 && m.data.a.length <= 1));
});

test('a topic whose only holder dropped its connection starts again from the market\'s book', async () => {
  const exchange = await bybit();
  const first = await client(exchange, 'linear');
  first.socket.send('{"req_id":"1","op":"subscribe","args":["orderbook.1.BTCUSDT"]}');
  const firstSnapshot = await first.waitFor((m) => m.topic === 'orderbook.1.BTCUSDT');
  // Dropped, not unsubscribed: the topic keeps its published book, which nothing updates now.
  first.socket.terminate();
  await new Promise((resolve) => first.socket.once('close', resolve));
  const top = (): string => JSON.stringify(exchange.book('btcusdt').bids[0]);
  const stale = top();
  for (let waited = 0; top() === stale && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  exchange.pause();
  assert.equal(exchange.book('btcusdt').extra!['linear:orderbook.1.BTCUSDT'], undefined, 'nobody holds the topic: no u to wait for');
  const second = await client(exchange, 'linear');
  second.socket.send('{"req_id":"2","op":"subscribe","args":["orderbook.1.BTCUSDT"]}');
  const snapshot = await second.waitFor((m) => m.topic === 'orderbook.1.BTCUSDT');
  const truth = exchange.book('btcusdt');
  assert.deepEqual([snapshot.data.b, snapshot.data.a], [truth.bids.slice(0, 1), truth.asks.slice(0, 1)]);
  assert.ok(snapshot.data.u > firstSnapshot.data.u, 'u goes on from the topic\'s last one');
  assert.equal(truth.extra!['linear:orderbook.1.BTCUSDT'], snapshot.data.u);
  exchange.resume();
});

test('faults: gap drops deltas then re-sends a snapshot; serviceRestart restarts u at 1', async () => {
  const exchange = await bybit();
  const linear = await client(exchange, 'linear');
  linear.socket.send('{"req_id":"1","op":"subscribe","args":["orderbook.50.ETHUSDT"]}');
  await linear.waitFor((m) => m.type === 'delta');
  // Linear, level 50: "ts" after "type".
  const raw = linear.raw.find((text) => text.startsWith('{"topic":"orderbook.50.ETHUSDT"'))!;
  assert.ok(raw.indexOf('"type"') < raw.indexOf('"ts"'));
  const from = linear.messages.length;
  assert.equal(exchange.injectFault({ type: 'gap', symbol: 'ethusdt', events: 2 }), 1);
  const resent = await linear.waitFor((m) => m.type === 'snapshot', from);
  const before = (linear.messages.slice(from, linear.messages.indexOf(resent)) as Array<{ data: { u: number } }>).at(-1);
  const last = before?.data.u ?? (linear.messages[from - 1] as { data: { u: number } }).data.u;
  assert.equal(resent.data.u, last + 3, 'two deltas lost (their u spent), then the snapshot');
  assert.equal(exchange.injectFault({ type: 'serviceRestart' }), 1);
  const restart = await linear.waitFor((m) => m.type === 'snapshot' && m.data.u === 1);
  await linear.waitFor((m) => m.type === 'delta' && m.data.u === 2, linear.messages.indexOf(restart));
  assert.throws(() => exchange.injectFault({ type: 'serverShutdown' }), RangeError);
});
