// RFC 7692 negotiation: the options, the client's offer, the client's check of the server's
// answer (7.1: every way an answer can be wrong), and the server role's choice among offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptResponse,
  buildOffer,
  negotiateOffers,
  resolveDeflateOptions,
  type DeflateConfig,
  type DeflateParameters,
} from '../../src/extensions/permessage-deflate.js';

const config = (option: Parameters<typeof resolveDeflateOptions>[0] = true): DeflateConfig => resolveDeflateOptions(option)!;

test('compression is off unless asked for; options are validated', () => {
  assert.equal(resolveDeflateOptions(undefined), null);
  assert.equal(resolveDeflateOptions(false), null);
  assert.deepEqual(resolveDeflateOptions(true), {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: 0,
    clientMaxWindowBits: 0,
    threshold: 1024,
  });
  assert.equal(config({ threshold: 0 }).threshold, 0);
  for (const bad of [{ serverMaxWindowBits: 7 }, { serverMaxWindowBits: 16 }, { clientMaxWindowBits: 9.5 }, { threshold: -1 }, { threshold: 1.5 }]) {
    assert.throws(() => resolveDeflateOptions(bad), { code: 'WS_ERR_INVALID_ARGUMENT' }, JSON.stringify(bad));
  }
});

test('the offer names what was asked for and always lets the server limit our window', () => {
  assert.equal(buildOffer(config()), 'permessage-deflate; client_max_window_bits');
  assert.equal(
    buildOffer(config({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 11 })),
    'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11',
  );
});

const defaults: DeflateParameters = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

test('valid answers give the negotiated parameters', () => {
  assert.deepEqual(acceptResponse(config(), 'permessage-deflate'), defaults);
  assert.deepEqual(acceptResponse(config(), 'permessage-deflate; server_no_context_takeover; client_no_context_takeover'), {
    ...defaults,
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
  });
  // 7.1.2.1: the server may limit its own window without being asked.
  assert.deepEqual(acceptResponse(config(), 'permessage-deflate; server_max_window_bits=9'), { ...defaults, serverMaxWindowBits: 9 });
  // 7.1.2.2: a bare client_max_window_bits in the offer lets the server pick any value.
  assert.deepEqual(acceptResponse(config(), 'permessage-deflate; client_max_window_bits=10'), { ...defaults, clientMaxWindowBits: 10 });
  assert.deepEqual(acceptResponse(config({ serverMaxWindowBits: 12 }), 'permessage-deflate; server_max_window_bits=12'), { ...defaults, serverMaxWindowBits: 12 });
  assert.deepEqual(acceptResponse(config({ clientMaxWindowBits: 12 }), 'permessage-deflate; client_max_window_bits="11"'), { ...defaults, clientMaxWindowBits: 11 });
  // Our own client_no_context_takeover holds even when the server does not echo it.
  assert.deepEqual(acceptResponse(config({ clientNoContextTakeover: true }), 'permessage-deflate'), { ...defaults, clientNoContextTakeover: true });
});

