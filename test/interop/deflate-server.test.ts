// The server side of permessage-deflate (negotiation + codec, what src/server/ plugs in) against
// `ws` clients with perMessageDeflate, over loopback. The harness is a minimal server role made
// of the committed pieces: ServerRequestParser, acceptDeflateOffer, FrameParser (expectMasked)
// with the codec as its inflater, and writeFrameHeader for unmasked (optionally RSV1) frames.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { describe, test } from 'node:test';
import WebSocket, { type PerMessageDeflateOptions as WsDeflateOptions } from 'ws';
import { acceptDeflateOffer, COMPRESSED_BIT, type PerMessageDeflate } from '../../src/extensions/deflate-codec.js';
import type { PerMessageDeflateOptions } from '../../src/extensions/permessage-deflate.js';
import { HEAD_COMPLETE, HEAD_FAILED } from '../../src/handshake/head-reader.js';
import { buildAcceptResponse, ServerRequestParser } from '../../src/handshake/server-request.js';
import type { WebSocketError } from '../../src/protocol/errors.js';
import { FrameParser } from '../../src/protocol/frame-parser.js';
import { headerLength, writeFrameHeader } from '../../src/protocol/frame-writer.js';
import type { FrameHandler } from '../../src/protocol/handler.js';
import { OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PONG, OPCODE_TEXT } from '../../src/protocol/opcodes.js';

const MiB = 1024 * 1024;

interface Harness {
  url: string;
  /** The codec of each accepted connection (null: no compression negotiated). */
  codecs: Array<PerMessageDeflate | null>;
  /** The Sec-WebSocket-Extensions value of each 101 ('' when none). */
  responses: string[];
  /** Frames the server wrote with RSV1 set. */
  compressedFramesSent: number;
  errors: WebSocketError[];
  close(): Promise<void>;
}

function unmaskedFrame(opcode: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(headerLength(payload.length, false) + payload.length);
  const start = writeFrameHeader(frame, 0, opcode, true, payload.length, null, 0);
  frame.set(payload, start);
  return frame;
}

