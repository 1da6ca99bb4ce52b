// The soak's consumer until the managed stream (src/stream) is on main: tickwire's client with the
// reconnect loop a careful user writes around it: exponential backoff with jitter, a silence
// watchdog (no message for `silenceMs`: the connection is presumed half-open and dropped), and a
// consecutive-id check per stream that reports every gap it sees. It does not de-duplicate and
// knows nothing of serverShutdown: that is the managed stream's job.
import { connect, type Client, type MessageCallback } from 'tickwire';

export interface FeedEvents {
  onMessage: MessageCallback;
  /** The connection went away: 'close <code>', 'silence', 'connect failed: ...'. */
  onDown(reason: string): void;
  /** A new connection is open. */
  onUp(): void;
}

export interface ReconnectOptions {
  silenceMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const WATCHDOG_TICK_MS = 100;

export class ReconnectingClient {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private messages = 0;
  private checkedMessages = 0;
  private quietSince = performance.now();
  private silenceDetected = false;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly events: FeedEvents,
    private readonly options: ReconnectOptions,
  ) {
    this.watchdog = setInterval(() => this.checkSilence(), WATCHDOG_TICK_MS);
  }

  start(): void {
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.client?.terminate();
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const onMessage = this.events.onMessage;
    try {
      this.client = await connect(this.url, {
        onMessage: (data, start, end, isText) => {
          this.messages++;
          onMessage(data, start, end, isText);
        },
        onClose: (code) => this.down(this.silenceDetected ? 'silence' : `close ${code}`),
        onError: () => undefined, // the close that follows says what happened
      });
    } catch (error) {
      this.down(`connect failed: ${(error as Error).message}`, false);
      return;
    }
    this.attempt = 0;
    this.silenceDetected = false;
    this.quietSince = performance.now();
    this.events.onUp();
  }

  private down(reason: string, wasUp = true): void {
    this.client = null;
    if (wasUp) this.events.onDown(reason);
    if (this.stopped) return;
    // Full jitter over an exponential backoff: many clients never retry in lockstep.
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** this.attempt++);
    setTimeout(() => void this.open(), ceiling * (0.5 + Math.random() / 2));
  }

  private checkSilence(): void {
    const now = performance.now();
    if (this.messages !== this.checkedMessages) {
      this.checkedMessages = this.messages;
      this.quietSince = now;
      return;
    }
    if (this.client !== null && !this.silenceDetected && now - this.quietSince > this.options.silenceMs) {
      this.silenceDetected = true;
      this.client.terminate();
    }
  }
}
