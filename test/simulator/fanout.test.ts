// Slow-consumer policy of the fan-out: at max rate, one client that stops reading must not stop
// data to the others; it is closed once its queue passes maxBufferedBytes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startExchange } from '../../simulator/exchange.js';
import { Recorder, WAIT_TIMEOUT_MS } from './helpers.js';

describe('fan-out slow-consumer policy', { timeout: 120_000 }, () => {
  it('max rate: a paused client is closed as a slow consumer and never stops data to the other client', async () => {
    const maxBufferedBytes = 2 * 1024 * 1024;
    const exchange = await startExchange({ rate: 0, symbols: ['btcusdt'], maxBufferedBytes, limits: { maxIncomingPerSecond: 0 } });
    try {
      const slow = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      const fast = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`);
      await Promise.all([slow.opened, fast.opened]);
      slow.socket.pause(); // stops reading: the kernel buffers fill, then the server's queue grows
      const closedDeadline = Date.now() + 10 * WAIT_TIMEOUT_MS;
      while (exchange.stats().slowConsumersClosed === 0) {
        assert.ok(Date.now() < closedDeadline, `slow consumer not closed; stats ${JSON.stringify(exchange.stats())}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // After the slow client's queue passed its bound, the fast one keeps receiving: well past
      // anything that could have been in flight (a 4 MiB high-water mark is ~40k messages).
      const from = fast.messages.length;
      const received = await fast.waitFor(() => fast.messages.length >= from + 100_000, from, 10 * WAIT_TIMEOUT_MS).then(() => fast.messages.length - from);
      assert.ok(received >= 100_000);
      assert.equal(exchange.stats().slowConsumersClosed, 1);
      // Update ids on the fast client never skip: it got every event.
      const ids = fast.messages.map((m: any) => m.u as number);
      for (let index = 1; index < ids.length; index++) assert.equal(ids[index], ids[index - 1]! + 1);
      slow.socket.resume();
      const [code] = await slow.closed;
      assert.ok(code === 1008 || code === 1006, `slow client closed with ${code}`);
      await fast.close();
    } finally {
      await exchange.close();
    }
  });
});
