// The two synchronous DEFLATE engines (native handle, one-shot public API): each against zlib's
// own one-shot functions as the reference, against each other, with and without context
// takeover, every window size, and the failure cases (bombs, bad data).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import zlib from 'node:zlib';
import {
  createDeflateEngine,
  createInflateEngine,
  ENGINE_INVALID,
  ENGINE_TOO_BIG,
  selectEngineKind,
  type EngineKind,
} from '../../src/extensions/zlib-engine.js';

const KINDS: EngineKind[] = ['native', 'oneshot'];
const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

function messages(count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    // Market-data-like JSON that repeats across messages (what context takeover is for), plus
    // random bytes now and then (incompressible input).
    out.push(
      index % 5 === 4
        ? randomBytes(100 + index * 37)
        : Buffer.from(JSON.stringify({ e: 'depthUpdate', E: 1700000000000 + index, s: 'BTCUSDT', b: [[`${43000 + index}.10`, '0.5']] }).repeat(1 + (index % 3))),
    );
  }
  return out;
}

test('this process selects the native engine on Node 20+ (its self test passes)', () => {
  assert.equal(selectEngineKind(), process.env['TICKWIRE_ZLIB'] === 'oneshot' ? 'oneshot' : 'native');
});

for (const kind of KINDS) {
  test(`${kind}: deflate output is a sync-flushed raw DEFLATE stream zlib decodes, per message`, () => {
    for (const windowBits of [9, 10, 11, 12, 13, 14, 15]) {
      for (const reset of [false, true]) {
        const deflater = createDeflateEngine({ windowBits }, kind);
        const chunks: Buffer[] = [];
        const all = messages(12);
        for (const message of all) {
          const length = deflater.deflate(message, 0, message.length);
          assert.ok(length > 0);
          // RFC 7692 7.2.1: the tail 0x00 0x00 0xff 0xff was removed; put it back for the reference.
          chunks.push(Buffer.concat([Buffer.from(deflater.output.subarray(0, length)), Buffer.from([0, 0, 0xff, 0xff])]));
          if (reset) deflater.reset();
          if (reset) {
            // Without context takeover every message decodes on its own.
            assert.deepEqual(zlib.inflateRawSync(chunks[chunks.length - 1]!, { windowBits, ...SYNC }), message);
          }
        }
        // With context takeover, the concatenation decodes as one stream.
        const joined = zlib.inflateRawSync(Buffer.concat(chunks), { windowBits: 15, ...SYNC });
        assert.deepEqual(joined, Buffer.concat(all), `windowBits ${windowBits}`);
        deflater.close();
      }
    }
  });

  test(`${kind}: inflates a context-takeover stream message by message, every window size`, () => {
    for (const windowBits of [9, 12, 15]) {
      const inflater = createInflateEngine({ windowBits }, kind);
      // Per-message sync-flushed output with context takeover, from the other engine (zlib's
      // one-shot functions cannot produce it; the previous test checked both against zlib).
      const deflater = createDeflateEngine({ windowBits }, kind === 'native' ? 'oneshot' : 'native');
      for (const message of messages(15)) {
        const compressed = deflater.deflate(message, 0, message.length);
        const bytes = Buffer.from(deflater.output.subarray(0, compressed));
        const length = inflater.inflate(bytes, 0, bytes.length, 1 << 20);
        assert.equal(length, message.length);
        assert.deepEqual(Buffer.from(inflater.output.subarray(0, length)), message);
      }
      inflater.close();
      deflater.close();
    }
  });

  test(`${kind}: a zip bomb stops at the limit without growing past it`, () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(20 * 1024 * 1024), SYNC); // ~20 KiB of input
    const inflater = createInflateEngine({ windowBits: 15 }, kind);
    assert.equal(inflater.inflate(bomb, 0, bomb.length - 4, 100_000), ENGINE_TOO_BIG);
    assert.ok(inflater.output.length <= 100_001, `output buffer ${inflater.output.length}`);
    // Exactly at the limit is allowed.
    const exact = zlib.deflateRawSync(Buffer.alloc(100_000, 7), SYNC);
    const fresh = createInflateEngine({ windowBits: 15 }, kind);
    assert.equal(fresh.inflate(exact, 0, exact.length - 4, 100_000), 100_000);
    assert.equal(fresh.inflate(exact, 0, exact.length - 4, 99_999), ENGINE_TOO_BIG);
    inflater.close();
    fresh.close();
  });

  test(`${kind}: invalid DEFLATE data is reported, not thrown`, () => {
    for (const bad of [Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from([0x07]), randomBytes(64).fill(0xff, 0, 1)]) {
      const inflater = createInflateEngine({ windowBits: 15 }, kind);
      assert.equal(inflater.inflate(bad, 0, bad.length, 1 << 20), ENGINE_INVALID, bad.toString('hex'));
      assert.notEqual(inflater.error, '');
      // A failed engine stays failed.
      assert.equal(inflater.inflate(Buffer.from([0x00]), 0, 1, 1 << 20), ENGINE_INVALID);
      inflater.close();
    }
  });

  test(`${kind}: a final (BFINAL) block from the peer is accepted`, () => {
    // RFC 7692 7.2.3.4: a sender may end a message with a BFINAL block.
    const message = Buffer.from('final block '.repeat(50));
    const final = zlib.deflateRawSync(message); // Z_FINISH: BFINAL set, no sync tail
    const inflater = createInflateEngine({ windowBits: 15 }, kind);
    const length = inflater.inflate(final, 0, final.length, 1 << 20);
    assert.equal(length, message.length);
    assert.deepEqual(Buffer.from(inflater.output.subarray(0, length)), message);
    inflater.close();
  });
}
