// Hostile case 4: exceptions thrown by the application's server callbacks are contained like the
// client role's: reported to onError, the connection closed with 1011 (internal error), and
// nothing escapes as an uncaughtException that would take the process down.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './peers.js';
import { clientOutcome, uncaught, watchUncaught, withServer } from './callback-server.js';

describe('hostile: server callbacks that throw', { timeout: 30_000 }, () => {
  watchUncaught();

  it('selectProtocol throws: the upgrade is answered 500, onError gets the error, nothing escapes', async () => {
    const thrown = new Error('selectProtocol failed');
    await withServer(
      {
        selectProtocol: () => {
          throw thrown;
        },
      },
      async (url, observed) => {
        const outcome = await clientOutcome(url, ['chat']);
        assert.deepEqual(outcome, { status: 500 });
        await waitFor(() => observed.serverErrors.length === 1, 'the server onError');
        assert.equal(observed.serverErrors[0], thrown);
        assert.equal(observed.closes.length, 0);
      },
    );
    assert.deepEqual(uncaught, []);
  });

  it('onConnection throws: close 1011, onError and onClose once, nothing escapes', async () => {
    const thrown = new Error('onConnection failed');
    const closes: number[] = [];
    await withServer(
      {
        onConnection(connection) {
          connection.onClose = (code) => closes.push(code);
          throw thrown;
        },
      },
      async (url, observed) => {
        const outcome = await clientOutcome(url);
        assert.deepEqual(outcome, { closeCode: 1011 });
        await waitFor(() => closes.length === 1, 'onClose');
        assert.deepEqual(closes, [1011]);
        assert.deepEqual(observed.serverErrors, [thrown]);
      },
    );
    assert.deepEqual(uncaught, []);
  });
});
