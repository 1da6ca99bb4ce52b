// FrameParser conformance (RFC 6455 5.x), client role, with a recording handler: every length
// class, fragmentation with control frames in between, and every error with its string code and
// close code. Streams are also fed split at every byte position.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameParser } from '../../src/protocol/frame-parser.js';
import { binary, close, continuation, frame, patternBytes, ping, pong, text } from '../helpers/frames.js';
import { feed, newParser, parseAll, RecordingHandler, type Recorded } from '../helpers/recording-handler.js';

const MiB = 1024 * 1024;

function onlyError(events: Recorded[]): { code: string; closeCode: number } {
  const errors = events.filter((event) => event.kind === 'error');
  assert.equal(errors.length, 1, `exactly one protocol error, got ${JSON.stringify(events.map((event) => event.kind))}`);
  assert.equal(events[events.length - 1]!.kind, 'error', 'nothing is reported after the error');
  const error = errors[0] as Extract<Recorded, { kind: 'error' }>;
  return { code: error.code, closeCode: error.closeCode };
}

function assertFails(data: Uint8Array, code: string, closeCode: number, options: { maxPayload?: number } = {}): void {
  // Whole, and byte by byte: the outcome does not depend on how the bytes arrive.
  for (const cuts of [[], Array.from({ length: Math.min(data.length, 300) }, (_, index) => index)]) {
    const events = parseAll(data, cuts, options);
    assert.deepEqual(onlyError(events), { code, closeCode }, `cuts: ${cuts.length}`);
  }
}

describe('length classes', () => {
  const sizes = [0, 1, 125, 126, 127, 65535, 65536, 16 * MiB];
  for (const size of sizes) {
    test(`binary and text message of ${size} bytes, whole and split`, () => {
      const payload = patternBytes(size, size + 1);
      const textPayload = Buffer.alloc(size, 0x61);
      const stream = Buffer.concat([binary(payload), text(textPayload)]);
      const cutSets: number[][] =
        size > 65536 ? [[], [5, 9, 11, Math.floor(stream.length / 2)]] : [[], [1], [2], [3], [stream.length - 1], [5, 9, 11, Math.floor(stream.length / 2)]];
      for (const cuts of cutSets) {
        const events = parseAll(stream, cuts);
        assert.equal(events.length, 2, `cuts ${cuts}`);
        const [first, second] = events as [Recorded, Recorded];
        assert.ok(first.kind === 'message' && second.kind === 'message');
        assert.equal(first.isText, false);
        assert.ok(first.data.equals(payload), `binary ${size} cuts ${cuts}`);
        assert.equal(second.isText, true);
        assert.ok(second.data.equals(textPayload), `text ${size} cuts ${cuts}`);
      }
    });
  }

  test('non-minimal length encodings are accepted (RFC 6455 5.2 does not forbid them at the receiver)', () => {
    const payload = patternBytes(10);
    for (const lengthBits of [16, 64] as const) {
      const events = parseAll(frame({ opcode: 2, payload, lengthBits }));
      assert.equal(events.length, 1);
      assert.ok(events[0]!.kind === 'message' && events[0]!.data.equals(payload));
    }
  });

  test('a 16 MiB message arriving in 64 KiB reads is assembled once', () => {
    const payload = patternBytes(16 * MiB, 7);
    const stream = binary(payload);
    const cuts: number[] = [];
    for (let at = 65536; at < stream.length; at += 65536) cuts.push(at);
    const events = parseAll(stream, cuts);
    assert.equal(events.length, 1);
    assert.ok(events[0]!.kind === 'message' && events[0]!.data.equals(payload));
  });
});

