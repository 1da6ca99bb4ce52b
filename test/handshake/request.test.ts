import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildUpgradeRequest, parseUrl, validateProtocols } from '../../src/handshake/request.js';
import { WebSocketError } from '../../src/protocol/errors.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function throwsCode(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WebSocketError, `expected WebSocketError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.closeCode, 1006);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}

test('parseUrl: ws and wss with default and explicit ports', () => {
  assert.deepEqual(parseUrl('ws://example.com/a/b?x=1&y=2'), {
    secure: false, host: 'example.com', port: 80, path: '/a/b?x=1&y=2', servername: 'example.com',
  });
  assert.deepEqual(parseUrl('wss://stream.binance.com:9443/ws/btcusdt@trade'), {
    secure: true, host: 'stream.binance.com', port: 9443, path: '/ws/btcusdt@trade', servername: 'stream.binance.com',
  });
  assert.deepEqual(parseUrl('wss://example.com'), { secure: true, host: 'example.com', port: 443, path: '/', servername: 'example.com' });
  assert.equal(parseUrl('ws://example.com:443/').port, 443);
  assert.equal(parseUrl('wss://example.com:80/').port, 80);
  assert.equal(parseUrl(new URL('ws://127.0.0.1:9000/x')).port, 9000);
});

test('parseUrl: http and https map to ws and wss', () => {
  assert.deepEqual(parseUrl('http://h/p'), { secure: false, host: 'h', port: 80, path: '/p', servername: 'h' });
  assert.deepEqual(parseUrl('https://h:8443/p?q'), { secure: true, host: 'h', port: 8443, path: '/p?q', servername: 'h' });
});

test('parseUrl: IP literals connect without brackets and get no SNI name', () => {
  assert.deepEqual(parseUrl('ws://[::1]:8080/x'), { secure: false, host: '::1', port: 8080, path: '/x', servername: '' });
  assert.deepEqual(parseUrl('wss://127.0.0.1/'), { secure: true, host: '127.0.0.1', port: 443, path: '/', servername: '' });
});

test('parseUrl: rejects other schemes, fragments, garbage and port 0', () => {
  throwsCode(() => parseUrl('ftp://h/'), 'WS_ERR_INVALID_URL', /scheme/);
  throwsCode(() => parseUrl('file:///etc/passwd'), 'WS_ERR_INVALID_URL', /scheme/);
  throwsCode(() => parseUrl('ws://h/#frag'), 'WS_ERR_INVALID_URL', /fragment/);
  throwsCode(() => parseUrl('ws://h/#'), 'WS_ERR_INVALID_URL', /fragment/);
  throwsCode(() => parseUrl('not a url'), 'WS_ERR_INVALID_URL', /invalid URL/);
  throwsCode(() => parseUrl('ws://h:0/'), 'WS_ERR_INVALID_URL', /port/);
});

