// Runs the test suite on every supported Node major (20, 22, 24, 26 by default), one after the
// other. The official binaries come from the npm registry (the node-<os>-<arch> packages) and
// are cached in .tickwire-cache/node/<major>/ (ignored by git), so a clone with only Node and
// npm can run it. The tree is built and linted once by the current Node (tsc output does not
// depend on the runtime), then tools/run-tests.mjs runs under each binary: it starts the test
// runner with process.execPath, so every test file and every child process uses that binary.
//
// A binary that cannot be installed is a failure, never a skip: CI must not go green on fewer
// versions than it claims. Each version's run is bounded by a timeout (a hang fails the run
// instead of holding CI until it is killed).
//
// Usage: node tools/node-matrix.mjs [--versions 20,22,24,26] [--refresh] [--install-only]
//                                   [--timeout-minutes N] [test-path-filter ...]
// Environment: TICKWIRE_NODE_VERSIONS (same as --versions).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = join(root, '.tickwire-cache', 'node');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SUPPORTED_MAJORS = [20, 22, 24, 26];
/** One suite takes ~2-4 minutes on a loaded 2-core machine; a run past this is a hang. */
const DEFAULT_TIMEOUT_MINUTES = 12;

function fail(message) {
  console.error(`node-matrix: ${message}`);
  process.exit(1);
}

function parseArguments(argv) {
  const options = {
    majors: SUPPORTED_MAJORS,
    refresh: false,
    installOnly: false,
    timeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
    filters: [],
  };
  const fromEnvironment = process.env['TICKWIRE_NODE_VERSIONS'];
  if (fromEnvironment) options.majors = parseMajors(fromEnvironment);
  for (let k = 0; k < argv.length; k++) {
    const argument = argv[k];
    if (argument === '--versions') options.majors = parseMajors(argv[++k] ?? '');
    else if (argument === '--refresh') options.refresh = true;
    else if (argument === '--install-only') options.installOnly = true;
    else if (argument === '--timeout-minutes') {
      options.timeoutMinutes = Number(argv[++k]);
      if (!(options.timeoutMinutes > 0)) fail('--timeout-minutes needs a positive number');
    } else if (argument.startsWith('--')) fail(`unknown option ${argument}`);
    else options.filters.push(argument);
  }
  return options;
}

function parseMajors(text) {
  const majors = text.split(',').map((part) => Number(part.trim()));
  if (majors.length === 0 || majors.some((major) => !Number.isInteger(major) || major < 20)) {
    fail(`bad version list "${text}" (expected majors such as 20,22,24,26)`);
  }
  return majors;
}

/** The npm package that carries the official binary for this machine, and the binary's path in it. */
function binaryPackage() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (os === undefined || arch === undefined) {
    fail(`no Node binary package known for ${process.platform}-${process.arch} (supported: linux and darwin, x64 and arm64)`);
  }
  const name = `node-${os}-${arch}`;
  return { name, binary: (dir) => join(dir, 'node_modules', name, 'bin', 'node') };
}

/** `node --version` of a binary, or null when it does not run. */
function versionOf(binary) {
  if (!existsSync(binary)) return null;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Installs (or reuses) the binary of one major; exits the whole run when that fails. */
function ensureBinary(major, refresh) {
  const { name, binary } = binaryPackage();
  const dir = join(cacheRoot, String(major));
  const path = binary(dir);
  const cached = refresh ? null : versionOf(path);
  if (cached !== null && cached.startsWith(`v${major}.`)) {
    console.log(`node-matrix: Node ${major}: cached ${cached} (${name})`);
    return { major, path, version: cached };
  }
  console.log(`node-matrix: Node ${major}: installing ${name}@${major} from the npm registry`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Its own package root, so npm installs here and never into the project.
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const result = spawnSync(npm, ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${name}@${major}`], {
    cwd: dir,
    stdio: 'inherit',
  });
  const version = versionOf(path);
  if (result.status !== 0 || version === null || !version.startsWith(`v${major}.`)) {
    fail(`could not install Node ${major} (${name}@${major}: npm exit ${result.status}, binary ${version ?? 'missing'}). ` +
      'The matrix does not skip a version: fix the network or registry access and run again.');
  }
  console.log(`node-matrix: Node ${major}: installed ${version}`);
  return { major, path, version };
}

function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Runs tools/run-tests.mjs under one binary, echoing its output; resolves with the outcome. */
function runSuite(node, filters, timeoutMinutes) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n======== Node ${node.version} (${node.path.slice(root.length + 1)}) ========`);
    const child = spawn(node.path, [join(root, 'tools', 'run-tests.mjs'), ...filters], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so a timeout ends every test process it started
    });
    // The reporter's closing counts ("ℹ pass 812"); kept from the tail of the output.
    const counts = { tests: NaN, pass: NaN, fail: NaN, cancelled: NaN };
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4096);
    });
    // A detached child does not get the terminal's Ctrl-C: pass an interrupt on to its group.
    const forward = (signal) => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`node-matrix: Node ${node.version}: no result after ${timeoutMinutes} minutes, stopping it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMinutes * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('SIGINT', forward);
      process.removeListener('SIGTERM', forward);
      for (const key of Object.keys(counts)) {
        const match = new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(tail);
        if (match) counts[key] = Number(match[1]);
      }
      const passed = code === 0 && !timedOut;
      resolve({ node, passed, code, signal, timedOut, counts, ms: Date.now() - started });
    });
  });
}

const options = parseArguments(process.argv.slice(2));
const nodes = options.majors.map((major) => ensureBinary(major, options.refresh));
if (options.installOnly) process.exit(0);
if (!existsSync(join(root, 'dist', 'test'))) fail('dist/test is missing: build first (npm run test:matrix does it)');

const started = Date.now();
const results = [];
for (const node of nodes) results.push(await runSuite(node, options.filters, options.timeoutMinutes));

console.log('\n======== node-matrix summary ========');
for (const { node, passed, code, signal, timedOut, counts, ms } of results) {
  const verdict = passed ? 'PASS' : 'FAIL';
  const why = timedOut ? ' (timed out)' : passed ? '' : ` (exit ${code ?? signal})`;
  const tally = Number.isNaN(counts.tests)
    ? 'no test counts'
    : `${counts.tests} tests, ${counts.pass} passed, ${counts.fail} failed, ${counts.cancelled} cancelled`;
  console.log(`node-matrix: Node ${node.version.padEnd(9)} ${verdict}${why}: ${tally} in ${formatDuration(ms)}`);
}
const failed = results.filter((result) => !result.passed).length;
console.log(`node-matrix: ${results.length - failed}/${results.length} Node versions passed in ${formatDuration(Date.now() - started)}`);
process.exit(failed === 0 ? 0 : 1);
