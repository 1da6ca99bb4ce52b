// Server-role callbacks are contained like the client's (issue 8, item 2): an exception thrown by
// onConnection, onMessage, onPing, onPong or onDrain goes to onError and the connection is closed
// with 1011; one thrown by verifyUpgrade or selectProtocol is answered with HTTP 500. Never an
// uncaughtException. A ws client is the independent peer, over loopback.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { ServerConnection } from '../../src/server/connection.js';
import { createServer, type ServerOptions } from '../../src/server/server.js';

const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
};

async function withServer(options: Omit<ServerOptions, 'onConnection'> & { onConnection?: ServerOptions['onConnection'] }, body: (url: string) => Promise<void>): Promise<void> {
  const server = createServer({ onConnection() {}, ...options });
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    await body(`ws://127.0.0.1:${port}/`);
  } finally {
    await server.close();
  }
}

async function closeCodeSeenByClient(ws: WebSocket): Promise<number> {
  const [code] = (await once(ws, 'close')) as [number];
  return code;
}

describe('server: user callbacks that throw', { timeout: 30_000 }, () => {
  before(() => process.on('uncaughtException', onUncaught));
  after(() => {
    process.off('uncaughtException', onUncaught);
    assert.deepEqual(uncaught, [], 'no exception escaped');
  });

  for (const callback of ['onMessage', 'onPing', 'onPong'] as const) {
    it(`${callback} throws: onError gets the error as thrown, the client sees 1011, onClose(1011) once`, async () => {
      const errors: Error[] = [];
      const closes: number[] = [];
      const thrown = new Error(`${callback} failed`);
      await withServer(
        {
          onConnection(connection: ServerConnection) {
            connection.onError = (error) => errors.push(error);
            connection.onClose = (code) => closes.push(code);
            connection[callback] = () => {
              throw thrown;
            };
          },
        },
        async (url) => {
          const ws = new WebSocket(url);
          await once(ws, 'open');
          const closed = closeCodeSeenByClient(ws);
          if (callback === 'onMessage') ws.send('hello');
          else if (callback === 'onPing') ws.ping('x');
          else ws.pong('x');
          assert.equal(await closed, 1011);
          await until(() => closes.length > 0);
          assert.deepEqual(closes, [1011]);
          assert.deepEqual(errors, [thrown]);
        },
      );
    });
  }

  it('onConnection throws: server onError and the connection onError get it; the client sees 1011', async () => {
    const serverErrors: Error[] = [];
    const connectionErrors: Error[] = [];
    const thrown = new Error('onConnection failed');
    await withServer(
      {
        onError: (error) => serverErrors.push(error),
        onConnection(connection) {
          connection.onError = (error) => connectionErrors.push(error);
          throw thrown;
        },
      },
      async (url) => {
        const ws = new WebSocket(url);
        assert.equal(await closeCodeSeenByClient(ws), 1011);
        assert.deepEqual(serverErrors, [thrown]);
        assert.deepEqual(connectionErrors, [thrown]);
      },
    );
  });

  it('selectProtocol throws: HTTP 500, server onError gets it', async () => {
    const serverErrors: Error[] = [];
    const thrown = new Error('selectProtocol failed');
    await withServer(
      {
        onError: (error) => serverErrors.push(error),
        selectProtocol() {
          throw thrown;
        },
      },
      async (url) => {
        const ws = new WebSocket(url, ['a', 'b']);
        ws.on('error', () => {});
        const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
        assert.equal(response.statusCode, 500);
        ws.terminate();
        assert.deepEqual(serverErrors, [thrown]);
      },
    );
  });

  it('an onError that throws and an onClose that throws do not escape', async () => {
    let closes = 0;
    await withServer(
      {
        onConnection(connection) {
          connection.onError = () => {
            throw new Error('onError failed');
          };
          connection.onMessage = () => {
            throw new Error('onMessage failed');
          };
          connection.onClose = () => {
            closes++;
            throw new Error('onClose failed');
          };
        },
      },
      async (url) => {
        const ws = new WebSocket(url);
        await once(ws, 'open');
        const closed = closeCodeSeenByClient(ws);
        ws.send('boom');
        assert.equal(await closed, 1011);
        await until(() => closes > 0);
        assert.equal(closes, 1);
      },
    );
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 200 && !condition(); round++) await new Promise((resolve) => setTimeout(resolve, 25));
}
