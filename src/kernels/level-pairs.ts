// Depth levels `[["price","quantity"],...]` -> fixed-point pairs at scale 8 by the WebAssembly
// kernel (wasm/levels.wat), read in place where the client received the message.
//
// Why a kernel: a 20+20-level depth message is 80 decimals, and plain JavaScript levels off around
// 15-20 ns a decimal (digit classification and int32-only arithmetic: swar-decimal.ts). In
// WebAssembly one SIMD compare classifies 32 bytes and i64 arithmetic converts eight digits with
// three multiply-adds. Only bytes already in kernel memory qualify: the client's receive buffers
// are (connect.ts takes them from acquireKernelBuffer), while copying a message from anywhere else
// would need a subarray view per message (V8 has no allocation-free copy between two buffers), so
// those messages stay with the JavaScript parser.
//
// The kernel is never the reference: it accepts a strict subset of what the scalar parser
// (fixed-point.ts scanUnits) accepts, with the same values, and answers -1 for everything else,
// after which the caller reads the array again with its own parser.
// test/kernels/level-pairs.test.ts checks both on fuzzed input.

import { kernelImplementation } from './index.js';
import { allocateKernelArenaBuffer, kernelAddressOf, kernelViewLength, levelsKernel, type LevelsExports } from './simd.js';

/** Levels one kernel call can return; a longer array (a deep REST snapshot) is read by the caller's parser. */
export const KERNEL_LEVEL_CAPACITY = 4096;
/** Output region: the level count (i32, padded to 8 bytes), then the pairs. */
const OUTPUT_BYTES = 8 + 16 * KERNEL_LEVEL_CAPACITY;
/** The kernel's one scale: Binance's 8 decimals (what every decoder here uses by default). */
export const KERNEL_LEVEL_SCALE = 8;

/**
 * The output region in kernel memory, shared by every reader: a read copies its pairs out before
 * it returns, and JavaScript runs one read at a time. Taken from the arena on first use.
 */
interface KernelOutput {
  readonly kernel: LevelsExports;
  readonly address: number;
  readonly count: Int32Array;
  readonly pairs: Float64Array;
}
let output: KernelOutput | null = null;
let outputTried = false;

function kernelOutput(): KernelOutput | null {
  if (outputTried) return output;
  outputTried = true;
  const levels = kernelImplementation === 'simd' ? levelsKernel() : null;
  const region = levels === null ? null : allocateKernelArenaBuffer(OUTPUT_BYTES);
  if (levels !== null && region !== null) {
    output = {
      kernel: levels.exports,
      address: region.byteOffset,
      count: new Int32Array(levels.memory, region.byteOffset, 1),
      pairs: new Float64Array(levels.memory, region.byteOffset + 8, 2 * KERNEL_LEVEL_CAPACITY),
    };
  }
  return output;
}

/**
 * Reads a depth message's level array with the WebAssembly kernel when the message lies in kernel
 * memory. One reader per decoder.
 */
export class LevelPairsReader {
  /** Levels written by the last read() that succeeded. */
  count = 0;
  /**
   * False when the kernel cannot serve this reader (no WebAssembly SIMD, TICKWIRE_KERNELS=scalar,
   * the arena full, or a scale other than 8): read() then always answers -1.
   */
  readonly available: boolean;
  private readonly output: KernelOutput | null;

  /** `scale`: the owning decoder's fixed-point decimals. */
  constructor(scale: number) {
    this.output = scale === KERNEL_LEVEL_SCALE ? kernelOutput() : null;
    this.available = this.output !== null;
  }

  /**
   * Reads the array whose '[' is data[start] (the message ends at `end`) into target's first pairs
   * (price, quantity, ...). Returns the index after the array's ']' and sets `count`; or -1 with
   * target's contents undefined: the message is not in kernel memory, the array is not in the
   * kernel's strict shape, or it holds more levels than target has room for.
   */
  read(data: Uint8Array, start: number, end: number, target: Float64Array): number {
    const output = this.output;
    if (output === null) return -1;
    const base = kernelAddressOf(data);
    if (base < 0 || !(start >= 0) || !(end <= kernelViewLength()) || !(start < end)) return -1;
    const capacity = Math.min(target.length >> 1, KERNEL_LEVEL_CAPACITY);
    const after = output.kernel.levelPairs(base + start, base + end, output.address, capacity);
    if (after < 0) return -1;
    const count = output.count[0]!;
    const pairs = output.pairs;
    for (let k = 0; k < 2 * count; k++) target[k] = pairs[k]!;
    this.count = count;
    return after - base;
  }
}
