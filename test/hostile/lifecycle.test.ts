// Hostile case 7: lifecycle edges. After terminate() the connection is closed at once: `state`
// says so, and send()/ping() throw WS_ERR_NOT_OPEN instead of dropping data silently. Options
// that timers or the worker cannot honour are refused when given, not ignored.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/client/connect.js';
import { connectWorker } from '../../src/ring/worker-client.js';
import { startWsPeer } from '../helpers/ws-peer.js';
import { waitFor } from './peers.js';

/** setTimeout fires after 1 ms for any delay above this (Node warns and clamps). */
const MAX_TIMER_MS = 2 ** 31 - 1;

describe('hostile: lifecycle edges', { timeout: 30_000 }, async () => {
  const peer = await startWsPeer({ echo: false });
  after(() => peer.close());

  it('terminate(): state is closed at once, send and ping throw, onClose once with 1006', async () => {
    const closes: number[] = [];
    const client = await connect(peer.url, { onMessage() {}, onClose: (code) => closes.push(code) });
    client.terminate();
    assert.equal(client.state, 'closed');
    assert.throws(() => client.send('after terminate'), { code: 'WS_ERR_NOT_OPEN' });
    assert.throws(() => client.ping(), { code: 'WS_ERR_NOT_OPEN' });
    // Nothing may be queued for a dead socket.
    assert.equal(client.bufferedAmount, 0);
    await waitFor(() => closes.length > 0, 'onClose');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(closes, [1006]);
    client.terminate(); // a second terminate is a no-op
    assert.deepEqual(closes, [1006]);
  });

  for (const name of ['handshakeTimeoutMs', 'closeTimeoutMs'] as const) {
    it(`${name} above what a timer can honour (2^31 ms) is refused`, async () => {
      await assert.rejects(connect(peer.url, { onMessage() {}, [name]: MAX_TIMER_MS + 1 }), { code: 'WS_ERR_INVALID_ARGUMENT' });
      const client = await connect(peer.url, { onMessage() {}, [name]: MAX_TIMER_MS });
      client.terminate();
    });
  }

  it('connectWorker honours perMessageDeflate or refuses it, never ignores it', async () => {
    const before = peer.connections.length;
    let client: Awaited<ReturnType<typeof connectWorker>> | null = null;
    try {
      client = await connectWorker(peer.url, { onMessage() {}, perMessageDeflate: true });
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'WS_ERR_INVALID_ARGUMENT');
      assert.equal(peer.connections.length, before);
      return;
    }
    try {
      await waitFor(() => peer.connections.length > before, 'the connection');
      const offered = peer.connections[peer.connections.length - 1]!.request.headers['sec-websocket-extensions'] ?? '';
      assert.match(offered, /permessage-deflate/);
    } finally {
      client.terminate();
    }
  });


});
