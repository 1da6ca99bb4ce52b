// docs/errors.md must document every WebSocketErrorCode (src/protocol/errors.ts), and every code
// the sources raise must be in the union or the table.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    try {
      if (statSync(join(dir, 'src', 'protocol', 'errors.ts')).isFile()) return dir;
    } catch {
      // keep climbing
    }
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

test('docs/errors.md has a table row for every WebSocketErrorCode', () => {
  const root = repoRoot();
  const errorsSource = readFileSync(join(root, 'src', 'protocol', 'errors.ts'), 'utf8');
  const union = errorsSource.slice(errorsSource.indexOf('export type WebSocketErrorCode'), errorsSource.indexOf('export class WebSocketError'));
  const codes = [...union.matchAll(/'(WS_ERR_[A-Z0-9_]+)'/g)].map((match) => match[1]!);
  assert.ok(codes.length >= 20, `found ${codes.length} codes`);
  const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
  for (const code of codes) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\``));
    assert.ok(row !== undefined, `docs/errors.md has a table row for ${code}`);
  }
  // Codes raised anywhere in src/ (including casts outside the union) are documented too.
  const raised = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'(WS_ERR_[A-Z0-9_]+)'/g)) raised.add(match[1]!);
  }
  for (const code of raised) assert.ok(doc.includes(`\`${code}\``), `docs/errors.md mentions ${code}`);
});
