// Kernel micro-benchmarks: scalar TypeScript vs WebAssembly SIMD (bytes copied through scratch, and
// bytes already in kernel memory) vs what the selector does vs native baselines (`bufferutil`,
// Node's simdutf-backed `buffer.isAscii`), at 16 B .. 1 MiB. The thresholds in
// src/kernels/index.ts and src/kernels/scalar.ts cite these tables.
//
//   node dist/bench/kernels.js [--quick] [--duration-ms=N] [--kernel=mask,isAscii,...] [--json]
//
// `runKernelBench(options)` is the entry for bench/main.ts; running this file directly prints
// markdown tables (ns/op, GB/s, speedup over scalar).
//
// Each variant gets its own loop function literal so every kernel call site stays monomorphic;
// a shared `run(kernel)` loop would measure megamorphic dispatch instead of the kernel.
import { isAscii as nodeIsAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  allocateKernelBuffer,
  indexOfQuoteOrBackslash,
  indexOfStringStop,
  indexOfStructural,
  isAscii,
  kernelImplementation,
  mask,
} from '../src/kernels/index.js';
import {
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
} from '../src/kernels/scalar.js';
import {
  indexOfQuoteOrBackslashSimd,
  indexOfStringStopSimd,
  indexOfStructuralSimd,
  isAsciiSimd,
  maskSimd,
  simdSupported,
} from '../src/kernels/simd.js';

export interface KernelBenchResult {
  kernel: string;
  variant: string;
  /** Bytes processed per operation. */
  size: number;
  nsPerOp: number;
  gbPerSecond: number;
  /** Scalar ns/op over this variant's ns/op, same kernel and size (> 1 = faster than scalar). */
  speedupVsScalar: number;
}

export interface KernelBenchOptions {
  sizes?: readonly number[];
  /** Measuring time per variant and size (split over the rounds), after calibration. Default 150 ms. */
  durationMs?: number;
  /** Subset of KERNEL_BENCH_KERNELS. */
  kernels?: readonly string[];
  log?: (line: string) => void;
}

export const KERNEL_BENCH_SIZES: readonly number[] = [16, 64, 256, 1024, 16 * 1024, 1024 * 1024];
export const KERNEL_BENCH_KERNELS: readonly string[] = [
  'mask',
  'unmask',
  'isAscii',
  'indexOfQuoteOrBackslash',
  'indexOfStringStop',
  'indexOfStructural',
  'snapshotWalk',
];

interface BufferUtil {
  mask(source: Uint8Array, mask: Uint8Array, output: Uint8Array, offset: number, length: number): void;
  unmask(buffer: Uint8Array, mask: Uint8Array): void;
}

function loadBufferUtil(): BufferUtil | null {
  try {
    return createRequire(import.meta.url)('bufferutil') as BufferUtil;
  } catch {
    return null;
  }
}

type Loop = (iterations: number) => number;

/** Interleaved measuring rounds per size; see runKernelBench. */
const ROUNDS = 3;

/**
 * Fastest ns per iteration of `loop` over batches of about 2 ms each, for `durationMs` in total.
 * The minimum, not the median: on a shared 2-core machine the other processes only ever add
 * time, so the fastest batch is the best estimate of the kernel's own cost.
 */
function measure(loop: Loop, durationMs: number): number {
  let iterations = 1;
  // Calibrate (this also warms the loop up into optimized code).
  for (;;) {
    const started = process.hrtime.bigint();
    loop(iterations);
    const elapsed = Number(process.hrtime.bigint() - started);
    if (elapsed > 2e6 || iterations >= 1 << 26) break;
    iterations *= elapsed < 5e5 ? 8 : 2;
  }
  const samples: number[] = [];
  const deadline = Date.now() + durationMs;
  do {
    const started = process.hrtime.bigint();
    loop(iterations);
    samples.push(Number(process.hrtime.bigint() - started) / iterations);
  } while (Date.now() < deadline || samples.length < 5);
  return Math.min(...samples);
}

function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Text with no quote, backslash, control or structural byte: every scan runs to the end. */
function plainText(length: number): Uint8Array {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789.-+ ';
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = alphabet.charCodeAt((i * 7 + (i >>> 5)) % alphabet.length);
  return bytes;
}

