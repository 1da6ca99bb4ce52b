import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandshakeError } from '../../src/handshake/handshake-error.js';
import { HEAD_COMPLETE, HEAD_FAILED, MAX_HEAD_SIZE } from '../../src/handshake/head-reader.js';
import { ResponseParser } from '../../src/handshake/response-parser.js';
import { buildUpgradeRequest } from '../../src/handshake/request.js';
import { buildAcceptResponse, ServerRequestParser } from '../../src/handshake/server-request.js';
import { bytes, KEY, upgradeRequest } from './fixtures.js';

function parse(text: string): { parser: ServerRequestParser; consumed: number } {
  const parser = new ServerRequestParser();
  const data = bytes(text);
  return { parser, consumed: parser.push(data, 0, data.length) };
}

function rejects(text: string, status: number, pattern: RegExp): ServerRequestParser {
  const { parser } = parse(text);
  assert.equal(parser.state, HEAD_FAILED, `expected failure for ${JSON.stringify(text)}`);
  const error = parser.error;
  assert.ok(error instanceof HandshakeError);
  assert.equal(error.code, 'WS_ERR_HANDSHAKE');
  assert.equal(error.statusCode, status);
  assert.match(error.message, pattern);
  assert.match(parser.rejectResponse(), new RegExp(`^HTTP/1\\.1 ${status} `));
  return parser;
}

test('a valid request completes and exposes path, key, protocols and headers', () => {
  const head = upgradeRequest(['Sec-WebSocket-Protocol: v2, v1', 'Origin: https://a.example']);
  const { parser, consumed } = parse(head + '\x81\x82mask');
  assert.equal(parser.state, HEAD_COMPLETE);
  assert.equal(consumed, head.length);
  assert.equal(parser.method, 'GET');
  assert.equal(parser.path, '/ws?x=1');
  assert.equal(parser.key, KEY);
  assert.deepEqual(parser.protocols, ['v2', 'v1']);
  assert.equal(parser.headers['origin'], 'https://a.example');
  assert.equal(parser.headers['host'], '127.0.0.1:9000');
  assert.equal(parser.error, null);
});

test('the request tickwire builds is accepted, and the answer completes the client parser', () => {
  const request = buildUpgradeRequest({ host: '::1', port: 9000, path: '/a?b', secure: false, key: KEY, protocols: ['p1', 'p2'], headers: { 'X-Id': '7' } });
  const { parser } = parse(request);
  assert.equal(parser.state, HEAD_COMPLETE);
  assert.equal(parser.headers['host'], '[::1]:9000');
  assert.deepEqual(parser.protocols, ['p1', 'p2']);
  const client = new ResponseParser({ key: KEY, protocols: ['p1', 'p2'] });
  const response = bytes(buildAcceptResponse(parser.key, 'p2'));
  assert.equal(client.push(response, 0, response.length), response.length);
  assert.equal(client.state, HEAD_COMPLETE);
  assert.equal(client.protocol, 'p2');
});

test('split at every byte', () => {
  const head = upgradeRequest(['Sec-WebSocket-Protocol: a', 'Sec-WebSocket-Protocol: b']);
  const data = bytes(head + 'FRAME');
  for (let cut = 0; cut <= data.length; cut++) {
    const parser = new ServerRequestParser();
    let consumed = parser.push(data, 0, cut);
    if (parser.state !== HEAD_COMPLETE) consumed += parser.push(data, cut, data.length);
    assert.equal(parser.state, HEAD_COMPLETE, `cut ${cut}`);
    assert.equal(consumed, head.length);
    assert.deepEqual(parser.protocols, ['a', 'b']);
  }
  const parser = new ServerRequestParser();
  let i = 0;
  for (; parser.state !== HEAD_COMPLETE; i++) assert.equal(parser.push(data, i, i + 1), 1);
  assert.equal(i, head.length);
});

test('method must be GET (405 with Allow)', () => {
  const parser = rejects(upgradeRequest().replace('GET', 'POST'), 405, /method POST not allowed/);
  assert.deepEqual(parser.rejectHeaders, { Allow: 'GET' });
  assert.match(parser.rejectResponse(), /\r\nAllow: GET\r\n/);
});

