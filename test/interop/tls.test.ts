// wss:// against `ws` behind an https server with the fixtures/tls certificates: ca.pem signs
// localhost.pem (SAN localhost, 127.0.0.1, ::1) and wrong-host.pem (SAN not-localhost.example);
// self-signed.pem is signed by nobody we trust.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../src/index.js';
import { ClientRecorder, withTimeout } from '../helpers/client-recorder.js';
import { patternBytes } from '../helpers/frames.js';
import { startWsPeer, tlsFixture, type WsPeer } from '../helpers/ws-peer.js';

type ErrorWithCodes = Error & { code?: string; closeCode?: number; cause?: unknown };

async function echoOnce(url: string, options: Parameters<ClientRecorder['options']>[0]): Promise<void> {
  const recorder = new ClientRecorder();
  const client = await withTimeout(connect(url, recorder.options({ handshakeTimeoutMs: 5000, ...options })), 6000, 'connect');
  const payload = patternBytes(70000, 2);
  client.send(payload);
  client.send('tls text');
  await recorder.waitForMessages(2);
  assert.ok(recorder.events.messages[0]!.data.equals(payload));
  assert.equal(recorder.events.messages[1]!.data.toString(), 'tls text');
  client.close(1000, 'done');
  assert.deepEqual(await recorder.settledClose(), { code: 1000, reason: 'done' });
}

async function expectTlsFailure(url: string, options: Parameters<ClientRecorder['options']>[0], cause: RegExp): Promise<void> {
  await assert.rejects(withTimeout(connect(url, new ClientRecorder().options({ handshakeTimeoutMs: 5000, ...options })), 6000, 'connect'), (error: ErrorWithCodes) => {
    assert.equal(error.code, 'WS_ERR_TLS', error.message);
    assert.equal(error.closeCode, 1006);
    assert.match(error.message, cause);
    assert.ok(error.cause instanceof Error, 'the TLS error is kept as the cause');
    return true;
  });
}

describe('wss:// with a certificate signed by the test CA', () => {
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer({ tls: 'localhost' });
  });
  after(async () => {
    await peer.close();
  });

  test('trusted through `ca`: echo works, SNI carries the host name', async () => {
    await echoOnce(`wss://localhost:${peer.port}/tls`, { ca: tlsFixture('ca.pem') });
    assert.equal(peer.servernames[peer.servernames.length - 1], 'localhost');
  });

  test('an IP literal URL: certificate checked against the IP SAN, no SNI sent (RFC 6066 3)', async () => {
    await echoOnce(`wss://127.0.0.1:${peer.port}/tls`, { ca: tlsFixture('ca.pem') });
    assert.equal(peer.servernames[peer.servernames.length - 1], false);
  });

  test('the `servername` option is sent as SNI and used for the hostname check', async () => {
    await echoOnce(`wss://127.0.0.1:${peer.port}/tls`, { ca: tlsFixture('ca.pem'), servername: 'localhost' });
    assert.equal(peer.servernames[peer.servernames.length - 1], 'localhost');
    await expectTlsFailure(`wss://127.0.0.1:${peer.port}/tls`, { ca: tlsFixture('ca.pem'), servername: 'other.example' }, /other\.example|altnames|ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  test('without the CA (system store only) the certificate is rejected by default', () =>
    expectTlsFailure(`wss://localhost:${peer.port}/tls`, {}, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify|SELF_SIGNED|issuer/i));

  test('a `ca` array is accepted', () => echoOnce(`wss://localhost:${peer.port}/tls`, { ca: [tlsFixture('ca.pem').toString()] }));
});

describe('wss:// with a self-signed certificate', () => {
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer({ tls: 'self-signed' });
  });
  after(async () => {
    await peer.close();
  });

  test('rejected by default with WS_ERR_TLS, even with the test CA', async () => {
    await expectTlsFailure(`wss://localhost:${peer.port}/tls`, {}, /SELF_SIGNED|self.signed/i);
    await expectTlsFailure(`wss://localhost:${peer.port}/tls`, { ca: tlsFixture('ca.pem') }, /SELF_SIGNED|self.signed/i);
  });

  test('accepted with rejectUnauthorized: false', () => echoOnce(`wss://localhost:${peer.port}/tls`, { rejectUnauthorized: false }));
});

describe('wss:// with a certificate for another host', () => {
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer({ tls: 'wrong-host' });
  });
  after(async () => {
    await peer.close();
  });

  test('rejected: hostname mismatch (ERR_TLS_CERT_ALTNAME_INVALID)', async () => {
    await expectTlsFailure(`wss://localhost:${peer.port}/tls`, { ca: tlsFixture('ca.pem') }, /ERR_TLS_CERT_ALTNAME_INVALID/);
    await expectTlsFailure(`wss://127.0.0.1:${peer.port}/tls`, { ca: tlsFixture('ca.pem') }, /ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  test('accepted when the servername matches the certificate', () =>
    echoOnce(`wss://127.0.0.1:${peer.port}/tls`, { ca: tlsFixture('ca.pem'), servername: 'not-localhost.example' }));
});

describe('wss:// against a plain TCP server', () => {
  test('a non-TLS peer fails with WS_ERR_TLS', async () => {
    const plain = await startWsPeer();
    try {
      await expectTlsFailure(`wss://127.0.0.1:${plain.port}/`, {}, /./);
    } finally {
      await plain.close();
    }
  });
});

describe('wss:// against a server that never answers the TLS handshake', () => {
  test('WS_ERR_HANDSHAKE_TIMEOUT after handshakeTimeoutMs, the socket is dropped', async () => {
    const sockets: net.Socket[] = [];
    const closed: Promise<void>[] = [];
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.resume(); // read (and drop) the ClientHello, so the client's FIN is seen
      closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      await assert.rejects(connect(`wss://localhost:${port}/`, new ClientRecorder().options({ handshakeTimeoutMs: 150 })), (error: ErrorWithCodes) => {
        assert.equal(error.code, 'WS_ERR_HANDSHAKE_TIMEOUT');
        assert.equal(error.closeCode, 1006);
        return true;
      });
      assert.equal(sockets.length, 1);
      await withTimeout(closed[0]!, 2000, 'the client to drop the connection');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
