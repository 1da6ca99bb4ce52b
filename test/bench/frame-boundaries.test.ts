import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBoundaries } from '../../bench/frame-boundaries.js';

function frame(opcode: number, payloadLength: number, fill: number): Buffer {
  const payload = Buffer.alloc(payloadLength, fill);
  let header: Buffer;
  if (payloadLength < 126) header = Buffer.from([0x80 | opcode, payloadLength]);
  else if (payloadLength < 65536) header = Buffer.from([0x80 | opcode, 126, payloadLength >> 8, payloadLength & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payloadLength), 2);
  }
  return Buffer.concat([header, payload]);
}

// Text frames of every header form, a ping (not a message) and a close frame at the end.
const sizes = [0, 1, 125, 126, 300, 65535, 65536, 70000];
const stream = Buffer.concat([...sizes.map((size, i) => frame(0x1, size, 0x41 + i)), frame(0x9, 4, 0), frame(0x1, 10, 0x5a), frame(0x8, 2, 0)]);

function collect(reads: Array<[number, number]>): { messages: number; closed: boolean; payloads: string[] } {
  const payloads: string[] = [];
  const scanner = new FrameBoundaries((data, start, end) => {
    const length = end - start;
    payloads.push(`${length}:${length > 0 ? String.fromCharCode(data[start] as number) : ''}${length > 0 ? String.fromCharCode(data[end - 1] as number) : ''}`);
  });
  for (const [start, end] of reads) scanner.push(stream, start, end);
  return { messages: scanner.messages, closed: scanner.closed, payloads };
}

const expected = [...sizes.map((size, i) => (size === 0 ? '0:' : `${size}:${String.fromCharCode(0x41 + i).repeat(2)}`)), '10:ZZ'];

describe('bench FrameBoundaries (raw reader floor)', () => {
  it('counts data frames of every length form in one read, skipping ping and stopping at close', () => {
    const result = collect([[0, stream.length]]);
    assert.equal(result.messages, sizes.length + 1);
    assert.equal(result.closed, true);
    // Payloads over 64 KiB are not copied for the sink when split; here they are contiguous.
    assert.deepEqual(result.payloads, expected);
  });

  it('gives the same result for every two-read split point around the headers', () => {
    const points = new Set<number>();
    for (let offset = 0, i = 0; i < sizes.length; i++) {
      for (let d = -2; d <= 12; d++) if (offset + d > 0 && offset + d < stream.length) points.add(offset + d);
      offset += (sizes[i] as number) + ((sizes[i] as number) < 126 ? 2 : (sizes[i] as number) < 65536 ? 4 : 10);
    }
    for (const cut of points) {
      const result = collect([
        [0, cut],
        [cut, stream.length],
      ]);
      assert.equal(result.messages, sizes.length + 1, `cut at ${cut}`);
      assert.equal(result.closed, true, `cut at ${cut}`);
      // Split payloads up to 64 KiB are reassembled for the sink (first and last byte intact).
      for (let i = 0; i < expected.length; i++) {
        const size = Number((expected[i] as string).split(':')[0]);
        if (size <= 65536) assert.equal(result.payloads[i], expected[i], `cut at ${cut}, frame ${i}`);
      }
    }
  });

  it('counts without a sink when fed one byte at a time', () => {
    const scanner = new FrameBoundaries(null);
    for (let i = 0; i < stream.length; i++) scanner.push(stream, i, i + 1);
    assert.equal(scanner.messages, sizes.length + 1);
    assert.equal(scanner.closed, true);
  });
});
