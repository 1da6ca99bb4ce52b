// When the market engine steps: either paced at a fixed rate, or as fast as the clients read.

/**
 * Updates per engine batch in "as fast as possible" mode: one socket write per batch per client.
 * bench/simulator-rate.ts on the shared 2-core VM (load ~10): 512, 2048 and 8192 all gave
 * 0.6-1.3 M msg/s, inside the noise; 2048 (~270 KB per write, ~2 ms per burst) amortizes
 * setImmediate and the syscall without long bursts.
 */
export const MAX_RATE_BATCH = 2048;
/** Paced mode never catches up more than this much missed time in one tick (after a stall). */
const MAX_CATCH_UP_MS = 100;
/** Paced mode wakes up at least this often, so a rate change or stop takes effect quickly. */
const MAX_PACED_SLEEP_MS = 50;

// Pacer states.
const PACER_STOPPED = 0;
const PACER_PACED = 1;
const PACER_MAX_RATE = 2;
/** Max-rate mode, waiting for a backlogged client to drain. */
const PACER_WAITING_FOR_DRAIN = 3;

export interface PacerTarget {
  /** Makes `count` updates per symbol (and applies the slow-consumer bound after them). */
  step(count: number): void;
  /** Max-rate mode: true when the engine should wait for a drain (see Fanout.allBacklogged). */
  backlogged(): boolean;
  /** Max-rate mode: false when nobody listens (do not spin a core for nothing). */
  hasListeners(): boolean;
}

/**
 * Drives the engine. `rate` is updates per second per symbol; 0 or Infinity means as fast as
 * possible, in batches of MAX_RATE_BATCH, pausing while every client's send queue is full.
 */
export class Pacer {
  private readonly target: PacerTarget;
  private state = PACER_STOPPED;
  private rate: number;
  private timer: NodeJS.Timeout | null = null;
  private immediateScheduled = false;
  private pacedStart = 0;
  private pacedDone = 0;
  private readonly pacedTickBound = (): void => this.pacedTick();
  private readonly burstBound = (): void => this.burst();

  constructor(target: PacerTarget, rate: number) {
    this.target = target;
    this.rate = rate;
  }

  get running(): boolean {
    return this.state !== PACER_STOPPED;
  }

  start(): void {
    if (this.state !== PACER_STOPPED) return;
    if (this.rate === 0 || this.rate === Infinity) {
      this.state = PACER_MAX_RATE;
      this.scheduleBurst();
    } else {
      this.state = PACER_PACED;
      this.pacedStart = performance.now();
      this.pacedDone = 0;
      this.timer = setTimeout(this.pacedTickBound, 1);
    }
  }

  stop(): void {
    this.state = PACER_STOPPED;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  setRate(rate: number): void {
    const wasRunning = this.running;
    this.stop();
    this.rate = rate;
    if (wasRunning) this.start();
  }

  /** A client drained or went away, or a new one came: max-rate mode may go on. */
  wake(): void {
    if (this.state === PACER_WAITING_FOR_DRAIN) {
      if (this.target.backlogged()) return;
      this.state = PACER_MAX_RATE;
    }
    if (this.state === PACER_MAX_RATE) this.scheduleBurst();
  }

  private pacedTick(): void {
    this.timer = null;
    if (this.state !== PACER_PACED) return;
    const rate = this.rate;
    let due = Math.floor(((performance.now() - this.pacedStart) * rate) / 1000) - this.pacedDone;
    const cap = Math.max(1, Math.ceil((rate * MAX_CATCH_UP_MS) / 1000));
    if (due > cap) {
      // After a stall, skip the backlog instead of bursting it out.
      this.pacedDone += due - cap;
      due = cap;
    }
    if (due > 0) {
      this.target.step(due);
      this.pacedDone += due;
    }
    const nextAt = this.pacedStart + ((this.pacedDone + 1) * 1000) / rate;
    this.timer = setTimeout(this.pacedTickBound, Math.min(MAX_PACED_SLEEP_MS, Math.max(1, nextAt - performance.now())));
  }

  private scheduleBurst(): void {
    if (this.immediateScheduled) return;
    this.immediateScheduled = true;
    setImmediate(this.burstBound);
  }

  private burst(): void {
    this.immediateScheduled = false;
    if (this.state !== PACER_MAX_RATE || !this.target.hasListeners()) return;
    this.target.step(MAX_RATE_BATCH);
    if (this.target.backlogged()) this.state = PACER_WAITING_FOR_DRAIN;
    else this.scheduleBurst();
  }
}
