// Property tests for the handshake head parsers: chunking never changes the outcome, no input
// makes push() throw or stall, and oversized heads fail within the configured bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HandshakeError } from '../../src/handshake/handshake-error.js';
import { HEAD_COMPLETE, HEAD_FAILED, MAX_HEAD_SIZE } from '../../src/handshake/head-reader.js';
import type { HeadReader } from '../../src/handshake/head-reader.js';
import { ResponseParser } from '../../src/handshake/response-parser.js';
import { ServerRequestParser } from '../../src/handshake/server-request.js';
import { ACCEPT, bytes, KEY, response101, upgradeRequest } from '../handshake/fixtures.js';

type Parser = ResponseParser | ServerRequestParser;

interface Outcome {
  state: number;
  consumed: number;
  message: string | null;
  headers: Record<string, string>;
  protocol: string;
}

/** Feeds data in the pieces delimited by `cuts`, stopping once the parser is done. */
function feed(parser: Parser, data: Uint8Array, cuts: readonly number[]): Outcome {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  points.push(data.length);
  let consumed = 0;
  let from = 0;
  for (const to of points) {
    if (to < from) continue;
    const n = parser.push(data, from, to);
    assert.ok(n >= 0 && n <= to - from, `push consumed ${n} of ${to - from}`);
    consumed += n;
    if (parser.state === HEAD_COMPLETE || parser.state === HEAD_FAILED) break;
    assert.equal(n, to - from, 'an unfinished head consumes the whole chunk');
    from = to;
  }
  return {
    state: parser.state,
    consumed,
    message: parser.error === null ? null : parser.error.message,
    headers: { ...parser.headers },
    protocol: parser instanceof ResponseParser ? parser.protocol : (parser.protocols.join(',')),
  };
}

const cutsArbitrary = fc.array(fc.nat(), { maxLength: 40 });
const tokenArbitrary = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/);
const valueArbitrary = fc.stringMatching(/^([\x21-\x7e]([\x20-\x7e\t]{0,30}[\x21-\x7e])?)?$/);
/** Extra header lines that do not touch the fields the handshake checks. */
const extraLinesArbitrary = fc.array(
  fc.tuple(tokenArbitrary, valueArbitrary).filter(([name]) => !/^(upgrade|connection|sec-websocket-.*|host)$/i.test(name)).map(([name, value]) => `X-${name}: ${value}`),
  { maxLength: 12 },
);

test('valid 101 responses parse identically whatever the chunking', () => {
  fc.assert(
    fc.property(extraLinesArbitrary, fc.option(fc.constantFrom('a', 'b', 'c')), fc.uint8Array({ maxLength: 20 }), cutsArbitrary, (extra, protocol, trailing, cuts) => {
      const lines = protocol === null ? extra : [...extra, `Sec-WebSocket-Protocol: ${protocol}`];
      const head = response101(lines);
      const data = new Uint8Array([...bytes(head), ...trailing]);
      const whole = feed(new ResponseParser({ key: KEY, protocols: ['a', 'b', 'c'] }), data, []);
      assert.equal(whole.state, HEAD_COMPLETE, whole.message ?? '');
      assert.equal(whole.consumed, head.length);
      assert.equal(whole.protocol, protocol ?? '');
      assert.equal(whole.headers['sec-websocket-accept'], ACCEPT);
      const split = feed(new ResponseParser({ key: KEY, protocols: ['a', 'b', 'c'] }), data, cuts);
      assert.deepEqual(split, whole);
    }),
    { numRuns: 300 },
  );
});

test('valid upgrade requests parse identically whatever the chunking', () => {
  fc.assert(
    fc.property(extraLinesArbitrary, fc.uniqueArray(tokenArbitrary, { maxLength: 4, comparator: (a, b) => a === b }), cutsArbitrary, (extra, protocols, cuts) => {
      const lines = protocols.length === 0 ? extra : [...extra, `Sec-WebSocket-Protocol: ${protocols.join(', ')}`];
      const head = upgradeRequest(lines);
      const data = bytes(head + 'frames');
      const whole = feed(new ServerRequestParser(), data, []);
      assert.equal(whole.state, HEAD_COMPLETE, whole.message ?? '');
      assert.equal(whole.consumed, head.length);
      assert.equal(whole.protocol, protocols.join(','));
      assert.deepEqual(feed(new ServerRequestParser(), data, cuts), whole);
    }),
    { numRuns: 300 },
  );
});

/** A valid head with random byte edits: flips, insertions, deletions, and CR/LF/colon/space/NUL injections. */
function mutatedArbitrary(head: string) {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('set', 'insert', 'delete'),
    byte: fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x3a, 0x20, 0x09, 0x00, 0x2c, 0x7f, 0xff), fc.integer({ min: 0, max: 255 })),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    const out = [...bytes(head)];
    for (const { at, kind, byte } of edits) {
      const i = at % (out.length + 1);
      if (kind === 'insert') out.splice(i, 0, byte);
      else if (i < out.length) {
        if (kind === 'set') out[i] = byte;
        else out.splice(i, 1);
      }
    }
    return new Uint8Array(out);
  });
}