/** An echo server: compressed when negotiated and at or above the threshold. */
async function startHarness(option: boolean | PerMessageDeflateOptions): Promise<Harness> {
  const harness: Harness = { url: '', codecs: [], responses: [], compressedFramesSent: 0, errors: [], close: async () => {} };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const request = new ServerRequestParser();
    let parser: FrameParser | null = null;
    let codec: PerMessageDeflate | null = null;
    const handler: FrameHandler = {
      onMessage(data, start, end, isText) {
        const opcode = isText ? OPCODE_TEXT : OPCODE_BINARY;
        if (codec !== null && codec.shouldCompress(end - start)) {
          const length = codec.compress(data, start, end);
          if (length >= 0) {
            harness.compressedFramesSent++;
            socket.write(unmaskedFrame(opcode | COMPRESSED_BIT, codec.compressedOutput.subarray(0, length)));
            return;
          }
        }
        socket.write(unmaskedFrame(opcode, data.subarray(start, end)));
      },
      onPing(data, start, end) {
        socket.write(unmaskedFrame(OPCODE_PONG, data.subarray(start, end)));
      },
      onPong() {},
      onCloseFrame(code) {
        socket.end(unmaskedFrame(OPCODE_CLOSE, code === 1005 ? new Uint8Array(0) : new Uint8Array([code >> 8, code & 0xff])));
      },
      onProtocolError(error) {
        harness.errors.push(error);
        socket.end(unmaskedFrame(OPCODE_CLOSE, new Uint8Array([error.closeCode >> 8, error.closeCode & 0xff])));
      },
    };
    socket.on('data', (chunk: Buffer) => {
      if (parser !== null) {
        parser.push(chunk, 0, chunk.length);
        return;
      }
      const consumed = request.push(chunk, 0, chunk.length);
      if (request.state === HEAD_FAILED) {
        socket.end(request.rejectResponse(), 'latin1');
        return;
      }
      if (request.state !== HEAD_COMPLETE) return;
      const deflate = acceptDeflateOffer(option, request.headers['sec-websocket-extensions']);
      codec = deflate === null ? null : deflate.codec;
      harness.codecs.push(codec);
      harness.responses.push(deflate === null ? '' : deflate.responseHeader);
      socket.write(buildAcceptResponse(request.key, undefined, deflate === null ? undefined : deflate.responseHeader), 'latin1');
      parser = new FrameParser(handler, { expectMasked: true, maxPayload: 4 * MiB });
      parser.setInflater(codec);
      socket.on('close', () => codec?.close());
      if (consumed < chunk.length) parser.push(chunk, consumed, chunk.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  harness.url = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
  harness.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return harness;
}

/** A ws client; resolves once open. */
async function wsClient(url: string, perMessageDeflate: boolean | WsDeflateOptions): Promise<{ ws: WebSocket; received: Array<{ data: Buffer; isBinary: boolean }> }> {
  const ws = new WebSocket(url, { perMessageDeflate });
  const received: Array<{ data: Buffer; isBinary: boolean }> = [];
  ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
  // once() rejects on 'error' before the open; later errors would fail the close assertions.
  await once(ws, 'open');
  ws.on('error', () => {});
  return { ws, received };
}

async function echoAll(ws: WebSocket, received: Array<{ data: Buffer; isBinary: boolean }>, messages: Array<string | Buffer>): Promise<void> {
  const before = received.length;
  for (const message of messages) ws.send(message, { binary: typeof message !== 'string', compress: true });
  const deadline = Date.now() + 20_000;
  while (received.length < before + messages.length) {
    if (Date.now() > deadline) throw new Error(`timed out: ${received.length - before} of ${messages.length} echoes`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  messages.forEach((message, index) => {
    const got = received[before + index]!;
    assert.equal(got.isBinary, typeof message !== 'string', `message ${index} type`);
    assert.ok(got.data.equals(typeof message === 'string' ? Buffer.from(message) : message), `message ${index} (${message.length} bytes)`);
  });
}

async function closeWs(ws: WebSocket): Promise<number> {
  const closed = once(ws, 'close');
  ws.close(1000);
  const [code] = (await closed) as [number];
  return code;
}

function sample(size: number, compressible: boolean): Buffer {
  if (!compressible) return randomBytes(size);
  const unit = Buffer.from('{"e":"trade","s":"ETHUSDT","p":"2301.55","q":"1.250"},');
  const out = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += unit.length) unit.copy(out, offset, 0, Math.min(unit.length, size - offset));
  return out;
}

describe('server role with permessage-deflate against ws clients', () => {
  test('no offer, or compression off on the server: no extension, plain echo', async () => {
    for (const [serverOption, clientOption] of [
      [true, false],
      [false, true],
    ] as const) {
      const harness = await startHarness(serverOption);
      try {
        const { ws, received } = await wsClient(harness.url, clientOption);
        assert.equal(ws.extensions, '');
        assert.deepEqual(harness.responses, ['']);
        await echoAll(ws, received, [sample(5000, true).toString(), sample(100, false)]);
        assert.equal(harness.compressedFramesSent, 0);
        assert.deepEqual(harness.codecs, [null]);
        assert.equal(await closeWs(ws), 1000);
      } finally {
        await harness.close();
      }
    }
  });

  const combos: Array<{ name: string; server: boolean | PerMessageDeflateOptions; client: WsDeflateOptions; extension: string }> = [
    { name: 'defaults', server: { threshold: 0 }, client: { threshold: 0 }, extension: 'permessage-deflate' },
    { name: 'client asks for both no_context_takeover', server: { threshold: 0 }, client: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }, extension: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover' },
    { name: 'server imposes no_context_takeover and windows', server: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 11 }, client: { threshold: 0 }, extension: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11' },
    { name: 'client limits windows to 9', server: { threshold: 0 }, client: { threshold: 0, serverMaxWindowBits: 9, clientMaxWindowBits: 9 }, extension: 'permessage-deflate; server_max_window_bits=9; client_max_window_bits=9' },
    { name: 'client limits windows to 12', server: { threshold: 0 }, client: { threshold: 0, serverMaxWindowBits: 12, clientMaxWindowBits: 12 }, extension: 'permessage-deflate; server_max_window_bits=12; client_max_window_bits=12' },
  ];
  for (const combo of combos) {
    test(combo.name, async () => {
      const harness = await startHarness(combo.server);
      try {
        const { ws, received } = await wsClient(harness.url, combo.client);
        // ws accepted our answer (it fails the handshake otherwise) and runs the extension.
        assert.equal(ws.extensions, 'permessage-deflate');
        assert.deepEqual(harness.responses, [combo.extension]);
        const messages: Array<string | Buffer> = [];
        for (let round = 0; round < 2; round++) {
          for (const size of [16, 200, 1024, 8192, 65536, round === 0 ? MiB : 100_000]) {
            messages.push(sample(size, true).toString(), sample(size, round === 0), randomBytes(size).toString('base64').slice(0, size));
          }
        }
        await echoAll(ws, received, messages);
        assert.equal(harness.compressedFramesSent, messages.length);
        assert.equal(await closeWs(ws), 1000);
        assert.deepEqual(harness.errors, []);
      } finally {
        await harness.close();
      }
    });
  }

  test('a client that limits our window to 8 bits gets uncompressed answers (zlib cannot deflate raw with 8)', async () => {
    const harness = await startHarness({ threshold: 0 });
    try {
      const { ws, received } = await wsClient(harness.url, { threshold: 0, serverMaxWindowBits: 8 });
      assert.deepEqual(harness.responses, ['permessage-deflate; server_max_window_bits=8']);
      await echoAll(ws, received, [sample(5000, true).toString(), sample(3000, true)]);
      assert.equal(harness.compressedFramesSent, 0);
      assert.equal(harness.codecs[0]!.canCompress, false);
      assert.equal(await closeWs(ws), 1000);
    } finally {
      await harness.close();
    }
  });

  test('the threshold: small messages go plain, large ones compressed', async () => {
    const harness = await startHarness({ threshold: 1000 });
    try {
      const { ws, received } = await wsClient(harness.url, { threshold: 0 });
      await echoAll(ws, received, [sample(999, true).toString(), sample(1000, true).toString(), sample(10, true)]);
      assert.equal(harness.compressedFramesSent, 1);
      assert.equal(await closeWs(ws), 1000);
    } finally {
      await harness.close();
    }
  });
});
