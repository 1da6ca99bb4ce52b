// Hostile case 6: permessage-deflate must not take the process down or diverge between engines.
// Both engines (native: zlib's handle driven synchronously; oneshot: public API only) get the
// same hostile inputs: an unlimited maxPayload, data after the final block, corrupt data, and a
// Node whose zlib internals differ. Run once per engine: this file re-runs itself in a child
// process with TICKWIRE_ZLIB=oneshot for the end-to-end part.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import zlib from 'node:zlib';
import { connect } from '../../src/client/connect.js';
import type { Client } from '../../src/client/client.js';
import { createInflateEngine, ENGINE_INVALID, selectEngineKind, type EngineKind } from '../../src/extensions/zlib-engine.js';
import { response101, startRawServer, type RawConnection, type RawServer } from '../helpers/raw-server.js';
import { frame, closeCodeOf } from '../helpers/frames.js';
import { waitFor, MiB } from './peers.js';

const here = dirname(fileURLToPath(import.meta.url));
const IN_CHILD = process.env['TICKWIRE_HOSTILE_CHILD'] === '1';
const SAMPLE = Buffer.from('{"e":"depthUpdate","s":"BTCUSDT","b":[["43000.10","0.5"]],"a":[["43000.20","1.25"]]}'.repeat(8));

/** A message as a permessage-deflate sender writes it: sync flush, 00 00 ff ff removed. */
function syncFlushed(bytes: Buffer): Buffer {
  const compressed = zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return compressed.subarray(0, compressed.length - 4);
}

/** A message that ends with a BFINAL block (RFC 7692 7.2.3.4 allows it), plus `trailing` bytes. */
function finalBlock(bytes: Buffer, trailing: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([zlib.deflateRawSync(bytes), trailing]);
}

const KINDS: EngineKind[] = ['native', 'oneshot'];

/** A raw server that accepts permessage-deflate, and a tickwire client with maxPayload Infinity. */
async function deflatePeer(): Promise<{ raw: RawServer; client: Client; peer: RawConnection; messages: Buffer[]; errors: Error[]; closes: number[] }> {
  const raw = await startRawServer({ respond: (request) => response101(request.key, ['Sec-WebSocket-Extensions: permessage-deflate']) });
  const messages: Buffer[] = [];
  const errors: Error[] = [];
  const closes: number[] = [];
  const client = await connect(raw.url, {
    perMessageDeflate: true,
    maxPayload: Infinity,
    onMessage: (data, start, end) => messages.push(Buffer.from(data.subarray(start, end))),
    onError: (error) => errors.push(error),
    onClose: (code) => closes.push(code),
  });
  return { raw, client, peer: await raw.nextConnection(), messages, errors, closes };
}


function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy['NODE_TEST_CONTEXT'];
  return copy;
}