/** CRLF CRLF appended to any input forces a terminal state (see the comment in the test). */
const TERMINATOR = [0x0d, 0x0a, 0x0d, 0x0a];

function checkTerminal(outcome: Outcome, parser: Parser): void {
  // With CRLFCRLF at the end, the reader is either mid-line (the first CRLF ends it, the second
  // ends the head), waiting for an LF (a CR arrives: failure), or already done.
  assert.ok(outcome.state === HEAD_COMPLETE || outcome.state === HEAD_FAILED, `state ${outcome.state}`);
  if (outcome.state === HEAD_FAILED) {
    assert.ok(parser.error instanceof HandshakeError);
    assert.equal(parser.error.code, 'WS_ERR_HANDSHAKE');
    assert.equal(parser.error.closeCode, 1006);
  } else {
    assert.equal(parser.error, null);
  }
}

function checkRobust(make: () => Parser, input: Uint8Array, cuts: readonly number[]): void {
  const data = new Uint8Array([...input, ...TERMINATOR]);
  const whole = make();
  const outcome = feed(whole, data, []);
  checkTerminal(outcome, whole);
  const chunked = make();
  const split = feed(chunked, data, cuts);
  checkTerminal(split, chunked);
  assert.deepEqual(split, outcome);
}

test('mutated responses never throw and end in success or WS_ERR_HANDSHAKE, chunking-independent', () => {
  fc.assert(
    fc.property(mutatedArbitrary(response101(['Sec-WebSocket-Protocol: a', 'Server: x'])), cutsArbitrary, (input, cuts) => {
      checkRobust(() => new ResponseParser({ key: KEY, protocols: ['a'] }), input, cuts);
    }),
    { numRuns: 1000 },
  );
});

test('mutated requests never throw and end in success or WS_ERR_HANDSHAKE, chunking-independent', () => {
  fc.assert(
    fc.property(mutatedArbitrary(upgradeRequest(['Sec-WebSocket-Protocol: a, b'])), cutsArbitrary, (input, cuts) => {
      checkRobust(() => new ServerRequestParser(), input, cuts);
    }),
    { numRuns: 1000 },
  );
});

test('random bytes never throw, for both parsers', () => {
  const noise = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // Biased towards the bytes that drive the machine.
    fc.array(fc.constantFrom(0x0d, 0x0a, 0x3a, 0x20, 0x41, 0x09), { maxLength: 300 }).map((a) => new Uint8Array(a)),
  );
  fc.assert(
    fc.property(noise, cutsArbitrary, (input, cuts) => {
      checkRobust(() => new ResponseParser({ key: KEY }), input, cuts);
      checkRobust(() => new ServerRequestParser(), input, cuts);
    }),
    { numRuns: 1000 },
  );
});

test('oversized heads fail within the limit, with a bounded buffer', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 64, max: 4096 }), // limit
      fc.integer({ min: 1, max: 3000 }), // header line length
      fc.integer({ min: 1, max: 5000 }), // chunk size
      fc.boolean(),
      (limit, lineLength, chunkSize, server) => {
        const parser: Parser = server ? new ServerRequestParser({ maxHeadSize: limit }) : new ResponseParser({ key: KEY, maxHeadSize: limit });
        const start = server ? upgradeRequest().slice(0, -2) : response101().slice(0, -2);
        // Head lines forever: the parser must stop on its own well before the input ends.
        const line = bytes('X-Big: ' + 'v'.repeat(lineLength) + '\r\n');
        const total = limit * 4 + line.length;
        const data = new Uint8Array(total + start.length);
        data.set(bytes(start));
        for (let at = start.length; at < data.length; at += line.length) data.set(line.subarray(0, Math.min(line.length, data.length - at)), at);
        let consumed = 0;
        for (let at = 0; at < data.length && parser.state !== HEAD_FAILED; at += chunkSize) {
          consumed += parser.push(data, at, Math.min(at + chunkSize, data.length));
          const spill = (parser as unknown as { spill: Uint8Array | null }).spill;
          assert.ok(spill === null || spill.length <= limit, `spill ${spill?.length} > ${limit}`);
        }
        assert.equal(parser.state, HEAD_FAILED);
        assert.ok(consumed <= limit, `consumed ${consumed} > ${limit}`);
        assert.match(parser.error?.message ?? '', new RegExp(`exceeds ${limit} bytes`));
        if (parser instanceof ServerRequestParser) assert.equal(parser.error?.statusCode, 431);
      },
    ),
    { numRuns: 200 },
  );
});

test('the default limit is 16 KiB', () => {
  assert.equal(MAX_HEAD_SIZE, 16384);
  const reader: HeadReader = new ResponseParser({ key: KEY });
  const data = new Uint8Array(1 << 20).fill(0x61);
  assert.ok(reader.push(data, 0, data.length) <= MAX_HEAD_SIZE);
  assert.equal(reader.state, HEAD_FAILED);
});
