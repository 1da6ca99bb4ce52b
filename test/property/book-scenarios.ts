// Random scenarios for a local order book against the simulator over loopback (shared by the
// Binance Spot, USD-M and SBE property tests): tickwire's client on one depth stream, the venue's
// depth decoder (Binance JSON unless told otherwise) and the venue's order book with its default HTTP snapshot source, driven through random
// scenarios (fast-check) of traffic, injected sequence gaps (events dropped by the server) and
// reconnects (with and without reset()). At every check point the engine is paused (pending
// diffs are flushed first), and once the book is in sync at the venue's update id it must equal
// the simulator's own book() level for level; every injected gap must have been reported.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { connect } from '../../src/client/connect.js';
import type { Client } from '../../src/client/client.js';
import { BOOK_IN_SYNC, type BookListener, type DepthDiff, type LocalOrderBook } from '../../src/book/index.js';
import { BinanceDepthDecoder } from '../../src/venues/binance/index.js';
import { startExchange, type Exchange, type ExchangeOptions } from '../../simulator/exchange.js';

export interface BookScenarioOptions {
  /** Extra exchange options (the venue). */
  exchange: ExchangeOptions;
  /** The depth stream's path on the exchange, e.g. /ws/btcusdt@depth@100ms. */
  path: string;
  /** The venue's book of BTCUSDT over the exchange's REST URL. */
  createBook(restUrl: string, listener: BookListener): LocalOrderBook;
  /** Also require that the book reports no gap beyond the injected ones and the reconnects'. */
  noSpuriousGaps?: boolean;
  /** The stream's depth decoder (text or binary frames). Default: BinanceDepthDecoder (JSON). */
  createDecoder?: () => DepthFrameDecoder;
  /** Extra upgrade headers (Binance SBE wants X-MBX-APIKEY). */
  headers?: Record<string, string>;
}

/** What the feed needs of a depth decoder: one reused diff, filled by decode(). */
export interface DepthFrameDecoder {
  decode(data: Uint8Array, start: number, end: number): boolean;
  readonly diff: DepthDiff;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Action = { type: 'run'; ms: number } | { type: 'gap'; events: number } | { type: 'reconnect'; reset: boolean } | { type: 'check' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 50, max: 400 }).map((ms): Action => ({ type: 'run', ms })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((events): Action => ({ type: 'gap', events })) },
  { weight: 1, arbitrary: fc.boolean().map((reset): Action => ({ type: 'reconnect', reset })) },
  { weight: 2, arbitrary: fc.constant<Action>({ type: 'check' }) },
);

/** One depth stream into one book, over a connection that can be replaced. */
class Feed {
  client: Client | null = null;
  readonly decoder: DepthFrameDecoder;
  decodeFailures = 0;
  /** Depth events received on the current connection. */
  received = 0;
  constructor(
    private readonly exchange: Exchange,
    readonly book: LocalOrderBook,
    private readonly path: string,
    decoder: DepthFrameDecoder | undefined,
    private readonly headers: Record<string, string> | undefined,
  ) {
    this.decoder = decoder ?? new BinanceDepthDecoder();
  }

  async open(): Promise<void> {
    this.received = 0;
    this.client = await connect(`${this.exchange.url}${this.path}`, {
      onMessage: (data, start, end) => {
        this.received++;
        if (this.decoder.decode(data, start, end)) this.book.onDiff(this.decoder.diff);
        else this.decodeFailures++;
      },
      onError: () => {},
      ...(this.headers !== undefined && { headers: this.headers }),
    });
  }

  drop(): void {
    this.client?.terminate();
    this.client = null;
  }
}

async function checkEqual(exchange: Exchange, feed: Feed): Promise<void> {
  const book = feed.book;
  // A book learns where the stream is from its events: wait for one on this connection.
  await until(() => feed.received > 0, 'a depth event');
  exchange.pause(); // flushes pending diffs: the stream catches up with book()
  const truth = exchange.book('btcusdt');
  await until(() => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId, `book in sync at ${truth.lastUpdateId} (at ${book.updateId}, state ${book.state})`);
  assert.deepEqual(book.book.toLevels(), truth);
  exchange.resume();
}

/** Runs the scenarios (6 random and one fixed) for one venue. */
export async function runBookScenarios(options: BookScenarioOptions): Promise<void> {
  let scenarios = 0;
  const totals = { gaps: 0, reconnects: 0, checks: 0 };
  const fixed: Action[] = [
    { type: 'run', ms: 150 },
    { type: 'gap', events: 2 },
    { type: 'check' },
    { type: 'reconnect', reset: false },
    { type: 'run', ms: 200 },
    { type: 'check' },
    { type: 'reconnect', reset: true },
    { type: 'gap', events: 1 },
  ];
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.array(action, { minLength: 3, maxLength: 7 }), async (seed, actions) => {
      scenarios++;
      const exchange = await startExchange({ ...options.exchange, rate: 400, seed, symbols: ['btcusdt'] });
      const gapsReported: Array<[number, number]> = [];
      const book = options.createBook(exchange.restUrl, { onGap: (_book, from, to) => gapsReported.push([from, to]) });
      const feed = new Feed(exchange, book, options.path, options.createDecoder?.(), options.headers);
      try {
        await feed.open();
        let gapsInjected = 0;
        let reconnects = 0;
        for (const step of [...actions, { type: 'check' } as Action]) {
          switch (step.type) {
            case 'run':
              await delay(step.ms);
              break;
            case 'gap':
              {
                // While in sync, a dropped event must show as a gap of this book (while syncing
                // it may fall before the snapshot and be covered by it).
                await until(() => book.state === BOOK_IN_SYNC, 'in sync before the gap');
                const before = book.gaps;
                assert.equal(exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: step.events }), 1);
                totals.gaps++;
                gapsInjected++;
                await until(() => book.gaps > before, 'the injected gap is reported');
                const [from, to] = gapsReported.at(-1)!;
                assert.ok(to >= from, `a gap names its missing ids: ${from}..${to}`);
              }
              break;
            case 'reconnect':
              totals.reconnects++;
              reconnects++;
              feed.drop();
              if (step.reset) book.reset();
              await feed.open();
              break;
            case 'check':
              totals.checks++;
              await checkEqual(exchange, feed);
              break;
          }
        }
        assert.equal(feed.decodeFailures, 0);
        assert.ok(book.gaps >= gapsInjected);
        assert.ok(book.snapshotsLoaded >= 1);
        if (options.noSpuriousGaps === true) {
          assert.ok(book.gaps <= gapsInjected + reconnects, `${book.gaps} gaps for ${gapsInjected} injected and ${reconnects} reconnects`);
        }
      } finally {
        feed.drop();
        book.close();
        await exchange.close();
      }
    }),
    { numRuns: 6, endOnFailure: true, examples: [[7, fixed]] },
  );
  assert.ok(scenarios >= 6);
  assert.ok(totals.gaps >= 2 && totals.reconnects >= 2, `exercised: ${JSON.stringify(totals)}`);
}
