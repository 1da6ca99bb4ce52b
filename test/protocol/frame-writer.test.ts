// Frame header encoding (RFC 6455 5.2) for every length class, masked and unmasked, checked
// against the independent reader in test/helpers/frames.ts, and the masking key pool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeClosePayload, isValidCloseCode } from '../../src/protocol/close-payload.js';
import { headerLength, MAX_HEADER_LENGTH, MaskKeyPool, writeFrameHeader } from '../../src/protocol/frame-writer.js';
import { mask } from '../../src/kernels/index.js';

function unmask(data: Uint8Array, start: number, length: number, key: Uint8Array, phase: number): void {
  mask(data, start, data, start, length, key, phase);
}
import { patternBytes, readFrame } from '../helpers/frames.js';

const LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 65537, 16 * 1024 * 1024, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];

test('header length and bytes for every length class, masked and not', () => {
  for (const length of LENGTHS) {
    for (const masked of [false, true]) {
      const target = new Uint8Array(MAX_HEADER_LENGTH + 4).fill(0xee);
      const key = new Uint8Array([9, 1, 2, 3, 4, 5]);
      const end = writeFrameHeader(target, 2, 0x2, true, length, masked ? key : null, 1);
      const expected = (length < 126 ? 2 : length < 65536 ? 4 : 10) + (masked ? 4 : 0);
      assert.equal(end - 2, expected, `length ${length} masked ${masked}`);
      assert.equal(headerLength(length, masked), expected);
      assert.equal(target[0], 0xee, 'nothing written before the offset');
      assert.equal(target[end], 0xee, 'nothing written after the header');
      const header = Buffer.from(target.subarray(2, end));
      assert.equal(header[0], 0x82);
      assert.equal((header[1]! & 0x80) !== 0, masked);
      const seven = header[1]! & 0x7f;
      let decoded: number;
      if (length < 126) decoded = seven;
      else if (length < 65536) {
        assert.equal(seven, 126);
        decoded = header.readUInt16BE(2);
      } else {
        assert.equal(seven, 127);
        assert.equal(header[2]! & 0x80, 0, 'RFC 6455 5.2: the 64-bit length MSB is 0');
        decoded = Number(header.readBigUInt64BE(2));
      }
      assert.equal(decoded, length);
      if (masked) assert.deepEqual([...header.subarray(header.length - 4)], [1, 2, 3, 4]);
    }
  }
});

test('FIN and opcode bits; a full masked frame round-trips through an independent reader', () => {
  for (const [opcode, fin] of [[0x0, false], [0x1, true], [0x2, false], [0x8, true], [0x9, true], [0xa, true]] as const) {
    for (const length of [0, 1, 125, 126, 65535, 65536]) {
      const payload = patternBytes(length, length + opcode);
      const key = new Uint8Array([0xa1, 0xb2, 0xc3, 0xd4]);
      const frame = Buffer.alloc(headerLength(length, true) + length);
      const payloadStart = writeFrameHeader(frame, 0, opcode, fin, length, key, 0);
      frame.set(payload, payloadStart);
      unmask(frame, payloadStart, length, key, 0);
      const parsed = readFrame(frame);
      assert.ok(parsed !== null);
      assert.equal(parsed.size, frame.length);
      assert.equal(parsed.frame.fin, fin);
      assert.equal(parsed.frame.opcode, opcode);
      assert.equal(parsed.frame.rsv, 0);
      assert.ok(parsed.frame.masked);
      assert.ok(parsed.frame.payload.equals(payload), `opcode ${opcode} length ${length}`);
    }
  }
});

test('unmask keeps the key phase across pieces', () => {
  const key = new Uint8Array([1, 2, 4, 8]);
  const data = patternBytes(37, 4);
  const whole = Buffer.from(data);
  unmask(whole, 0, whole.length, key, 0);
  for (let cut = 0; cut <= data.length; cut++) {
    const split = Buffer.from(data);
    unmask(split, 0, cut, key, 0);
    unmask(split, cut, data.length - cut, key, cut);
    assert.ok(split.equals(whole), `cut ${cut}`);
  }
});

test('MaskKeyPool hands out distinct offsets and refills with fresh random bytes', () => {
  const pool = new MaskKeyPool();
  const keys = new Set<string>();
  let allZero = 0;
  for (let index = 0; index < 5000; index++) {
    const offset = pool.next();
    assert.ok(offset >= 0 && offset + 4 <= pool.bytes.length);
    const key = Buffer.from(pool.bytes.subarray(offset, offset + 4)).toString('hex');
    if (key === '00000000') allZero++;
    keys.add(key);
  }
  // 5000 draws from 2^32 keys: a repeat is possible but more than a handful means no randomness.
  assert.ok(keys.size > 4990, `distinct keys: ${keys.size}`);
  assert.ok(allZero <= 1);
});

test('close payload encoding and close code rules', () => {
  const payload = encodeClosePayload(4001, 'bye ☃');
  assert.equal(Buffer.from(payload).readUInt16BE(0), 4001);
  assert.equal(Buffer.from(payload.subarray(2)).toString('utf8'), 'bye ☃');
  const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
  const invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
  for (const code of valid) assert.equal(isValidCloseCode(code), true, String(code));
  for (const code of invalid) assert.equal(isValidCloseCode(code), false, String(code));
});