describe('fragmentation', () => {
  test('fragments are joined, control frames between them are delivered at once', () => {
    const stream = Buffer.concat([
      text('Hel', false),
      ping('p1'),
      continuation('lo, ', false),
      pong('p2'),
      continuation(''),
      binary(Buffer.from([1, 2]), false),
      continuation(Buffer.from([3]), false),
      ping(''),
      continuation(Buffer.from([4, 5])),
      text('wörld'),
    ]);
    const expected = [
      ['ping', 'p1'],
      ['pong', 'p2'],
      ['message', 'Hello, ', true],
      ['ping', ''],
      ['message', '0102030405', false],
      ['message', 'wörld', true],
    ];
    for (let cut = 0; cut <= stream.length; cut++) {
      const events = parseAll(stream, [cut]);
      const summary = events.map((event) => {
        if (event.kind === 'message') return ['message', event.isText ? event.data.toString('utf8') : event.data.toString('hex'), event.isText];
        if (event.kind === 'ping' || event.kind === 'pong') return [event.kind, event.data.toString('utf8')];
        return [event.kind];
      });
      assert.deepEqual(summary, expected, `cut at ${cut}`);
    }
  });

  test('an empty fragmented message: empty text start, empty continuation with FIN', () => {
    const events = parseAll(Buffer.concat([text('', false), continuation('', false), continuation('')]));
    assert.equal(events.length, 1);
    assert.ok(events[0]!.kind === 'message' && events[0]!.isText && events[0]!.data.length === 0);
  });

  test('a 70000-byte message in fragments of mixed sizes (1, 125, 126, 65535) is joined', () => {
    const payload = patternBytes(70000, 3);
    const pieces: Buffer[] = [];
    let pings = 0;
    let offset = 0;
    const sizes = [1, 125, 126, 65535, 70000];
    for (let index = 0; offset < payload.length; index++) {
      const size = Math.min(sizes[index % sizes.length]!, payload.length - offset);
      const last = offset + size === payload.length;
      const chunk = payload.subarray(offset, offset + size);
      pieces.push(index === 0 ? binary(chunk, last) : continuation(chunk, last));
      if (!last && index % 2 === 0) {
        pieces.push(ping(`x${index}`));
        pings++;
      }
      offset += size;
    }
    const events = parseAll(Buffer.concat(pieces), [3, 200, 65600, 65700]);
    const messages = events.filter((event) => event.kind === 'message');
    assert.equal(messages.length, 1);
    assert.ok(messages[0]!.kind === 'message' && messages[0]!.data.equals(payload));
    assert.ok(pings > 0);
    assert.equal(events.filter((event) => event.kind === 'ping').length, pings);
  });
});

describe('control frames', () => {
  test('ping, pong and close payloads up to 125 bytes, whole and split at every byte', () => {
    const payload = patternBytes(125, 9);
    const reason = 'r'.repeat(123);
    const stream = Buffer.concat([ping(payload), pong(payload), ping(''), close(4000, reason)]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const events = parseAll(stream, [cut, cut + 7]);
      assert.equal(events.length, 4, `cut ${cut}`);
      assert.ok(events[0]!.kind === 'ping' && events[0]!.data.equals(payload));
      assert.ok(events[1]!.kind === 'pong' && events[1]!.data.equals(payload));
      assert.ok(events[2]!.kind === 'ping' && events[2]!.data.length === 0);
      assert.ok(events[3]!.kind === 'close' && events[3]!.code === 4000 && events[3]!.reason.toString() === reason);
    }
  });

  test('an empty close frame reports 1005; nothing after a close frame is parsed', () => {
    const events = parseAll(Buffer.concat([close(), text('after')]));
    assert.deepEqual(events, [{ kind: 'close', code: 1005, reason: Buffer.alloc(0) }]);
  });

  test('a close frame with code only and with a UTF-8 reason', () => {
    assert.deepEqual(parseAll(close(1000)), [{ kind: 'close', code: 1000, reason: Buffer.alloc(0) }]);
    const events = parseAll(close(1001, 'gehe weg — ☃'));
    assert.ok(events[0]!.kind === 'close' && events[0]!.reason.toString('utf8') === 'gehe weg — ☃');
  });

  const validCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
  const invalidCodes = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
  for (const code of validCodes) {
    test(`close code ${code} is accepted`, () => {
      const events = parseAll(close(code, 'ok'));
      assert.ok(events.length === 1 && events[0]!.kind === 'close' && events[0]!.code === code);
    });
  }
  for (const code of invalidCodes) {
    test(`close code ${code} -> WS_ERR_INVALID_CLOSE_CODE / 1002`, () => assertFails(close(code), 'WS_ERR_INVALID_CLOSE_CODE', 1002));
  }

  test('a 1-byte close payload -> WS_ERR_INVALID_CLOSE_PAYLOAD / 1002, as soon as the header arrives', () => {
    assertFails(frame({ opcode: 8, payload: Buffer.from([3]) }), 'WS_ERR_INVALID_CLOSE_PAYLOAD', 1002);
    assertFails(frame({ opcode: 8, payload: Buffer.from([3]) }).subarray(0, 2), 'WS_ERR_INVALID_CLOSE_PAYLOAD', 1002);
  });

  test('invalid UTF-8 in the close reason -> WS_ERR_INVALID_UTF8 / 1007', () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x61, 0xf4, 0x90, 0x80, 0x80]]) {
      assertFails(close(1000, Buffer.from(bad)), 'WS_ERR_INVALID_UTF8', 1007);
    }
  });

  test('a control frame over 125 bytes -> WS_ERR_CONTROL_TOO_LONG / 1002 (7-bit 126/127 and extended)', () => {
    for (const opcode of [8, 9, 10]) {
      assertFails(frame({ opcode, payload: patternBytes(126) }), 'WS_ERR_CONTROL_TOO_LONG', 1002);
      // 125 bytes announced with the 16-bit form still uses the 126 marker: refused as well.
      assertFails(frame({ opcode, payload: patternBytes(125), lengthBits: 16 }), 'WS_ERR_CONTROL_TOO_LONG', 1002);
    }
  });

  test('a fragmented control frame -> WS_ERR_FRAGMENTED_CONTROL / 1002', () => {
    for (const opcode of [8, 9, 10]) assertFails(frame({ opcode, fin: false }), 'WS_ERR_FRAGMENTED_CONTROL', 1002);
  });
});

