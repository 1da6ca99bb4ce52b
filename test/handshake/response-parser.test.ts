import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandshakeError } from '../../src/handshake/handshake-error.js';
import { HEAD_COMPLETE, HEAD_FAILED, HEAD_READ_LINE, MAX_HEAD_SIZE } from '../../src/handshake/head-reader.js';
import { ResponseParser } from '../../src/handshake/response-parser.js';
import { ACCEPT, bytes, KEY, response101 } from './fixtures.js';

function parse(text: string, protocols?: string[]): { parser: ResponseParser; consumed: number } {
  const parser = new ResponseParser({ key: KEY, protocols });
  const data = bytes(text);
  const consumed = parser.push(data, 0, data.length);
  return { parser, consumed };
}

function failsWith(text: string, pattern: RegExp, protocols?: string[]): HandshakeError {
  const { parser } = parse(text, protocols);
  assert.equal(parser.state, HEAD_FAILED, `expected failure for ${JSON.stringify(text)}`);
  const error = parser.error;
  assert.ok(error instanceof HandshakeError);
  assert.equal(error.code, 'WS_ERR_HANDSHAKE');
  assert.equal(error.closeCode, 1006);
  assert.match(error.message, pattern);
  return error;
}

test('a valid 101 completes and consumes exactly the head', () => {
  const head = response101(['Server: test', 'X-Multi:  a  ']);
  const { parser, consumed } = parse(head + '\x81\x02hi');
  assert.equal(parser.state, HEAD_COMPLETE);
  assert.equal(parser.error, null);
  assert.equal(consumed, head.length);
  assert.equal(parser.statusCode, 101);
  assert.equal(parser.reasonPhrase, 'Switching Protocols');
  assert.equal(parser.protocol, '');
  assert.deepEqual(parser.headers, {
    upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': ACCEPT, server: 'test', 'x-multi': 'a',
  });
});

test('consumes nothing after completion', () => {
  const head = bytes(response101());
  const parser = new ResponseParser({ key: KEY });
  assert.equal(parser.push(head, 0, head.length), head.length);
  assert.equal(parser.push(head, 0, head.length), 0);
  assert.equal(parser.state, HEAD_COMPLETE);
});

test('honours start and end offsets', () => {
  const head = response101();
  const data = bytes('garbage' + head + 'frames');
  const parser = new ResponseParser({ key: KEY });
  assert.equal(parser.push(data, 7, data.length - 2), head.length);
  assert.equal(parser.state, HEAD_COMPLETE);
});

test('split at every byte: two chunks, and one byte at a time', () => {
  const head = response101(['Sec-WebSocket-Protocol: v2', 'Server: x']);
  const data = bytes(head + 'FRAMES');
  for (let cut = 0; cut <= data.length; cut++) {
    const parser = new ResponseParser({ key: KEY, protocols: ['v1', 'v2'] });
    let consumed = parser.push(data, 0, cut);
    if (parser.state !== HEAD_COMPLETE) consumed += parser.push(data, cut, data.length);
    assert.equal(parser.state, HEAD_COMPLETE, `cut ${cut}`);
    assert.equal(consumed, head.length, `cut ${cut}`);
    assert.equal(parser.protocol, 'v2');
  }
  const parser = new ResponseParser({ key: KEY, protocols: ['v2'] });
  let offset = 0;
  while (parser.state !== HEAD_COMPLETE) {
    assert.equal(parser.push(data, offset, offset + 1), 1);
    offset++;
  }
  assert.equal(offset, head.length);
  assert.equal(parser.headers['server'], 'x');
});

test('incomplete input stays pending', () => {
  const head = bytes(response101());
  const parser = new ResponseParser({ key: KEY });
  assert.equal(parser.push(head, 0, head.length - 1), head.length - 1);
  assert.equal(parser.state, 1); // HEAD_READ_LF: waiting for the last LF
  assert.equal(parser.error, null);
  const empty = new ResponseParser({ key: KEY });
  assert.equal(empty.push(head, 0, 0), 0);
  assert.equal(empty.state, HEAD_READ_LINE);
});

test('case-insensitive names and Upgrade/Connection values; Connection as a list', () => {
  const text =
    'HTTP/1.1 101 OK\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, , UPGRADE\r\n' + `sec-websocket-accept: ${ACCEPT}\r\n\r\n`;
  assert.equal(parse(text).parser.state, HEAD_COMPLETE);
  // Reason phrase may be empty or absent (RFC 9112 4).
  assert.equal(parse(response101().replace(' Switching Protocols', '')).parser.state, HEAD_COMPLETE);
  assert.equal(parse(response101().replace('Switching Protocols', '')).parser.state, HEAD_COMPLETE);
});