test('buildUpgradeRequest: the exact request', () => {
  const request = buildUpgradeRequest({ host: 'example.com', port: 80, path: '/chat?x=1', secure: false, key: KEY });
  assert.equal(
    request,
    'GET /chat?x=1 HTTP/1.1\r\n' +
      'Host: example.com\r\n' +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${KEY}\r\n` +
      'Sec-WebSocket-Version: 13\r\n' +
      '\r\n',
  );
});

test('buildUpgradeRequest: Host carries the port only when not the default', () => {
  const host = (o: { host: string; port: number; secure: boolean }) =>
    /\r\nHost: ([^\r]*)\r\n/.exec(buildUpgradeRequest({ ...o, path: '/', key: KEY }))?.[1];
  assert.equal(host({ host: 'h', port: 80, secure: false }), 'h');
  assert.equal(host({ host: 'h', port: 443, secure: true }), 'h');
  assert.equal(host({ host: 'h', port: 443, secure: false }), 'h:443');
  assert.equal(host({ host: 'h', port: 80, secure: true }), 'h:80');
  assert.equal(host({ host: 'h', port: 9443, secure: true }), 'h:9443');
  assert.equal(host({ host: '::1', port: 8080, secure: false }), '[::1]:8080');
  assert.equal(host({ host: '::1', port: 80, secure: false }), '[::1]');
});

test('buildUpgradeRequest: protocols, origin and user headers', () => {
  const request = buildUpgradeRequest({
    host: 'h', port: 80, path: '/', secure: false, key: KEY,
    protocols: ['v2.json', 'v1'], origin: 'https://app.example', headers: { 'X-Api-Key': 'abc', 'User-Agent': 'tickwire' },
  });
  assert.match(request, /\r\nSec-WebSocket-Protocol: v2\.json, v1\r\n/);
  assert.match(request, /\r\nOrigin: https:\/\/app\.example\r\n/);
  assert.match(request, /\r\nX-Api-Key: abc\r\nUser-Agent: tickwire\r\n\r\n$/);
  // An empty protocol list sends no header.
  assert.doesNotMatch(buildUpgradeRequest({ host: 'h', port: 80, path: '/', secure: false, key: KEY, protocols: [] }), /Sec-WebSocket-Protocol/);
});

test('buildUpgradeRequest: a user Host header replaces the default one', () => {
  const request = buildUpgradeRequest({ host: '10.0.0.1', port: 8080, path: '/', secure: false, key: KEY, headers: { host: 'api.example' } });
  assert.match(request, /\r\nHost: api\.example\r\n/);
  assert.equal(request.match(/host:/gi)?.length, 1);
});

test('buildUpgradeRequest: rejects header injection and invalid names', () => {
  const base = { host: 'h', port: 80, path: '/', secure: false, key: KEY };
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A': 'a\r\nX-Evil: 1' } }), 'WS_ERR_INVALID_ARGUMENT', /value/);
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A': 'a\nb' } }), 'WS_ERR_INVALID_ARGUMENT');
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A': 'a\rb' } }), 'WS_ERR_INVALID_ARGUMENT');
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A': 'a\0b' } }), 'WS_ERR_INVALID_ARGUMENT');
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A': 'snowman \u2603' } }), 'WS_ERR_INVALID_ARGUMENT');
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X A': 'v' } }), 'WS_ERR_INVALID_ARGUMENT', /name/);
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X-A\r\n': 'v' } }), 'WS_ERR_INVALID_ARGUMENT', /name/);
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { 'X:A': 'v' } }), 'WS_ERR_INVALID_ARGUMENT', /name/);
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { '': 'v' } }), 'WS_ERR_INVALID_ARGUMENT', /name/);
  throwsCode(() => buildUpgradeRequest({ ...base, headers: { host: 'a\r\nb' } }), 'WS_ERR_INVALID_ARGUMENT');
  throwsCode(() => buildUpgradeRequest({ ...base, origin: 'x\r\ny' }), 'WS_ERR_INVALID_ARGUMENT');
  // Tabs and latin1 obs-text are legal field content.
  assert.match(buildUpgradeRequest({ ...base, headers: { 'X-A': 'a\tb \u00e9' } }), /X-A: a\tb \u00e9\r\n/);
});

test('buildUpgradeRequest: rejects headers the handshake owns', () => {
  const base = { host: 'h', port: 80, path: '/', secure: false, key: KEY };
  for (const name of ['Upgrade', 'connection', 'Sec-WebSocket-Key', 'SEC-WEBSOCKET-VERSION', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions']) {
    throwsCode(() => buildUpgradeRequest({ ...base, headers: { [name]: 'x' } }), 'WS_ERR_INVALID_ARGUMENT', /set by the handshake/);
  }
  throwsCode(() => buildUpgradeRequest({ ...base, origin: 'a', headers: { Origin: 'b' } }), 'WS_ERR_INVALID_ARGUMENT', /Origin/);
});

test('buildUpgradeRequest: rejects invalid host, port, path and key', () => {
  const base = { host: 'h', port: 80, path: '/', secure: false, key: KEY };
  throwsCode(() => buildUpgradeRequest({ ...base, host: '' }), 'WS_ERR_INVALID_ARGUMENT', /host/);
  throwsCode(() => buildUpgradeRequest({ ...base, host: 'h\r\nX: y' }), 'WS_ERR_INVALID_ARGUMENT', /host/);
  throwsCode(() => buildUpgradeRequest({ ...base, port: 0 }), 'WS_ERR_INVALID_ARGUMENT', /port/);
  throwsCode(() => buildUpgradeRequest({ ...base, port: 65536 }), 'WS_ERR_INVALID_ARGUMENT', /port/);
  throwsCode(() => buildUpgradeRequest({ ...base, path: 'x' }), 'WS_ERR_INVALID_ARGUMENT', /path/);
  throwsCode(() => buildUpgradeRequest({ ...base, path: '/a b' }), 'WS_ERR_INVALID_ARGUMENT', /path/);
  throwsCode(() => buildUpgradeRequest({ ...base, path: '/a HTTP/1.1\r\nX: y' }), 'WS_ERR_INVALID_ARGUMENT', /path/);
  throwsCode(() => buildUpgradeRequest({ ...base, key: 'short' }), 'WS_ERR_INVALID_ARGUMENT', /Key/);
});

test('validateProtocols: tokens only, no duplicates (case-insensitive)', () => {
  validateProtocols(['a', 'b.c', 'x-y_z~1']);
  const base = { host: 'h', port: 80, path: '/', secure: false, key: KEY };
  throwsCode(() => buildUpgradeRequest({ ...base, protocols: ['a', 'a'] }), 'WS_ERR_INVALID_ARGUMENT', /duplicate/);
  throwsCode(() => validateProtocols(['chat', 'CHAT']), 'WS_ERR_INVALID_ARGUMENT', /duplicate/);
  for (const bad of ['', 'a b', 'a,b', 'a;b', 'a/b', 'é', 'a\r\n', '"q"']) {
    throwsCode(() => validateProtocols([bad]), 'WS_ERR_INVALID_ARGUMENT', /subprotocol/);
  }
});
