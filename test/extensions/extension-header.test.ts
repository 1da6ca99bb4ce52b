// RFC 6455 9.1 Sec-WebSocket-Extensions grammar: what parses, what does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatExtension, parseExtensions } from '../../src/extensions/extension-header.js';

test('parses extensions, parameters with and without values, quoted values and empty list elements', () => {
  assert.deepEqual(parseExtensions('permessage-deflate'), [{ name: 'permessage-deflate', params: [] }]);
  assert.deepEqual(parseExtensions('Permessage-Deflate ; client_max_window_bits ; server_max_window_bits = 10'), [
    {
      name: 'permessage-deflate',
      params: [
        { name: 'client_max_window_bits', value: null },
        { name: 'server_max_window_bits', value: '10' },
      ],
    },
  ]);
  assert.deepEqual(parseExtensions('a; x="12", , b;y=z'), [
    { name: 'a', params: [{ name: 'x', value: '12' }] },
    { name: 'b', params: [{ name: 'y', value: 'z' }] },
  ]);
  // quoted-pair unescaping: "1\2" is the token 12.
  assert.deepEqual(parseExtensions('a; x="1\\2"')?.[0]?.params, [{ name: 'x', value: '12' }]);
});

test('rejects what the grammar does not allow', () => {
  for (const bad of [
    '',
    ' , ',
    ';x',
    'a;',
    'a; =1',
    'a; x=',
    'a; x="unterminated',
    'a; x="has space"', // after unescaping the value must be a token
    'a; x=""',
    'a b',
    'a; x=1 2',
    'a; x=1;',
    'per@message',
    'a; x="1\\',
  ]) {
    assert.equal(parseExtensions(bad), null, JSON.stringify(bad));
  }
});

test('formatExtension writes what parseExtensions reads back', () => {
  const element = { name: 'permessage-deflate', params: [{ name: 'server_no_context_takeover', value: null }, { name: 'client_max_window_bits', value: '9' }] };
  const text = formatExtension(element);
  assert.equal(text, 'permessage-deflate; server_no_context_takeover; client_max_window_bits=9');
  assert.deepEqual(parseExtensions(text), [element]);
});
