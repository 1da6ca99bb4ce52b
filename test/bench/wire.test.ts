import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptKey, CLOSE_FRAME, endOfHead, MAX_MESSAGE_FRAME, MESSAGE_PREFIX, parseStamp, parseStampString, writeMessageFrame } from '../../bench/wire.js';

describe('bench wire', () => {
  it('computes the RFC 6455 1.3 example accept key', () => {
    assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('writes an unmasked text frame whose payload is the bookTicker message with the stamp', () => {
    const out = Buffer.alloc(MAX_MESSAGE_FRAME * 2);
    const stamp = 123456789012345;
    const end = writeMessageFrame(out, 3, stamp);
    assert.equal(out[3], 0x81, 'FIN + text opcode');
    const length = out[4] as number;
    assert.equal(length & 0x80, 0, 'server frames are not masked');
    assert.equal(end, 5 + length);
    const text = out.toString('latin1', 5, end);
    assert.equal(text, `${MESSAGE_PREFIX}${stamp}}`);
    assert.deepEqual(JSON.parse(text), { u: 400900217, s: 'BNBUSDT', b: '25.35190000', B: '31.21000000', a: '25.36520000', A: '40.66000000', T: stamp });
    assert.ok(end - 3 <= MAX_MESSAGE_FRAME);
  });

  it('parses the stamp back from bytes and from a string', () => {
    for (const stamp of [0, 7, 10, 999999, 4207000123456, 2 ** 52]) {
      const out = Buffer.alloc(MAX_MESSAGE_FRAME);
      const end = writeMessageFrame(out, 0, stamp);
      assert.equal(parseStamp(out, 2, end), stamp);
      assert.equal(parseStampString(out.toString('latin1', 2, end)), stamp);
    }
    assert.equal(parseStamp(Buffer.from('no stamp here'), 0, 13), -1);
    assert.equal(parseStampString('none'), -1);
  });

  it('builds a close frame with status 1000 and finds the end of an HTTP head', () => {
    assert.deepEqual([...CLOSE_FRAME], [0x88, 0x02, 0x03, 0xe8]);
    const head = Buffer.concat([Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'), Buffer.from([0x81, 0x02])]);
    assert.equal(endOfHead(head, 0, head.length), head.length - 2);
    assert.equal(endOfHead(head, 0, head.length - 3), -1);
  });
});