/** A Binance-style depth snapshot of about `bytes` bytes. */
export function depthSnapshot(bytes: number): Uint8Array {
  const parts: string[] = ['{"lastUpdateId":1027024,"bids":['];
  let length = parts[0]!.length;
  for (let level = 0; length < bytes / 2; level++) {
    const entry = `${level === 0 ? '' : ','}["${(4.1 - level * 0.00001).toFixed(8)}","${(431 + (level % 97)).toFixed(8)}"]`;
    parts.push(entry);
    length += entry.length;
  }
  parts.push('],"asks":[');
  for (let level = 0; length < bytes; level++) {
    const entry = `${level === 0 ? '' : ','}["${(4.2 + level * 0.00001).toFixed(8)}","${(12 + (level % 89)).toFixed(8)}"]`;
    parts.push(entry);
    length += entry.length;
  }
  parts.push(']}');
  return new TextEncoder().encode(parts.join(''));
}

function inKernelMemory(bytes: Uint8Array): Uint8Array {
  const buffer = allocateKernelBuffer(bytes.length);
  buffer.set(bytes);
  return buffer;
}

// Kernel-memory buffers are allocated once, at the largest size, and reused across sizes: the
// arena is never freed.
let kernelSourceBuffer: Uint8Array | null = null;
let kernelTargetBuffer: Uint8Array | null = null;
function kernelBuffers(size: number): [Uint8Array, Uint8Array] {
  if (kernelSourceBuffer === null || kernelSourceBuffer.length < size) {
    kernelSourceBuffer = allocateKernelBuffer(Math.max(size, 1024 * 1024));
    kernelTargetBuffer = allocateKernelBuffer(Math.max(size, 1024 * 1024));
  }
  return [kernelSourceBuffer.subarray(0, size), kernelTargetBuffer!.subarray(0, size)];
}

interface Variant {
  name: string;
  loop: Loop;
}

