// The pipeline benchmark's harness on a few thousand events: ccxt, ws + JSON.parse + Map and
// tickwire each keep 50 books from the simulator's depth@100ms streams, and at the end every book
// must equal the simulator's book(). Figures are checked for completeness, never for speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareBooks, type ReferenceBook } from '../../bench/pipeline/compare.js';
import { CONSUMER_KINDS } from '../../bench/pipeline/protocol.js';
import { pipelineConfig, runPipelineBench } from '../../bench/pipeline/run.js';

const reference: ReferenceBook = {
  lastUpdateId: 160,
  bids: [
    ['100.01000000', '1.50000000'],
    ['100.00000000', '0.00100000'],
  ],
  asks: [['100.02000000', '2.00000000']],
};

describe('pipeline bench: book comparison', () => {
  it('accepts a book holding the same levels as numbers', () => {
    const book = { updateId: 160, bids: [[100.01, 1.5] as [number, number], [100, 0.001] as [number, number]], asks: [[100.02, 2] as [number, number]] };
    assert.equal(compareBooks('X', reference, book), '');
  });

  it('reports a different update id, a missing level, an extra level and a different quantity', () => {
    const base = { updateId: 160, bids: [[100.01, 1.5], [100, 0.001]] as Array<[number, number]>, asks: [[100.02, 2]] as Array<[number, number]> };
    assert.match(compareBooks('X', reference, { ...base, updateId: 159 }), /update id 159, simulator 160/);
    assert.match(compareBooks('X', reference, { ...base, bids: [[100.01, 1.5]] }), /bids: 1 levels, simulator 2/);
    assert.match(compareBooks('X', reference, { ...base, asks: [[100.02, 2], [100.03, 1]] }), /asks: 2 levels, simulator 1/);
    assert.match(compareBooks('X', reference, { ...base, bids: [[100.01, 1.5], [100, 0.002]] }), /bids\[1\]: 100 x 0.002, simulator 100.00000000 x 0.00100000/);
  });
});

describe('pipeline bench: harness on the simulator (quick)', () => {
  it('runs every consumer and ends with every book equal to the simulator', { timeout: 240_000 }, async () => {
    const config = { ...pipelineConfig(true), symbols: 50, warmupMs: 500, measureMs: 2500 };
    const log: string[] = [];
    const results = await runPipelineBench(config, (line) => log.push(line));
    assert.deepEqual(
      results.rows.map((row) => row.consumer),
      [...CONSUMER_KINDS],
    );
    for (const row of results.rows) {
      // ccxt is a devDependency: a skip here means the install is broken, which is a failure too.
      assert.equal(row.status, 'ok', `${row.consumer}: ${row.note ?? ''}\n${log.join('\n')}`);
      assert.equal(row.booksCompared, config.symbols, row.consumer);
      assert.equal(row.booksEqual, config.symbols, row.consumer);
      assert.equal(row.resyncs, 0, `${row.consumer}: no gap on a clean loopback run`);
      // 50 symbols x 10 events/s x 2.5 s: about 1,250 events in the window, more over the whole run.
      assert.ok(row.events > 500, `${row.consumer}: ${row.events} events`);
      const median = row.median!;
      for (const key of ['eventsPerSec', 'cpuUsPerEvent', 'heapBytesPerEvent', 'syncMs'] as const) {
        assert.ok(Number.isFinite(median[key]) && median[key] > 0, `${row.consumer} ${key} = ${median[key]}`);
      }
      assert.ok(Number.isInteger(median.gcCount) && median.gcCount >= 0);
      assert.ok(Number.isFinite(row.cpuVsCcxt!) && Number.isFinite(row.cpuVsWsMap!), row.consumer);
    }
  });
});
