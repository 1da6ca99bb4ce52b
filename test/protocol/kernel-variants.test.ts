// The UTF-8 validator and the parser use the kernel selector (src/kernels/index.ts), which binds
// one implementation at load time. Every test must hold for every implementation, so this file
// re-runs the protocol tests that reach a kernel in child processes with TICKWIRE_KERNELS forced
// to scalar and to simd (SIMD for every size).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = [join(here, 'utf8.test.js'), join(here, 'parser-allocation.test.js'), join(here, '..', 'property', 'frame-parser-ws.test.js')];

for (const kernels of ['scalar', 'simd']) {
  test(`utf8, allocation and differential parser tests with TICKWIRE_KERNELS=${kernels}`, { skip: process.env['TICKWIRE_KERNELS'] !== undefined ? 'already forced by the environment' : false, timeout: 120_000 }, () => {
    // NODE_TEST_CONTEXT would make the nested runner report to ours instead of running on its own.
    const env: NodeJS.ProcessEnv = { ...process.env, TICKWIRE_KERNELS: kernels };
    delete env['NODE_TEST_CONTEXT'];
    const result = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-reporter=spec', ...files], { env, encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const passed = /ℹ pass (\d+)/.exec(result.stdout);
    assert.ok(passed !== null && Number(passed[1]) >= 9, `the child ran the tests: ${result.stdout.slice(-400)}`);
    assert.match(result.stdout, /ℹ fail 0/);
  });
}