test('non-101 statuses fail with the status, reason and redirect target', () => {
  let error = failsWith('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', /unexpected server response: 404 Not Found/);
  assert.equal(error.statusCode, 404);
  assert.equal(error.headers?.['content-length'], '0');
  error = failsWith('HTTP/1.1 301 Moved Permanently\r\nLocation: wss://other.example/ws\r\n\r\n', /301 Moved Permanently.*wss:\/\/other\.example\/ws/);
  assert.equal(error.statusCode, 301);
  assert.equal(error.headers?.['location'], 'wss://other.example/ws');
  error = failsWith('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n\r\n', /429 Too Many Requests.*Retry-After: 30/);
  assert.equal(error.statusCode, 429);
  failsWith('HTTP/1.1 200 OK\r\n\r\n', /unexpected server response: 200 OK/);
  failsWith('HTTP/1.0 400 Bad Request\r\n\r\n', /400 Bad Request/);
});

test('invalid status lines fail at once', () => {
  for (const line of ['HTTP/1.1 101Switching', 'HTTP/1.1 1010 X', 'HTTP/1.1  101 X', 'http/1.1 101 X', 'HTTP/1.1', 'SSH-2.0-OpenSSH', '']) {
    const error = failsWith(`${line}\r\n`, /invalid status line/);
    assert.equal(error.statusCode, 0);
    assert.equal(error.headers, null);
  }
  failsWith('HTTP/1.0 101 Switching Protocols\r\n', /expected HTTP\/1\.1/);
  failsWith('HTTP/2.0 101 Switching Protocols\r\n', /expected HTTP\/1\.1/);
  failsWith('HTTP/1.1 101 Bad\x01Reason\r\n', /reason phrase/);
});

test('Upgrade must be websocket', () => {
  failsWith(response101().replace('Upgrade: websocket\r\n', ''), /missing Upgrade/);
  failsWith(response101().replace('Upgrade: websocket', 'Upgrade: h2c'), /invalid Upgrade/);
  failsWith(response101().replace('Upgrade: websocket', 'Upgrade: websocket, h2c'), /invalid Upgrade/);
  failsWith(response101(['Upgrade: websocket']), /repeats the upgrade header/);
});

test('Connection must contain Upgrade', () => {
  failsWith(response101().replace('Connection: Upgrade\r\n', ''), /missing Connection/);
  failsWith(response101().replace('Connection: Upgrade', 'Connection: keep-alive'), /invalid Connection/);
  failsWith(response101().replace('Connection: Upgrade', 'Connection: Upgraded'), /invalid Connection/);
  // Repeated Connection fields are one list (RFC 7230 3.2.2).
  assert.equal(parse(response101().replace('Connection: Upgrade', 'Connection: close\r\nConnection: upgrade')).parser.state, HEAD_COMPLETE);
});

