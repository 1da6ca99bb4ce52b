// Runs every compiled test file with Node's built-in runner. Node 20 and Node 22+ differ in how
// `node --test <dir>` expands arguments, so the file list is built here and passed explicitly.
// Usage: node tools/run-tests.mjs [substring-filter ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = join(root, 'dist', 'test');
const filters = process.argv.slice(2);

/** dist/test/a/b.test.js -> test/a/b.test.ts */
function sourceOf(compiled) {
  return join(root, relative(join(root, 'dist'), compiled)).replace(/\.js$/, '.ts');
}

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    // tsc never deletes outputs: a compiled test whose source was removed would still run.
    else if (name.endsWith('.test.js') && existsSync(sourceOf(path))) out.push(path);
  }
  return out;
}

const files = collect(testRoot, []).filter(
  (file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)),
);
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/test (did the build run?)');
  process.exit(1);
}
const args = ['--test', '--test-reporter=spec', '--expose-gc', ...files];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
