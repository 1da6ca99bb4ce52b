// The OKX local order book against the simulator's OKX dialect over loopback: the managed stream
// (okxPublic), OkxBookDecoder and okxOrderBook (in-band snapshots, the prevSeqId chain, the
// checksum) driven through random scenarios (fast-check) of traffic, dropped books updates (gap),
// corrupted checksums and dropped connections. The book asks for a new snapshot by resubscribing.
// At every check point the engine is paused (pending updates flushed), and once the book is in
// sync at the engine's seqId it must equal the simulator's book() level for level; every
// injected gap and checksum must have made the book resync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { startExchange, type Exchange } from '../../simulator/exchange.js';
import { BOOK_IN_SYNC, REASON_CHECKSUM, REASON_GAP, type LocalOrderBook } from '../../src/book/index.js';
import { ManagedStream } from '../../src/stream/index.js';
import { OkxBookDecoder, okxOrderBook, okxPublic } from '../../src/venues/okx/index.js';

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Action = { type: 'run'; ms: number } | { type: 'gap'; events: number } | { type: 'checksum' } | { type: 'drop' } | { type: 'check' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 50, max: 300 }).map((ms): Action => ({ type: 'run', ms })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((events): Action => ({ type: 'gap', events })) },
  { weight: 2, arbitrary: fc.constant<Action>({ type: 'checksum' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ type: 'drop' }) },
  { weight: 2, arbitrary: fc.constant<Action>({ type: 'check' }) },
);

const numeric = (levels: Array<[string, string]>): Array<[number, number]> => levels.map(([price, quantity]) => [Number(price), Number(quantity)]);

async function checkEqual(exchange: Exchange, book: LocalOrderBook): Promise<void> {
  exchange.pause(); // flushes pending updates: the stream catches up with book()
  const truth = exchange.book('btcusdt');
  await until(() => book.state === BOOK_IN_SYNC && book.updateId === truth.lastUpdateId, `book in sync at ${truth.lastUpdateId} (at ${book.updateId}, state ${book.state})`);
  const levels = book.book.toLevels();
  assert.deepEqual(numeric(levels.bids), numeric(truth.bids));
  assert.deepEqual(numeric(levels.asks), numeric(truth.asks));
  exchange.resume();
}

test('OKX local book equals the simulator book whenever in sync, through random gaps, bad checksums and drops', { timeout: 240_000 }, async () => {
  const totals = { gaps: 0, checksums: 0, drops: 0, checks: 0 };
  const fixed: Action[] = [{ type: 'run', ms: 150 }, { type: 'gap', events: 2 }, { type: 'check' }, { type: 'checksum' }, { type: 'check' }, { type: 'drop' }, { type: 'run', ms: 200 }];
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.array(action, { minLength: 3, maxLength: 6 }), async (seed, actions) => {
      const exchange = await startExchange({ venue: 'okx', rate: 400, seed, symbols: ['btcusdt'] });
      const reasons: number[] = [];
      const decoder = new OkxBookDecoder();
      let stream: ManagedStream | null = null;
      const book = okxOrderBook({
        symbol: 'BTC-USDT',
        snapshotIntervalMs: 20,
        requestSnapshot: () => stream?.resubscribe(stream.streamIndex('books:BTC-USDT'), 'requested'),
        listener: { onStateChange: (_book, _state, reason) => reasons.push(reason) },
      });
      stream = new ManagedStream({
        venue: okxPublic,
        url: exchange.url,
        initialDelayMs: 20,
        maxDelayMs: 200,
        onMessage(_index, data, start, end) {
          if (decoder.decode(data, start, end)) book.onDiff(decoder.diff);
        },
      });
      try {
        stream.subscribe(['books:BTC-USDT']);
        stream.start();
        await until(() => book.state === BOOK_IN_SYNC, 'first snapshot');
        for (const step of [...actions, { type: 'check' } as Action]) {
          switch (step.type) {
            case 'run':
              await delay(step.ms);
              break;
            case 'gap': {
              await until(() => book.state === BOOK_IN_SYNC, 'in sync before the gap');
              const before = reasons.filter((reason) => reason === REASON_GAP).length;
              assert.equal(exchange.injectFault({ type: 'gap', symbol: 'btcusdt', events: step.events }), 1);
              totals.gaps++;
              await until(() => reasons.filter((reason) => reason === REASON_GAP).length > before, 'the gap makes the book resync');
              break;
            }
            case 'checksum': {
              await until(() => book.state === BOOK_IN_SYNC, 'in sync before the bad checksum');
              const before = reasons.filter((reason) => reason === REASON_CHECKSUM).length;
              assert.equal(exchange.injectFault({ type: 'checksum', symbol: 'btcusdt' }), 1);
              totals.checksums++;
              await until(() => reasons.filter((reason) => reason === REASON_CHECKSUM).length > before, 'the bad checksum makes the book resync');
              break;
            }
            case 'drop':
              totals.drops++;
              exchange.injectFault({ type: 'drop' });
              break;
            case 'check':
              totals.checks++;
              await checkEqual(exchange, book);
              break;
          }
        }
        assert.ok(book.snapshotsLoaded >= 1);
      } finally {
        book.close();
        await stream.stop();
        await exchange.close();
      }
    }),
    { numRuns: 5, endOnFailure: true, examples: [[7, fixed]] },
  );
  assert.ok(totals.gaps >= 1 && totals.checksums >= 1 && totals.drops >= 1, `exercised: ${JSON.stringify(totals)}`);
});
