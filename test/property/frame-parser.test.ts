// Property tests for the frame parser (fast-check):
//  - any sequence of valid frames (random opcodes, fragmentation, control frames interleaved,
//    sizes around the 126 and 65536 boundaries), cut into any chunks, yields the messages the
//    frames encode, the same as when the stream arrives in one piece;
//  - random and mutated byte streams never throw out of push(), terminate, report the same
//    events whatever the chunking, and end either cleanly or in exactly one onProtocolError
//    (the last event) with a close code in {1002, 1007, 1009}.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { binary, close, continuation, frame, text } from '../helpers/frames.js';
import { newParser, feed, type Recorded } from '../helpers/recording-handler.js';

type Item =
  | { kind: 'message'; isText: boolean; payload: Buffer; cuts: number[]; controls: Array<{ opcode: 9 | 10; payload: Buffer }> }
  | { kind: 'control'; opcode: 9 | 10; payload: Buffer };

const sizeArbitrary = fc.oneof(
  { weight: 12, arbitrary: fc.nat({ max: 200 }) },
  { weight: 3, arbitrary: fc.constantFrom(125, 126, 127, 1000) },
  { weight: 1, arbitrary: fc.constantFrom(65535, 65536, 65537) },
);

const controlArbitrary = fc.record({
  opcode: fc.constantFrom(9 as const, 10 as const),
  payload: fc.uint8Array({ maxLength: 125 }).map((bytes) => Buffer.from(bytes)),
});

