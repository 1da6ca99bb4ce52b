// bench/book-cold.ts end to end on a short recording: it records, replays to several books with
// and without the cache thrash, checks the books against each other and prints both figures.
// Never judged on speed (the VM is noisy); a bench that stopped running would go unnoticed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../bench/book-cold.js', import.meta.url));

describe('bench/book-cold', () => {
  it('replays a recorded depth stream to every book and prints cold and warm figures', () => {
    const run = spawnSync(process.execPath, [script, '--seconds', '2', '--books', '3', '--rounds', '2', '--thrash-mb', '1'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const header = /^(\d+) diffs of btcusdt@depth@100ms \(([\d.]+) levels each\), 3 books, thrash 1 MB$/m.exec(run.stdout);
    assert.ok(header !== null, run.stdout);
    assert.ok(Number(header[1]) >= 5, `${header[1]} diffs recorded in 2 s at 10 a second`);
    assert.ok(Number(header[2]) > 0);
    for (const kind of ['cold caches', 'warm']) {
      const line = new RegExp(`^OrderBook\\.apply, ${kind}: +([\\d.]+) us per diff`, 'm').exec(run.stdout);
      assert.ok(line !== null && Number(line[1]) > 0, `${kind} figure in ${run.stdout}`);
    }
  });

  it('refuses an unknown option', () => {
    const run = spawnSync(process.execPath, [script, '--bogus', '1'], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /unknown option --bogus/);
  });
});
