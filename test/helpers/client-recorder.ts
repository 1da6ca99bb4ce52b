// Records what a tickwire Client reports (messages, pings, pongs, errors, closes) and lets a test
// wait for it. Every view handed to a callback is copied, since it is valid only during the call.
import type { ClientOptions } from '../../src/client/options.js';

export interface ClientEvents {
  messages: Array<{ data: Buffer; isText: boolean }>;
  pings: Buffer[];
  pongs: Buffer[];
  errors: Error[];
  closes: Array<{ code: number; reason: string }>;
}

export class ClientRecorder {
  readonly events: ClientEvents = { messages: [], pings: [], pongs: [], errors: [], closes: [] };
  /** Resolves with the first onClose. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private resolveClosed!: (value: { code: number; reason: string }) => void;
  private waiters: Array<() => void> = [];

  constructor() {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Client options wired to this recorder, merged with `extra`. */
  options(extra: Partial<ClientOptions> = {}): ClientOptions {
    return {
      onMessage: (data, start, end, isText) => {
        this.events.messages.push({ data: Buffer.from(data.subarray(start, end)), isText });
        this.notify();
      },
      onPing: (data, start, end) => {
        this.events.pings.push(Buffer.from(data.subarray(start, end)));
        this.notify();
      },
      onPong: (data, start, end) => {
        this.events.pongs.push(Buffer.from(data.subarray(start, end)));
        this.notify();
      },
      onError: (error) => {
        this.events.errors.push(error);
        this.notify();
      },
      onClose: (code, reason) => {
        this.events.closes.push({ code, reason });
        this.resolveClosed({ code, reason });
        this.notify();
      },
      ...extra,
    };
  }

  async waitFor(condition: (events: ClientEvents) => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.events)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.summary())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForMessages(count: number): Promise<void> {
    return this.waitFor((events) => events.messages.length >= count, `${count} message(s)`);
  }

  /** Waits for onClose, then a little longer, so a second onClose would be seen. */
  async settledClose(): Promise<{ code: number; reason: string }> {
    const result = await withTimeout(this.closed, 5000, 'onClose');
    await new Promise((resolve) => setTimeout(resolve, 20));
    return result;
  }

  summary(): object {
    return {
      messages: this.events.messages.length,
      pings: this.events.pings.length,
      pongs: this.events.pongs.length,
      errors: this.events.errors.map((error) => `${(error as { code?: string }).code ?? ''} ${error.message}`),
      closes: this.events.closes,
    };
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}
