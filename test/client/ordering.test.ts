// Ordering and re-entrancy at the edges of the connection's life: calls made from inside
// callbacks, bytes that race the 101 or the close handshake, errors while closing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect, type Client } from '../../src/index.js';
import { ClientRecorder } from '../helpers/client-recorder.js';
import { close, closeCodeOf, continuation, frame, ping, text } from '../helpers/frames.js';
import { acceptFor, startRawServer, type RawServer, type RawServerOptions } from '../helpers/raw-server.js';

async function withServer(options: RawServerOptions, body: (server: RawServer) => Promise<void>): Promise<void> {
  const server = await startRawServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

describe('calls from inside callbacks', () => {
  test('close() inside onMessage: later messages of the same read are still delivered, one close frame', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const options = recorder.options();
      let client: Client | null = null;
      client = await connect(server.url, {
        ...options,
        onMessage(data, start, end, isText) {
          options.onMessage(data, start, end, isText);
          if (client!.state === 'open') client!.close(4000, 'enough');
        },
      });
      const connection = await server.nextConnection();
      connection.write(Buffer.concat([text('one'), text('two'), ping('p')]));
      const closeFrame = await connection.closeFrame();
      assert.equal(closeCodeOf(closeFrame.payload), 4000);
      await recorder.waitForMessages(2);
      connection.write(close(4000));
      assert.deepEqual(await recorder.settledClose(), { code: 4000, reason: '' });
      assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), ['one', 'two']);
      // No pong while closing (RFC 6455 allows either), and never a second close frame.
      assert.equal(connection.frames.filter((item) => item.opcode === 8).length, 1);
    });
  });

  test('terminate() inside onMessage: the rest of the read is dropped, onClose(1006) once', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const options = recorder.options();
      let client: Client | null = null;
      client = await connect(server.url, {
        ...options,
        onMessage(data, start, end, isText) {
          options.onMessage(data, start, end, isText);
          client!.terminate();
        },
      });
      const connection = await server.nextConnection();
      connection.write(Buffer.concat([text('one'), text('two'), text('three')]));
      assert.equal((await recorder.settledClose()).code, 1006);
      assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), ['one']);
      assert.equal(recorder.events.closes.length, 1);
    });
  });

  test('send() inside onMessage (echo from the callback) works and keeps order', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const options = recorder.options();
      let client: Client | null = null;
      client = await connect(server.url, {
        ...options,
        onMessage(data, start, end, isText) {
          options.onMessage(data, start, end, isText);
          client!.send(data.subarray(start, end), isText);
        },
      });
      const connection = await server.nextConnection();
      connection.write(Buffer.concat([text('a'), text('bb'), frame({ opcode: 2, payload: Buffer.from([1, 2, 3]) })]));
      const frames = await connection.waitForFrames(3);
      assert.deepEqual(frames.map((item) => [item.opcode, item.payload.toString('hex')]), [[1, '61'], [1, '6262'], [2, '010203']]);
      client.terminate();
      await recorder.settledClose();
    });
  });

  test('an onError that throws and an onClose that throws do not escape', async () => {
    await withServer({ afterResponse: frame({ opcode: 3 }) }, async (server) => {
      let closes = 0;
      await connect(server.url, {
        onMessage() {},
        onError() {
          throw new Error('bad onError');
        },
        onClose() {
          closes++;
          throw new Error('bad onClose');
        },
      });
      const connection = await server.nextConnection();
      assert.equal(closeCodeOf((await connection.closeFrame()).payload), 1002);
      await connection.closed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closes, 1);
    });
  });
});

describe('pause() and resume()', () => {
  test('no message is delivered while paused; all arrive in order after resume()', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const client = await connect(server.url, recorder.options());
      const connection = await server.nextConnection();
      connection.write(text('before'));
      await recorder.waitForMessages(1);
      client.pause();
      for (let index = 0; index < 50; index++) connection.write(text(`m${index}`));
      connection.write(ping('while paused'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(recorder.events.messages.length, 1, 'nothing read while paused');
      assert.equal(recorder.events.pings.length, 0);
      client.resume();
      await recorder.waitForMessages(51);
      assert.deepEqual(
        recorder.events.messages.slice(1).map((message) => message.data.toString()),
        Array.from({ length: 50 }, (_, index) => `m${index}`),
      );
      const [pongFrame] = await connection.waitForFrames(1);
      assert.equal(pongFrame!.payload.toString(), 'while paused');
      client.close();
      await connection.closeFrame();
      connection.write(close(1000));
      assert.equal((await recorder.settledClose()).code, 1000);
    });
  });
});

describe('bytes racing the handshake and the close', () => {
  test('a protocol error in the same segment as the 101: connect() resolves, then the connection fails with 1002', async () => {
    await withServer({ afterResponse: Buffer.concat([text('fine'), frame({ opcode: 0xb })]) }, async (server) => {
      const recorder = new ClientRecorder();
      const client = await connect(server.url, recorder.options());
      assert.equal(client.state, 'open');
      const connection = await server.nextConnection();
      assert.equal(closeCodeOf((await connection.closeFrame()).payload), 1002);
      assert.equal((await recorder.settledClose()).code, 1002);
      assert.equal(recorder.events.messages.length, 1);
      assert.equal((recorder.events.errors[0] as { code?: string }).code, 'WS_ERR_INVALID_OPCODE');
    });
  });

  test('101 + a message + FIN in one segment: the message is delivered, then onClose(1006)', async () => {
    await withServer(
      {
        respond(request, socket) {
          socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(request.key)}\r\n\r\n`, 'latin1'), text('last')]));
          return null;
        },
      },
      async (server) => {
        const recorder = new ClientRecorder();
        await connect(server.url, recorder.options());
        assert.equal((await recorder.settledClose()).code, 1006);
        assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), ['last']);
      },
    );
  });

  test('messages the server sends after our close frame (before its own) are delivered', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const client = await connect(server.url, recorder.options());
      const connection = await server.nextConnection();
      client.close(1000);
      await connection.closeFrame();
      connection.write(Buffer.concat([text('in flight'), text('fragmented ', false), continuation('too'), close(1000)]));
      assert.deepEqual(await recorder.settledClose(), { code: 1000, reason: '' });
      assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), ['in flight', 'fragmented too']);
    });
  });

  test('a protocol error while closing: reported, no second close frame, onClose with the failure code', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      const client = await connect(server.url, recorder.options({ closeTimeoutMs: 2000 }));
      const connection = await server.nextConnection();
      client.close(1000);
      await connection.closeFrame();
      connection.write(text(Buffer.from([0xff])));
      assert.equal((await recorder.settledClose()).code, 1007);
      assert.equal((recorder.events.errors[0] as { code?: string }).code, 'WS_ERR_INVALID_UTF8');
      assert.equal(recorder.events.errors.length, 1);
      assert.equal(connection.frames.filter((item) => item.opcode === 8).length, 1);
    });
  });

  test('a close reason is reported exactly, a leading U+FEFF included', async () => {
    await withServer({}, async (server) => {
      const recorder = new ClientRecorder();
      await connect(server.url, recorder.options());
      const connection = await server.nextConnection();
      const reason = '\ufeffbye ☃';
      connection.write(close(4002, reason));
      assert.deepEqual(await recorder.settledClose(), { code: 4002, reason });
    });
  });
});