function maskVariants(size: number, bufferUtil: BufferUtil | null): Variant[] {
  const source = randomBytes(size, 1);
  const target = new Uint8Array(size);
  const key = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
  const [kernelSource, kernelTarget] = kernelBuffers(size);
  kernelSource.set(source);
  const sourceBuffer = Buffer.from(source);
  const targetBuffer = Buffer.alloc(size);
  const keyBuffer = Buffer.from(key);
  const variants: Variant[] = [
    {
      name: 'byte loop (ws fallback style)',
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < size; j++) target[j] = source[j]! ^ key[j & 3]!;
        }
        return target[0]!;
      },
    },
    {
      name: 'scalar',
      loop: (n) => {
        for (let i = 0; i < n; i++) maskScalar(source, 0, target, 0, size, key, 0);
        return target[0]!;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in/out',
        loop: (n) => {
          for (let i = 0; i < n; i++) maskSimd(source, 0, target, 0, size, key, 0);
          return target[0]!;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          for (let i = 0; i < n; i++) maskSimd(kernelSource, 0, kernelTarget, 0, size, key, 0);
          return kernelTarget[0]!;
        },
      },
    );
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        for (let i = 0; i < n; i++) mask(source, 0, target, 0, size, key, 0);
        return target[0]!;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffers`,
      loop: (n) => {
        for (let i = 0; i < n; i++) mask(kernelSource, 0, kernelTarget, 0, size, key, 0);
        return kernelTarget[0]!;
      },
    },
  );
  if (bufferUtil !== null) {
    variants.push({
      name: 'bufferutil.mask (native)',
      loop: (n) => {
        for (let i = 0; i < n; i++) bufferUtil.mask(sourceBuffer, keyBuffer, targetBuffer, 0, size);
        return targetBuffer[0]!;
      },
    });
  }
  return variants;
}

function unmaskVariants(size: number, bufferUtil: BufferUtil | null): Variant[] {
  // In place, as the server role unmasks received frames; XORing repeatedly is harmless.
  const data = randomBytes(size, 2);
  const key = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
  const [kernelData] = kernelBuffers(size);
  kernelData.set(data);
  const dataBuffer = Buffer.from(data);
  const keyBuffer = Buffer.from(key);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        for (let i = 0; i < n; i++) maskScalar(data, 0, data, 0, size, key, 0);
        return data[0]!;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in/out',
        loop: (n) => {
          for (let i = 0; i < n; i++) maskSimd(data, 0, data, 0, size, key, 0);
          return data[0]!;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          for (let i = 0; i < n; i++) maskSimd(kernelData, 0, kernelData, 0, size, key, 0);
          return kernelData[0]!;
        },
      },
    );
  }
  variants.push({
    name: `selected (${kernelImplementation})`,
    loop: (n) => {
      for (let i = 0; i < n; i++) mask(data, 0, data, 0, size, key, 0);
      return data[0]!;
    },
  });
  if (bufferUtil !== null) {
    variants.push({
      name: 'bufferutil.unmask (native)',
      loop: (n) => {
        for (let i = 0; i < n; i++) bufferUtil.unmask(dataBuffer, keyBuffer);
        return dataBuffer[0]!;
      },
    });
  }
  return variants;
}

function isAsciiVariants(size: number): Variant[] {
  const data = plainText(size);
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let count = 0;
        for (let i = 0; i < n; i++) if (isAsciiScalar(data, 0, size)) count++;
        return count;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in',
        loop: (n) => {
          let count = 0;
          for (let i = 0; i < n; i++) if (isAsciiSimd(data, 0, size)) count++;
          return count;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          let count = 0;
          for (let i = 0; i < n; i++) if (isAsciiSimd(kernelData, 0, size)) count++;
          return count;
        },
      },
    );
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        let count = 0;
        for (let i = 0; i < n; i++) if (isAscii(data, 0, size)) count++;
        return count;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let count = 0;
        for (let i = 0; i < n; i++) if (isAscii(kernelData, 0, size)) count++;
        return count;
      },
    },
    {
      // Whole array: a range would need a subarray view (an allocation) per call.
      name: 'buffer.isAscii (native simdutf, whole array)',
      loop: (n) => {
        let count = 0;
        for (let i = 0; i < n; i++) if (nodeIsAscii(data)) count++;
        return count;
      },
    },
  );
  return variants;
}

function quoteVariants(size: number): Variant[] {
  const data = plainText(size);
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfQuoteOrBackslashScalar(data, 0, size);
        return sum;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfQuoteOrBackslashSimd(data, 0, size);
          return sum;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfQuoteOrBackslashSimd(kernelData, 0, size);
          return sum;
        },
      },
    );
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfQuoteOrBackslash(data, 0, size);
        return sum;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfQuoteOrBackslash(kernelData, 0, size);
        return sum;
      },
    },
    {
      name: 'Uint8Array indexOf 0x22 (native, one byte only)',
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= data.indexOf(0x22, 0);
        return sum;
      },
    },
  );
  return variants;
}

function stringStopVariants(size: number): Variant[] {
  const data = plainText(size);
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStringStopScalar(data, 0, size);
        return sum;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfStringStopSimd(data, 0, size);
          return sum;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfStringStopSimd(kernelData, 0, size);
          return sum;
        },
      },
    );
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStringStop(data, 0, size);
        return sum;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStringStop(kernelData, 0, size);
        return sum;
      },
    },
  );
  return variants;
}

function structuralVariants(size: number): Variant[] {
  const data = plainText(size);
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStructuralScalar(data, 0, size);
        return sum;
      },
    },
  ];
  if (simdSupported) {
    variants.push(
      {
        name: 'simd, copied in',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfStructuralSimd(data, 0, size);
          return sum;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfStructuralSimd(kernelData, 0, size);
          return sum;
        },
      },
    );
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStructural(data, 0, size);
        return sum;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfStructural(kernelData, 0, size);
        return sum;
      },
    },
  );
  return variants;
}

/**
 * The realistic case: visit every structural byte of a depth snapshot, one scan call per token, as
 * a JSON walker does. Matches are a few bytes apart, so this is dominated by per-call cost.
 */
function snapshotWalkVariants(size: number): Variant[] {
  const data = depthSnapshot(size);
  const end = data.length;
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let tokens = 0;
        for (let i = 0; i < n; i++) {
          for (let at = indexOfStructuralScalar(data, 0, end); at !== -1; at = indexOfStructuralScalar(data, at + 1, end)) tokens++;
        }
        return tokens;
      },
    },
  ];
  if (simdSupported) {
    variants.push({
      name: 'simd, kernel memory (no probe)',
      loop: (n) => {
        let tokens = 0;
        for (let i = 0; i < n; i++) {
          for (let at = indexOfStructuralSimd(kernelData, 0, end); at !== -1; at = indexOfStructuralSimd(kernelData, at + 1, end)) tokens++;
        }
        return tokens;
      },
    });
  }
  variants.push(
    {
      name: `selected (${kernelImplementation})`,
      loop: (n) => {
        let tokens = 0;
        for (let i = 0; i < n; i++) {
          for (let at = indexOfStructural(data, 0, end); at !== -1; at = indexOfStructural(data, at + 1, end)) tokens++;
        }
        return tokens;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let tokens = 0;
        for (let i = 0; i < n; i++) {
          for (let at = indexOfStructural(kernelData, 0, end); at !== -1; at = indexOfStructural(kernelData, at + 1, end)) tokens++;
        }
        return tokens;
      },
    },
  );
  return variants;
}

export async function runKernelBench(options: KernelBenchOptions = {}): Promise<KernelBenchResult[]> {
  const sizes = options.sizes ?? KERNEL_BENCH_SIZES;
  const durationMs = options.durationMs ?? 150;
  const kernels = options.kernels ?? KERNEL_BENCH_KERNELS;
  const log = options.log ?? (() => {});
  const bufferUtil = loadBufferUtil();
  const results: KernelBenchResult[] = [];
  const suites: [string, (size: number) => Variant[], readonly number[]][] = [
    ['mask', (size) => maskVariants(size, bufferUtil), sizes],
    ['unmask', (size) => unmaskVariants(size, bufferUtil), sizes],
    ['isAscii', isAsciiVariants, sizes],
    ['indexOfQuoteOrBackslash', quoteVariants, sizes],
    ['indexOfStringStop', stringStopVariants, sizes],
    ['indexOfStructural', structuralVariants, sizes],
    // One realistic size: the walk is per token, not per size.
    ['snapshotWalk', snapshotWalkVariants, [256 * 1024]],
  ];
  for (const [kernel, variantsFor, kernelSizes] of suites) {
    if (!kernels.includes(kernel)) continue;
    for (const size of kernelSizes) {
      const variants = variantsFor(size);
      // Rounds interleave the variants, so a burst of load from other processes lands on all of
      // them rather than on whichever ran during it; each variant keeps its fastest round.
      const best = variants.map(() => Infinity);
      for (let round = 0; round < ROUNDS; round++) {
        for (let v = 0; v < variants.length; v++) {
          best[v] = Math.min(best[v]!, measure(variants[v]!.loop, durationMs / ROUNDS));
          // Let the other processes on a shared machine breathe between measurements.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const scalarNs = best[variants.findIndex((variant) => variant.name === 'scalar')] ?? NaN;
      for (let v = 0; v < variants.length; v++) {
        const nsPerOp = best[v]!;
        const result: KernelBenchResult = {
          kernel,
          variant: variants[v]!.name,
          size,
          nsPerOp,
          gbPerSecond: size / nsPerOp,
          speedupVsScalar: scalarNs / nsPerOp,
        };
        results.push(result);
        log(`${kernel} ${formatSize(size)} ${result.variant}: ${formatNs(nsPerOp)}/op, ${result.gbPerSecond.toFixed(2)} GB/s, ${result.speedupVsScalar.toFixed(2)}x scalar`);
      }
    }
  }
  return results;
}

export function formatSize(size: number): string {
  if (size >= 1024 * 1024 && size % (1024 * 1024) === 0) return `${size / (1024 * 1024)} MiB`;
  if (size >= 1024 && size % 1024 === 0) return `${size / 1024} KiB`;
  return `${size} B`;
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** Markdown tables, one per kernel: rows are variants, columns sizes, cells "ns/op · GB/s · ×scalar". */
export function formatKernelResults(results: readonly KernelBenchResult[]): string {
  const out: string[] = [];
  for (const kernel of [...new Set(results.map((r) => r.kernel))]) {
    const rows = results.filter((r) => r.kernel === kernel);
    const sizes = [...new Set(rows.map((r) => r.size))];
    const variants = [...new Set(rows.map((r) => r.variant))];
    out.push(`### ${kernel}`, '');
    out.push(`| variant | ${sizes.map(formatSize).join(' | ')} |`);
    out.push(`|---|${sizes.map(() => '---:').join('|')}|`);
    for (const variant of variants) {
      const cells = sizes.map((size) => {
        const r = rows.find((row) => row.size === size && row.variant === variant);
        return r === undefined ? '' : `${formatNs(r.nsPerOp)} · ${r.gbPerSecond.toFixed(2)} GB/s · ${r.speedupVsScalar.toFixed(2)}×`;
      });
      out.push(`| ${variant} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

if (isMain()) {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined =>
    args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const durationMs = Number(option('duration-ms') ?? (args.includes('--quick') ? 45 : 150));
  const kernels = option('kernel')?.split(',');
  const sizes = option('sizes')?.split(',').map(Number);
  const json = args.includes('--json');
  const results = await runKernelBench({
    durationMs,
    ...(kernels === undefined ? {} : { kernels }),
    ...(sizes === undefined ? {} : { sizes }),
    log: json ? () => {} : (line) => process.stderr.write(`${line}\n`),
  });
  if (json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    console.log(`Kernels: ${kernelImplementation} selected; Node ${process.version}; ${durationMs} ms per cell\n`);
    console.log(formatKernelResults(results));
  }
}
