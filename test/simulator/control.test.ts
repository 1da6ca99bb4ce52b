import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startExchange } from '../../simulator/exchange.js';
import { parseControlRequest } from '../../simulator/control.js';
import { Recorder, delay } from './helpers.js';

const METHODS_LIST = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`';

describe('live subscribe/unsubscribe requests', { timeout: 30_000 }, async () => {
  // The incoming-message limit is off here: these tests send requests back to back.
  const exchange = await startExchange({ rate: 200, limits: { maxIncomingPerSecond: 0, maxStreams: 4 } });
  after(() => exchange.close());

  it('SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE round trip with the documented responses', async () => {
    const client = new Recorder(`${exchange.url}/ws`);
    await client.opened;
    assert.deepEqual(await client.request({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@depth'], id: 1 }), { result: null, id: 1 });
    assert.equal(client.raw.find((text) => text.startsWith('{"result"')), '{"result":null,"id":1}');
    await client.waitFor((m) => m.e === 'aggTrade');
    assert.deepEqual(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 }), { result: ['btcusdt@aggTrade', 'btcusdt@depth'], id: 3 });
    assert.deepEqual(await client.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@depth'], id: 312 }), { result: null, id: 312 });
    assert.deepEqual(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 'abc-4' }), { result: ['btcusdt@aggTrade'], id: 'abc-4' });
    assert.deepEqual(await client.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: null }), { result: null, id: null });
    // After unsubscribing everything no more events arrive.
    const count = client.messages.length;
    await delay(150);
    assert.equal(client.messages.length, count);
    await client.close();
  });

  it('SET_PROPERTY combined switches payload wrapping; GET_PROPERTY reports it', async () => {
    const client = new Recorder(`${exchange.url}/ws/ethusdt@bookTicker`);
    await client.waitFor((m) => 'u' in m && !('stream' in m));
    assert.deepEqual(await client.request({ method: 'GET_PROPERTY', params: ['combined'], id: 2 }), { result: false, id: 2 });
    assert.deepEqual(await client.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 5 }), { result: null, id: 5 });
    const from = client.messages.length;
    const wrapped = await client.waitFor((m) => 'stream' in m, from);
    assert.equal(wrapped.stream, 'ethusdt@bookTicker');
    assert.deepEqual(await client.request({ method: 'GET_PROPERTY', params: ['combined'], id: 6 }), { result: true, id: 6 });
    await client.close();
  });

  it('answers bad requests with the documented error texts, nested under "error" as the live server sends them', async () => {
    const client = new Recorder(`${exchange.url}/ws`);
    await client.opened;
    assert.deepEqual(await client.request({ method: 'GET_PROPERTY', params: ['colour'], id: 7 }), { error: { code: 0, msg: 'Unknown property' }, id: 7 });
    assert.deepEqual(await client.request({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 8 }), {
      error: { code: 1, msg: 'Invalid value type: expected Boolean' },
      id: 8,
    });
    assert.deepEqual(await client.request({ method: 'SET_PROPERTY', params: [5, true], id: 9 }), {
      error: { code: 2, msg: 'Invalid request: property name must be a string' },
      id: 9,
    });
    assert.deepEqual(await client.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1.5 }, undefined), {
      error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' },
    });
    assert.deepEqual(await client.request({ method: 'LIST_SUBSCRIPTIONS', params: ['x'], id: 10 }), {
      error: { code: 2, msg: 'Invalid request: too many parameters' },
      id: 10,
    });
    const typo = await client.request('{"method":"SUBSCRIBEE","params":["btcusdt@trade"],"id":11}', 11);
    assert.deepEqual(typo, { error: { code: 2, msg: `Invalid request: unknown variant \`SUBSCRIBEE\`, expected one of ${METHODS_LIST} at line 1 column 22` }, id: 11 });
    const noMethod = await client.request('{"params":["btcusdt@trade"],"id":12}', undefined);
    assert.deepEqual(noMethod, { error: { code: 2, msg: 'Invalid request: missing field `method` at line 1 column 36' } });
    const badJson = await client.request('{"method":', undefined);
    assert.deepEqual(badJson, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 10' } });
    const unknownStream = await client.request({ method: 'SUBSCRIBE', params: ['btcusdt@trades'], id: 13 });
    assert.deepEqual(unknownStream, { error: { code: 2, msg: 'Invalid request: invalid stream' }, id: 13 });
    // Nothing was subscribed by the refused request.
    assert.deepEqual(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 14 }), { result: [], id: 14 });
    await client.close();
  });

  it('refuses to go past the stream limit per connection', async () => {
    const client = new Recorder(`${exchange.url}/ws/btcusdt@trade/btcusdt@aggTrade`);
    await client.opened;
    assert.deepEqual(await client.request({ method: 'SUBSCRIBE', params: ['ethusdt@trade', 'ethusdt@aggTrade'], id: 1 }), { result: null, id: 1 });
    const refused = await client.request({ method: 'SUBSCRIBE', params: ['bnbusdt@trade'], id: 2 });
    assert.equal(refused.error.code, 2);
    assert.equal(refused.id, 2);
    assert.match(refused.error.msg, /too many streams/);
    assert.equal((await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 })).result.length, 4);
    await client.close();
  });

  it('accepts stream names it does not serve in the URL, as the live server does: nothing flows for them, SUBSCRIBE works', async () => {
    // ccxt's path: /ws/<stream index>, then SUBSCRIBE (a listenKey is such a name on the live server).
    const ccxt = new Recorder(`${exchange.url}/ws/0`);
    await ccxt.opened;
    assert.deepEqual(await ccxt.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 }), { result: [], id: 1 });
    assert.deepEqual(await ccxt.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 2 }), { result: null, id: 2 });
    const trade = await ccxt.waitFor((m) => m.e === 'trade');
    assert.equal(trade.s, 'BTCUSDT');
    await ccxt.close();
    for (const path of ['/ws/btcusdt@nothing', '/ws/BTCUSDT@trade']) {
      const client = new Recorder(`${exchange.url}${path}`);
      await client.opened;
      assert.deepEqual(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 }), { result: [], id: 3 }, path);
      await client.close();
    }
    // Known names next to an unknown one are served; the unknown one sends nothing.
    const combined = new Recorder(`${exchange.url}/stream?streams=btcusdt@trade/xyz@trade`);
    const wrapped = await combined.waitFor((m) => 'stream' in m);
    assert.equal(wrapped.stream, 'btcusdt@trade');
    assert.deepEqual(await combined.request({ method: 'LIST_SUBSCRIPTIONS', id: 4 }), { result: ['btcusdt@trade'], id: 4 });
    assert.ok(combined.messages.every((m) => (m as { stream?: string }).stream !== 'xyz@trade'));
    await combined.close();
  });

  it('refuses paths other than /ws and /stream (404), bad timeUnit and too many streams in the URL (400)', async () => {
    for (const [path, status] of [
      ['/elsewhere', 404],
      ['/ws/btcusdt@trade?timeUnit=NANOSECOND', 400],
      ['/ws/a@trade/b@trade/c@trade/d@trade/e@trade', 400],
    ] as const) {
      const socket = new WebSocket(`${exchange.url}${path}`);
      socket.on('error', () => {});
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
      assert.equal(response.statusCode, status, path);
      socket.terminate();
    }
  });
});

describe('control request parsing', { timeout: 30_000 }, () => {
  it('accepts the documented id forms', () => {
    for (const id of [1, -5, 9007199254740991, 'abcDEF123', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', null]) {
      const parsed = parseControlRequest(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }));
      assert.equal(parsed.ok, true, String(id));
    }
    for (const id of [1.5, 'has space', 'x'.repeat(37), true, {}]) {
      const parsed = parseControlRequest(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }));
      assert.equal(parsed.ok, false, String(id));
    }
    assert.equal(parseControlRequest('{"method":"LIST_SUBSCRIPTIONS"}').ok, false, 'id is required');
  });
});
