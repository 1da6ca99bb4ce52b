// Hostile case 4 (per connection): an exception thrown by a connection's onMessage is contained
// like the client role's: reported to the connection's onError, the connection closed with 1011
// (internal error), and nothing escapes as an uncaughtException. (Server-level callbacks are in
// throwing-callbacks.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './peers.js';
import { clientOutcome, uncaught, watchUncaught, withServer } from './callback-server.js';

const record: Array<{ errors: Error[]; closes: number[] }> = [];

describe('hostile: a connection callback that throws', { timeout: 30_000 }, () => {
  watchUncaught();

  it('onMessage throws: close 1011, the connection onError and onClose once, nothing escapes', async () => {
    await withServer(
      {
        onConnection(connection) {
          const errors: Error[] = [];
          const closes: number[] = [];
          connection.onError = (error) => errors.push(error);
          connection.onClose = (code) => {
            closes.push(code);
            record.push({ errors, closes });
          };
          connection.onMessage = () => {
            throw new Error('onMessage failed');
          };
        },
      },
      async (url) => {
        const outcome = await clientOutcome(url, [], 'hello');
        assert.deepEqual(outcome, { closeCode: 1011 });
        await waitFor(() => record.length === 1, 'onClose');
        // Let anything late (a second onClose or onError) show itself before checking counts.
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(record[0]!.errors.length, 1);
        assert.deepEqual(record[0]!.closes, [1011]);
      },
    );
    assert.deepEqual(uncaught, []);
  });
});
