// Hostile case 8 (assembly side): the buffer grown to assemble one large message (spanning reads
// or fragments) returns to its steady size once the message is delivered; an idle connection
// must not hold tens of MiB for its whole life. (The inflate side is in large-inflate.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { connect } from '../../src/client/connect.js';
import { startRawServer } from '../helpers/raw-server.js';
import { frame } from '../helpers/frames.js';
import { externalBytes, waitFor, MiB, mib } from './peers.js';

const LARGE_BYTES = 48 * MiB;
/** What an idle connection may keep after the large message: steady buffers, not the message. */
const RETAINED_BOUND_BYTES = 4 * MiB;

/**
 * Writes one LARGE_BYTES binary message in `fragments` frames. A function of its own so that
 * the frames die with it: a local of the test body that lives across an await stays in the
 * async function's context, and would count as retained.
 */
async function writeMessage(socket: Socket, fragments: number): Promise<void> {
  const part = LARGE_BYTES / fragments;
  for (let index = 0; index < fragments; index++) {
    const bytes = frame({ opcode: index === 0 ? 2 : 0, fin: index === fragments - 1, payload: Buffer.alloc(part, index + 1) });
    if (!socket.write(bytes)) await once(socket, 'drain');
  }
}

describe('hostile: large messages do not pin large buffers', { timeout: 120_000 }, () => {
  for (const fragments of [1, 3]) {
    it(`a ${LARGE_BYTES / MiB} MiB message in ${fragments} frame(s): the assembly buffer is let go`, async (t) => {
      const raw = await startRawServer();
      try {
        let received = -1;
        const client = await connect(raw.url, { onMessage: (_data, start, end) => (received = end - start) });
        const peer = await raw.nextConnection();
        const baseline = externalBytes();
        await writeMessage(peer.socket, fragments);
        await waitFor(() => received !== -1, 'the large message', 60_000);
        assert.equal(received, LARGE_BYTES);
        await new Promise((resolve) => setImmediate(resolve));
        const retained = externalBytes() - baseline;
        t.diagnostic(`retained after the message: ${mib(retained)} MiB`);
        assert.ok(retained <= RETAINED_BOUND_BYTES, `an idle connection keeps ${mib(retained)} MiB`);
        client.terminate();
      } finally {
        await raw.close();
      }
    });
  }

});
