// Allocation tests over a real socket: the simulator in a child process (its allocations stay
// out of this process's GC counts) and a GC window opened on the message that ends the warm-up
// and closed at least `measured` messages later (and once any gate of the test holds), from inside the receiving callback.
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

/** Extra conditions for a path that carries few of the messages (book diffs among top-of-book and trades). */
export interface SteadyStateGates {
  /**
   * The window opens at the first message after the warm-up for which this holds. Without it the
   * window can open while V8 still runs the rare path unoptimized, and unoptimized code boxes every
   * double it touches: garbage that says nothing about the steady state.
   */
  warmedUp?: () => boolean;
  /** The window closes at the first message after `measured` ones for which this holds (the rare path was measured). */
  measuredEnough?: () => boolean;
}

/** Where a SteadyStateWindow is: before its window, inside it, after it. */
const WARMING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Call count() once per message; `finished` resolves when the window has closed. */
export class SteadyStateWindow {
  /** Messages counted so far. */
  messages = 0;
  readonly finished: Promise<void>;
  private readonly window = new GcWindow();
  private readonly warmup: number;
  private readonly measured: number;
  private readonly warmedUp: () => boolean;
  private readonly measuredEnough: () => boolean;
  private state = WARMING;
  /** The message that opened the window, and the one that closed it. */
  private openedAt = 0;
  private closedAt = 0;
  private heapAtWarmup = 0;
  private heapAtEnd = 0;
  private done!: () => void;

  constructor(warmup: number, measured: number, gates: SteadyStateGates = {}) {
    this.warmup = warmup;
    this.measured = measured;
    this.warmedUp = gates.warmedUp ?? (() => true);
    this.measuredEnough = gates.measuredEnough ?? (() => true);
    this.finished = new Promise<void>((resolve) => (this.done = resolve));
  }

  /** True from the message that opened the window to the one before the one that closed it. */
  get isOpen(): boolean {
    return this.state === OPEN;
  }

  count(): void {
    const messages = ++this.messages;
    if (this.state === WARMING) {
      if (messages < this.warmup || !this.warmedUp()) return;
      this.state = OPEN;
      this.openedAt = messages;
      // Collect the warm-up's garbage (connection setup, compilation) now: left alone, V8 14
      // finishes it with a mark-sweep that can land inside the window, which says nothing about
      // the per-message path measured.
      (globalThis as { gc?: () => void }).gc?.();
      this.heapAtWarmup = process.memoryUsage().heapUsed;
      this.window.begin();
    } else if (this.state === OPEN && messages - this.openedAt >= this.measured && this.measuredEnough()) {
      this.state = CLOSED;
      this.closedAt = messages;
      this.window.end();
      this.heapAtEnd = process.memoryUsage().heapUsed;
      this.done();
    }
  }

  /** Messages the window held (at least `measured`); 0 until it closed. */
  get measuredMessages(): number {
    return this.closedAt - this.openedAt;
  }

  /** After `finished`: the collections that started in the window and the heap's growth over it. */
  async collect(): Promise<RoundsMeasure> {
    return { ...(await this.window.collect()), growth: this.heapAtEnd - this.heapAtWarmup };
  }
}
