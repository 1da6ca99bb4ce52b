// The fault scenarios every venue's fault test runs over real sockets against the simulator:
// one FaultScenarios per test file, given the venue (simulator dialect, profile, stream names,
// the test's own id reader), runs each case the same way and with the same bounds, and records
// its row in the file's FaultReport (every id delivered once or reported missing). A venue's file
// lists the cases it has and adds its own checks on the harness and row a case returns.
import assert from 'node:assert/strict';
import { after, afterEach } from 'node:test';
import { startExchange, type Exchange, type ExchangeOptions } from '../../simulator/exchange.js';
import { BOOK_IN_SYNC, ManagedStream, type DepthDiff, type LocalOrderBook, type ManagedStreamOptions, type StreamEvent, type VenueProfile } from '../../src/index.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { FaultReport, closedReasons, type FaultRow, type LedgerCheck } from './fault-report.js';
import { Ledger, waitFor, type PayloadIdReader } from './ledger.js';

export const FAULT_SYMBOLS = ['btcusdt', 'ethusdt'];

export interface FaultVenue {
  /** First column's title in the printed table. */
  title: string;
  /** The simulator's dialect (ExchangeOptions.venue; undefined: Binance Spot). */
  simulator?: ExchangeOptions['venue'];
  /** The stream's profile (undefined: the default, Binance Spot). */
  profile?: VenueProfile;
  names: readonly string[];
  /** The test's own reading of a payload's ids. */
  ids: PayloadIdReader;
  /**
   * The stream whose last id reaches the simulator book's lastUpdateId once the exchange pauses;
   * null when none is subscribed (finish then waits a fixed 300 ms for the last trades).
   */
  bookStream: ((symbol: string) => string) | null;
  /** How a case's ledger is checked (default: Ledger.verifyContiguous()). */
  check?: LedgerCheck;
}

export interface FaultHarness {
  exchange: Exchange;
  stream: ManagedStream;
  ledger: Ledger;
  proxy: FaultProxy | null;
  bookStream: ((symbol: string) => string) | null;
  /** Messages sent by exchanges that served this case before `exchange` (restarts). */
  sentBefore: number;
}

export interface HarnessOptions {
  exchange?: ExchangeOptions;
  /** Overrides of the stream's options (`venue` replaces the venue's profile). */
  stream?: Partial<ManagedStreamOptions>;
  /** Connect through a FaultProxy. */
  proxy?: boolean;
  /** Default: the venue's names, with its bookStream. */
  names?: readonly string[];
  bookStream?: ((symbol: string) => string) | null;
  /** Wait until live with events on every stream (default true). */
  live?: boolean;
}

/** Decodes a book stream's payloads into a DepthDiff (BinanceDepthDecoder, a MarketVenue's book decoder). */
export interface DiffDecoder {
  decode(data: Uint8Array, start: number, end: number): boolean;
  readonly diff: DepthDiff;
}

export interface BookSetup {
  book: LocalOrderBook;
  depth: DiffDecoder;
  /** The stream carrying btcusdt's diffs. */
  name: string;
  /**
   * The book's gap lies inside the stream's, ending at the same id (true where both count the
   * same ids; not on USD-M, whose book checks U against its last u while the stream reads [pu + 1, u]).
   */
  gapInsideStreams: boolean;
}

export class FaultScenarios {
  readonly report: FaultReport;
  private readonly venue: FaultVenue;
  /** Harnesses of the running test, closed after it whether it passed or not. */
  private readonly open: FaultHarness[] = [];

  /** Call at the top level of a test file: registers the file's after() and afterEach() hooks. */
  constructor(venue: FaultVenue) {
    this.venue = venue;
    this.report = new FaultReport(venue.title);
    after(() => this.report.print());
    afterEach(async () => {
      for (const h of this.open.splice(0)) {
        await h.stream.stop();
        await h.proxy?.close();
        await h.exchange.close();
      }
    });
  }

