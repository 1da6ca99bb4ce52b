import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFieldValue, isToken, isVisibleAscii, listHasToken, splitList, trimOws } from '../../src/handshake/tokens.js';

test('isToken: exactly the RFC 7230 tchar set', () => {
  const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (let c = 0; c < 256; c++) assert.equal(isToken(String.fromCharCode(c)), tchars.includes(String.fromCharCode(c)), `char ${c}`);
  assert.equal(isToken(''), false);
  assert.equal(isToken('permessage-deflate'), true);
  assert.equal(isToken('a\u0100'), false);
});

test('isFieldValue: HTAB, SP, VCHAR and obs-text only', () => {
  for (let c = 0; c < 256; c++) {
    const legal = c === 0x09 || (c >= 0x20 && c !== 0x7f);
    assert.equal(isFieldValue(`a${String.fromCharCode(c)}b`), legal, `char ${c}`);
  }
  assert.equal(isFieldValue(''), true);
  assert.equal(isFieldValue('\u0100'), false);
});

test('isVisibleAscii', () => {
  assert.equal(isVisibleAscii('/a?b=c&d=%20'), true);
  for (const bad of ['/a b', '/a\t', '/\u00e9', '/\x7f', '/\r\n']) assert.equal(isVisibleAscii(bad), false);
});

test('trimOws, splitList and listHasToken', () => {
  assert.equal(trimOws(' \t a b \t'), 'a b');
  assert.equal(trimOws('ab'), 'ab');
  assert.equal(trimOws(' \t '), '');
  assert.deepEqual(splitList(' a ,, b\t,c,'), ['a', 'b', 'c']);
  assert.deepEqual(splitList(''), []);
  assert.equal(listHasToken('keep-alive, Upgrade', 'upgrade'), true);
  assert.equal(listHasToken('keep-alive,UPGRADE', 'Upgrade'), true);
  assert.equal(listHasToken('upgraded', 'upgrade'), false);
  assert.equal(listHasToken('', 'upgrade'), false);
});
