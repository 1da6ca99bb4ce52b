import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BINANCE_LIMITS } from '../../simulator/session.js';
import { Recorder, delay, withExchange } from './helpers.js';


describe("Binance's connection limits", { timeout: 30_000 }, () => {
  it('defaults to the documented values', () => {
    assert.deepEqual(BINANCE_LIMITS, {
      pingIntervalMs: 20_000,
      pongTimeoutMs: 60_000,
      lifetimeMs: 86_400_000,
      shutdownNoticeMs: 600_000,
      maxIncomingPerSecond: 5,
      maxStreams: 1024,
      maxConnectionAttempts: 300,
      connectionAttemptWindowMs: 300_000,
      banMs: 120_000,
    });
  });

  it('disconnects a client that sends more than 5 messages in a second (pings count)', async () => {
    await withExchange({ rate: 10 }, async (exchange) => {
      const polite = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      const rude = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await Promise.all([polite.opened, rude.opened]);
      for (let index = 0; index < 5; index++) polite.socket.ping();
      for (let index = 0; index < 6; index++) rude.socket.ping();
      const [code] = await rude.closed;
      assert.equal(code, 1008);
      assert.equal(polite.socket.readyState, polite.socket.OPEN, 'five messages are within the limit');
      await polite.close();
    });
  });

  it('counts requests toward the limit too', async () => {
    await withExchange({ rate: 10 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws`);
      await client.opened;
      for (let index = 0; index < 6; index++) client.socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: index }));
      const [code] = await client.closed;
      assert.equal(code, 1008);
      assert.equal(client.messages.filter((m: any) => 'result' in m).length, 5);
    });
  });

  it('pings on its interval and keeps a client that answers', async () => {
    await withExchange({ rate: 10, limits: { pingIntervalMs: 40, pongTimeoutMs: 5000, maxIncomingPerSecond: 0 } }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      const pings: string[] = [];
      client.socket.on('ping', (data: Buffer) => pings.push(data.toString()));
      await client.opened;
      await delay(400);
      assert.ok(pings.length >= 3, `pings received: ${pings.length}`);
      assert.equal(client.socket.readyState, client.socket.OPEN);
      await client.close();
    });
  });

  it('disconnects a client that does not answer pings within the pong timeout', async () => {
    await withExchange({ rate: 10, limits: { pingIntervalMs: 30, pongTimeoutMs: 100 } }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`, { autoPong: false });
      // Unsolicited pongs do not count.
      client.socket.on('ping', () => client.socket.pong(Buffer.from('x')));
      const [code, reason] = await client.closed;
      assert.equal(code, 1008);
      assert.equal(reason, 'Pong timeout');
    });
  });

  it('announces the end of the connection lifetime with serverShutdown, then closes', async () => {
    await withExchange({ rate: 10, limits: { lifetimeMs: 300, shutdownNoticeMs: 150 } }, async (exchange) => {
      const raw = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      const combined = new Recorder(`${exchange.url}/stream?streams=btcusdt@bookTicker`);
      const [rawClose, combinedClose] = await Promise.all([raw.closed, combined.closed]);
      assert.equal(rawClose[0], 1001);
      assert.equal(combinedClose[0], 1001);
      const event = raw.messages.find((m: any) => m.e === 'serverShutdown') as Record<string, unknown>;
      assert.deepEqual(Object.keys(event), ['e', 'E']);
      assert.equal(typeof event['E'], 'number');
      const wrapped = combined.messages.find((m: any) => m.stream === '!serverShutdown') as { data: { e: string } };
      assert.equal(wrapped.data.e, 'serverShutdown');
      // The event comes before the close and after the last data is still flowing.
      assert.ok(raw.messages.indexOf(event) > 0);
    });
  });
});

describe('fault injection', { timeout: 30_000 }, () => {
  it('drop: destroys the TCP connection without a close frame', async () => {
    await withExchange({ rate: 100 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await client.waitFor((m) => 'u' in m);
      assert.equal(exchange.injectFault({ type: 'drop' }), 1);
      assert.deepEqual(await client.closed, [1006, '']);
    });
  });

  it('close: sends close 1001 going away', async () => {
    await withExchange({ rate: 100 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await client.waitFor((m) => 'u' in m);
      exchange.injectFault({ type: 'close', reason: 'maintenance' });
      assert.deepEqual(await client.closed, [1001, 'maintenance']);
    });
  });

  it('silent: stops data and pongs but keeps the socket open; resume restarts both', async () => {
    await withExchange({ rate: 200, limits: { maxIncomingPerSecond: 0 } }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await client.waitFor((m) => 'u' in m);
      exchange.injectFault({ type: 'silent' });
      await delay(50);
      const count = client.messages.length;
      let pongs = 0;
      client.socket.on('pong', () => pongs++);
      client.socket.ping();
      await delay(200);
      assert.equal(client.messages.length, count, 'no data while silent');
      assert.equal(pongs, 0, 'no pong while silent');
      assert.equal(client.socket.readyState, client.socket.OPEN, 'socket still open');
      exchange.injectFault({ type: 'resume' });
      await client.waitFor(() => client.messages.length > count);
      client.socket.ping();
      await new Promise((resolve) => client.socket.once('pong', resolve));
      await client.close();
    });
  });

  it('serverShutdown: sends the event on demand', async () => {
    await withExchange({ rate: 10 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@trade`);
      await client.opened;
      exchange.injectFault({ type: 'serverShutdown' });
      const event = await client.waitFor((m) => m.e === 'serverShutdown');
      assert.equal(typeof event.E, 'number');
      await client.close();
    });
  });

  it('rate: slows the stream down (an upper bound only: a busy machine can only be slower)', async () => {
    await withExchange({ rate: 2000, symbols: ['btcusdt'] }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await client.waitFor(() => client.messages.length >= 50);
      exchange.injectFault({ type: 'rate', rate: 2 });
      await delay(20);
      const before = exchange.stats().updates;
      await delay(400);
      assert.ok(exchange.stats().updates - before <= 2, `at most 2 updates in 400 ms at 2/s (got ${exchange.stats().updates - before})`);
      await client.close();
    });
  });
});
