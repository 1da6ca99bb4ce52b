// End to end over loopback: a raw-socket server writes exact (bad) bytes after a correct 101, and
// the client must fail the connection as RFC 6455 7.1.7 says: send a close frame with the right
// code (masked, as every client frame), report a WebSocketError with the string code and the
// close code to onError, and report onClose exactly once. Autobahn categories 3, 4, 5, 6, 7.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../src/index.js';
import { ClientRecorder } from '../helpers/client-recorder.js';
import { binary, close, closeCodeOf, continuation, frame, patternBytes, ping, pong, text } from '../helpers/frames.js';
import { startRawServer, type RawServer } from '../helpers/raw-server.js';

interface Expectation {
  code: string;
  closeCode: number;
  /** Messages the client must have delivered before failing. */
  messagesBefore?: number;
}

let server: RawServer;
before(async () => {
  server = await startRawServer();
});
after(async () => {
  await server.close();
});

async function expectFailure(bytes: Uint8Array, expected: Expectation, options: { maxPayload?: number } = {}): Promise<void> {
  const recorder = new ClientRecorder();
  const client = await connect(server.url, recorder.options(options));
  const connection = await server.nextConnection();
  connection.write(bytes);
  const closeFrame = await connection.closeFrame();
  assert.ok(closeFrame.masked, 'the client masks its close frame');
  assert.equal(closeCodeOf(closeFrame.payload), expected.closeCode, 'close code on the wire');
  assert.equal(closeFrame.payload.length, 2, 'no reason text');
  const result = await recorder.settledClose();
  assert.equal(result.code, expected.closeCode, 'onClose code');
  assert.equal(recorder.events.closes.length, 1, 'onClose exactly once');
  const protocolErrors = recorder.events.errors as Array<Error & { code?: string; closeCode?: number }>;
  assert.equal(protocolErrors.length, 1, JSON.stringify(recorder.summary()));
  assert.equal(protocolErrors[0]!.name, 'WebSocketError');
  assert.equal(protocolErrors[0]!.code, expected.code);
  assert.equal(protocolErrors[0]!.closeCode, expected.closeCode);
  assert.equal(recorder.events.messages.length, expected.messagesBefore ?? 0);
  assert.equal(client.state, 'closed');
  // Only one close frame, and nothing after it.
  assert.equal(connection.frames.filter((item) => item.opcode === 8).length, 1);
  assert.equal(connection.frames[connection.frames.length - 1]!.opcode, 8);
  await connection.closed;
}

describe('3. reserved bits', () => {
  for (const rsv of [1, 2, 3, 4, 5, 6, 7]) {
    test(`RSV ${rsv.toString(2).padStart(3, '0')} on a text frame after a valid one -> 1002`, () =>
      expectFailure(Buffer.concat([text('ok'), frame({ opcode: 1, rsv, payload: 'bad' }), text('never')]), { code: 'WS_ERR_UNEXPECTED_RSV', closeCode: 1002, messagesBefore: 1 }));
  }
  test('RSV on a ping and on a close frame -> 1002', async () => {
    await expectFailure(frame({ opcode: 9, rsv: 4, payload: 'p' }), { code: 'WS_ERR_UNEXPECTED_RSV', closeCode: 1002 });
    await expectFailure(frame({ opcode: 8, rsv: 1, payload: Buffer.from([3, 0xe8]) }), { code: 'WS_ERR_UNEXPECTED_RSV', closeCode: 1002 });
  });
});

describe('4. opcodes', () => {
  for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
    test(`reserved opcode 0x${opcode.toString(16)} -> 1002`, () =>
      expectFailure(Buffer.concat([text('ok'), frame({ opcode, payload: 'x' })]), { code: 'WS_ERR_INVALID_OPCODE', closeCode: 1002, messagesBefore: 1 }));
  }
});

describe('5. fragmentation and control frames', () => {
  test('continuation without a start -> 1002', () => expectFailure(continuation('x'), { code: 'WS_ERR_UNEXPECTED_CONTINUATION', closeCode: 1002 }));
  test('a new data frame inside a fragmented message -> 1002', () =>
    expectFailure(Buffer.concat([text('a', false), ping(''), binary('b')]), { code: 'WS_ERR_EXPECTED_CONTINUATION', closeCode: 1002 }));
  test('a fragmented ping -> 1002', () => expectFailure(frame({ opcode: 9, fin: false, payload: 'p' }), { code: 'WS_ERR_FRAGMENTED_CONTROL', closeCode: 1002 }));
  test('a 126-byte ping -> 1002', () => expectFailure(ping(Buffer.alloc(126)), { code: 'WS_ERR_CONTROL_TOO_LONG', closeCode: 1002 }));
  test('a masked frame from the server -> 1002', () => expectFailure(frame({ opcode: 1, payload: 'masked', mask: true }), { code: 'WS_ERR_UNEXPECTED_MASK', closeCode: 1002 }));
  test('a 64-bit length with the MSB set -> 1002', () => expectFailure(frame({ opcode: 2, declaredLength: 1n << 63n }), { code: 'WS_ERR_INVALID_LENGTH', closeCode: 1002 }));
});

