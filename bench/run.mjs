// `npm run bench` entry: the harness is TypeScript compiled to dist/bench/ by the prebench step
// (node tools/prepare.mjs); this plain-JS file only checks the build is there and runs it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/bench/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('bench: dist/bench/main.js is missing; run `node tools/prepare.mjs` (npm run bench does it first)');
  process.exit(1);
}
await import(main);
