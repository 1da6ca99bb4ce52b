// Makes a fresh clone ready: installs dependencies when missing or stale, then builds.
// Runs as the pre-script of `npm test`, `npm start` and `npm run bench`, so a clone with
// only Node and npm needs no manual step.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`prepare: ${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

function installIsStale() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs;
}

if (installIsStale()) {
  const hasLock = existsSync(join(root, 'package-lock.json'));
  run(npm, [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

// WebAssembly kernels are assembled from their .wat sources before tsc, so dist/ carries them.
if (existsSync(join(root, 'tools', 'build-wasm.mjs'))) run(process.execPath, ['tools/build-wasm.mjs']);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
