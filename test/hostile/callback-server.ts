// A server whose callbacks a test makes throw, a ws client that reports how its connection ended,
// and a record of uncaughtException events (none may occur).
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { createServer, type ServerOptions } from '../../src/server/server.js';
import type { ServerConnection } from '../../src/server/connection.js';

/** uncaughtException events seen while a suite that called watchUncaught() ran. */
export const uncaught: unknown[] = [];
const recordUncaught = (error: unknown): void => {
  uncaught.push(error);
};

/** Records uncaughtException events for the current suite (registered with before/after). */
export function watchUncaught(): void {
  before(() => process.on('uncaughtException', recordUncaught));
  after(() => process.off('uncaughtException', recordUncaught));
}

export interface Observed {
  serverErrors: Error[];
  connectionErrors: Error[];
  closes: number[];
}

/** Runs `run` against a server with `options`; its onError and connection callbacks are recorded. */
export async function withServer(options: Partial<ServerOptions>, run: (url: string, observed: Observed) => Promise<void>): Promise<void> {
  const observed: Observed = { serverErrors: [], connectionErrors: [], closes: [] };
  const server = createServer({
    closeTimeoutMs: 500,
    onError: (error) => observed.serverErrors.push(error),
    onConnection(connection: ServerConnection) {
      connection.onError = (error) => observed.connectionErrors.push(error);
      connection.onClose = (code) => observed.closes.push(code);
    },
    ...options,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    await run(`ws://127.0.0.1:${port}/`, observed);
  } finally {
    await server.close();
  }
}

/** Opens a ws client and resolves with its close code, or with the HTTP status of a refused upgrade. */
export function clientOutcome(url: string, protocols: string[] = [], send?: string): Promise<{ closeCode?: number; status?: number }> {
  return new Promise((resolve) => {
    const client = new WebSocket(url, protocols);
    client.on('open', () => {
      if (send !== undefined) client.send(send);
    });
    client.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      client.terminate();
    });
    client.on('error', () => {});
    client.on('close', (code) => resolve({ closeCode: code }));
  });
}
