// The selector: which implementation TICKWIRE_KERNELS selects (checked in child processes, since
// the choice is made once at load), and that the selected kernels allocate nothing in steady state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GCProfiler } from 'node:v8';
import {
  allocateKernelBuffer,
  indexOfNonAscii,
  indexOfQuoteOrBackslash,
  indexOfStructural,
  isAscii,
  isKernelBuffer,
  kernelImplementation,
  kernelThresholds,
  mask,
  simdSupported,
} from '../../src/kernels/index.js';
import { maskScalar } from '../../src/kernels/scalar.js';
import { KERNEL_MEMORY_BYTES, maskSimd } from '../../src/kernels/simd.js';

const selectorUrl = new URL('../../src/kernels/index.js', import.meta.url).href;

interface Choice {
  implementation: string;
  thresholds: boolean;
  maskIs: string;
  kernelBuffer: boolean;
  /** The selected kernels found a non-ASCII byte at the right place in a kernel buffer. */
  kernelsWork: boolean;
  stderr: string;
}

function choiceUnder(env: Record<string, string>, extraArgs: string[] = [], addressSpaceKiB = 0): Choice {
  const script = `
    const k = await import(${JSON.stringify(selectorUrl)});
    const s = await import(${JSON.stringify(new URL('../../src/kernels/scalar.js', import.meta.url).href)});
    const w = await import(${JSON.stringify(new URL('../../src/kernels/simd.js', import.meta.url).href)});
    const maskIs = k.mask === s.maskScalar ? 'scalar' : k.mask === w.maskSimd ? 'simd' : 'auto';
    const probe = k.allocateKernelBuffer(4096).fill(0x61);
    probe[3000] = 0xc3;
    console.log(JSON.stringify({ implementation: k.kernelImplementation, thresholds: k.kernelThresholds,
      maskIs, kernelBuffer: k.isKernelBuffer(k.allocateKernelBuffer(100)),
      kernelsWork: k.indexOfNonAscii(probe, 0, 4096) === 3000 && k.indexOfNonAscii(probe, 0, 3000) === -1 }));`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (env['TICKWIRE_KERNELS'] === undefined) delete childEnv['TICKWIRE_KERNELS'];
  const nodeArgs = [...extraArgs, '--input-type=module', '-e', script];
  // With an address-space limit the child runs under `sh -c 'ulimit -v N; exec node ...'`.
  const [command, args] =
    addressSpaceKiB > 0
      ? ['/bin/sh', ['-c', `ulimit -v ${addressSpaceKiB} && exec "$0" "$@"`, process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  const result = spawnSync(command, args, {
    env: childEnv,
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  assert.equal(result.status, 0, result.stderr);
  return { ...(JSON.parse(result.stdout) as Omit<Choice, 'stderr'>), stderr: result.stderr };
}

describe('kernel selector', () => {
  it('picks SIMD with thresholds by default when SIMD validates', () => {
    const choice = choiceUnder({});
    assert.equal(choice.implementation, simdSupported ? 'simd' : 'scalar');
    assert.equal(choice.thresholds, simdSupported);
    assert.equal(choice.maskIs, simdSupported ? 'auto' : 'scalar');
    assert.equal(choice.kernelBuffer, simdSupported);
  });

  it('TICKWIRE_KERNELS=scalar forces the scalar kernels and ordinary buffers', () => {
    const choice = choiceUnder({ TICKWIRE_KERNELS: 'scalar' });
    assert.equal(choice.implementation, 'scalar');
    assert.equal(choice.maskIs, 'scalar');
    assert.equal(choice.kernelBuffer, false);
  });

  it('TICKWIRE_KERNELS=simd binds the SIMD kernels directly, without thresholds', () => {
    const choice = choiceUnder({ TICKWIRE_KERNELS: 'simd' });
    assert.equal(choice.implementation, simdSupported ? 'simd' : 'scalar');
    assert.equal(choice.maskIs, simdSupported ? 'simd' : 'scalar');
    assert.equal(choice.thresholds, false);
  });

  it('an unknown TICKWIRE_KERNELS value warns and falls back to auto', () => {
    const choice = choiceUnder({ TICKWIRE_KERNELS: 'avx512' });
    assert.match(choice.stderr, /TICKWIRE_KERNELS=avx512/);
    assert.equal(choice.implementation, simdSupported ? 'simd' : 'scalar');
  });

  it('falls back to scalar when WebAssembly is absent (node --jitless)', () => {
    const choice = choiceUnder({}, ['--jitless']);
    assert.equal(choice.implementation, 'scalar');
    assert.equal(choice.maskIs, 'scalar');
    assert.equal(choice.kernelBuffer, false);
  });

  it('falls back to scalar when the kernel memory cannot be created (V8 refuses its size)', () => {
    // --wasm-max-mem-pages below the kernel memory's 256 pages: new WebAssembly.Memory throws, as
    // it does wherever the address space for it cannot be reserved. Deterministic on every Node.
    const choice = choiceUnder({}, ['--wasm-max-mem-pages=16']);
    assert.equal(choice.implementation, 'scalar');
    assert.equal(choice.kernelBuffer, false);
    assert.equal(choice.kernelsWork, true);
  });

  it('a tight address-space limit (ulimit -v) never breaks the import: scalar, or SIMD that works', { skip: process.platform !== 'linux' }, () => {
    // 4 GB of address space runs Node. Up to Node 22 (V8 12) a WebAssembly memory reserves its
    // guard regions (~10 GB) and cannot be created there, so the kernels fall back to scalar;
    // from Node 24 (V8 13) V8 reserves it without guard regions and bounds-checks instead, so
    // SIMD is a correct choice there. Either way the import succeeds and the kernels work.
    const choice = choiceUnder({}, [], 4_000_000);
    assert.equal(choice.kernelsWork, true);
    assert.equal(choice.kernelBuffer, choice.implementation === 'simd');
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    if (nodeMajor <= 22) assert.equal(choice.implementation, 'scalar');
  });

  it('this process reports the implementation its environment asks for', () => {
    const forcedScalar = process.env['TICKWIRE_KERNELS'] === 'scalar';
    assert.equal(kernelImplementation, simdSupported && !forcedScalar ? 'simd' : 'scalar');
    assert.equal(mask === maskScalar, kernelImplementation === 'scalar');
    assert.notEqual(maskSimd, maskScalar);
  });
});

/**
 * Garbage collections during a second call of `run` (the first warms up: optimizing compilation
 * allocates on the heap); zero means nothing escaped to the heap in the loop.
 */
function collectionsDuring(run: () => void): number {
  run();
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  run();
  const statistics = profiler.stop();
  return statistics?.statistics.length ?? 0;
}

describe('kernels allocate nothing in steady state', () => {
  const ITERATIONS = 300_000;
  const maskKey = Uint8Array.of(9, 8, 7, 6);

  // TICKWIRE_KERNELS=simd sends every size through SIMD, so ordinary buffers always take the copy
  // path, which needs a subarray view per call: nothing to assert there.
  const copyPathAlways = kernelImplementation === 'simd' && !kernelThresholds;
  for (const [label, makeBuffer, skip] of [
    ['ordinary buffers', (n: number) => new Uint8Array(n), copyPathAlways],
    ['kernel buffers', allocateKernelBuffer, false],
  ] as const) {
    it(`mask, 125-byte and 4000-byte payloads (${label})`, { skip }, () => {
      const source = makeBuffer(8192);
      const target = makeBuffer(8192);
      // Kernel buffers: SIMD in place at both sizes. Ordinary buffers: the copy path allocates a view
      // per block above MASK_SIMD_COPY_MIN_BYTES, so only the scalar-sized payload is asserted there.
      const sizes = isKernelBuffer(source) || kernelImplementation === 'scalar' ? [125, 4000] : [125];
      for (const size of sizes) {
        const collections = collectionsDuring(() => {
          for (let i = 0; i < ITERATIONS; i++) mask(source, 3, target, 7, size, maskKey, i);
        });
        assert.equal(collections, 0, `${size} bytes`);
      }
    });

    it(`scans and isAscii (${label})`, { skip }, () => {
      const data = makeBuffer(8192);
      data.fill(0x61);
      data[5000] = 0x22;
      data[20] = 0x3a;
      // The probe-sized scans stay scalar; the 5000-byte one runs SIMD when the data is in kernel memory.
      const long = isKernelBuffer(data) || kernelImplementation === 'scalar';
      let sink = 0;
      const collections = collectionsDuring(() => {
        for (let i = 0; i < ITERATIONS; i++) {
          // Kept small: a sum beyond the small-integer range would itself allocate heap numbers.
          sink ^= indexOfStructural(data, 0, 8192);
          sink ^= indexOfQuoteOrBackslash(data, 4990, 8192);
          if (long) sink ^= indexOfQuoteOrBackslash(data, 0, 8192);
          if (isAscii(data, 0, 200)) sink ^= 1 << 14;
          if (long && isAscii(data, 0, 8192)) sink ^= 1 << 15;
          sink ^= indexOfNonAscii(data, 0, 200);
          if (long) sink ^= indexOfNonAscii(data, 0, 8192);
        }
      });
      assert.equal(collections, 0);
      // Each run XORs the same values an even number of times; the sink only keeps the calls alive.
      assert.equal(sink, 0);
    });
  }
});

describe('allocateKernelBuffer', () => {
  it('hands out zeroed, cache-line aligned, non-overlapping buffers in kernel memory when SIMD is selected', () => {
    const first = allocateKernelBuffer(100);
    const second = allocateKernelBuffer(37);
    const third = allocateKernelBuffer(0);
    assert.equal(first.length, 100);
    assert.equal(second.length, 37);
    assert.equal(third.length, 0);
    assert.ok(first.every((byte) => byte === 0));
    const inKernelMemory = kernelImplementation === 'simd';
    assert.equal(isKernelBuffer(first), inKernelMemory);
    assert.equal(isKernelBuffer(second), inKernelMemory);
    if (inKernelMemory) {
      assert.equal(first.buffer, second.buffer);
      assert.equal(first.byteOffset % 64, 0);
      assert.equal(second.byteOffset % 64, 0);
      assert.ok(second.byteOffset >= first.byteOffset + first.length, 'no overlap');
    }
    first.fill(0xff);
    assert.ok(second.every((byte) => byte === 0), 'writing one buffer leaves the next untouched');
  });

  it('falls back to an ordinary buffer when the arena cannot hold the request', () => {
    const before = allocateKernelBuffer(16);
    const huge = allocateKernelBuffer(KERNEL_MEMORY_BYTES + 1);
    assert.equal(huge.length, KERNEL_MEMORY_BYTES + 1);
    assert.equal(isKernelBuffer(huge), false);
    // Kernel memory never grows, so earlier views stay attached and usable.
    before[15] = 7;
    assert.equal(before.length, 16);
    assert.equal(before[15], 7);
    const after = allocateKernelBuffer(16);
    assert.equal(isKernelBuffer(after), kernelImplementation === 'simd', 'the failed request used up nothing');
  });
});