test('Sec-WebSocket-Accept must match the key', () => {
  failsWith(response101().replace(`Sec-WebSocket-Accept: ${ACCEPT}\r\n`, ''), /missing Sec-WebSocket-Accept/);
  failsWith(response101().replace(ACCEPT, ACCEPT.toLowerCase()), /invalid Sec-WebSocket-Accept/);
  failsWith(response101().replace(ACCEPT, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='), /invalid Sec-WebSocket-Accept/);
  failsWith(response101([`Sec-WebSocket-Accept: ${ACCEPT}`]), /repeats the sec-websocket-accept header/);
  const parser = new ResponseParser({ key: 'AAAAAAAAAAAAAAAAAAAAAA==' });
  const data = bytes(response101());
  parser.push(data, 0, data.length);
  assert.equal(parser.state, HEAD_FAILED);
});

test('Sec-WebSocket-Extensions is refused (none offered)', () => {
  failsWith(response101(['Sec-WebSocket-Extensions: permessage-deflate']), /Sec-WebSocket-Extensions/);
  failsWith(response101(['Sec-WebSocket-Extensions:']), /Sec-WebSocket-Extensions/);
});

test('Sec-WebSocket-Protocol must be one of those offered', () => {
  assert.equal(parse(response101(['Sec-WebSocket-Protocol: b']), ['a', 'b']).parser.protocol, 'b');
  // Absent: no subprotocol, accepted (RFC 6455 4.2.2, browsers).
  const { parser } = parse(response101(), ['a', 'b']);
  assert.equal(parser.state, HEAD_COMPLETE);
  assert.equal(parser.protocol, '');
  failsWith(response101(['Sec-WebSocket-Protocol: a']), /no subprotocol was offered/);
  failsWith(response101(['Sec-WebSocket-Protocol: c']), /"c", which was not offered/, ['a', 'b']);
  failsWith(response101(['Sec-WebSocket-Protocol: a, b']), /not offered/, ['a', 'b']);
  failsWith(response101(['Sec-WebSocket-Protocol: A']), /not offered/, ['a']);
  failsWith(response101(['Sec-WebSocket-Protocol: a', 'Sec-WebSocket-Protocol: a']), /repeats the sec-websocket-protocol/, ['a']);
});

test('header syntax errors', () => {
  failsWith(response101(['NoColonHere']), /without colon/);
  failsWith(response101(['Bad Name: v']), /invalid header name "Bad Name"/);
  failsWith(response101(['Name : v']), /invalid header name/);
  failsWith(response101([': v']), /invalid header name ""/);
  failsWith(response101(['X-A: v', ' folded']), /obs-fold/);
  failsWith(response101(['X-A: v', '\tfolded']), /obs-fold/);
  failsWith(response101(['X-A: a\x00b']), /invalid character in the value of header "X-A"/);
  failsWith(response101(['X-A: a\x7fb']), /invalid character/);
  failsWith(response101(['X-A: a\rb']), /CR not followed by LF/);
  failsWith('HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\r\n\r\n', /bare LF/);
  failsWith(response101().replace('Upgrade: websocket\r\n', 'Upgrade: websocket\n'), /bare LF/);
  failsWith(response101().slice(0, -2) + '\n', /bare LF/);
  failsWith(response101().slice(0, -1) + 'X', /CR not followed by LF/);
  // obs-text (0x80-0xFF) is legal field content and decoded as latin1.
  assert.equal(parse(response101(['X-A: caf\u00e9'])).parser.headers['x-a'], 'caf\u00e9');
});

test('repeated non-critical headers are joined; __proto__ is kept as a field', () => {
  const { parser } = parse(response101(['X-A: 1', 'x-a: 2', '__proto__: p', 'constructor: c']));
  assert.equal(parser.state, HEAD_COMPLETE);
  assert.equal(parser.headers['x-a'], '1, 2');
  assert.equal(Object.getPrototypeOf(parser.headers), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(parser.headers, '__proto__')?.value, 'p');
  assert.equal(parser.headers['constructor'], 'c');
});

test('heads larger than the limit fail, exactly at the limit pass', () => {
  const base = response101(['X-Pad: ']);
  const padTo = (size: number) => response101(['X-Pad: ' + 'a'.repeat(size - base.length)]);
  const exact = padTo(MAX_HEAD_SIZE);
  assert.equal(exact.length, MAX_HEAD_SIZE);
  assert.equal(parse(exact).parser.state, HEAD_COMPLETE);
  failsWith(padTo(MAX_HEAD_SIZE + 1), /exceeds 16384 bytes/);
  // One byte at a time, the limit holds too.
  for (const [text, state] of [[exact, HEAD_COMPLETE], [padTo(MAX_HEAD_SIZE + 1), HEAD_FAILED]] as const) {
    const data = bytes(text);
    const parser = new ResponseParser({ key: KEY });
    for (let i = 0; i < data.length && parser.state < HEAD_COMPLETE; i++) parser.push(data, i, i + 1);
    assert.equal(parser.state, state);
  }
  // A long line without any CR fails without waiting for the end of the line.
  const parser = new ResponseParser({ key: KEY, maxHeadSize: 100 });
  const data = new Uint8Array(1000).fill(0x41);
  parser.push(data, 0, data.length);
  assert.equal(parser.state, HEAD_FAILED);
  assert.match(parser.error?.message ?? '', /exceeds 100 bytes/);
});

test('a configurable limit applies to many small headers', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `X-${i}: v`);
  const parser = new ResponseParser({ key: KEY, maxHeadSize: 200 });
  const data = bytes(response101(lines));
  for (let i = 0; i < data.length && parser.state < HEAD_COMPLETE; i += 7) parser.push(data, i, Math.min(i + 7, data.length));
  assert.equal(parser.state, HEAD_FAILED);
  assert.match(parser.error?.message ?? '', /exceeds 200 bytes/);
});
