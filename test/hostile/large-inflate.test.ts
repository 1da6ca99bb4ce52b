// Hostile case 8 (inflate side): the inflate output buffer grown for one large compressed message
// returns to its steady size once the message is delivered; an idle connection must not keep it.
// (The assembly side is in large-buffers.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/client/connect.js';
import { startWsPeer } from '../helpers/ws-peer.js';
import { externalBytes, waitFor, MiB, mib } from './peers.js';

const LARGE_BYTES = 48 * MiB;
/** What an idle connection may keep after the large message: steady buffers, not the message. */
const RETAINED_BOUND_BYTES = 4 * MiB;

describe('hostile: a large compressed message does not pin its inflate buffer', { timeout: 120_000 }, () => {
  it(`a ${LARGE_BYTES / MiB} MiB compressed message: the inflate buffer is let go`, async (t) => {
    const peer = await startWsPeer({ echo: false, server: { perMessageDeflate: { threshold: 0 } } });
    try {
      let received = -1;
      const client = await connect(peer.url, { perMessageDeflate: true, onMessage: (_data, start, end) => (received = end - start) });
      const connection = await peer.nextConnection();
      const baseline = externalBytes();
      connection.socket.send(Buffer.alloc(LARGE_BYTES, 0x41), { compress: true, binary: true });
      await waitFor(() => received !== -1, 'the large message', 60_000);
      assert.equal(received, LARGE_BYTES);
      await new Promise((resolve) => setImmediate(resolve));
      const retained = externalBytes() - baseline;
      t.diagnostic(`retained after the message: ${mib(retained)} MiB`);
      assert.ok(retained <= RETAINED_BOUND_BYTES, `an idle connection keeps ${mib(retained)} MiB`);
      client.terminate();
    } finally {
      await peer.close();
    }
  });
});
