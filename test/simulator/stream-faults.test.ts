// Faults a managed stream must survive, over real sockets: one stream going silent while the
// others go on, a server restart on the same port, and the connection-attempt limits (429 with
// Retry-After, then 418 for an address that does not wait).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { Recorder, delay, withExchange } from './helpers.js';


/** One upgrade attempt: 101 (then closed again), or the refusal's status and Retry-After. */
async function attempt(url: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  const socket = new WebSocket(url);
  socket.on('error', () => {});
  const outcome = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve) => {
    socket.once('open', () => resolve({ status: 101, retryAfter: undefined, body: '' }));
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }));
    });
  });
  if (outcome.status === 101) {
    socket.close();
    await once(socket, 'close');
  }
  return outcome;
}

describe('stream faults', { timeout: 60_000 }, () => {
  it('silenceStream: one stream stops while the others on the same connection go on; resumeStream restarts it', async () => {
    await withExchange({ rate: 500, symbols: ['btcusdt'] }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/stream?streams=btcusdt@bookTicker/btcusdt@trade/btcusdt@depth@100ms`);
      await client.waitFor((m) => m.stream === 'btcusdt@trade');
      await client.waitFor((m) => m.stream === 'btcusdt@depth@100ms');
      assert.equal(exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@trade' }), 1);
      assert.equal(exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@depth@100ms' }), 1);
      const silencedAt = exchange.book('btcusdt').lastUpdateId;
      // One connection is ordered: once a bookTicker from after the silence arrived, every trade
      // sent before it has arrived too. 300 more updates make hundreds of (unsent) trades.
      const marker = client.messages.indexOf(await client.waitFor((m) => m.stream === 'btcusdt@bookTicker' && m.data.u > silencedAt));
      await client.waitFor((m) => m.stream === 'btcusdt@bookTicker' && m.data.u > silencedAt + 300, marker);
      const during = client.messages.slice(marker);
      assert.equal(during.filter((m: any) => m.stream === 'btcusdt@trade').length, 0, 'no trade while the trade stream is silent');
      assert.equal(during.filter((m: any) => m.stream === 'btcusdt@depth@100ms').length, 0, 'no depth while the depth stream is silent');
      assert.ok(during.filter((m: any) => m.stream === 'btcusdt@bookTicker').length >= 300, 'bookTicker goes on');

      const lastTrade = client.messages.filter((m: any) => m.stream === 'btcusdt@trade').at(-1) as { data: { t: number } };
      const depthBefore = client.messages.filter((m: any) => m.stream === 'btcusdt@depth@100ms').at(-1) as { data: { u: number } };
      exchange.injectFault({ type: 'resumeStream', stream: 'btcusdt@trade' });
      exchange.injectFault({ type: 'resumeStream', stream: 'btcusdt@depth@100ms' });
      const trade = await client.waitFor((m) => m.stream === 'btcusdt@trade', marker);
      // Trades made while silent were never sent: the id skips (a client sees a gap).
      assert.ok(trade.data.t > lastTrade.data.t + 1, `trade id ${trade.data.t} after ${lastTrade.data.t}`);
      // Diff depth kept collecting: the first event after resuming continues the id range.
      const depth = await client.waitFor((m) => m.stream === 'btcusdt@depth@100ms', marker);
      assert.equal(depth.data.U, depthBefore.data.u + 1);
      await client.close();
    });
  });

  it('silenceStream rejects a stream the exchange does not serve', async () => {
    await withExchange({}, async (exchange) => {
      assert.throws(() => exchange.injectFault({ type: 'silenceStream', stream: 'btcusdt@nothing' }), RangeError);
    });
  });

  it('restart: connections drop, the same port refuses during the downtime, then serves again with ids going on', async () => {
    await withExchange({ rate: 200, symbols: ['btcusdt'] }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@depth@100ms`);
      const before = await client.waitFor((m) => m.e === 'depthUpdate');
      const restarted = exchange.restart({ downtimeMs: 3000 });
      assert.deepEqual(await client.closed, [1006, '']);
      const refused = new WebSocket(`${exchange.url}/ws/btcusdt@trade`);
      const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
      assert.equal(error.code, 'ECONNREFUSED');
      await restarted;
      const again = new Recorder(`${exchange.url}/ws/btcusdt@depth@100ms`);
      const after = await again.waitFor((m) => m.e === 'depthUpdate');
      assert.ok(after.U > before.u, 'update ids continue after the restart');
      const snapshot = (await (await fetch(`${exchange.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { lastUpdateId: number };
      assert.ok(snapshot.lastUpdateId >= after.u - 1000);
      await again.close();
    });
  });

  it('restart with a close code: clients see the close handshake', async () => {
    await withExchange({ rate: 50 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await client.waitFor((m) => 'u' in m);
      await exchange.restart({ closeCode: 1001 });
      assert.deepEqual(await client.closed, [1001, '']);
      const again = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await again.waitFor((m) => 'u' in m);
      await again.close();
    });
  });

  it('connection-attempt limit: 429 with Retry-After over the budget, 418 for an address that does not wait', async () => {
    await withExchange({ limits: { maxConnectionAttempts: 3, connectionAttemptWindowMs: 60_000, banMs: 120_000 } }, async (exchange) => {
      const url = `${exchange.url}/ws/btcusdt@bookTicker`;
      for (let index = 0; index < 3; index++) assert.equal((await attempt(url)).status, 101);
      const limited = await attempt(url);
      assert.equal(limited.status, 429);
      // The oldest attempt leaves the 60 s window within a minute.
      assert.ok(Number(limited.retryAfter) >= 1 && Number(limited.retryAfter) <= 60, String(limited.retryAfter));
      assert.equal(JSON.parse(limited.body).code, -1003);
      const banned = await attempt(url);
      assert.equal(banned.status, 418);
      assert.equal(banned.retryAfter, '120');
      // Still banned: the remaining time, not a new ban.
      const stillBanned = await attempt(url);
      assert.equal(stillBanned.status, 418);
      assert.ok(Number(stillBanned.retryAfter) <= 120);
      const stats = exchange.stats();
      assert.equal(stats.connectionAttempts, 6);
      assert.equal(stats.rejected429, 1);
      assert.equal(stats.rejected418, 2);
      // REST is not a stream connection attempt.
      assert.equal((await fetch(`${exchange.restUrl}/api/v3/ping`)).status, 200);
    });
  });

  it('rateLimit fault: 429 for its duration; an attempt after Retry-After is accepted, one before it is banned', async () => {
    await withExchange({ limits: { banMs: 5000 } }, async (exchange) => {
      const url = `${exchange.url}/ws/btcusdt@bookTicker`;
      exchange.injectFault({ type: 'rateLimit', retryAfterMs: 1500 });
      const limited = await attempt(url);
      assert.equal(limited.status, 429);
      // Whole seconds, rounded up: 2 unless this attempt took over half a second to arrive.
      assert.ok(limited.retryAfter === '2' || limited.retryAfter === '1', String(limited.retryAfter));
      await delay(2200);
      assert.equal((await attempt(url)).status, 101, 'a client that waited Retry-After gets in');

      exchange.injectFault({ type: 'rateLimit', retryAfterMs: 30_000 });
      assert.equal((await attempt(url)).status, 429);
      const banned = await attempt(url);
      assert.equal(banned.status, 418, 'retrying before Retry-After is a ban');
      assert.equal(banned.retryAfter, '5');
    });
  });
});
