// The incremental UTF-8 validator against Node's buffer.isUtf8 (simdutf) as the oracle: every
// boundary of 1-4 byte sequences, surrogates, overlongs, values above U+10FFFF, split at every
// position, and on both the scalar (< NATIVE_UTF8_THRESHOLD) and native paths.
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { NATIVE_UTF8_THRESHOLD, Utf8Validator } from '../../src/protocol/utf8.js';
import { patternBytes } from '../helpers/frames.js';

const validator = new Utf8Validator();

function validateSplit(data: Uint8Array, cuts: readonly number[]): boolean {
  validator.reset();
  let from = 0;
  for (const to of [...cuts.filter((cut) => cut > 0 && cut < data.length).sort((a, b) => a - b), data.length]) {
    if (!validator.update(data, from, to)) return false;
    from = to;
  }
  return validator.isComplete();
}

function check(data: Uint8Array, label: string): void {
  const expected = isUtf8(data);
  assert.equal(validator.validateComplete(data, 0, data.length), expected, `${label}: whole`);
  for (let cut = 0; cut <= data.length; cut++) {
    assert.equal(validateSplit(data, [cut]), expected, `${label}: cut at ${cut}`);
  }
  assert.equal(validateSplit(data, Array.from({ length: data.length }, (_, index) => index)), expected, `${label}: byte by byte`);
}

/** Interesting byte values at every boundary of the UTF-8 tables (RFC 3629 4). */
const LEADS = [0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xff];
const TRAILS = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff];

test('all 1- and 2-byte sequences match isUtf8, alone and with context', () => {
  for (let first = 0; first < 256; first++) {
    for (let second = 0; second < 256; second++) {
      const data = new Uint8Array([first, second]);
      assert.equal(validator.validateComplete(data, 0, 2), isUtf8(data), `${first.toString(16)} ${second.toString(16)}`);
      validator.reset();
      const split = validator.update(data, 0, 1) && validator.update(data, 1, 2) && validator.isComplete();
      assert.equal(split, isUtf8(data), `split ${first.toString(16)} ${second.toString(16)}`);
    }
  }
});

test('every lead with every boundary continuation, 3- and 4-byte, whole and split', () => {
  for (const lead of LEADS) {
    for (const second of TRAILS) {
      for (const third of TRAILS) {
        check(new Uint8Array([lead, second, third]), `${lead.toString(16)} ${second.toString(16)} ${third.toString(16)}`);
        for (const fourth of [0x41, 0x80, 0xbf, 0xc0]) {
          check(new Uint8Array([0x61, lead, second, third, fourth]), `61 ${lead.toString(16)} ${second.toString(16)} ${third.toString(16)} ${fourth.toString(16)}`);
        }
      }
    }
  }
});

test('code point boundaries: U+0000..U+10FFFF edges, surrogates, overlongs, above U+10FFFF', () => {
  const points = [0, 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0x1000, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x3ffff, 0x40000, 0xfffff, 0x100000, 0x10ffff];
  for (const point of points) check(Buffer.from(String.fromCodePoint(point), 'utf8'), `U+${point.toString(16)}`);
  const invalid = [
    [0xed, 0xa0, 0x80], // U+D800
    [0xed, 0xbf, 0xbf], // U+DFFF
    [0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80], // a surrogate pair encoded as CESU-8
    [0xc0, 0x80], // overlong NUL
    [0xc1, 0xbf],
    [0xe0, 0x9f, 0xbf], // overlong U+07FF
    [0xf0, 0x8f, 0xbf, 0xbf], // overlong U+FFFF
    [0xf4, 0x90, 0x80, 0x80], // U+110000
    [0xf7, 0xbf, 0xbf, 0xbf],
    [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
    [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80], // 6-byte form
    [0xe2, 0x82], // truncated
    [0xf0, 0x9d, 0x84], // truncated
  ];
  for (const bytes of invalid) {
    const data = new Uint8Array(bytes);
    assert.equal(isUtf8(data), false);
    check(data, bytes.map((byte) => byte.toString(16)).join(' '));
  }
});

test('long inputs take the native path: the same verdict at every cut near the threshold', () => {
  const text = Buffer.from('market {"p":"1.0"} € 𝄞 ü '.repeat(60), 'utf8');
  assert.ok(text.length > 2 * NATIVE_UTF8_THRESHOLD);
  const cases: Array<[string, Buffer]> = [['valid', text]];
  for (const [name, bad] of [
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['overlong', [0xe0, 0x80, 0x80]],
    ['truncated 4-byte', [0xf0, 0x9d, 0x84, 0x61]],
    ['stray continuation', [0x80]],
  ] as const) {
    for (const at of [0, 1, NATIVE_UTF8_THRESHOLD - 2, NATIVE_UTF8_THRESHOLD, text.length - 3]) {
      cases.push([`${name} at ${at}`, Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)])]);
    }
  }
  for (const [name, data] of cases) {
    const expected = isUtf8(data);
    assert.equal(validator.validateComplete(data, 0, data.length), expected, `${name}: whole`);
    for (let cut = 0; cut <= data.length; cut += 7) assert.equal(validateSplit(data, [cut]), expected, `${name}: cut ${cut}`);
    for (let cut = NATIVE_UTF8_THRESHOLD - 8; cut < NATIVE_UTF8_THRESHOLD + 8; cut++) {
      assert.equal(validateSplit(data, [cut, cut + NATIVE_UTF8_THRESHOLD + 1]), expected, `${name}: cuts ${cut}`);
    }
  }
});

test('random byte strings (mostly valid UTF-8 with mutations) agree with isUtf8 whole and split', () => {
  const base = Buffer.from('aé€𝄞'.repeat(200), 'utf8');
  const noise = patternBytes(4096, 99);
  for (let round = 0; round < 400; round++) {
    const length = 1 + (noise[round % noise.length]! * 7 + round) % base.length;
    const data = Buffer.from(base.subarray(0, length));
    if (round % 2 === 1) data[noise[(round * 3) % noise.length]! % length] = noise[(round * 5) % noise.length]!;
    const expected = isUtf8(data);
    assert.equal(validator.validateComplete(data, 0, data.length), expected, `round ${round}`);
    const cut = noise[(round * 11) % noise.length]! % (length + 1);
    assert.equal(validateSplit(data, [cut, cut + 3]), expected, `round ${round} cut ${cut}`);
  }
});

test('update fails on the first bad byte, before the rest arrives', () => {
  validator.reset();
  assert.equal(validator.update(Buffer.from('abc'), 0, 3), true);
  assert.equal(validator.update(Buffer.from([0xf0]), 0, 1), true);
  assert.equal(validator.isComplete(), false);
  assert.equal(validator.update(Buffer.from([0x8f]), 0, 1), false, 'F0 8F is an overlong start');
  validator.reset();
  assert.equal(validator.update(Buffer.from([0xed, 0xa0]), 0, 2), false, 'ED A0 starts a surrogate');
  validator.reset();
  assert.equal(validator.update(Buffer.from([0xf4, 0x90]), 0, 2), false, 'F4 90 is above U+10FFFF');
});
