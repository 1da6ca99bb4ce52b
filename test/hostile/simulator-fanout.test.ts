// Hostile case 5: at the simulator's maximum rate, one client that stops reading must not stop
// the data for every other client; its own queue stays bounded: past the slow-consumer limit
// (maxBufferedBytes) it is closed with 1008 instead of growing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/client/connect.js';
import type { Client } from '../../src/client/client.js';
import { startExchange } from '../../simulator/exchange.js';
import { waitFor } from './peers.js';

/** Messages each reading client must still get after the other one stalled. */
const MESSAGES_AFTER_STALL = 300_000;
/** The simulator's slow-consumer bound for this test: the stalled client must pass it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

describe('hostile: simulator at max rate with one client that stops reading', { timeout: 120_000 }, () => {
  it('the reading clients keep receiving; the stalled one is bounded', async (t) => {
    const exchange = await startExchange({ rate: 0, symbols: ['btcusdt'], maxBufferedBytes: MAX_BUFFERED_BYTES });
    const clients: Client[] = [];
    try {
      const counts = [0, 0, 0];
      const closes: number[][] = [[], [], []];
      for (let index = 0; index < 3; index++) {
        clients.push(
          await connect(`${exchange.url}/ws/btcusdt@trade`, {
            onMessage: () => counts[index]!++,
            onClose: (code) => closes[index]!.push(code),
            onError() {},
          }),
        );
      }
      await waitFor(() => counts.every((count) => count > 1000), 'data for every client', 30_000);
      clients[0]!.pause(); // the hostile client: never reads again
      const start = [counts[1]!, counts[2]!];
      await waitFor(
        () => counts[1]! - start[0]! >= MESSAGES_AFTER_STALL && counts[2]! - start[1]! >= MESSAGES_AFTER_STALL,
        `${MESSAGES_AFTER_STALL} more messages for the reading clients (got ${counts[1]! - start[0]!}, ${counts[2]! - start[1]!})`,
        60_000,
      );
      t.diagnostic(`after the stall: ${counts[1]! - start[0]!} and ${counts[2]! - start[1]!} messages; exchange ${JSON.stringify(exchange.stats())}`);
      assert.deepEqual(closes[1], []);
      assert.deepEqual(closes[2], []);
      // The stalled client's queue is bounded: past maxBufferedBytes it is closed (1008), and
      // reports that close once when it reads again (1006 if its socket was destroyed first).
      await waitFor(() => exchange.stats().slowConsumersClosed === 1, 'the slow consumer to be closed', 60_000);
      clients[0]!.resume();
      await waitFor(() => closes[0]!.length > 0, 'onClose of the stalled client', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(closes[0]!.length, 1);
      assert.ok(closes[0]![0] === 1008 || closes[0]![0] === 1006, `close code ${closes[0]![0]}`);
      assert.equal(exchange.stats().slowConsumersClosed, 1);
    } finally {
      for (const client of clients) client.terminate();
      await exchange.close();
    }
  });
});