test('HTTP/1.1 or higher (505 otherwise); malformed request lines (400)', () => {
  rejects(upgradeRequest().replace('HTTP/1.1', 'HTTP/1.0'), 505, /HTTP\/1\.0/);
  rejects(upgradeRequest().replace('HTTP/1.1', 'HTTP/2.0'), 505, /HTTP\/2\.0/);
  assert.equal(parse(upgradeRequest().replace('HTTP/1.1', 'HTTP/1.2')).parser.state, HEAD_COMPLETE);
  rejects(upgradeRequest().replace('GET /ws?x=1 HTTP/1.1', 'GET /ws HTTP/1.1 extra'), 400, /invalid request line/);
  rejects(upgradeRequest().replace('GET /ws?x=1 HTTP/1.1', 'GET  /ws HTTP/1.1'), 400, /invalid request line/);
  rejects(upgradeRequest().replace('GET /ws?x=1 HTTP/1.1', 'GET /ws'), 400, /invalid request line/);
  rejects(upgradeRequest().replace('GET', 'G(T'), 400, /invalid request method/);
  rejects(upgradeRequest([], 'ws://h/ws'), 400, /request target/);
  rejects(upgradeRequest([], '*'), 400, /request target/);
  rejects(upgradeRequest([], '/a\x7f'), 400, /request target/);
});

test('Host: required, once', () => {
  rejects(upgradeRequest().replace('Host: 127.0.0.1:9000\r\n', ''), 400, /missing Host/);
  rejects(upgradeRequest().replace('Host: 127.0.0.1:9000', 'Host:'), 400, /missing Host/);
  rejects(upgradeRequest(['Host: evil.example']), 400, /repeats the host header/);
});

test('Upgrade must include websocket; Connection must include Upgrade', () => {
  rejects(upgradeRequest().replace('Upgrade: websocket\r\n', ''), 400, /Upgrade header/);
  rejects(upgradeRequest().replace('Upgrade: websocket', 'Upgrade: h2c'), 400, /Upgrade header/);
  assert.equal(parse(upgradeRequest().replace('Upgrade: websocket', 'Upgrade: h2c, WebSocket')).parser.state, HEAD_COMPLETE);
  rejects(upgradeRequest().replace('Connection: Upgrade\r\n', ''), 400, /Connection header/);
  rejects(upgradeRequest().replace('Connection: Upgrade', 'Connection: keep-alive'), 400, /Connection header/);
  assert.equal(parse(upgradeRequest().replace('Connection: Upgrade', 'Connection: keep-alive, upgrade')).parser.state, HEAD_COMPLETE);
});

test('Sec-WebSocket-Version must be 13 (426 with Sec-WebSocket-Version: 13)', () => {
  for (const text of [
    upgradeRequest().replace('Sec-WebSocket-Version: 13\r\n', ''),
    upgradeRequest().replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 8'),
  ]) {
    const parser = rejects(text, 426, /Sec-WebSocket-Version/);
    assert.deepEqual(parser.rejectHeaders, { 'Sec-WebSocket-Version': '13' });
    assert.match(parser.rejectResponse(), /^HTTP\/1\.1 426 Upgrade Required\r\n[^]*\r\nSec-WebSocket-Version: 13\r\n/);
  }
  rejects(upgradeRequest(['Sec-WebSocket-Version: 13']), 400, /repeats the sec-websocket-version/);
});

test('Sec-WebSocket-Key must be base64 of 16 bytes, once', () => {
  rejects(upgradeRequest().replace(`Sec-WebSocket-Key: ${KEY}\r\n`, ''), 400, /Sec-WebSocket-Key/);
  rejects(upgradeRequest().replace(KEY, 'c2hvcnQ='), 400, /Sec-WebSocket-Key/);
  rejects(upgradeRequest().replace(KEY, KEY.slice(0, -2)), 400, /Sec-WebSocket-Key/);
  rejects(upgradeRequest([`Sec-WebSocket-Key: ${KEY}`]), 400, /repeats the sec-websocket-key/);
});

test('offered subprotocols must be unique tokens', () => {
  rejects(upgradeRequest(['Sec-WebSocket-Protocol: a, a']), 400, /duplicate subprotocol "a"/);
  rejects(upgradeRequest(['Sec-WebSocket-Protocol: a b']), 400, /invalid subprotocol "a b"/);
  rejects(upgradeRequest(['Sec-WebSocket-Protocol: a/b']), 400, /invalid subprotocol/);
  assert.deepEqual(parse(upgradeRequest(['Sec-WebSocket-Protocol: ,a,,b ,'])).parser.protocols, ['a', 'b']);
});

test('header syntax and size failures answer 400 and 431', () => {
  rejects(upgradeRequest(['Bad Header: x']), 400, /invalid header name/);
  rejects(upgradeRequest(['X: a', ' fold']), 400, /obs-fold/);
  rejects(upgradeRequest().replace('Upgrade: websocket\r\n', 'Upgrade: websocket\n'), 400, /bare LF/);
  const big = upgradeRequest(['X-Pad: ' + 'a'.repeat(MAX_HEAD_SIZE)]);
  const parser = rejects(big, 431, /exceeds 16384 bytes/);
  assert.match(parser.rejectResponse(), /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
});

test('rejectResponse without a failure is a programming error', () => {
  assert.throws(() => new ServerRequestParser().rejectResponse(), /without a failure/);
});
