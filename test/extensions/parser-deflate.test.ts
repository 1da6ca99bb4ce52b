// FrameParser with a negotiated permessage-deflate inflater (RFC 7692 6 and 7.2.2): RSV1 rules,
// fragmented and split compressed messages, ordering with plain messages, and every failure
// with its close code (1002 RSV misuse, 1007 bad data or UTF-8, 1009 over maxPayload).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { PerMessageDeflate } from '../../src/extensions/deflate-codec.js';
import type { DeflateParameters } from '../../src/extensions/permessage-deflate.js';
import { binary, continuation, frame, ping, text } from '../helpers/frames.js';
import { feed, newParser, type ParseOptions } from '../helpers/recording-handler.js';

const PARAMS: DeflateParameters = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

/** A client-role parser with permessage-deflate on (the server compresses). */
function deflateParser(options: ParseOptions = {}, params: DeflateParameters = PARAMS) {
  const { parser, handler } = newParser(options);
  const codec = new PerMessageDeflate(params, 'client', { threshold: 0 });
  parser.setInflater(codec);
  return { parser, handler, codec };
}

/** Per-message compressed payloads from one context-takeover stream (what a server sends). */
function compressStream(messages: ReadonlyArray<string | Buffer>, noContextTakeover = false): Buffer[] {
  const out: Buffer[] = [];
  for (const message of messages) {
    // deflateRawSync cannot keep a window between calls: compress each message with everything
    // before it as the raw dictionary (none without context takeover), which is what a
    // context-takeover sender's window holds.
    const before = noContextTakeover ? Buffer.alloc(0) : Buffer.concat(out.map((_, index) => Buffer.from(messages[index]!))).subarray(-32768);
    const bytes = zlib.deflateRawSync(Buffer.from(message), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      ...(before.length > 0 && { dictionary: before }),
    });
    assert.deepEqual([...bytes.subarray(-4)], [0, 0, 0xff, 0xff]);
    out.push(bytes.subarray(0, -4));
  }
  return out;
}

const compressedText = (payload: Buffer, fin = true) => frame({ opcode: 1, rsv: 4, payload, fin });
const compressedBinary = (payload: Buffer, fin = true) => frame({ opcode: 2, rsv: 4, payload, fin });

test('compressed text and binary messages are inflated, in order with plain ones, with context takeover', () => {
  const contents = ['{"price":"43000.10","qty":"1"}'.repeat(20), 'second message shares words with the first: price qty'.repeat(10), '{"price":"43000.10","qty":"1"}'.repeat(20)];
  const payloads = compressStream(contents);
  assert.ok(payloads[2]!.length < payloads[0]!.length / 2, 'the third message reuses the window');
  const wire = Buffer.concat([compressedText(payloads[0]!), text('plain'), compressedBinary(payloads[1]!), binary(Buffer.from([1, 2, 3])), compressedText(payloads[2]!)]);
  for (const cuts of [[], [1], [3, 40, 41], Array.from({ length: wire.length }, (_, index) => index)]) {
    const { parser, handler, codec } = deflateParser();
    feed(parser, wire, cuts);
    assert.deepEqual(
      handler.events.map((event) => (event.kind === 'message' ? [event.isText, event.data.toString('latin1')] : event)),
      [
        [true, contents[0]],
        [true, 'plain'],
        [false, contents[1]],
        [false, '\x01\x02\x03'],
        [true, contents[2]],
      ],
      `cuts ${cuts.length}`,
    );
    codec.close();
  }
});

test('fragmented compressed messages: RSV1 on the first frame only, control frames in between', () => {
  const content = 'fragmented and compressed '.repeat(40);
  const [payload] = compressStream([content]);
  const third = Math.floor(payload!.length / 3);
  const wire = Buffer.concat([
    compressedText(payload!.subarray(0, third), false),
    ping('mid'),
    continuation(payload!.subarray(third, 2 * third), false),
    continuation(Buffer.alloc(0), false),
    continuation(payload!.subarray(2 * third), true),
  ]);
  for (const cuts of [[], [2, 9, 30], Array.from({ length: wire.length }, (_, index) => index)]) {
    const { parser, handler, codec } = deflateParser();
    feed(parser, wire, cuts);
    assert.deepEqual(
      handler.events.map((event) => (event.kind === 'message' ? event.data.toString() : event.kind)),
      ['ping', content],
    );
    codec.close();
  }
});

test('an empty compressed message (the single byte 0x00) and zero-length compressed payloads', () => {
  const { parser, handler, codec } = deflateParser();
  feed(parser, Buffer.concat([compressedText(Buffer.from([0x00])), compressedBinary(Buffer.alloc(0))]));
  assert.deepEqual(
    handler.events.map((event) => (event.kind === 'message' ? event.data.length : event.kind)),
    [0, 0],
  );
  codec.close();
});