  async harness(options: HarnessOptions = {}): Promise<FaultHarness> {
    const exchange = await startExchange({ venue: this.venue.simulator, symbols: FAULT_SYMBOLS, rate: 100, ...options.exchange });
    const proxy = options.proxy === true ? await FaultProxy.start(exchange.port) : null;
    const ledger = new Ledger(this.venue.ids);
    const stream = new ManagedStream({
      venue: this.venue.profile,
      url: proxy?.url ?? exchange.url,
      onMessage: ledger.onMessage,
      onEvent: ledger.onEvent,
      initialDelayMs: 20,
      maxDelayMs: 200,
      ...options.stream,
    });
    ledger.stream = stream;
    const bookStream = options.bookStream !== undefined ? options.bookStream : this.venue.bookStream;
    const h: FaultHarness = { exchange, stream, ledger, proxy, bookStream, sentBefore: 0 };
    this.open.push(h);
    const names = options.names ?? this.venue.names;
    stream.subscribe([...names]);
    stream.start();
    if (options.live !== false) {
      await waitFor('live', () => ledger.count('live') >= 1);
      await waitFor('events on every stream', () => ledger.streams.size === names.length);
    }
    return h;
  }

  /** Pauses the exchange (flushing its book updates), waits for the user to have everything, checks and records. */
  async finish(h: FaultHarness, name: string, note: string): Promise<FaultRow> {
    const before = h.ledger.delivered;
    await waitFor('events after the fault', () => h.ledger.delivered > before + 20);
    h.exchange.pause();
    if (h.bookStream !== null) {
      for (const symbol of FAULT_SYMBOLS) {
        const finalId = h.exchange.book(symbol).lastUpdateId;
        const bookStream = h.bookStream(symbol);
        await waitFor(`${bookStream} catches up to ${finalId}`, () => h.ledger.lastId(bookStream) === finalId);
      }
    } else {
      // The engine stopped: no trade comes after the last one delivered (messagesSent also counts
      // what went to the dropped connection, so it cannot serve as the target).
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return this.report.record(name, h.sentBefore + h.exchange.stats().messagesSent, h.stream, h.ledger, note, this.venue.check);
  }

  /** Waits until more than `count` events have been delivered. */
  async afterSome(h: FaultHarness, count = 50): Promise<void> {
    await waitFor('some events', () => h.ledger.delivered > count);
  }

  /** `name` flows again (more than 5 events after now) and the connection stayed up. */
  async flowsAgain(h: FaultHarness, name: string): Promise<void> {
    const index = h.stream.streamIndex(name);
    const before = h.ledger.streams.get(index)!.entries.length;
    await waitFor(`${name} flows again`, () => h.ledger.streams.get(index)!.entries.length > before + 5);
    assert.equal(h.ledger.count('closed'), 0, 'the connection stayed up');
  }

  /** The proxy refuses the reconnect with 429, then 418, each with Retry-After 1 s: 3 attempts, none early. */
  async refusedByProxy(h: FaultHarness): Promise<void> {
    h.proxy!.refusals.push({ status: 429, retryAfter: '1' }, { status: 418, retryAfter: '1' });
    const attemptsBefore = h.proxy!.attempts;
    h.proxy!.cutMidFrame();
    await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
    assert.equal(h.proxy!.attempts - attemptsBefore, 3);
    const times = h.proxy!.attemptTimes.slice(-3);
    assert.ok(times[1]! - times[0]! >= 999 && times[2]! - times[1]! >= 999, `attempt spacing ${times}`);
  }

  /** The simulator's connection limit answers the reconnect 429 + Retry-After, and never 418 (no attempt came early). */
  async limitedBySimulator(h: FaultHarness, live: number): Promise<ReturnType<Exchange['stats']>> {
    h.exchange.injectFault({ type: 'rateLimit', retryAfterMs: 1000 });
    h.exchange.injectFault({ type: 'drop' });
    await waitFor(`live ${live} times`, () => h.ledger.count('live') === live, 20_000);
    const stats = h.exchange.stats();
    assert.ok(stats.rejected429 >= 1);
    assert.equal(stats.rejected418, 0, 'an attempt before Retry-After would have been answered 418');
    return stats;
  }

  // The cases. Each returns what a venue's file may check further.

  async dropMidFrame(): Promise<void> {
    const h = await this.harness({ proxy: true });
    await this.afterSome(h);
    assert.equal(h.proxy!.cutMidFrame(), 1);
    await waitFor('live again', () => h.ledger.count('live') === 2);
    assert.deepEqual(closedReasons(h.ledger), ['dropped:1006']);
    assert.ok(h.proxy!.bytesCut > 0);
    const row = await this.finish(h, 'TCP drop mid-frame', `${h.proxy!.bytesCut} bytes cut`);
    assert.ok(row.gaps >= 1, 'the ids lost with the connection are reported');
  }

  async halfOpenSilence(): Promise<void> {
    const pingAfterMs = 300;
    const pongTimeoutMs = 500;
    const h = await this.harness({ stream: { pingAfterMs, pongTimeoutMs } });
    const at = performance.now();
    h.exchange.injectFault({ type: 'silent' });
    await waitFor('the silent connection ends', () => h.ledger.count('closed') === 1);
    const detectedMs = performance.now() - at;
    assert.deepEqual(closedReasons(h.ledger), ['pong-timeout:1006']);
    // Lower bound only (it cannot come before the ping's deadline); the figure goes in the table.
    assert.ok(detectedMs >= pingAfterMs + pongTimeoutMs - 50, `detected after ${detectedMs} ms`);
    await waitFor('live again', () => h.ledger.count('live') === 2);
    await this.finish(h, 'half-open silence', `detected in ${Math.round(detectedMs)} ms (ping after ${pingAfterMs} + pong deadline ${pongTimeoutMs})`);
  }

  async close1001(): Promise<void> {
    const h = await this.harness();
    await this.afterSome(h);
    h.exchange.injectFault({ type: 'close', code: 1001, reason: 'going away' });
    await waitFor('live again', () => h.ledger.count('live') === 2);
    assert.deepEqual(closedReasons(h.ledger), ['closed-by-venue:1001']);
    await this.finish(h, 'close 1001', 'reconnected');
  }

  /** The venue's shutdown notice: make-before-break, no loss and no duplicate across the overlap. */
  async serverShutdown(name: string, note: string): Promise<{ h: FaultHarness; row: FaultRow }> {
    const h = await this.harness({ exchange: { rate: 200 } });
    await this.afterSome(h);
    h.exchange.injectFault({ type: 'serverShutdown' });
    await waitFor('handover', () => h.ledger.count('handover') === 1);
    await waitFor('the old connection closed', () => h.ledger.count('closed') === 1);
    assert.deepEqual(closedReasons(h.ledger), ['replaced:1000']);
    const row = await this.finish(h, name, note);
    assert.equal(row.gaps, 0, 'nothing missing across the overlap');
    assert.ok(row.duplicatesDropped > 0, 'the overlap really carried events twice');
    return { h, row };
  }

  /** The exchange restarts on the same port with the market going on: reconnect after the downtime. */
  async restartWithDowntime(): Promise<{ h: FaultHarness; row: FaultRow }> {
    const h = await this.harness();
    await this.afterSome(h);
    await h.exchange.restart({ downtimeMs: 500 });
    await waitFor('live again', () => h.ledger.count('live') === 2, 20_000);
    const row = await this.finish(h, 'restart, 500 ms down', `${h.ledger.count('connect-failed')} refused attempts during the downtime`);
    assert.ok(row.gaps >= 1);
    return { h, row };
  }

  async refusedByProxyCase(): Promise<void> {
    const h = await this.harness({ proxy: true });
    await this.refusedByProxy(h);
    await this.finish(h, '429 + 418 Retry-After', `3 attempts, ${h.stream.stats.rateLimited} refused`);
  }

  async limitedBySimulatorCase(): Promise<{ h: FaultHarness; stats: ReturnType<Exchange['stats']> }> {
    const h = await this.harness();
    const attemptsBefore = h.exchange.stats().connectionAttempts;
    const stats = await this.limitedBySimulator(h, 2);
    await this.finish(h, '429 Retry-After (simulator)', `${stats.connectionAttempts - attemptsBefore} attempts, ${stats.rejected429} x 429, 0 x 418`);
    return { h, stats };
  }

  /** The simulator leaves out 2 of btcusdt's book updates: reported as exactly that range, on the connection. */
  async injectedGap(name: string): Promise<void> {
    const h = await this.harness();
    await this.afterSome(h);
    h.exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 2 });
    await waitFor('gap', () => h.ledger.count('gap') === 1);
    const gap = h.ledger.events.find((event) => event.type === 'gap');
    assert.ok(gap?.type === 'gap' && gap.name === h.bookStream!('btcusdt') && gap.reconnect === false && gap.to >= gap.from);
    const row = await this.finish(h, name, `gap [${gap.from}, ${gap.to}]`);
    assert.equal(row.gaps, 1);
  }

  /** The simulator silences `name`: stream-silent, resubscribed on the same connection, flowing again. */
  async silencedBySimulator(name: string): Promise<FaultRow> {
    const h = await this.harness({ stream: { streamSilenceMs: 600 } });
    assert.equal(h.exchange.injectFault({ type: 'silenceStream', stream: name }), 1);
    await waitFor('stream-silent', () => h.ledger.count('stream-silent') >= 1);
    h.exchange.injectFault({ type: 'resumeStream', stream: name });
    await this.flowsAgain(h, name);
    return this.finish(h, 'one stream silent (simulator)', `${h.ledger.count('stream-silent')} stream-silent reports`);
  }

  /**
   * A local book on btcusdt's diffs; the simulator leaves out 3 of them: the stream reports the
   * range, the book the same gap, loads a new snapshot and ends equal to the exchange's book.
   */
  async bookResync(setup: (exchange: Exchange, onGap: (from: number, to: number) => void) => BookSetup): Promise<void> {
    const exchange = await startExchange({ venue: this.venue.simulator, symbols: ['btcusdt'], rate: 200 });
    const bookGaps: Array<[number, number]> = [];
    const { book, depth, name, gapInsideStreams } = setup(exchange, (from, to) => bookGaps.push([from, to]));
    const ledger = new Ledger(this.venue.ids);
    const stream = new ManagedStream({
      venue: this.venue.profile,
      url: exchange.url,
      onMessage(index, data, start, end) {
        ledger.onMessage(index, data, start, end);
        if (depth.decode(data, start, end)) book.onDiff(depth.diff);
      },
      onEvent: ledger.onEvent,
    });
    ledger.stream = stream;
    try {
      stream.subscribe([name]);
      stream.start();
      await waitFor('the book in sync', () => book.state === BOOK_IN_SYNC);
      const snapshotsBefore = book.snapshotsLoaded;
      exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: 3 });
      await waitFor('the gap reported', () => ledger.count('gap') === 1);
      const gap = ledger.events.find((event): event is Extract<StreamEvent, { type: 'gap' }> => event.type === 'gap')!;
      assert.ok(gap.name === name && !gap.reconnect);
      await waitFor('the book saw the same gap', () => bookGaps.length === 1);
      if (gapInsideStreams) {
        // The book counts from its own position, which a snapshot newer than the last event may have moved past the stream's.
        const [bookFrom, bookTo] = bookGaps[0]!;
        assert.ok(bookFrom >= gap.from && bookFrom <= gap.to && bookTo === gap.to, `book gap [${bookFrom}, ${bookTo}] inside the stream's [${gap.from}, ${gap.to}]`);
      }
      exchange.pause();
      const truth = exchange.book('btcusdt');
      await waitFor('the book resynced to the exchange', () => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId);
      assert.ok(book.snapshotsLoaded > snapshotsBefore, 'a new snapshot was loaded');
      assert.deepEqual(book.book.toLevels(), truth);
      // The resync snapshot can reach the final id before the last diff does: wait for that diff too.
      await waitFor('every message sent received', () => stream.stats.received === exchange.stats().messagesSent);
      this.report.record('injected gap + book resync', exchange.stats().messagesSent, stream, ledger, `gap [${gap.from}, ${gap.to}]; book resynced, equal to the exchange's`, this.venue.check);
    } finally {
      await stream.stop();
      book.close();
      await exchange.close();
    }
  }
}
