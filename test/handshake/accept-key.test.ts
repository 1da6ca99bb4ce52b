import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeAccept, generateKey, isValidKey, WEBSOCKET_GUID } from '../../src/handshake/accept-key.js';

test('computeAccept matches the RFC 6455 1.3 example', () => {
  assert.equal(computeAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(WEBSOCKET_GUID, '258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
});

test('generateKey returns base64 of 16 random bytes, different each time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const key = generateKey();
    assert.equal(key.length, 24);
    assert.equal(Buffer.from(key, 'base64').length, 16);
    assert.ok(isValidKey(key));
    seen.add(key);
  }
  assert.equal(seen.size, 100);
});

test('isValidKey accepts only base64 of 16 bytes', () => {
  assert.ok(isValidKey('dGhlIHNhbXBsZSBub25jZQ=='));
  assert.ok(!isValidKey(''));
  assert.ok(!isValidKey('dGhlIHNhbXBsZSBub25jZQ')); // no padding
  assert.ok(!isValidKey('dGhlIHNhbXBsZSBub25jZQ=')); // wrong padding
  assert.ok(!isValidKey('dGhlIHNhbXBsZSBub25jZXg=')); // 17 bytes
  assert.ok(!isValidKey(Buffer.alloc(15).toString('base64')));
  assert.ok(!isValidKey('dGhlIHNhbXBsZSBub25j*Q=='));
  assert.ok(!isValidKey(' dGhlIHNhbXBsZSBub25jZQ=='));
});