describe('hostile: deflate engines', { timeout: 60_000 }, () => {
  for (const kind of KINDS) {
    describe(`${kind} engine`, () => {
      for (const limit of [Infinity, Number.MAX_SAFE_INTEGER, 2 ** 40, SAMPLE.length, 1.5 * SAMPLE.length]) {
        it(`inflates under every limit the options accept (${limit})`, () => {
          const engine = createInflateEngine({ windowBits: 15 }, kind);
          const input = syncFlushed(SAMPLE);
          const length = engine.inflate(input, 0, input.length, limit);
          assert.equal(length, SAMPLE.length, `error: ${engine.error}`);
          assert.ok(Buffer.from(engine.output.subarray(0, length)).equals(SAMPLE));
          engine.close();
        });
      }

      it('accepts a message ending with a BFINAL block, rejects bytes after it', () => {
        const engine = createInflateEngine({ windowBits: 15 }, kind);
        const final = finalBlock(SAMPLE);
        assert.equal(engine.inflate(final, 0, final.length, Infinity), SAMPLE.length);
        engine.close();
        for (const trailing of [Buffer.from([0x01]), Buffer.from([0x00, 0x00, 0xff, 0xff]), syncFlushed(SAMPLE)]) {
          const strict = createInflateEngine({ windowBits: 15 }, kind);
          const input = finalBlock(SAMPLE, trailing);
          assert.equal(strict.inflate(input, 0, input.length, Infinity), ENGINE_INVALID, `${trailing.length} trailing byte(s) accepted`);
          assert.notEqual(strict.error, '');
          strict.close();
        }
      });

      it('corrupt data fails with a message, every later call fails too, and nothing aborts', () => {
        const engine = createInflateEngine({ windowBits: 15 }, kind);
        const corrupt = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]);
        assert.equal(engine.inflate(corrupt, 0, corrupt.length, Infinity), ENGINE_INVALID);
        assert.notEqual(engine.error, '');
        const valid = syncFlushed(SAMPLE);
        assert.equal(engine.inflate(valid, 0, valid.length, Infinity), ENGINE_INVALID);
        engine.reset();
        engine.close();
        engine.close();
      });

      it('a 48 MiB message: the output buffer returns to its steady size once released', () => {
        const engine = createInflateEngine({ windowBits: 15 }, kind);
        const large = syncFlushed(Buffer.alloc(48 * MiB, 0x41));
        assert.equal(engine.inflate(large, 0, large.length, 64 * MiB), 48 * MiB);
        engine.release();
        assert.ok(engine.output.length <= MiB, `output still ${engine.output.length} bytes`);
        const small = syncFlushed(SAMPLE);
        assert.equal(engine.inflate(small, 0, small.length, 64 * MiB), SAMPLE.length);
        engine.close();
      });
    });
  }

  it('a Node whose zlib internals differ: the self test picks oneshot and the process survives', () => {
    const child = spawnSync(process.execPath, [join(here, 'fixtures', 'zlib-internals-differ.js')], {
      encoding: 'utf8',
      env: withoutTestContext(process.env),
      timeout: 30_000,
    });
    assert.equal(child.status, 0, `exit ${child.status} signal ${child.signal}\n${child.stderr.slice(0, 600)}`);
    const result = JSON.parse(child.stdout.trim()) as { selected: string; first: number; second: number };
    assert.deepEqual(result, { selected: 'oneshot', first: ENGINE_INVALID, second: ENGINE_INVALID });
  });

  describe(`end to end with the ${selectEngineKind()} engine`, () => {
    it('maxPayload Infinity: compressed messages with context takeover arrive', async () => {
      const { raw, client, peer, messages, closes } = await deflatePeer();
      try {
        // One deflate stream across messages, as a server with context takeover sends them.
        const deflater = zlib.createDeflateRaw();
        for (let index = 0; index < 3; index++) {
          const compressed = await new Promise<Buffer>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (chunk: Buffer): number => chunks.push(chunk);
            deflater.on('data', onData);
            deflater.write(SAMPLE);
            deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflater.off('data', onData);
              resolve(Buffer.concat(chunks));
            });
          });
          peer.write(frame({ opcode: 1, rsv: 4, payload: compressed.subarray(0, compressed.length - 4) }));
        }
        deflater.close();
        await waitFor(() => messages.length === 3 || closes.length > 0, 'three messages');
        assert.deepEqual(closes, []);
        for (const message of messages) assert.ok(message.equals(SAMPLE));
        client.terminate();
        await waitFor(() => closes.length > 0, 'onClose');
        assert.deepEqual(closes, [1006]);
      } finally {
        await raw.close();
      }
    });

    it('data after a BFINAL block fails the connection with 1007, onClose once', async () => {
      const { raw, client, peer, errors, closes } = await deflatePeer();
      try {
        peer.write(frame({ opcode: 1, rsv: 4, payload: finalBlock(SAMPLE, Buffer.from([0x01, 0x02])) }));
        const reply = await peer.closeFrame();
        assert.equal(closeCodeOf(reply.payload), 1007);
        peer.socket.end();
        await waitFor(() => closes.length > 0, 'onClose');
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(closes, [1007]);
        assert.equal((errors[0] as Error & { code?: string }).code, 'WS_ERR_INVALID_COMPRESSED_DATA');
        client.terminate();
      } finally {
        await raw.close();
      }
    });
  });

  if (!IN_CHILD) {
    it('the end-to-end tests pass with TICKWIRE_ZLIB=oneshot too', () => {
      const child = spawnSync(process.execPath, ['--test', '--expose-gc', '--test-name-pattern=end to end', fileURLToPath(import.meta.url)], {
        encoding: 'utf8',
        // Without the runner's NODE_TEST_CONTEXT the child reports in plain TAP, not to our runner.
        env: { ...withoutTestContext(process.env), TICKWIRE_ZLIB: 'oneshot', TICKWIRE_HOSTILE_CHILD: '1' },
        timeout: 60_000,
      });
      assert.match(child.stdout, /end to end with the oneshot engine/);
      assert.equal(child.status, 0, child.stdout.slice(-2000));
    });
  }
});
