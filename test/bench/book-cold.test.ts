// bench/book-cold.ts end to end on a short recording: it records, replays to several books with
// and without the cache thrash (one stream for all books, or one per book), checks the books
// against each other and across rounds, and prints both figures.
// Never judged on speed (the VM is noisy); a bench that stopped running would go unnoticed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../bench/book-cold.js', import.meta.url));

describe('bench/book-cold', () => {
  for (const distinct of [false, true]) {
    const taking = distinct ? 'each its own symbol' : 'all the same symbol';
    it(`replays recorded depth streams to every book (${taking}) and prints cold and warm figures`, () => {
      const run = spawnSync(process.execPath, [script, '--seconds', '2', '--books', '3', '--rounds', '2', '--thrash-mb', '1', '--distinct', distinct ? '1' : '0'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const header = new RegExp(`^(\\d+) applies of depth@100ms diffs \\(([\\d.]+) levels each\\), 3 books, ${taking}, thrash 1 MB$`, 'm').exec(run.stdout);
      assert.ok(header !== null, run.stdout);
      // 10 events a second per symbol for 2 s, applied to 3 books (each book its own, or all of one)
      assert.ok(Number(header[1]) >= 15, `${header[1]} applies`);
      assert.ok(Number(header[2]) > 0);
      for (const kind of ['cold caches', 'warm']) {
        const line = new RegExp(`^OrderBook\\.apply, ${kind}: +([\\d.]+) us per diff`, 'm').exec(run.stdout);
        assert.ok(line !== null && Number(line[1]) > 0, `${kind} figure in ${run.stdout}`);
      }
    });
  }

  it('refuses an unknown option', () => {
    const run = spawnSync(process.execPath, [script, '--bogus', '1'], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /unknown option --bogus/);
  });
});
