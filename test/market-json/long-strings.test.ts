// String values longer than the inline probe go through src/kernels' indexOfStringStop (SIMD when
// available). Values, escapes and invalid control bytes must be found at every position around the
// hand-off, in ordinary buffers and in kernel memory, exactly as JSON.parse sees them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateKernelBuffer, kernelImplementation } from '../../src/kernels/index.js';
import { jsonFields, SCAN_MALFORMED } from '../../src/market-json/index.js';

const encoder = new TextEncoder();
const LENGTHS = [0, 1, 63, 64, 65, 66, 127, 128, 129, 200, 1100, 1200, 5000];

function place(bytes: Uint8Array, inKernelMemory: boolean, offset: number): { data: Uint8Array; start: number; end: number } {
  const data = inKernelMemory ? allocateKernelBuffer(bytes.length + offset + 8) : new Uint8Array(bytes.length + offset + 8);
  data.fill(0x22); // quotes around the message: reading past `end` would be caught
  data.set(bytes, offset);
  return { data, start: offset, end: offset + bytes.length };
}

for (const inKernelMemory of [false, true]) {
  const where = inKernelMemory ? 'kernel memory' : 'ordinary buffer';
  test(`long string values (${kernelImplementation}, ${where})`, () => {
    const fields = jsonFields(['s', 'after']);
    for (const length of LENGTHS) {
      const value = 'abcdefghij'.repeat(Math.ceil(length / 10)).slice(0, length);
      // Plain value.
      let bytes = encoder.encode(`{"s":"${value}","after":1}`);
      let placed = place(bytes, inKernelMemory, length % 7);
      assert.equal(fields.scan(placed.data, placed.start, placed.end), true, `length ${length}`);
      assert.equal(fields.string(0), value);
      assert.equal(fields.integer(1), 1);
      // An escape, then a control byte, at positions around the probe and SIMD block edges.
      for (const at of [0, 1, 62, 63, 64, 65, 66, 127, 128, 129, 1000, 1087, 1088, 1089, length - 1]) {
        if (at < 0 || at >= length) continue;
        const escaped = value.slice(0, at) + '\\n' + value.slice(at);
        bytes = encoder.encode(`{"s":"${escaped}","after":2}`);
        placed = place(bytes, inKernelMemory, at % 5);
        assert.equal(fields.scan(placed.data, placed.start, placed.end), true, `escape at ${at} of ${length}`);
        assert.equal(fields.string(0), JSON.parse(`"${escaped}"`));
        const broken = encoder.encode(`{"s":"${value}","after":3}`);
        broken[6 + at] = 0x0a; // a raw line feed inside the string: RFC 8259 7 forbids it
        placed = place(broken, inKernelMemory, 3);
        assert.equal(fields.scan(placed.data, placed.start, placed.end), false, `control byte at ${at} of ${length}`);
        assert.equal(fields.status, SCAN_MALFORMED);
      }
      // Unterminated: the scan must stop at `end`, not at the quotes placed after it.
      bytes = encoder.encode(`{"s":"${value}`);
      placed = place(bytes, inKernelMemory, 1);
      assert.equal(fields.scan(placed.data, placed.start, placed.end), false, `unterminated ${length}`);
    }
  });
}