describe('6. UTF-8', () => {
  test('invalid UTF-8 in a single text frame -> 1007', () => expectFailure(text(Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64])), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 }));
  test('invalid UTF-8 across fragments -> 1007, before the final fragment', () =>
    expectFailure(Buffer.concat([text(Buffer.from([0xce, 0xba, 0xe1]), false), continuation(Buffer.from([0xbd, 0xb9, 0xf4, 0x90]), false)]), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 }));
  test('a text message ending inside a code point -> 1007', () => expectFailure(text(Buffer.from([0x61, 0xf0, 0x9d, 0x84])), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 }));
  test('invalid UTF-8 in a close reason -> 1007', () => expectFailure(close(1000, Buffer.from([0xff, 0xfe])), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 }));
});

describe('7. close frames', () => {
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]) {
    test(`close code ${code} from the server -> 1002`, () => expectFailure(close(code), { code: 'WS_ERR_INVALID_CLOSE_CODE', closeCode: 1002 }));
  }
  test('a 1-byte close payload -> 1002', () => expectFailure(frame({ opcode: 8, payload: Buffer.from([0x03]) }), { code: 'WS_ERR_INVALID_CLOSE_PAYLOAD', closeCode: 1002 }));

  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]) {
    test(`valid close code ${code}: echoed, onClose(${code}) once, no error`, async () => {
      const recorder = new ClientRecorder();
      await connect(server.url, recorder.options());
      const connection = await server.nextConnection();
      connection.write(close(code, 'reason'));
      const echoed = await connection.closeFrame();
      assert.ok(echoed.masked);
      assert.equal(closeCodeOf(echoed.payload), code);
      // RFC 6455 7.1.1: the server closes TCP first; the client ended its side already.
      await connection.waitUntil(() => connection.ended, 'client half-close');
      connection.socket.end();
      assert.deepEqual(await recorder.settledClose(), { code, reason: 'reason' });
      assert.equal(recorder.events.closes.length, 1);
      assert.equal(recorder.events.errors.length, 0);
    });
  }

  test('a close frame in the middle of a fragmented message ends it: the partial message is dropped', async () => {
    const recorder = new ClientRecorder();
    await connect(server.url, recorder.options());
    const connection = await server.nextConnection();
    connection.write(Buffer.concat([text('part', false), close(1000), continuation('rest')]));
    assert.equal(closeCodeOf((await connection.closeFrame()).payload), 1000);
    assert.deepEqual(await recorder.settledClose(), { code: 1000, reason: '' });
    assert.equal(recorder.events.messages.length, 0);
    assert.equal(recorder.events.errors.length, 0);
  });

  test('an empty close frame is answered with an empty close frame and reported as 1005', async () => {
    const recorder = new ClientRecorder();
    await connect(server.url, recorder.options());
    const connection = await server.nextConnection();
    connection.write(close());
    const echoed = await connection.closeFrame();
    assert.equal(echoed.payload.length, 0, 'RFC 6455 7.4.1: 1005 is never sent');
    assert.deepEqual(await recorder.settledClose(), { code: 1005, reason: '' });
  });

  test('data after the close frame is ignored', async () => {
    const recorder = new ClientRecorder();
    await connect(server.url, recorder.options());
    const connection = await server.nextConnection();
    connection.write(Buffer.concat([text('before'), close(1001, 'bye'), text('after'), frame({ opcode: 3 })]));
    assert.deepEqual(await recorder.settledClose(), { code: 1001, reason: 'bye' });
    assert.deepEqual(recorder.events.messages.map((message) => message.data.toString()), ['before']);
    assert.equal(recorder.events.errors.length, 0);
  });

  test('pings, pongs and messages split across many TCP writes are all delivered', async () => {
    const recorder = new ClientRecorder();
    await connect(server.url, recorder.options());
    const connection = await server.nextConnection();
    const stream = Buffer.concat([text('a'), ping('p1'), binary(patternBytes(300)), pong('q'), text('ü€', false), continuation('𝄞'), close(1000)]);
    for (let offset = 0; offset < stream.length; offset += 7) {
      connection.write(stream.subarray(offset, offset + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(await recorder.settledClose(), { code: 1000, reason: '' });
    assert.deepEqual(recorder.events.messages.map((message) => message.data.length), [1, 300, 9]);
    assert.deepEqual(recorder.events.pongs.map(String), ['q']);
    const pongFrame = connection.frames.find((item) => item.opcode === 10);
    assert.ok(pongFrame !== undefined && pongFrame.masked && pongFrame.payload.toString() === 'p1');
  });
});

describe('9. limits', () => {
  test('a frame over maxPayload -> 1009, announced by its header alone', () =>
    expectFailure(binary(Buffer.alloc(2000)).subarray(0, 4), { code: 'WS_ERR_MESSAGE_TOO_BIG', closeCode: 1009 }, { maxPayload: 1999 }));
  test('fragments summing over maxPayload -> 1009', () =>
    expectFailure(Buffer.concat([binary(Buffer.alloc(1000), false), continuation(Buffer.alloc(1000), false)]), { code: 'WS_ERR_MESSAGE_TOO_BIG', closeCode: 1009 }, { maxPayload: 1999 }));
});
