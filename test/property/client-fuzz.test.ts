// End-to-end fuzzing over a real loopback socket: after a correct 101, a raw server writes
// random or mutated bytes (in random pieces) and then either closes, ends or keeps quiet while
// the client closes. Whatever arrives, the client never throws, connect() and close() settle,
// and onClose fires exactly once with a legal code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { connect } from '../../src/index.js';
import { isValidCloseCode } from '../../src/protocol/close-payload.js';
import { ClientRecorder, withTimeout } from '../helpers/client-recorder.js';
import { binary, close, continuation, frame, ping, pong, text } from '../helpers/frames.js';
import { startRawServer, type RawServer } from '../helpers/raw-server.js';

let server: RawServer;
before(async () => {
  server = await startRawServer();
});
after(async () => {
  await server.close();
});

/** Plausible server traffic to mutate. */
const validFrame = fc.oneof(
  fc.string({ maxLength: 40 }).map((value) => text(value)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => binary(bytes)),
  fc.uint8Array({ maxLength: 125 }).map((bytes) => ping(bytes)),
  fc.uint8Array({ maxLength: 125 }).map((bytes) => pong(bytes)),
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => Buffer.concat([text(a, false), ping('x'), continuation(b)])),
  fc.constantFrom(close(1000, 'bye'), close(), close(4000), close(1004), frame({ opcode: 8, payload: Buffer.from([1]) })),
);

const traffic = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(fc.array(validFrame, { maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
    .map(([frames, flips]) => {
      const bytes = Buffer.concat(frames);
      for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
      return bytes;
    }),
);

const ending = fc.constantFrom('server-end', 'server-destroy', 'client-close', 'client-terminate', 'nothing');

test('random and mutated server bytes: no throw, onClose exactly once with a legal code', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(traffic, fc.array(fc.nat({ max: 400 }), { maxLength: 4 }), ending, async (bytes, cuts, how) => {
      const recorder = new ClientRecorder();
      const client = await withTimeout(connect(server.url, recorder.options({ closeTimeoutMs: 200 })), 5000, 'connect');
      const connection = await server.nextConnection();
      const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
      let from = 0;
      for (const to of [...points, bytes.length]) {
        connection.write(bytes.subarray(from, to));
        from = to;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Whatever the client made of the bytes, the API must not throw in a surprising way.
      if (how === 'client-close') client.close(1000);
      else if (how === 'client-terminate') client.terminate();
      else if (how === 'server-end') connection.socket.end();
      else if (how === 'server-destroy') connection.socket.destroy();
      // 'nothing': the bytes themselves (a close frame, an error) may end it; otherwise the
      // server drops the connection after a short while.
      const fallback = setTimeout(() => connection.socket.destroy(), 300);
      try {
        const result = await withTimeout(recorder.closed, 5000, `onClose (${how})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        assert.equal(recorder.events.closes.length, 1, 'onClose exactly once');
        assert.ok(result.code === 1005 || result.code === 1006 || isValidCloseCode(result.code), `legal close code ${result.code}`);
        assert.equal(client.state, 'closed');
        const protocolErrors = recorder.events.errors.filter((error) => [1002, 1007, 1009].includes((error as { closeCode?: number }).closeCode ?? 0));
        assert.ok(protocolErrors.length <= 1, `at most one protocol error: ${JSON.stringify(recorder.summary())}`);
        if (protocolErrors.length === 1) assert.equal(result.code, (protocolErrors[0] as { closeCode?: number }).closeCode, 'onClose reports the failure code');
        for (const error of recorder.events.errors) {
          const code = (error as { code?: string }).code;
          assert.ok(typeof code === 'string' && code.startsWith('WS_ERR_'), `error with a code: ${error.message}`);
        }
        // Any close frame the client sent is masked and carries a code it may send.
        for (const sent of connection.frames.filter((item) => item.opcode === 8)) {
          assert.ok(sent.masked);
          if (sent.payload.length >= 2) assert.ok(isValidCloseCode(sent.payload.readUInt16BE(0)), `sent close code ${sent.payload.readUInt16BE(0)}`);
          else assert.equal(sent.payload.length, 0);
        }
        assert.ok(connection.frames.filter((item) => item.opcode === 8).length <= 1, 'at most one close frame sent');
        assert.ok(connection.frames.every((item) => item.masked), 'every client frame masked');
        assert.throws(() => client.send('late'), { code: 'WS_ERR_NOT_OPEN' });
      } finally {
        clearTimeout(fallback);
        connection.socket.destroy();
      }
    }),
    { numRuns: 80 },
  );
});
