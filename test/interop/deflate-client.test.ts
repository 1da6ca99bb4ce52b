// tickwire's client with permessage-deflate (RFC 7692) against `ws` (perMessageDeflate on) as
// the independent server, over loopback: Autobahn|Testsuite categories 12 (compressed text and
// binary echoes of 16 B .. 1 MiB, many in a row) and 13 (every no_context_takeover combination
// and window sizes 9..15) in spirit. Then, with a raw-socket server, the negotiation failures
// and protocol errors a compliant server cannot produce.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { WebSocketServer, type PerMessageDeflateOptions as WsDeflateOptions, type WebSocket } from 'ws';
import type { Client } from '../../src/client/client.js';
import { connect } from '../../src/client/connect.js';
import type { PerMessageDeflateOptions } from '../../src/extensions/permessage-deflate.js';
import { ClientRecorder, withTimeout } from '../helpers/client-recorder.js';
import { closeCodeOf, continuation, frame, ping } from '../helpers/frames.js';
import { response101, startRawServer } from '../helpers/raw-server.js';

const MiB = 1024 * 1024;

interface Peer {
  url: string;
  requests: IncomingMessage[];
  sockets: WebSocket[];
  close(): Promise<void>;
}

/** A ws server with permessage-deflate; echoes every message unless `onConnection` is given. */
async function startWs(deflate: WsDeflateOptions = {}, onConnection?: (socket: WebSocket) => void): Promise<Peer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0, ...deflate }, maxPayload: 4 * MiB });
  await once(wss, 'listening');
  const requests: IncomingMessage[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket, request) => {
    requests.push(request);
    sockets.push(socket);
    if (onConnection !== undefined) onConnection(socket);
    else socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** ws keeps its net.Socket in `_socket`; the byte counters show whether compression happened. */
function socketOf(socket: WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}

async function open(url: string, deflate: boolean | PerMessageDeflateOptions | undefined, extra: Parameters<ClientRecorder['options']>[0] = {}) {
  const recorder = new ClientRecorder();
  const client = await connect(url, recorder.options({ ...(deflate !== undefined && { perMessageDeflate: deflate }), ...extra }));
  return { client, recorder };
}

async function closeNormally(client: Client, recorder: ClientRecorder): Promise<void> {
  if (client.state === 'open') client.close();
  assert.equal((await recorder.settledClose()).code, 1000);
  assert.deepEqual(recorder.events.errors, []);
}

/** Text that deflates well (market-data-like JSON) or hardly at all (base64 of random bytes). */
function textOf(size: number, compressible: boolean): string {
  if (!compressible) return randomBytes(size).toString('base64').slice(0, size);
  let out = '';
  for (let index = 0; out.length < size; index++) out += `{"s":"BTCUSDT","p":"${43000 + (index % 97)}.10","q":"0.${index % 13}"},`;
  return out.slice(0, size);
}

function bytesOf(size: number, compressible: boolean): Buffer {
  return compressible ? Buffer.from(textOf(size, true)) : randomBytes(size);
}

/** Sends each message and checks the echo, in order; returns when all came back. */
async function echoAll(client: Client, recorder: ClientRecorder, messages: Array<string | Buffer>): Promise<void> {
  const before = recorder.events.messages.length;
  for (const message of messages) client.send(message);
  await recorder.waitFor((events) => events.messages.length >= before + messages.length, `${messages.length} echoes`, 20_000);
  messages.forEach((message, index) => {
    const got = recorder.events.messages[before + index]!;
    assert.equal(got.isText, typeof message === 'string', `message ${index} type`);
    assert.ok(got.data.equals(typeof message === 'string' ? Buffer.from(message) : message), `message ${index} (${message.length} bytes) content`);
  });
}

describe('ws as the server (category 12: compressed echoes)', () => {
  test('compression is off by default: nothing offered, nothing compressed', async () => {
    const peer = await startWs();
    try {
      const { client, recorder } = await open(peer.url, undefined);
      assert.equal(peer.requests[0]!.headers['sec-websocket-extensions'], undefined);
      assert.equal(client.perMessageDeflate, null);
      await echoAll(client, recorder, [textOf(4096, true)]);
      // Uncompressed both ways: the server read at least the 4 KiB payload.
      assert.ok(socketOf(peer.sockets[0]!).bytesRead > 4096);
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });

  test('perMessageDeflate: false also offers nothing', async () => {
    const peer = await startWs();
    try {
      const { client, recorder } = await open(peer.url, false);
      assert.equal(peer.requests[0]!.headers['sec-websocket-extensions'], undefined);
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });

  test('text and binary, 16 B .. 1 MiB, compressible and random, both directions compressed', async () => {
    const peer = await startWs();
    try {
      const { client, recorder } = await open(peer.url, { threshold: 0 });
      assert.equal(peer.requests[0]!.headers['sec-websocket-extensions'], 'permessage-deflate; client_max_window_bits');
      assert.deepEqual(client.perMessageDeflate, { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 });
      const messages: Array<string | Buffer> = [];
      for (const size of [16, 64, 125, 126, 1000, 4096, 65535, 65536, 262144, MiB]) {
        for (const compressible of [true, false]) messages.push(textOf(size, compressible), bytesOf(size, compressible));
      }
      await echoAll(client, recorder, messages);
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });

  test('compressible traffic really is compressed both ways', async () => {
    const peer = await startWs();
    try {
      const { client, recorder } = await open(peer.url, true);
      const socket = socketOf(peer.sockets[0]!);
      const readBefore = socket.bytesRead;
      const writtenBefore = socket.bytesWritten;
      await echoAll(client, recorder, [textOf(MiB, true), bytesOf(MiB, true)]);
      assert.ok(socket.bytesRead - readBefore < MiB / 4, `server read ${socket.bytesRead - readBefore} bytes for 2 MiB`);
      assert.ok(socket.bytesWritten - writtenBefore < MiB / 4, `server wrote ${socket.bytesWritten - writtenBefore} bytes for 2 MiB`);
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });

  test('2,000 small messages in a row with context takeover, interleaved with uncompressed ones', async () => {
    const peer = await startWs({ threshold: 100 });
    try {
      const { client, recorder } = await open(peer.url, { threshold: 100 });
      const messages: Array<string | Buffer> = [];
      for (let index = 0; index < 2000; index++) {
        // Sizes alternate around both thresholds: some messages go plain, some compressed.
        const size = 40 + ((index * 37) % 300);
        messages.push(index % 3 === 0 ? bytesOf(size, index % 2 === 0) : textOf(size, index % 2 === 0));
      }
      await echoAll(client, recorder, messages);
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });

  test('fragmented compressed messages from the server (RSV1 on the first frame only)', async () => {
    const parts = [textOf(3000, true), textOf(10, true), textOf(70_000, false), ''];
    const peer = await startWs({}, (socket) => {
      socket.on('message', () => {
        parts.forEach((part, index) => socket.send(part, { fin: index === parts.length - 1, compress: true, binary: false }));
        socket.send(bytesOf(2000, true), { fin: false, compress: true });
        socket.send(bytesOf(2000, true), { fin: true, compress: true });
      });
    });
    try {
      const { client, recorder } = await open(peer.url, true);
      client.send('go');
      await recorder.waitForMessages(2);
      assert.equal(recorder.events.messages[0]!.data.toString(), parts.join(''));
      assert.equal(recorder.events.messages[0]!.isText, true);
      assert.ok(recorder.events.messages[1]!.data.equals(Buffer.concat([bytesOf(2000, true), bytesOf(2000, true)])));
      await closeNormally(client, recorder);
    } finally {
      await peer.close();
    }
  });
});

describe('ws as the server (category 13: parameters)', () => {
  const combos: Array<{ name: string; client: PerMessageDeflateOptions; server: WsDeflateOptions; expect: Partial<NonNullable<Client['perMessageDeflate']>> }> = [
    { name: 'client asks server_no_context_takeover', client: { serverNoContextTakeover: true }, server: {}, expect: { serverNoContextTakeover: true } },
    { name: 'client_no_context_takeover offered', client: { clientNoContextTakeover: true }, server: {}, expect: { clientNoContextTakeover: true } },
    { name: 'both offered', client: { serverNoContextTakeover: true, clientNoContextTakeover: true }, server: {}, expect: { serverNoContextTakeover: true, clientNoContextTakeover: true } },
    { name: 'both imposed by the server', client: {}, server: { serverNoContextTakeover: true, clientNoContextTakeover: true }, expect: { serverNoContextTakeover: true, clientNoContextTakeover: true } },
    { name: 'server limits both windows', client: {}, server: { serverMaxWindowBits: 10, clientMaxWindowBits: 11 }, expect: { serverMaxWindowBits: 10, clientMaxWindowBits: 11 } },
  ];
  for (let bits = 9; bits <= 15; bits++) {
    combos.push({ name: `window bits ${bits} both ways`, client: { serverMaxWindowBits: bits, clientMaxWindowBits: bits }, server: {}, expect: { serverMaxWindowBits: bits, clientMaxWindowBits: bits } });
  }
  combos.push({ name: 'window bits 9 and no context takeover', client: { serverMaxWindowBits: 9, clientMaxWindowBits: 9, serverNoContextTakeover: true, clientNoContextTakeover: true }, server: {}, expect: { serverMaxWindowBits: 9, clientMaxWindowBits: 9, serverNoContextTakeover: true, clientNoContextTakeover: true } });

  for (const combo of combos) {
    test(combo.name, async () => {
      const peer = await startWs(combo.server);
      try {
        const { client, recorder } = await open(peer.url, { ...combo.client, threshold: 0 });
        assert.deepEqual(client.perMessageDeflate, { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15, ...combo.expect });
        const messages: Array<string | Buffer> = [];
        // Repeated content across messages exercises the window (or its reset).
        for (let round = 0; round < 3; round++) {
          for (const size of [16, 300, 1024, 5000, 40_000]) messages.push(textOf(size, true), bytesOf(size, round === 1 ? false : true));
        }
        await echoAll(client, recorder, messages);
        await closeNormally(client, recorder);
      } finally {
        await peer.close();
      }
    });
  }
});

describe('raw server: negotiation failures reject connect()', () => {
  const badAnswers = [
    'permessage-deflate; foo',
    'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
    'permessage-deflate; server_max_window_bits=7',
    'permessage-deflate; server_max_window_bits=16',
    'permessage-deflate; server_max_window_bits',
    'permessage-deflate; client_max_window_bits',
    'permessage-deflate; client_max_window_bits=08',
    'permessage-deflate; server_no_context_takeover=yes',
    'permessage-deflate, permessage-deflate',
    'x-webkit-deflate-frame',
    'permessage-deflate;',
  ];
  for (const answer of badAnswers) {
    test(JSON.stringify(answer), async () => {
      const raw = await startRawServer({ respond: (request) => response101(request.key, [`Sec-WebSocket-Extensions: ${answer}`]) });
      try {
        await assert.rejects(connect(raw.url, { onMessage() {}, perMessageDeflate: true }), { code: 'WS_ERR_HANDSHAKE' });
      } finally {
        await raw.close();
      }
    });
  }

  test('a window larger than the one offered is rejected', async () => {
    const raw = await startRawServer({ respond: (request) => response101(request.key, ['Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12']) });
    try {
      await assert.rejects(connect(raw.url, { onMessage() {}, perMessageDeflate: { serverMaxWindowBits: 10 } }), { code: 'WS_ERR_HANDSHAKE', message: /exceeds the 10 offered/ });
    } finally {
      await raw.close();
    }
  });

  test('an extension in the answer when none was offered is rejected', async () => {
    const raw = await startRawServer({ respond: (request) => response101(request.key, ['Sec-WebSocket-Extensions: permessage-deflate']) });
    try {
      await assert.rejects(connect(raw.url, { onMessage() {} }), { code: 'WS_ERR_HANDSHAKE', message: /no extension was offered/ });
    } finally {
      await raw.close();
    }
  });

  test('a server that declines (no extension in the 101) leaves the connection uncompressed', async () => {
    const raw = await startRawServer();
    try {
      const { client, recorder } = await open(raw.url, { threshold: 0 });
      const connection = await raw.nextConnection();
      assert.equal(connection.request.headers['sec-websocket-extensions'], 'permessage-deflate; client_max_window_bits');
      assert.equal(client.perMessageDeflate, null);
      client.send(textOf(5000, true));
      const [sent] = await connection.waitForFrames(1);
      assert.equal(sent!.rsv, 0);
      assert.equal(sent!.payload.length, 5000);
      client.terminate();
      await recorder.settledClose();
    } finally {
      await raw.close();
    }
  });
});

describe('raw server: frames on a compressed connection', () => {
  const DEFLATE_ANSWER = 'Sec-WebSocket-Extensions: permessage-deflate';

  async function openRaw(maxPayload?: number) {
    const raw = await startRawServer({ respond: (request) => response101(request.key, [DEFLATE_ANSWER]) });
    const { client, recorder } = await open(raw.url, true, maxPayload === undefined ? {} : { maxPayload });
    const connection = await raw.nextConnection();
    return { raw, client, recorder, connection };
  }

  test('the client compresses at or above the threshold only, RSV1 on data frames only', async () => {
    const { raw, client, recorder, connection } = await openRaw();
    try {
      const big = textOf(1024, true);
      client.send(textOf(1023, true));
      client.send(big);
      client.send(Buffer.from(big), false);
      client.ping('p');
      const frames = await connection.waitForFrames(4);
      assert.deepEqual(
        frames.map((item) => [item.opcode, item.rsv, item.masked]),
        [
          [1, 0, true],
          [1, 4, true],
          [2, 4, true],
          [9, 0, true],
        ],
      );
      // The compressed payloads inflate (as one context-takeover stream) to what was sent.
      const stream = Buffer.concat([frames[1]!.payload, Buffer.from([0, 0, 0xff, 0xff]), frames[2]!.payload, Buffer.from([0, 0, 0xff, 0xff])]);
      assert.equal(zlib.inflateRawSync(stream, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString(), big + big);
      assert.ok(frames[1]!.payload.length < 1024 / 2);
      client.terminate();
      await recorder.settledClose();
    } finally {
      await raw.close();
    }
  });

  /** Writes `wire` to the client and checks it fails the connection with `closeCode` / `code`. */
  async function expectFailure(wire: Buffer, closeCode: number, code: string, maxPayload?: number): Promise<void> {
    const { raw, client, recorder, connection } = await openRaw(maxPayload);
    try {
      connection.write(wire);
      const closeFrame = await connection.closeFrame();
      assert.equal(closeCodeOf(closeFrame.payload), closeCode);
      connection.socket.end();
      const result = await recorder.settledClose();
      assert.equal(result.code, closeCode);
      assert.deepEqual(
        recorder.events.errors.map((error) => (error as { code?: string }).code),
        [code],
      );
      assert.equal(recorder.events.messages.length, 0);
      assert.equal(client.state, 'closed');
    } finally {
      await raw.close();
    }
  }

  test('a compressed ping fails with 1002', async () => {
    await expectFailure(frame({ opcode: 9, rsv: 4, payload: Buffer.from([0x00]) }), 1002, 'WS_ERR_UNEXPECTED_RSV');
  });

  test('RSV1 on a continuation frame fails with 1002', async () => {
    const payload = zlib.deflateRawSync(Buffer.from('abc'.repeat(100)), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    await expectFailure(Buffer.concat([frame({ opcode: 1, rsv: 4, fin: false, payload: payload.subarray(0, 4) }), frame({ opcode: 0, rsv: 4, payload: payload.subarray(4) })]), 1002, 'WS_ERR_UNEXPECTED_RSV');
  });

  test('RSV2 fails with 1002 even on a compressed connection', async () => {
    await expectFailure(frame({ opcode: 1, rsv: 2, payload: 'x' }), 1002, 'WS_ERR_UNEXPECTED_RSV');
  });

  test('invalid DEFLATE data fails with 1007', async () => {
    await expectFailure(frame({ opcode: 2, rsv: 4, payload: Buffer.from([0xff, 0xee, 0xdd, 0xcc, 0xbb]) }), 1007, 'WS_ERR_INVALID_COMPRESSED_DATA');
  });

  test('inflated text that is not UTF-8 fails with 1007', async () => {
    const payload = zlib.deflateRawSync(Buffer.from([0x61, 0xff, 0x62]), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    await expectFailure(Buffer.concat([frame({ opcode: 1, rsv: 4, fin: false, payload }), continuation(Buffer.alloc(0))]), 1007, 'WS_ERR_INVALID_UTF8');
  });

  test('a zip bomb over maxPayload fails with 1009 without inflating it all', async () => {
    // 64 MiB of zeros deflate to ~64 KiB; maxPayload is 1 MiB.
    const bomb = zlib.deflateRawSync(Buffer.alloc(64 * MiB), { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: 9 }).subarray(0, -4);
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    await expectFailure(frame({ opcode: 2, rsv: 4, payload: bomb }), 1009, 'WS_ERR_MESSAGE_TOO_BIG', MiB);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 32 * MiB, `array buffers grew by ${(grown / MiB).toFixed(1)} MiB`);
  });

  test('messages compressed and plain arrive in order, pings answered in between', async () => {
    const { raw, client, recorder, connection } = await openRaw();
    try {
      const deflater = zlib.createDeflateRaw();
      const compress = (text: string): Promise<Buffer> =>
        new Promise((resolve) => {
          deflater.write(text);
          deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(deflater.read().subarray(0, -4)));
        });
      const first = await compress('first '.repeat(100));
      const third = await compress('first '.repeat(100)); // back-references into the first message
      assert.ok(third.length < first.length);
      connection.write(Buffer.concat([frame({ opcode: 1, rsv: 4, payload: first }), frame({ opcode: 1, payload: 'second' }), ping('x'), frame({ opcode: 1, rsv: 4, payload: third })]));
      await withTimeout(recorder.waitForMessages(3), 5000, 'three messages');
      assert.deepEqual(
        recorder.events.messages.map((message) => message.data.toString()),
        ['first '.repeat(100), 'second', 'first '.repeat(100)],
      );
      assert.deepEqual(recorder.events.pings.map((item) => item.toString()), ['x']);
      deflater.close();
      client.terminate();
      await recorder.settledClose();
    } finally {
      await raw.close();
    }
  });
});