describe('frame-level errors', () => {
  for (const rsv of [1, 2, 3, 4, 5, 6, 7]) {
    test(`RSV bits ${rsv.toString(2).padStart(3, '0')} -> WS_ERR_UNEXPECTED_RSV / 1002`, () => {
      for (const opcode of [0, 1, 2, 8, 9, 10]) assertFails(frame({ opcode, rsv, payload: 'x' }), 'WS_ERR_UNEXPECTED_RSV', 1002);
      // Also after a valid frame, and on a continuation of a started message.
      assertFails(Buffer.concat([text('ok'), frame({ opcode: 1, rsv, payload: 'x' })]).subarray(0), 'WS_ERR_UNEXPECTED_RSV', 1002);
      assertFails(Buffer.concat([text('a', false), frame({ opcode: 0, rsv, payload: 'b' })]), 'WS_ERR_UNEXPECTED_RSV', 1002);
    });
  }

  for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
    test(`reserved opcode 0x${opcode.toString(16)} -> WS_ERR_INVALID_OPCODE / 1002`, () => {
      assertFails(frame({ opcode }), 'WS_ERR_INVALID_OPCODE', 1002);
      assertFails(frame({ opcode, payload: 'abc', fin: false }), 'WS_ERR_INVALID_OPCODE', 1002);
      assertFails(Buffer.concat([text('a', false), frame({ opcode })]), 'WS_ERR_INVALID_OPCODE', 1002);
    });
  }

  test('a masked frame from the server -> WS_ERR_UNEXPECTED_MASK / 1002', () => {
    for (const opcode of [1, 2, 9, 10, 8]) assertFails(frame({ opcode, payload: opcode === 8 ? '' : 'hi', mask: true }), 'WS_ERR_UNEXPECTED_MASK', 1002);
  });

  test('server role: an unmasked client frame -> WS_ERR_EXPECTED_MASK / 1002; masked frames unmask', () => {
    const events = parseAll(frame({ opcode: 1, payload: 'hi' }), [], { expectMasked: true });
    assert.deepEqual(onlyError(events), { code: 'WS_ERR_EXPECTED_MASK', closeCode: 1002 });
    const payload = patternBytes(70000, 5);
    const stream = Buffer.concat([frame({ opcode: 2, payload, mask: true }), frame({ opcode: 9, payload: 'ping!', mask: true })]);
    for (const cuts of [[], [1], [3], [9], [13], [14], [15], [16], [1000, 1001, 1003]]) {
      const parsed = parseAll(Buffer.from(stream), cuts, { expectMasked: true });
      assert.equal(parsed.length, 2, `cuts ${cuts}`);
      assert.ok(parsed[0]!.kind === 'message' && parsed[0]!.data.equals(payload), `cuts ${cuts}`);
      assert.ok(parsed[1]!.kind === 'ping' && parsed[1]!.data.toString() === 'ping!');
    }
  });

  test('a continuation frame without a message -> WS_ERR_UNEXPECTED_CONTINUATION / 1002', () => {
    assertFails(continuation('x'), 'WS_ERR_UNEXPECTED_CONTINUATION', 1002);
    assertFails(continuation('x', false), 'WS_ERR_UNEXPECTED_CONTINUATION', 1002);
    assertFails(Buffer.concat([text('done'), continuation('x')]), 'WS_ERR_UNEXPECTED_CONTINUATION', 1002);
    assertFails(Buffer.concat([text('a', false), continuation('b'), continuation('c')]), 'WS_ERR_UNEXPECTED_CONTINUATION', 1002);
  });

  test('a new data frame before the fragmented message ended -> WS_ERR_EXPECTED_CONTINUATION / 1002', () => {
    assertFails(Buffer.concat([text('a', false), text('b')]), 'WS_ERR_EXPECTED_CONTINUATION', 1002);
    assertFails(Buffer.concat([binary('a', false), ping('p'), binary('b', false)]), 'WS_ERR_EXPECTED_CONTINUATION', 1002);
    assertFails(Buffer.concat([text('', false), binary('')]), 'WS_ERR_EXPECTED_CONTINUATION', 1002);
  });

  test('a 64-bit length with the most significant bit set -> WS_ERR_INVALID_LENGTH / 1002', () => {
    for (const declaredLength of [0x8000000000000000n, 0xffffffffffffffffn, 0x8000000000000001n]) {
      assertFails(frame({ opcode: 2, declaredLength }), 'WS_ERR_INVALID_LENGTH', 1002);
    }
  });

  test('a 64-bit length above maxPayload (and above 2^53) -> WS_ERR_MESSAGE_TOO_BIG / 1009', () => {
    for (const declaredLength of [0x7fffffffffffffffn, 0x0020000000000000n, 0x100000000n]) {
      assertFails(frame({ opcode: 2, declaredLength }), 'WS_ERR_MESSAGE_TOO_BIG', 1009);
    }
  });
});

