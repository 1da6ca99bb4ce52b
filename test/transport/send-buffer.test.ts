import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { SendBuffer } from '../../src/transport/send-buffer.js';
import { readFrame } from '../helpers/frames.js';

/** Collects what the buffer writes (the unit under test is the framing, not the socket). */
class Collector {
  readonly chunks: Buffer[] = [];
  write(chunk: Uint8Array): boolean {
    // Copy: the test must see the bytes as they were at write time.
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  frames(): Array<{ opcode: number; payload: Buffer }> {
    const all = Buffer.concat(this.chunks);
    const frames: Array<{ opcode: number; payload: Buffer }> = [];
    let offset = 0;
    while (offset < all.length) {
      assert.equal(all[offset]! & 0xf0, 0x80, 'FIN set, no RSV bits');
      assert.equal(all[offset + 1]! & 0x80, 0, 'server frames are not masked');
      let length = all[offset + 1]! & 0x7f;
      let at = offset + 2;
      if (length === 126) {
        length = all.readUInt16BE(at);
        at += 2;
        assert.ok(length >= 126, 'shortest length encoding (RFC 6455 5.2)');
      } else if (length === 127) {
        length = Number(all.readBigUInt64BE(at));
        at += 8;
        assert.ok(length > 0xffff, 'shortest length encoding (RFC 6455 5.2)');
      }
      frames.push({ opcode: all[offset]! & 0x0f, payload: all.subarray(at, at + length) });
      offset = at + length;
    }
    return frames;
  }
}

/** Appends UTF-8 text, ASCII text and text bytes of `length`; returns the bytes used. */
function appendEveryKind(buffer: SendBuffer, length: number, expected: Array<[number, Buffer]>): Buffer {
  const ascii = 'a'.repeat(length);
  const mixed = 'é€😀x'.repeat(Math.ceil(length / 4)).slice(0, length);
  const bytes = Buffer.alloc(length, 0x31);
  buffer.appendText(mixed);
  expected.push([1, Buffer.from(mixed, 'utf8')]);
  buffer.appendAsciiText(ascii);
  expected.push([1, Buffer.from(ascii)]);
  buffer.appendTextBytes(bytes, 0, length);
  expected.push([1, bytes]);
  return bytes;
}

describe('SendBuffer framing', { timeout: 30_000 }, () => {
  it('frames text (any UTF-8), ASCII text, bytes and binary of every length class exactly', () => {
    const collector = new Collector();
    const buffer = new SendBuffer(collector, false);
    const expected: Array<[number, Buffer]> = [];
    const lengths = [0, 1, 41, 42, 43, 125, 126, 127, 21845, 21846, 65535, 65536, 70000, 200000];
    for (const length of lengths) {
      const bytes = appendEveryKind(buffer, length, expected);
      buffer.appendBinary(bytes, 0, length);
      expected.push([2, bytes]);
      if (length % 3 === 0) buffer.flush();
    }
    buffer.flush();
    assert.equal(buffer.pendingBytes, 0);
    const frames = collector.frames();
    assert.equal(frames.length, expected.length);
    for (const [index, frame] of frames.entries()) {
      assert.equal(frame.opcode, expected[index]![0], `frame ${index} opcode`);
      assert.ok(frame.payload.equals(expected[index]![1]), `frame ${index} payload`);
    }
  });

  it('client role (masked): every frame carries a fresh key and unmasks to the payload, every length class', () => {
    const chunks: Buffer[] = [];
    const buffer = new SendBuffer({ write: (chunk) => chunks.push(Buffer.from(chunk)) > 0 }, true);
    const expected: Array<[number, Buffer]> = [];
    for (const length of [0, 1, 3, 4, 5, 16, 17, 125, 126, 65535, 65536, 70000, 200000]) {
      const bytes = appendEveryKind(buffer, length, expected);
      buffer.appendFrame(9, bytes, 0, Math.min(length, 125));
      expected.push([9, bytes.subarray(0, Math.min(length, 125))]);
    }
    buffer.flush();
    let all = Buffer.concat(chunks);
    const keys = new Set<string>();
    for (const [index, [opcode, payload]] of expected.entries()) {
      const parsed = readFrame(all);
      assert.ok(parsed !== null, `frame ${index} complete`);
      assert.equal(parsed.frame.opcode, opcode, `frame ${index} opcode`);
      assert.ok(parsed.frame.maskKey !== null, `frame ${index} masked (RFC 6455 5.3)`);
      keys.add(parsed.frame.maskKey.toString('hex'));
      assert.ok(parsed.frame.payload.equals(payload), `frame ${index} payload`);
      all = all.subarray(parsed.size);
    }
    assert.equal(all.length, 0);
    assert.ok(keys.size >= expected.length - 2, 'a fresh key per frame');
  });

  it('never rewrites bytes it already handed to the socket', () => {
    const held: Uint8Array[] = [];
    const buffer = new SendBuffer({ write: (chunk) => held.push(chunk) > 0 }, false);
    buffer.appendAsciiText('first');
    buffer.flush();
    const snapshot = Buffer.from(held[0]!);
    for (let index = 0; index < 10_000; index++) buffer.appendAsciiText(`message ${index}`);
    buffer.flush();
    assert.ok(Buffer.from(held[0]!).equals(snapshot));
  });

  it('sends small frames with almost no garbage collection (one slab per 256 KiB)', async () => {
    let collections = 0;
    const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    const buffer = new SendBuffer({ write: () => true }, false);
    const payload = Buffer.from('{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}');
    for (let index = 0; index < 100_000; index++) {
      buffer.appendTextBytes(payload, 0, payload.length);
      if ((index & 2047) === 0) buffer.flush();
    }
    observer.observe({ entryTypes: ['gc'] });
    for (let index = 0; index < 500_000; index++) {
      buffer.appendTextBytes(payload, 0, payload.length);
      if ((index & 2047) === 0) buffer.flush();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    // ~200 slabs for 53 MB of frames; a per-frame allocation would mean hundreds of scavenges.
    assert.ok(collections <= 20, `garbage collections during 500k frames: ${collections}`);
  });
});
