import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAcceptResponse, buildRejectResponse } from '../../src/handshake/server-response.js';
import { WebSocketError } from '../../src/protocol/errors.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

test('buildAcceptResponse: RFC 6455 1.3 example', () => {
  assert.equal(
    buildAcceptResponse(KEY),
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
  );
  assert.match(buildAcceptResponse(KEY, 'chat'), /\r\nSec-WebSocket-Protocol: chat\r\n\r\n$/);
  assert.doesNotMatch(buildAcceptResponse(KEY, ''), /Sec-WebSocket-Protocol/);
});

test('buildAcceptResponse: rejects a bad key or protocol', () => {
  for (const fn of [() => buildAcceptResponse('x'), () => buildAcceptResponse(KEY, 'a b'), () => buildAcceptResponse(KEY, 'a\r\nX: y')]) {
    assert.throws(fn, (error: unknown) => error instanceof WebSocketError && error.code === 'WS_ERR_INVALID_ARGUMENT');
  }
});

test('buildRejectResponse: status line, framing headers and UTF-8 body', () => {
  const response = buildRejectResponse(400, 'bad key \u2603', { 'X-Why': 'test' });
  const bodyBytes = Buffer.from('bad key \u2603', 'utf8');
  assert.equal(
    response,
    'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${bodyBytes.length}\r\nX-Why: test\r\n\r\n` +
      bodyBytes.toString('latin1'),
  );
  // Written as latin1, the body is the UTF-8 of the reason.
  const wire = Buffer.from(response, 'latin1');
  assert.equal(wire.subarray(wire.length - bodyBytes.length).toString('utf8'), 'bad key \u2603');
  assert.match(buildRejectResponse(426, 'x', { 'Sec-WebSocket-Version': '13' }), /^HTTP\/1\.1 426 Upgrade Required\r\n/);
  assert.match(buildRejectResponse(599, 'x'), /^HTTP\/1\.1 599 Error\r\n/);
});

test('buildRejectResponse: rejects bad status and headers', () => {
  for (const fn of [
    () => buildRejectResponse(101, 'x'),
    () => buildRejectResponse(600, 'x'),
    () => buildRejectResponse(400.5, 'x'),
    () => buildRejectResponse(400, 'x', { 'Content-Length': '0' }),
    () => buildRejectResponse(400, 'x', { 'X-A': 'a\r\nb' }),
    () => buildRejectResponse(400, 'x', { 'X A': 'v' }),
  ]) {
    assert.throws(fn, (error: unknown) => error instanceof WebSocketError && error.code === 'WS_ERR_INVALID_ARGUMENT');
  }
});