describe('maxPayload', () => {
  test('a single frame over maxPayload -> WS_ERR_MESSAGE_TOO_BIG / 1009, before its payload arrives', () => {
    for (const size of [101, 126, 65536]) {
      const header = binary(Buffer.alloc(size)).subarray(0, size < 126 ? 2 : size < 65536 ? 4 : 10);
      assertFails(header, 'WS_ERR_MESSAGE_TOO_BIG', 1009, { maxPayload: 100 });
      assertFails(text(Buffer.alloc(size, 0x20)), 'WS_ERR_MESSAGE_TOO_BIG', 1009, { maxPayload: 100 });
    }
  });

  test('exactly maxPayload is accepted, whole and fragmented', () => {
    const events = parseAll(Buffer.concat([binary(Buffer.alloc(100)), text('a'.repeat(60), false), continuation('b'.repeat(40))]), [], { maxPayload: 100 });
    assert.equal(events.length, 2);
    assert.ok(events.every((event) => event.kind === 'message' && event.data.length === 100));
  });

  test('fragments summing over maxPayload -> 1009 when the fragment that crosses it is announced', () => {
    const stream = Buffer.concat([text('a'.repeat(60), false), ping('in between'), continuation('b'.repeat(41))]);
    assertFails(stream, 'WS_ERR_MESSAGE_TOO_BIG', 1009, { maxPayload: 100 });
    // The error comes from the header alone: feed the stream up to the last frame's header.
    const { parser, handler } = newParser({ maxPayload: 100 });
    feed(parser, stream.subarray(0, stream.length - 41));
    assert.equal(onlyError(handler.events).closeCode, 1009);
    // Control frames do not count towards the message size.
    const ok = parseAll(Buffer.concat([text('a'.repeat(60), false), ping('x'.repeat(125)), continuation('b'.repeat(40))]), [], { maxPayload: 100 });
    assert.deepEqual(ok.map((event) => event.kind), ['ping', 'message']);
  });
});