test('no context takeover: every message decodes on its own', () => {
  const contents = ['abcabcabc'.repeat(30), 'abcabcabc'.repeat(30)];
  const payloads = compressStream(contents, true);
  assert.deepEqual(payloads[0], payloads[1]);
  const { parser, handler, codec } = deflateParser({}, { ...PARAMS, serverNoContextTakeover: true });
  feed(parser, Buffer.concat(payloads.map((payload) => compressedText(payload))));
  assert.deepEqual(handler.messages.map((message) => message.data.toString()), contents);
  codec.close();
});

function errorsOf(wire: Buffer, options: ParseOptions = {}, withInflater = true) {
  const { parser, handler } = withInflater ? deflateParser(options) : newParser(options);
  feed(parser, wire);
  return handler.errors.map((error) => [error.code, error.closeCode]);
}

test('RSV misuse fails with 1002 (RFC 7692 6.1)', () => {
  const [payload] = compressStream(['x'.repeat(200)]);
  const half = Math.floor(payload!.length / 2);
  const cases: Array<[string, Buffer]> = [
    ['RSV1 on a continuation frame', Buffer.concat([compressedText(payload!.subarray(0, half), false), frame({ opcode: 0, rsv: 4, payload: payload!.subarray(half) })])],
    ['RSV1 on a continuation of a plain message', Buffer.concat([text('a', false), frame({ opcode: 0, rsv: 4, payload: 'b' })])],
    ['compressed ping', frame({ opcode: 9, rsv: 4, payload: Buffer.from([0x00]) })],
    ['compressed pong', frame({ opcode: 10, rsv: 4 })],
    ['compressed close', frame({ opcode: 8, rsv: 4, payload: Buffer.from([0x03, 0xe8]) })],
    ['RSV2', frame({ opcode: 1, rsv: 2, payload: 'a' })],
    ['RSV3', frame({ opcode: 2, rsv: 1, payload: 'a' })],
    ['RSV1 + RSV2', frame({ opcode: 1, rsv: 6, payload: payload! })],
  ];
  for (const [name, wire] of cases) assert.deepEqual(errorsOf(wire), [['WS_ERR_UNEXPECTED_RSV', 1002]], name);
  // Without a negotiated extension RSV1 is still a protocol error.
  assert.deepEqual(errorsOf(compressedText(payload!), {}, false), [['WS_ERR_UNEXPECTED_RSV', 1002]]);
});

test('invalid DEFLATE data fails with 1007 WS_ERR_INVALID_COMPRESSED_DATA', () => {
  for (const bad of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from([0x07, 0x00]), Buffer.from('not deflate at all')]) {
    assert.deepEqual(errorsOf(compressedBinary(bad)), [['WS_ERR_INVALID_COMPRESSED_DATA', 1007]], bad.toString('hex'));
  }
});

test('inflated text that is not UTF-8 fails with 1007', () => {
  const [payload] = compressStream([Buffer.concat([Buffer.from('valid start '), Buffer.from([0xc3, 0x28]), Buffer.from(' rest')])]);
  assert.deepEqual(errorsOf(compressedText(payload!)), [['WS_ERR_INVALID_UTF8', 1007]]);
  // The same bytes as binary are fine; a text message split inside a sequence by fragmentation
  // of the compressed bytes is fine too (UTF-8 is checked on the inflated whole).
  assert.deepEqual(errorsOf(compressedBinary(payload!)), []);
  const [euro] = compressStream(['€'.repeat(100)]);
  assert.deepEqual(errorsOf(Buffer.concat([compressedText(euro!.subarray(0, 3), false), continuation(euro!.subarray(3))])), []);
});

test('a zip bomb over maxPayload fails with 1009 and the output never grows past the limit', () => {
  const bomb = zlib.deflateRawSync(Buffer.alloc(16 * 1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
  assert.ok(bomb.length < 32 * 1024, `bomb is ${bomb.length} bytes`);
  const { parser, handler, codec } = deflateParser({ maxPayload: 1024 * 1024 });
  feed(parser, compressedBinary(bomb));
  assert.deepEqual(handler.errors.map((error) => [error.code, error.closeCode]), [['WS_ERR_MESSAGE_TOO_BIG', 1009]]);
  assert.ok(codec.output.length <= 1024 * 1024 + 1, `inflate buffer ${codec.output.length}`);
  assert.equal(handler.messages.length, 0);
  // Exactly maxPayload inflated bytes are accepted.
  const exact = zlib.deflateRawSync(Buffer.alloc(4096, 0x61), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
  const small = deflateParser({ maxPayload: 4096 });
  feed(small.parser, Buffer.concat([compressedText(exact), compressedText(exact)]));
  assert.equal(small.handler.messages.length, 2);
  assert.equal(small.handler.errors.length, 0);
  codec.close();
  small.codec.close();
});
