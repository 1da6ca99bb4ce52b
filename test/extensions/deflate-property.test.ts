// Property: for any negotiated parameters, any sequence of messages (compressed or not, whole or
// fragmented) and any way the bytes are cut into reads, a server-role codec's frames parsed by a
// client-role parser give back exactly the messages, in order; and the same the other way round
// (client codec, masked frames, server-role parser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { COMPRESSED_BIT, PerMessageDeflate, type Role } from '../../src/extensions/deflate-codec.js';
import type { EngineKind } from '../../src/extensions/zlib-engine.js';
import { frame } from '../helpers/frames.js';
import { feed, newParser } from '../helpers/recording-handler.js';

const parametersArbitrary = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: fc.integer({ min: 9, max: 15 }),
  clientMaxWindowBits: fc.integer({ min: 9, max: 15 }),
});

const messageArbitrary = fc.record({
  isText: fc.boolean(),
  // Repetitive text (compresses, exercises back-references across messages) or raw bytes.
  content: fc.oneof(
    fc.array(fc.constantFrom('{"p":"43000.1"', ',"q":"0.5"}', 'BTCUSDT', '€', ' '), { maxLength: 200 }).map((parts) => Buffer.from(parts.join(''))),
    fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
  ),
  compress: fc.boolean(),
  /** Split the (compressed) payload into this many frames. */
  fragments: fc.integer({ min: 1, max: 4 }),
});

function encode(codec: PerMessageDeflate, message: { isText: boolean; content: Buffer; compress: boolean; fragments: number }, masked: boolean): Buffer {
  const content = message.isText ? Buffer.from(message.content.toString('utf8')) : message.content; // text must be UTF-8
  let payload = content;
  let rsv = 0;
  if (message.compress) {
    const length = codec.compress(content, 0, content.length);
    if (length >= 0) {
      payload = Buffer.from(codec.compressedOutput.subarray(0, length));
      rsv = COMPRESSED_BIT >> 4;
    }
  }
  const frames: Buffer[] = [];
  const size = Math.ceil(payload.length / message.fragments) || 1;
  for (let index = 0; index < message.fragments; index++) {
    const part = payload.subarray(index * size, (index + 1) * size);
    const last = index === message.fragments - 1;
    frames.push(frame({ opcode: index === 0 ? (message.isText ? 1 : 2) : 0, rsv: index === 0 ? rsv : 0, fin: last, payload: last ? payload.subarray(index * size) : part, mask: masked }));
  }
  return Buffer.concat(frames);
}

for (const kind of ['native', 'oneshot'] as EngineKind[]) {
  for (const [senderRole, receiverRole] of [
    ['server', 'client'],
    ['client', 'server'],
  ] as Array<[Role, Role]>) {
    test(`${kind}: ${senderRole} codec -> ${receiverRole} parser, any parameters, messages and cuts`, () => {
      fc.assert(
        fc.property(parametersArbitrary, fc.array(messageArbitrary, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (params, messages, cuts) => {
          const sender = new PerMessageDeflate(params, senderRole, { threshold: 0, engine: kind });
          const receiver = new PerMessageDeflate(params, receiverRole, { threshold: 0, engine: kind });
          const { parser, handler } = newParser({ expectMasked: receiverRole === 'server' });
          parser.setInflater(receiver);
          const wire = Buffer.concat(messages.map((message) => encode(sender, message, senderRole === 'client')));
          feed(parser, wire, cuts.map((cut) => cut % (wire.length + 1)));
          sender.close();
          receiver.close();
          assert.deepEqual(handler.errors, []);
          assert.deepEqual(
            handler.messages.map((got) => [got.isText, got.data.toString('hex')]),
            messages.map((message) => [message.isText, (message.isText ? Buffer.from(message.content.toString('utf8')) : message.content).toString('hex')]),
          );
        }),
        { numRuns: kind === 'native' ? 150 : 40 },
      );
    });
  }
}