/** Valid UTF-8 of about `size` bytes (multi-byte characters included). */
function textOfSize(size: number, seed: string): Buffer {
  if (size > 1000) return Buffer.alloc(size, 0x7a);
  const unit = Buffer.from(seed.length === 0 ? 'a' : seed, 'utf8');
  const out = Buffer.alloc(Math.max(size, 0));
  for (let index = 0; index < out.length; index++) out[index] = unit[index % unit.length]!;
  // Cut back to a code point boundary, pad with ASCII.
  let end = out.length;
  while (end > 0 && (out[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && out[end - 1]! >= 0xc0) end--;
  for (let index = end; index < out.length; index++) out[index] = 0x61;
  return out;
}

const messageArbitrary = fc
  .record({
    isText: fc.boolean(),
    size: sizeArbitrary,
    seed: fc.string({ unit: 'binary', maxLength: 8 }),
    bytes: fc.uint8Array({ maxLength: 64 }),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    controls: fc.array(controlArbitrary, { maxLength: 3 }),
  })
  .map(({ isText, size, seed, bytes, cuts, controls }): Item => {
    let payload: Buffer;
    if (isText) payload = textOfSize(size, seed);
    else {
      payload = Buffer.alloc(size);
      for (let index = 0; index < size; index++) payload[index] = bytes.length === 0 ? index & 0xff : bytes[index % bytes.length]!;
    }
    const fragmentCuts = [...new Set(cuts.map((cut) => cut % (size + 1)))].sort((a, b) => a - b);
    return { kind: 'message', isText, payload, cuts: fragmentCuts, controls: controls.slice(0, fragmentCuts.length) };
  });

const itemsArbitrary = fc.array(fc.oneof({ weight: 3, arbitrary: messageArbitrary }, { weight: 1, arbitrary: controlArbitrary.map((control): Item => ({ kind: 'control', ...control })) }), {
  maxLength: 8,
});

/** Encodes the items and lists the events a correct parser reports for them. */
function encode(items: Item[], withClose: boolean): { stream: Buffer; expected: Recorded[] } {
  const frames: Buffer[] = [];
  const expected: Recorded[] = [];
  for (const item of items) {
    if (item.kind === 'control') {
      frames.push(frame({ opcode: item.opcode, payload: item.payload }));
      expected.push({ kind: item.opcode === 9 ? 'ping' : 'pong', data: item.payload });
      continue;
    }
    const bounds = [0, ...item.cuts, item.payload.length];
    // Fragment boundaries: [bounds[i], bounds[i+1]) for each i, at least one fragment.
    const fragments: Buffer[] = [];
    for (let index = 0; index + 1 < bounds.length; index++) fragments.push(item.payload.subarray(bounds[index]!, bounds[index + 1]!));
    fragments.forEach((fragment, index) => {
      const last = index === fragments.length - 1;
      if (index === 0) frames.push(item.isText ? text(fragment, last) : binary(fragment, last));
      else frames.push(continuation(fragment, last));
      const control = item.controls[index];
      if (!last && control !== undefined) {
        frames.push(frame({ opcode: control.opcode, payload: control.payload }));
        expected.push({ kind: control.opcode === 9 ? 'ping' : 'pong', data: control.payload });
      }
    });
    expected.push({ kind: 'message', data: item.payload, isText: item.isText });
  }
  if (withClose) {
    frames.push(close(1000, 'end'));
    expected.push({ kind: 'close', code: 1000, reason: Buffer.from('end') });
  }
  return { stream: Buffer.concat(frames), expected };
}

/** Events with error messages dropped (wording may differ by path; codes may not). */
function normalize(events: Recorded[]): unknown[] {
  return events.map((event) => (event.kind === 'error' ? { kind: 'error', code: event.code, closeCode: event.closeCode } : event));
}

function run(stream: Uint8Array, cuts: readonly number[], maxPayload = 64 * 1024 * 1024): { events: Recorded[]; stopped: boolean } {
  const { parser, handler } = newParser({ maxPayload });
  feed(parser, stream, cuts);
  return { events: handler.events, stopped: parser.stopped };
}

function assertWellFormedEnd(events: Recorded[], stopped: boolean): void {
  const errors = events.filter((event) => event.kind === 'error');
  assert.ok(errors.length <= 1, `at most one protocol error, got ${errors.length}`);
  if (errors.length === 1) {
    assert.equal(events[events.length - 1]!.kind, 'error', 'the error is the last event');
    const error = errors[0] as Extract<Recorded, { kind: 'error' }>;
    assert.ok([1002, 1007, 1009].includes(error.closeCode), `close code ${error.closeCode}`);
    assert.ok(error.code.startsWith('WS_ERR_'));
    assert.ok(stopped, 'the parser stops after an error');
  }
  const closes = events.filter((event) => event.kind === 'close');
  assert.ok(closes.length <= 1);
  if (closes.length === 1) assert.equal(events[events.length - 1]!.kind, 'close', 'nothing after a close frame');
}

const cutsArbitrary = fc.array(fc.nat({ max: 70000 }), { maxLength: 12 });

describe('frame parser properties', () => {
  test('valid frame sequences cut into any chunks yield the encoded messages', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(itemsArbitrary, fc.boolean(), cutsArbitrary, fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), (items, withClose, cuts, nearCuts) => {
        const { stream, expected } = encode(items, withClose);
        const scaled = [...cuts.map((cut) => cut % (stream.length + 1)), ...nearCuts];
        const whole = run(stream, []);
        assert.deepEqual(whole.events, expected);
        const split = run(stream, scaled);
        assert.deepEqual(split.events, expected);
      }),
      { numRuns: 300 },
    );
  });

  test('random byte streams: no throw, chunking-independent outcome, well-formed end', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat({ max: 400 }), { maxLength: 10 }), fc.constantFrom(64 * 1024 * 1024, 100), (bytes, cuts, maxPayload) => {
        const whole = run(bytes, [], maxPayload);
        assertWellFormedEnd(whole.events, whole.stopped);
        const split = run(bytes, cuts, maxPayload);
        assertWellFormedEnd(split.events, split.stopped);
        assert.deepEqual(normalize(split.events), normalize(whole.events));
        const byteByByte = run(bytes, Array.from({ length: bytes.length }, (_, index) => index), maxPayload);
        assert.deepEqual(normalize(byteByByte.events), normalize(whole.events));
      }),
      { numRuns: 1000 },
    );
  });

  test('random streams of plausible headers (every opcode, RSV, mask and length form)', { timeout: 60_000 }, () => {
    const headerish = fc.record({
      fin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      rsv: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
      opcode: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(0, 1, 2, 1, 2, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
      mask: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      payload: fc.oneof(fc.integer({ min: 0, max: 130 }).chain((length) => fc.uint8Array({ minLength: length, maxLength: length })), fc.constantFrom(Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x03, 0xe8]), Buffer.from([0x03, 0xe8, 0xff]), Buffer.from('€'))),
      lengthBits: fc.constantFrom(undefined, undefined, undefined, 16 as const, 64 as const),
    });
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(headerish, { maxLength: 10 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }), fc.constantFrom(64 * 1024 * 1024, 50), (specs, cuts, maxPayload) => {
        const stream = Buffer.concat(specs.map((spec) => frame({ ...spec, ...(spec.lengthBits === undefined ? {} : { lengthBits: spec.lengthBits }) })));
        const whole = run(stream, [], maxPayload);
        assertWellFormedEnd(whole.events, whole.stopped);
        const last = whole.events[whole.events.length - 1];
        const outcome = last === undefined ? 'empty' : last.kind === 'error' ? `${last.code}/${last.closeCode}` : 'clean';
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        const split = run(stream, cuts.map((cut) => cut % (stream.length + 1)), maxPayload);
        assert.deepEqual(normalize(split.events), normalize(whole.events));
        const byteByByte = run(stream, Array.from({ length: stream.length }, (_, index) => index), maxPayload);
        assert.deepEqual(normalize(byteByByte.events), normalize(whole.events));
      }),
      { numRuns: 1000 },
    );
    // The generator must reach every kind of outcome, or the property proves little.
    console.log(`header-stream outcomes: ${JSON.stringify([...seen])}`);
    for (const outcome of ['clean', 'WS_ERR_UNEXPECTED_RSV/1002', 'WS_ERR_INVALID_OPCODE/1002', 'WS_ERR_INVALID_UTF8/1007', 'WS_ERR_MESSAGE_TOO_BIG/1009', 'WS_ERR_UNEXPECTED_CONTINUATION/1002']) {
      assert.ok((seen.get(outcome) ?? 0) > 0, `outcome ${outcome} never produced: ${JSON.stringify([...seen])}`);
    }
  });

  test('mutated valid streams (flipped, inserted, deleted bytes): no throw, well-formed end, chunking-independent', { timeout: 60_000 }, () => {
    const mutation = fc.record({ kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(itemsArbitrary, fc.array(mutation, { minLength: 1, maxLength: 4 }), cutsArbitrary, (items, mutations, cuts) => {
        const { stream } = encode(items, true);
        let bytes = Buffer.from(stream);
        for (const change of mutations) {
          if (bytes.length === 0) break;
          const at = change.at % bytes.length;
          if (change.kind === 'flip') bytes[at] = bytes[at]! ^ (1 << (change.value & 7));
          else if (change.kind === 'set') bytes[at] = change.value;
          else if (change.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([change.value]), bytes.subarray(at)]);
          else if (change.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
          else bytes = bytes.subarray(0, at);
        }
        const whole = run(bytes, []);
        assertWellFormedEnd(whole.events, whole.stopped);
        const split = run(bytes, cuts.map((cut) => cut % (bytes.length + 1)));
        assertWellFormedEnd(split.events, split.stopped);
        assert.deepEqual(normalize(split.events), normalize(whole.events));
      }),
      { numRuns: 400 },
    );
  });

  test('server role: masked frame sequences cut anywhere decode the same', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.record({ opcode: fc.constantFrom(1, 2, 9, 10), payload: fc.uint8Array({ maxLength: 125 }), key: fc.uint8Array({ minLength: 4, maxLength: 4 }) }), { maxLength: 6 }), cutsArbitrary, (specs, cuts) => {
        // Text payloads: the random bytes as hex (valid UTF-8), at most 125 bytes.
        const valid = specs.map((spec) => ({ ...spec, payload: spec.opcode === 1 ? Buffer.from(Buffer.from(spec.payload).toString('hex').slice(0, 125)) : Buffer.from(spec.payload) }));
        const stream = Buffer.concat(valid.map((spec) => frame({ opcode: spec.opcode, payload: spec.payload, mask: spec.key })));
        const { parser, handler } = newParser({ expectMasked: true });
        feed(parser, Buffer.from(stream), cuts.map((cut) => cut % (stream.length + 1)));
        assert.deepEqual(
          handler.events.map((event) => (event.kind === 'message' || event.kind === 'ping' || event.kind === 'pong' ? event.data : null)),
          valid.map((spec) => spec.payload),
        );
      }),
      { numRuns: 300 },
    );
  });
});
