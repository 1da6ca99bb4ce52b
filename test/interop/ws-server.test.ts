// tickwire's client against `ws` as the server, over loopback: the Autobahn|Testsuite categories
// that a compliant server can drive (1 framing, 2 ping/pong, 5 fragmentation, 6 UTF-8, 7 close,
// 9 sizes), plus subprotocols, request headers and bufferedAmount.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../src/index.js';
import type { Client } from '../../src/client/client.js';
import { ClientRecorder, withTimeout } from '../helpers/client-recorder.js';
import { asciiText, patternBytes } from '../helpers/frames.js';
import { startWsPeer, until, type WsPeer } from '../helpers/ws-peer.js';

const MiB = 1024 * 1024;

async function open(peer: WsPeer, extra: Parameters<ClientRecorder['options']>[0] = {}): Promise<{ client: Client; recorder: ClientRecorder }> {
  const recorder = new ClientRecorder();
  const client = await connect(peer.url, recorder.options(extra));
  return { client, recorder };
}

async function closeNormally(client: Client, recorder: ClientRecorder): Promise<void> {
  if (client.state === 'open') client.close();
  const result = await recorder.settledClose();
  assert.equal(result.code, 1000);
  assert.equal(recorder.events.closes.length, 1);
}

describe('ws as the server', () => {
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer();
  });
  after(async () => {
    await peer.close();
  });

  describe('1. framing: echo of text and binary messages', () => {
    for (const size of [0, 1, 125, 126, 127, 65535, 65536]) {
      test(`${size} bytes, text and binary`, async () => {
        const { client, recorder } = await open(peer);
        const text = asciiText(size);
        const bytes = patternBytes(size, size + 3);
        client.send(text);
        client.send(bytes);
        // Text given as bytes the caller vouches are UTF-8.
        client.send(Buffer.from(text), true);
        await recorder.waitForMessages(3);
        const [first, second, third] = recorder.events.messages as [(typeof recorder.events.messages)[0], (typeof recorder.events.messages)[0], (typeof recorder.events.messages)[0]];
        assert.equal(first.isText, true);
        assert.equal(first.data.length, size);
        assert.ok(first.data.equals(Buffer.from(text)));
        assert.equal(second.isText, false);
        assert.ok(second.data.equals(bytes));
        assert.equal(third.isText, true);
        assert.ok(third.data.equals(Buffer.from(text)));
        const connection = peer.connections[peer.connections.length - 1]!;
        assert.deepEqual(connection.messages.map((message) => message.isBinary), [false, true, false]);
        await closeNormally(client, recorder);
      });
    }

    // 16 MiB: one message per test, so each stays well under 2 s on a 2-core VM.
    for (const isText of [false, true]) {
      test(`16 MiB ${isText ? 'text' : 'binary'} echo`, async () => {
        const { client, recorder } = await open(peer);
        const payload = isText ? Buffer.from(asciiText(16 * MiB)) : patternBytes(16 * MiB, 17);
        client.send(payload, isText);
        await recorder.waitForMessages(1);
        const message = recorder.events.messages[0]!;
        assert.equal(message.isText, isText);
        assert.ok(message.data.equals(payload));
        assert.equal(peer.connections[peer.connections.length - 1]!.messages[0]!.isBinary, !isText);
        await closeNormally(client, recorder);
      });
    }

    test('a tiny receive buffer (13 bytes): every frame arrives split across many reads', async () => {
      const { client, recorder } = await open(peer, { receiveBufferBytes: 13 });
      const payloads = [Buffer.alloc(0), Buffer.from('€𝄞ü'.repeat(50)), patternBytes(126, 1), patternBytes(65536, 2), Buffer.from('x')];
      const isText = [true, true, false, false, true];
      payloads.forEach((payload, index) => client.send(payload, isText[index]));
      client.ping('split ping');
      await recorder.waitForMessages(payloads.length);
      await recorder.waitFor((events) => events.pongs.length === 1, 'pong');
      recorder.events.messages.forEach((message, index) => {
        assert.ok(message.data.equals(payloads[index]!), `message ${index}`);
        assert.equal(message.isText, isText[index]);
      });
      assert.equal(recorder.events.pongs[0]!.toString(), 'split ping');
      await closeNormally(client, recorder);
    });

    test('a view into a larger buffer sends only the viewed bytes', async () => {
      const { client, recorder } = await open(peer);
      const backing = patternBytes(1000, 9);
      client.send(backing.subarray(100, 300));
      client.send(new Uint8Array(backing.buffer, backing.byteOffset + 500, 3));
      await recorder.waitForMessages(2);
      assert.ok(recorder.events.messages[0]!.data.equals(backing.subarray(100, 300)));
      assert.ok(recorder.events.messages[1]!.data.equals(backing.subarray(500, 503)));
      await closeNormally(client, recorder);
    });

    test('multi-byte UTF-8 text round-trips', async () => {
      const { client, recorder } = await open(peer);
      const text = 'Grüße, 世界 𝄞 ☃ '.repeat(1000);
      client.send(text);
      await recorder.waitForMessages(1);
      assert.equal(recorder.events.messages[0]!.data.toString('utf8'), text);
      await closeNormally(client, recorder);
    });

    test('1000 small messages arrive in order', async () => {
      const { client, recorder } = await open(peer);
      for (let index = 0; index < 1000; index++) client.send(`{"u":${index}}`);
      await recorder.waitForMessages(1000);
      recorder.events.messages.forEach((message, index) => assert.equal(message.data.toString(), `{"u":${index}}`));
      await closeNormally(client, recorder);
    });
  });

  describe('2. ping and pong', () => {
    test('our ping is answered with a pong carrying the same payload (0, 1, 125 bytes)', async () => {
      const { client, recorder } = await open(peer);
      const payloads = [Buffer.alloc(0), Buffer.from('x'), patternBytes(125, 11)];
      for (const payload of payloads) client.ping(payload);
      client.ping('text ping');
      await recorder.waitFor((events) => events.pongs.length === 4, '4 pongs');
      assert.deepEqual(recorder.events.pongs.slice(0, 3), payloads);
      assert.equal(recorder.events.pongs[3]!.toString(), 'text ping');
      const connection = peer.connections[peer.connections.length - 1]!;
      assert.deepEqual(connection.pings.slice(0, 3), payloads);
      await closeNormally(client, recorder);
    });

    test('a ping over 125 bytes is refused with WS_ERR_INVALID_ARGUMENT', async () => {
      const { client, recorder } = await open(peer);
      assert.throws(() => client.ping(Buffer.alloc(126)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      await closeNormally(client, recorder);
    });

    test("the server's ping is answered automatically with the same payload (0, 125 bytes)", async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      const payloads = [Buffer.alloc(0), Buffer.from('hello'), patternBytes(125, 12)];
      for (const payload of payloads) connection.socket.ping(payload);
      await until(() => connection.pongs.length === 3, 'pongs at the server');
      assert.deepEqual(connection.pongs, payloads);
      assert.deepEqual(recorder.events.pings, payloads);
      await closeNormally(client, recorder);
    });

    test('unsolicited pongs are reported to onPong and otherwise ignored', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.pong(Buffer.from('unsolicited'));
      connection.socket.pong();
      connection.socket.send('after');
      await recorder.waitForMessages(1);
      assert.deepEqual(recorder.events.pongs.map((pong) => pong.toString()), ['unsolicited', '']);
      assert.equal(recorder.events.errors.length, 0);
      await closeNormally(client, recorder);
    });

    test('10 pings in a row from the server, interleaved with messages', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      for (let index = 0; index < 10; index++) {
        connection.socket.ping(`p${index}`);
        connection.socket.send(`m${index}`);
      }
      await until(() => connection.pongs.length === 10, 'pongs');
      await recorder.waitForMessages(10);
      assert.deepEqual(connection.pongs.map(String), Array.from({ length: 10 }, (_, index) => `p${index}`));
      await closeNormally(client, recorder);
    });
  });

  describe('5. fragmentation', () => {
    test('fragmented text and binary messages with pings between fragments', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      const socket = connection.socket;
      socket.send('frag', { fin: false, binary: false });
      socket.ping('between');
      socket.send('men', { fin: false, binary: false });
      socket.send('ted', { fin: true, binary: false });
      const big = patternBytes(200_000, 5);
      socket.send(big.subarray(0, 1), { fin: false, binary: true });
      socket.send(big.subarray(1, 65537), { fin: false, binary: true });
      socket.ping();
      socket.send(big.subarray(65537), { fin: true, binary: true });
      // A text message split inside a multi-byte character.
      const euro = Buffer.from('€uro');
      socket.send(euro.subarray(0, 1), { fin: false, binary: false });
      socket.send(euro.subarray(1, 2), { fin: false, binary: false });
      socket.send(euro.subarray(2), { fin: true, binary: false });
      await recorder.waitForMessages(3);
      await until(() => connection.pongs.length === 2, 'pongs');
      const [first, second, third] = recorder.events.messages;
      assert.ok(first !== undefined && second !== undefined && third !== undefined);
      assert.deepEqual([first.isText, first.data.toString()], [true, 'fragmented']);
      assert.equal(second.isText, false);
      assert.ok(second.data.equals(big));
      assert.deepEqual([third.isText, third.data.toString()], [true, '€uro']);
      assert.deepEqual(connection.pongs.map(String), ['between', '']);
      await closeNormally(client, recorder);
    });
  });

  describe('6. UTF-8 handling', () => {
    test('invalid UTF-8 in a text message from the server: close 1007 both ways, onError WS_ERR_INVALID_UTF8', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.send(Buffer.from([0x61, 0xed, 0xa0, 0x80]), { binary: false });
      const result = await recorder.settledClose();
      assert.equal(result.code, 1007);
      assert.equal(recorder.events.errors.length, 1);
      assert.equal((recorder.events.errors[0] as { code?: string }).code, 'WS_ERR_INVALID_UTF8');
      assert.equal((recorder.events.errors[0] as { closeCode?: number }).closeCode, 1007);
      assert.equal((await connection.closed).code, 1007);
      assert.equal(client.state, 'closed');
    });

    test('fail fast: invalid bytes in the first fragment fail before the message ends', async () => {
      const { recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.send(Buffer.from([0x61, 0xc0]), { fin: false, binary: false });
      // No final fragment is ever sent.
      const result = await recorder.settledClose();
      assert.equal(result.code, 1007);
      assert.equal((await connection.closed).code, 1007);
    });
  });

  describe('7. close handling', () => {
    test('client-initiated close with code and reason: the server sees them; onClose once with the echo', async () => {
      for (const [code, reason] of [[1000, ''], [1001, 'going away'], [3000, 'app'], [4999, 'ü'.repeat(61)]] as const) {
        const { client, recorder } = await open(peer);
        const connection = peer.connections[peer.connections.length - 1]!;
        client.close(code, reason);
        assert.equal(client.state, 'closing');
        assert.throws(() => client.send('late'), { code: 'WS_ERR_NOT_OPEN' });
        const result = await recorder.settledClose();
        assert.deepEqual(await connection.closed, { code, reason });
        // ws echoes the close code (and its reason).
        assert.equal(result.code, code);
        assert.equal(recorder.events.closes.length, 1);
        assert.equal(recorder.events.errors.length, 0, JSON.stringify(recorder.summary()));
        assert.equal(client.state, 'closed');
      }
    });

    test('server-initiated close: onClose once with the server code and reason', async () => {
      for (const [code, reason] of [[1000, 'bye'], [1001, ''], [1011, 'oops'], [4000, 'custom']] as const) {
        const { client, recorder } = await open(peer);
        const connection = peer.connections[peer.connections.length - 1]!;
        connection.socket.close(code, reason);
        const result = await recorder.settledClose();
        assert.deepEqual(result, { code, reason });
        assert.equal(recorder.events.closes.length, 1);
        assert.equal(recorder.events.errors.length, 0, JSON.stringify(recorder.summary()));
        // We echoed the code.
        assert.equal((await connection.closed).code, code);
        assert.equal(client.state, 'closed');
      }
    });

    test('an empty close frame from the server is reported as 1005', async () => {
      const { recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.close();
      const result = await recorder.settledClose();
      assert.deepEqual(result, { code: 1005, reason: '' });
      assert.equal(recorder.events.closes.length, 1);
      assert.equal((await connection.closed).code, 1005);
    });

    test('the server destroying the socket is reported as 1006', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.terminate();
      const result = await recorder.settledClose();
      assert.equal(result.code, 1006);
      assert.equal(recorder.events.closes.length, 1);
      assert.equal(client.state, 'closed');
      assert.throws(() => client.send('x'), { code: 'WS_ERR_NOT_OPEN' });
      assert.throws(() => client.ping(), { code: 'WS_ERR_NOT_OPEN' });
      client.close(); // no-op once closed
      client.terminate();
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(recorder.events.closes.length, 1);
    });

    test('messages sent by the server before its close frame are delivered', async () => {
      const { recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.send('one');
      connection.socket.send(patternBytes(70000));
      connection.socket.close(1000, 'done');
      const result = await recorder.settledClose();
      assert.deepEqual(result, { code: 1000, reason: 'done' });
      assert.equal(recorder.events.messages.length, 2);
    });

    test('close() with a code an application may not send throws WS_ERR_INVALID_ARGUMENT', async () => {
      const { client, recorder } = await open(peer);
      for (const code of [0, 999, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1015, 1016, 2000, 2999, 5000, 65535]) {
        assert.throws(() => client.close(code), { code: 'WS_ERR_INVALID_ARGUMENT' }, String(code));
      }
      assert.throws(() => client.close(1000, 'x'.repeat(124)), { code: 'WS_ERR_INVALID_ARGUMENT' });
      assert.throws(() => client.close(1000, '€'.repeat(42)), { code: 'WS_ERR_INVALID_ARGUMENT' }, '126 bytes of UTF-8');
      assert.equal(client.state, 'open');
      client.close(1000, 'x'.repeat(123));
      const result = await recorder.settledClose();
      assert.deepEqual(result, { code: 1000, reason: 'x'.repeat(123) });
    });

    test('terminate() closes without a handshake: onClose 1006, the server sees 1006', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      client.terminate();
      assert.equal((await recorder.settledClose()).code, 1006);
      assert.equal((await connection.closed).code, 1006);
    });
  });

  describe('9. limits', () => {
    test('a message over maxPayload from the server: close 1009 both ways', async () => {
      const { recorder } = await open(peer, { maxPayload: 1000 });
      const connection = peer.connections[peer.connections.length - 1]!;
      connection.socket.send(Buffer.alloc(1000));
      connection.socket.send(Buffer.alloc(1001));
      const result = await recorder.settledClose();
      assert.equal(result.code, 1009);
      assert.equal(recorder.events.messages.length, 1);
      assert.equal((recorder.events.errors[0] as { code?: string }).code, 'WS_ERR_MESSAGE_TOO_BIG');
      assert.equal((await connection.closed).code, 1009);
    });

    test('16 MiB in fragments of 64 KiB from the server', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      const big = patternBytes(16 * MiB, 21);
      for (let offset = 0; offset < big.length; offset += 65536) {
        connection.socket.send(big.subarray(offset, offset + 65536), { fin: offset + 65536 >= big.length, binary: true });
      }
      await recorder.waitForMessages(1);
      assert.ok(recorder.events.messages[0]!.data.equals(big));
      await closeNormally(client, recorder);
    });

    test('bufferedAmount grows while a large send is queued and drains to 0', async () => {
      const { client, recorder } = await open(peer);
      const connection = peer.connections[peer.connections.length - 1]!;
      // The server stops reading; the first write can hand the kernel at most its send buffer
      // (net.ipv4.tcp_wmem max, 4 MiB), so most of the 8 MiB stays queued with us.
      connection.socket.pause();
      assert.equal(client.bufferedAmount, 0);
      client.send(patternBytes(8 * MiB));
      assert.ok(client.bufferedAmount > 0, `bufferedAmount ${client.bufferedAmount}`);
      assert.ok(client.bufferedAmount <= 8 * MiB + 14);
      connection.socket.resume();
      await recorder.waitForMessages(1);
      await until(() => client.bufferedAmount === 0, 'drain');
      await closeNormally(client, recorder);
      assert.equal(client.bufferedAmount, 0);
    });
  });

  describe('many connections', () => {
    test('concurrent clients and reconnects never see each other\'s bytes (pooled receive buffers)', async () => {
      const run = async (id: number, rounds: number): Promise<void> => {
        for (let round = 0; round < rounds; round++) {
          const { client, recorder } = await open(peer, { receiveBufferBytes: 4096 });
          const expected: string[] = [];
          for (let index = 0; index < 100; index++) {
            const message = `client ${id} round ${round} message ${index} ${'x'.repeat((index * 37) % 3000)}`;
            expected.push(message);
            client.send(message);
          }
          await recorder.waitForMessages(100);
          assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), expected, `client ${id} round ${round}`);
          await closeNormally(client, recorder);
        }
      };
      await Promise.all([run(1, 3), run(2, 3), run(3, 2), run(4, 2), run(5, 1), run(6, 1)]);
    });
  });

  describe('handshake options', () => {
    test('subprotocol negotiation: the server picks one we offered', async () => {
      const protocolPeer = await startWsPeer({ server: { handleProtocols: (protocols) => (protocols.has('v2.tickwire') ? 'v2.tickwire' : false) } });
      try {
        const recorder = new ClientRecorder();
        const client = await connect(protocolPeer.url, recorder.options({ protocols: ['v1.tickwire', 'v2.tickwire'] }));
        assert.equal(client.protocol, 'v2.tickwire');
        const connection = await protocolPeer.nextConnection();
        assert.equal(connection.request.headers['sec-websocket-protocol'], 'v1.tickwire, v2.tickwire');
        assert.equal(connection.socket.protocol, 'v2.tickwire');
        await closeNormally(client, recorder);
        // No protocol offered: none selected.
        const plain = new ClientRecorder();
        const plainClient = await connect(protocolPeer.url, plain.options());
        assert.equal(plainClient.protocol, '');
        await closeNormally(plainClient, plain);
      } finally {
        await protocolPeer.close();
      }
    });

    test('custom headers and the origin arrive at the server; the path and query are kept', async () => {
      const recorder = new ClientRecorder();
      const client = await connect(`${peer.url}/deep?streams=btcusdt@trade&x=1`, recorder.options({ headers: { 'X-MBX-APIKEY': 'key-123', 'User-Agent': 'tickwire-test' }, origin: 'https://example.test' }));
      const connection = peer.connections[peer.connections.length - 1]!;
      assert.equal(connection.request.headers['x-mbx-apikey'], 'key-123');
      assert.equal(connection.request.headers['user-agent'], 'tickwire-test');
      assert.equal(connection.request.headers['origin'], 'https://example.test');
      assert.equal(connection.request.url, '/peer/deep?streams=btcusdt@trade&x=1');
      assert.equal(connection.request.headers['sec-websocket-extensions'], undefined, 'no extension offered');
      assert.equal(typeof client.responseHeaders['sec-websocket-accept'], 'string');
      await closeNormally(client, recorder);
    });

    test('an IPv6 literal URL (ws://[::1]:port) connects, with a bracketed Host header', async () => {
      const ipv6 = await startWsPeer({ host: '::1' });
      try {
        const recorder = new ClientRecorder();
        const client = await connect(ipv6.url, recorder.options());
        const connection = await ipv6.nextConnection();
        assert.equal(connection.request.headers.host, `[::1]:${ipv6.port}`);
        client.send('v6');
        await recorder.waitForMessages(1);
        await closeNormally(client, recorder);
      } finally {
        await ipv6.close();
      }
    });

    test('a server that refuses the upgrade (verifyClient 401) rejects connect() with WS_ERR_HANDSHAKE', async () => {
      const refusing = await startWsPeer({ server: { verifyClient: (_info, callback) => callback(false, 401, 'Unauthorized') } });
      try {
        await assert.rejects(withTimeout(connect(refusing.url, new ClientRecorder().options()), 5000, 'connect'), (error: Error & { code?: string; statusCode?: number }) => {
          assert.equal(error.code, 'WS_ERR_HANDSHAKE');
          assert.equal(error.statusCode, 401);
          assert.match(error.message, /401/);
          return true;
        });
      } finally {
        await refusing.close();
      }
    });
  });
});