test('invalid answers fail the handshake (RFC 7692 7.1)', () => {
  const cases: Array<[DeflateConfig, string, RegExp]> = [
    [config(), 'permessage-deflate; foo', /unknown permessage-deflate parameter/],
    [config(), 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', /more than once/],
    [config(), 'permessage-deflate; server_max_window_bits=10; server_max_window_bits=10', /more than once/],
    [config(), 'permessage-deflate; server_no_context_takeover=1', /must not have a value/],
    [config(), 'permessage-deflate; client_no_context_takeover=true', /must not have a value/],
    [config(), 'permessage-deflate; server_max_window_bits', /has no value/],
    [config(), 'permessage-deflate; client_max_window_bits', /has no value/],
    [config(), 'permessage-deflate; server_max_window_bits=7', /invalid server_max_window_bits/],
    [config(), 'permessage-deflate; server_max_window_bits=16', /invalid server_max_window_bits/],
    [config(), 'permessage-deflate; server_max_window_bits=010', /invalid server_max_window_bits/],
    [config(), 'permessage-deflate; client_max_window_bits=abc', /invalid client_max_window_bits/],
    [config(), 'permessage-deflate; client_max_window_bits=0x9', /invalid client_max_window_bits/],
    [config({ serverMaxWindowBits: 10 }), 'permessage-deflate; server_max_window_bits=11', /exceeds the 10 offered/],
    [config({ clientMaxWindowBits: 10 }), 'permessage-deflate; client_max_window_bits=12', /exceeds the 10 offered/],
    [config(), 'x-webkit-deflate-frame', /only one permessage-deflate was offered/],
    [config(), 'permessage-deflate, permessage-deflate', /only one permessage-deflate was offered/],
    [config(), 'permessage-deflate, foo', /only one permessage-deflate was offered/],
    [config(), 'permessage-deflate;', /invalid Sec-WebSocket-Extensions/],
  ];
  for (const [offer, answer, expected] of cases) {
    const result = acceptResponse(offer, answer);
    assert.equal(typeof result, 'string', answer);
    assert.match(result as string, expected, answer);
  }
});

test('server role: picks the first acceptable offer and answers it', () => {
  const plain = config();
  assert.equal(negotiateOffers(plain, undefined), null);
  assert.equal(negotiateOffers(plain, 'x-custom'), null);
  assert.equal(negotiateOffers(plain, 'permessage-deflate; bogus'), null); // 5: declined
  assert.equal(negotiateOffers(plain, 'permessage-deflate;;'), null); // unparsable: declined

  assert.deepEqual(negotiateOffers(plain, 'permessage-deflate; client_max_window_bits'), { params: defaults, response: 'permessage-deflate' });
  // The first offer is invalid (unknown parameter); the second is taken.
  const second = negotiateOffers(plain, 'permessage-deflate; bogus, permessage-deflate; server_max_window_bits=10; client_no_context_takeover');
  assert.deepEqual(second, {
    params: { ...defaults, serverMaxWindowBits: 10, clientNoContextTakeover: true },
    response: 'permessage-deflate; client_no_context_takeover; server_max_window_bits=10',
  });
  // Server-side limits: our window, and the client's when it said it can honour one.
  const limited = config({ serverMaxWindowBits: 11, clientMaxWindowBits: 12, serverNoContextTakeover: true });
  assert.deepEqual(negotiateOffers(limited, 'permessage-deflate; client_max_window_bits'), {
    params: { serverNoContextTakeover: true, clientNoContextTakeover: false, serverMaxWindowBits: 11, clientMaxWindowBits: 12 },
    response: 'permessage-deflate; server_no_context_takeover; server_max_window_bits=11; client_max_window_bits=12',
  });
  // The smaller of the client's offered value and ours wins.
  assert.equal(negotiateOffers(limited, 'permessage-deflate; server_max_window_bits=9; client_max_window_bits=10')?.response, 'permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10');
  // server_max_window_bits in an offer needs a value.
  assert.equal(negotiateOffers(plain, 'permessage-deflate; server_max_window_bits'), null);
});

test('every answer the server role builds is accepted by the client side that offered it', () => {
  const flags = [false, true];
  for (const serverNoContextTakeover of flags) {
    for (const clientNoContextTakeover of flags) {
      for (const bits of [0, 9, 12, 15]) {
        const client = config({ serverNoContextTakeover, clientNoContextTakeover, ...(bits !== 0 && { serverMaxWindowBits: bits, clientMaxWindowBits: bits }) });
        const server = config({ ...(bits !== 0 && { serverMaxWindowBits: 10 }) });
        const negotiated = negotiateOffers(server, buildOffer(client));
        assert.ok(negotiated !== null);
        assert.deepEqual(acceptResponse(client, negotiated.response), negotiated.params, buildOffer(client));
      }
    }
  }
});
