// Allocation tests over a real socket: the simulator in a child process (its allocations stay
// out of this process's GC counts) and a GC window opened on the message that ends the warm-up
// and closed `measured` messages later, from inside the receiving callback.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExchangeOptions } from '../../simulator/exchange.js';
import { GcWindow, type RoundsMeasure } from './gc-window.js';

/** Starts test/stream/exchange-process in a child process; stop it with child.disconnect(). */
export async function forkExchange(options: ExchangeOptions): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('../stream/exchange-process.js', import.meta.url)), [JSON.stringify(options)], { stdio: 'inherit' });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('error', reject);
  });
  return { child, port };
}

/** Call count() once per message; `finished` resolves when the window has closed. */
export class SteadyStateWindow {
  /** Messages counted so far. */
  messages = 0;
  readonly finished: Promise<void>;
  private readonly window = new GcWindow();
  private readonly warmup: number;
  private readonly end: number;
  private heapAtWarmup = 0;
  private heapAtEnd = 0;
  private done!: () => void;

  constructor(warmup: number, measured: number) {
    this.warmup = warmup;
    this.end = warmup + measured;
    this.finished = new Promise<void>((resolve) => (this.done = resolve));
  }

  count(): void {
    const messages = ++this.messages;
    if (messages === this.warmup) {
      // Collect the warm-up's garbage (connection setup, compilation) now: left alone, V8 14
      // finishes it with a mark-sweep that can land inside the window, which says nothing about
      // the per-message path measured.
      (globalThis as { gc?: () => void }).gc?.();
      this.heapAtWarmup = process.memoryUsage().heapUsed;
      this.window.begin();
    } else if (messages === this.end) {
      this.window.end();
      this.heapAtEnd = process.memoryUsage().heapUsed;
      this.done();
    }
  }

  /** After `finished`: the collections that started in the window and the heap's growth over it. */
  async collect(): Promise<RoundsMeasure> {
    return { ...(await this.window.collect()), growth: this.heapAtEnd - this.heapAtWarmup };
  }
}
