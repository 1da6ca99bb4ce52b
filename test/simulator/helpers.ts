import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startExchange, type Exchange, type ExchangeOptions } from '../../simulator/exchange.js';

/** Longest wait for an expected message; generous for a loaded 2-core machine. */
export const WAIT_TIMEOUT_MS = 8000;

/** A ws client that records every text message (parsed) and its close. */
export class Recorder {
  readonly socket: WebSocket;
  readonly raw: string[] = [];
  readonly messages: unknown[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<[number, string]>;
  private waiters: Array<{ test: (message: any) => boolean; resolve: (message: any) => void }> = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])));
    this.socket.on('error', () => {});
    this.socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const message = JSON.parse(text) as unknown;
      this.raw.push(text);
      this.messages.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
  }

  /**
   * Resolves with the first message (already received or future) that passes `test`; rejects
   * after timeoutMs so a missing message fails the test instead of hanging the run.
   */
  waitFor<T = any>(test: (message: any) => boolean, fromIndex = 0, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
    for (let index = fromIndex; index < this.messages.length; index++) {
      if (test(this.messages[index])) return Promise.resolve(this.messages[index] as T);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (message: any) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms (${this.messages.length} received): ${test.toString()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends a control request and waits for the response with the same id (or any error without id). */
  async request(body: unknown, id: unknown = (body as { id?: unknown }).id): Promise<any> {
    const from = this.messages.length;
    this.socket.send(typeof body === 'string' ? body : JSON.stringify(body));
    return this.waitFor((message) => typeof message === 'object' && message !== null && ('result' in message || 'error' in message) && (message.id === id || !('id' in message)), from);
  }

  close(): Promise<[number, string]> {
    this.socket.close();
    return this.closed;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `body` against a fresh exchange and closes it whatever happens. */
export async function withExchange(options: ExchangeOptions, body: (exchange: Exchange) => Promise<void>): Promise<void> {
  const exchange = await startExchange(options);
  try {
    await body(exchange);
  } finally {
    await exchange.close();
  }
}

const DECIMAL = /^\d+\.\d{8}$/;

/**
 * Same keys in the same order and the same JSON types as a documented example, recursively
 * into arrays; strings the docs show as numbers must be 8-decimal strings, except under the
 * keys in `notDecimal` (e.g. an interval "1m" or a 3-decimal percent).
 */
export function assertSameShape(actual: unknown, example: unknown, path = '$', notDecimal: ReadonlySet<string> = new Set()): void {
  if (Array.isArray(example)) {
    assert.ok(Array.isArray(actual), `${path} should be an array`);
    for (const [index, item] of (actual as unknown[]).entries()) assertSameShape(item, example[0], `${path}[${index}]`, notDecimal);
    return;
  }
  if (typeof example === 'object' && example !== null) {
    assert.equal(typeof actual, 'object', `${path} should be an object`);
    assert.deepEqual(Object.keys(actual as object), Object.keys(example), `${path} keys`);
    for (const key of Object.keys(example)) {
      assertSameShape((actual as Record<string, unknown>)[key], (example as Record<string, unknown>)[key], `${path}.${key}`, notDecimal);
    }
    return;
  }
  assert.equal(typeof actual, typeof example, `${path} type`);
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (typeof example === 'string' && /^\d/.test(example) && !notDecimal.has(key)) assert.match(actual as string, DECIMAL, `${path} is a decimal with 8 places`);
}