describe('UTF-8 in text messages', () => {
  const invalid: Array<[string, number[]]> = [
    ['lone continuation', [0x80]],
    ['overlong 2-byte', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['overlong 4-byte', [0xf0, 0x80, 0x80, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['F5 lead', [0xf5, 0x80, 0x80, 0x80]],
    ['FF', [0xff]],
    ['truncated at the end', [0xce, 0xba, 0xe1, 0xbd]],
  ];
  for (const [name, bytes] of invalid) {
    test(`${name} -> WS_ERR_INVALID_UTF8 / 1007 (single frame, fragmented, split)`, () => {
      const payload = Buffer.concat([Buffer.from('κόσμε '), Buffer.from(bytes), Buffer.from(name.includes('end') ? '' : ' tail')]);
      assertFails(text(payload), 'WS_ERR_INVALID_UTF8', 1007);
      // Long enough for the native validator path.
      assertFails(text(Buffer.concat([Buffer.alloc(1000, 0x61), payload])), 'WS_ERR_INVALID_UTF8', 1007);
      for (let split = 0; split <= payload.length; split++) {
        assertFails(Buffer.concat([text(payload.subarray(0, split), false), continuation(payload.subarray(split))]), 'WS_ERR_INVALID_UTF8', 1007);
      }
    });
  }

  test('valid text split inside code points across fragments is accepted', () => {
    const payload = Buffer.from('a€𝄞ü☃ 𝄞'.repeat(3));
    for (let split = 0; split <= payload.length; split++) {
      for (const cut of [0, 1, 3, split + 2, split + 4]) {
        const events = parseAll(Buffer.concat([text(payload.subarray(0, split), false), ping('x'), continuation(payload.subarray(split))]), [cut]);
        assert.ok(events[1]!.kind === 'message' && events[1]!.data.equals(payload), `split ${split} cut ${cut}`);
      }
    }
  });

  test('binary messages are not checked for UTF-8', () => {
    const events = parseAll(Buffer.concat([binary(Buffer.from([0xff, 0xc0])), binary(Buffer.from([0xed]), false), continuation(Buffer.from([0xa0, 0x80]))]));
    assert.equal(events.length, 2);
  });

  test('fail fast: the error fires on the bad byte, before the final fragment arrives', () => {
    const { parser, handler } = newParser();
    feed(parser, text('hello ', false));
    feed(parser, continuation(Buffer.from('wor'), false));
    assert.equal(handler.events.length, 0);
    // A fragment whose header announces 10 bytes; push only its header and the first bad byte.
    const bad = continuation(Buffer.from([0xff, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61]), false);
    feed(parser, bad.subarray(0, 2));
    assert.equal(handler.events.length, 0);
    feed(parser, bad.subarray(2, 3));
    assert.deepEqual(onlyError(handler.events), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 });
    assert.ok(parser.stopped);
  });

  test('fail fast: a single unfragmented text frame split across reads fails at the bad byte', () => {
    for (const prefix of [0, 5, 600]) {
      const payload = Buffer.concat([Buffer.alloc(prefix, 0x62), Buffer.from([0xe0, 0x80]), Buffer.alloc(2000, 0x63)]);
      const stream = text(payload);
      const headerLength = stream.length - payload.length;
      const { parser, handler } = newParser();
      // Everything up to and including the bad second byte (E0 80 is an overlong start).
      feed(parser, stream.subarray(0, headerLength + prefix + 2));
      assert.deepEqual(onlyError(handler.events), { code: 'WS_ERR_INVALID_UTF8', closeCode: 1007 }, `prefix ${prefix}`);
    }
  });

  test('fail fast: a truncated code point is not an error until the message ends', () => {
    const { parser, handler } = newParser();
    feed(parser, text(Buffer.from([0x61, 0xe2, 0x82]), false));
    assert.equal(handler.events.length, 0);
    feed(parser, continuation(Buffer.from([0xac]), true));
    assert.ok(handler.events[0]!.kind === 'message' && handler.events[0]!.data.toString('utf8') === 'a€');
  });
});

describe('after an error or stop()', () => {
  test('input after a protocol error is ignored; stopped is true', () => {
    const { parser, handler } = newParser();
    feed(parser, Buffer.concat([frame({ opcode: 3 }), text('ignored')]));
    feed(parser, text('ignored too'));
    assert.equal(handler.events.length, 1);
    assert.ok(parser.stopped);
  });

  test('stop() from inside onMessage stops delivery of the rest of the read', () => {
    const events: string[] = [];
    const handler = new (class extends RecordingHandler {
      override onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
        events.push(Buffer.from(data.subarray(start, end)).toString());
        super.onMessage(data, start, end, isText);
        parser.stop();
      }
    })();
    const parser = new FrameParser(handler, { expectMasked: false, maxPayload: 1000 });
    feed(parser, Buffer.concat([text('one'), text('two'), ping('p')]));
    assert.deepEqual(events, ['one']);
  });
});

describe('split at every byte position', () => {
  test('a mixed stream yields the same events at every single cut and every pair of nearby cuts', () => {
    const stream = Buffer.concat([
      text('first'),
      binary(patternBytes(126)),
      ping('ping-data'),
      text('frag-', false),
      pong(''),
      continuation(Buffer.from('€'), false),
      continuation('end'),
      binary(Buffer.alloc(0)),
      frame({ opcode: 2, payload: patternBytes(200), lengthBits: 64 }),
      text('ü'.repeat(70)),
      close(1000, 'bye'),
    ]);
    const reference = parseAll(stream);
    assert.equal(reference.length, 9);
    assert.equal(reference[reference.length - 1]!.kind, 'close');
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(parseAll(stream, [cut]), reference, `cut ${cut}`);
      assert.deepEqual(parseAll(stream, [cut, cut + 1, cut + 3]), reference, `cuts ${cut}+1+3`);
    }
    // Byte by byte.
    assert.deepEqual(parseAll(stream, Array.from({ length: stream.length }, (_, index) => index)), reference);
  });
});
