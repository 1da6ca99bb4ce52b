// Depth levels `[["price","quantity"],...]` -> fixed-point pairs at scale 8 by the WebAssembly
// kernel (wasm/levels.wat), read in place where the client received the message.
//
// Why a kernel: a 20+20-level depth message is 80 decimals, and plain JavaScript levels off around
// 15-20 ns a decimal (digit classification and int32-only arithmetic: swar-decimal.ts). In
// WebAssembly one SIMD compare classifies 32 bytes and i64 arithmetic converts eight digits with
// three multiply-adds. The kernel reads bytes in kernel memory: the client's receive buffers are
// there (connect.ts takes them from acquireKernelBuffer), so those messages are read in place. A
// message anywhere else (a Buffer from `ws`, a file, a test corpus) is first copied into a shared
// staging region in kernel memory (prepare()): a 1.4 kB depth message costs 30-60 ns to copy and
// saves about 900 ns of JavaScript parsing. The copy must not allocate (byte-copy.ts): a message
// that cannot be copied so stays with the JavaScript parser.
//
// The kernel is never the reference: it accepts a strict subset of what the scalar parser
// (fixed-point.ts scanUnits) accepts, with the same values, and answers -1 for everything else,
// after which the caller reads the array again with its own parser.
// test/kernels/level-pairs.test.ts checks both on fuzzed input.

import { copyRangeShifted } from './byte-copy.js';
import { acquireKernelBuffer, kernelImplementation, releaseKernelBuffer } from './index.js';
import { allocateKernelArenaBuffer, kernelAddressOf, kernelViewLength, levelsKernel, type LevelsExports } from './simd.js';

/** Levels one kernel call can return; a longer array (a deep REST snapshot) is read by the caller's parser. */
export const KERNEL_LEVEL_CAPACITY = 4096;
/** Output region: the two arrays' level counts (i32 each), then room for each array's pairs. */
const OUTPUT_BYTES = 8 + 2 * 16 * KERNEL_LEVEL_CAPACITY;
const SECOND_PAIRS_OFFSET = 8 + 16 * KERNEL_LEVEL_CAPACITY;
/**
 * Largest message prepare() copies into kernel memory (a 1000-level depth message is about 40 kB);
 * longer ones are read by the caller's parser.
 */
export const KERNEL_STAGING_BYTES = 64 * 1024;
/**
 * Shorter messages are not staged: with a level or two the copy and the kernel call cost about
 * what the JavaScript parser does.
 */
export const KERNEL_STAGING_MIN_BYTES = 192;
/** The kernel loads up to 80 bytes past a window that starts before the end: room for them. */
const STAGING_SLACK_BYTES = 128;
/**
 * The kernel's tables (wasm/levels.wat), after the staging slack: at +8n the mask of a word's n
 * low bytes, at +72 + 8n 10^n (n = 0..8).
 */
const TABLE_BYTES = 144;
/** The kernel's one scale: Binance's 8 decimals (what every decoder here uses by default). */
export const KERNEL_LEVEL_SCALE = 8;

/**
 * The output region in kernel memory, shared by every reader, for targets outside kernel memory: a
 * read copies its pairs out before it returns, and JavaScript runs one read at a time. Taken from
 * the arena on first use.
 */
interface KernelOutput {
  readonly kernel: LevelsExports;
  readonly address: number;
  /** [first array's level count, second array's (-1: not read)]. */
  readonly count: Int32Array;
  readonly pairs: Float64Array;
  readonly secondPairs: Float64Array;
  /** Where prepare() copies a message from outside kernel memory, and its address. */
  readonly staging: Uint8Array;
  readonly stagingAddress: number;
  /** The kernel's tables (TABLE_BYTES). */
  readonly tablesAddress: number;
}
let output: KernelOutput | null = null;
let outputTried = false;
/**
 * Counts the copies prepare() made, over all readers: a reader's staged copy is current while this
 * still has the value its own prepare() set (the staging region is shared, and another reader may have reused it).
 */
let stagingGeneration = 0;

function kernelOutput(): KernelOutput | null {
  if (outputTried) return output;
  outputTried = true;
  const levels = kernelImplementation === 'simd' ? levelsKernel() : null;
  const region = levels === null ? null : allocateKernelArenaBuffer(OUTPUT_BYTES + KERNEL_STAGING_BYTES + STAGING_SLACK_BYTES + TABLE_BYTES);
  if (levels !== null && region !== null) {
    const stagingAddress = region.byteOffset + OUTPUT_BYTES;
    const tablesAddress = stagingAddress + KERNEL_STAGING_BYTES + STAGING_SLACK_BYTES;
    const tables = new BigUint64Array(levels.memory, tablesAddress, TABLE_BYTES / 8);
    for (let n = 0; n <= 8; n++) {
      tables[n] = (1n << BigInt(8 * n)) - 1n;
      tables[9 + n] = 10n ** BigInt(n);
    }
    output = {
      kernel: levels.exports,
      address: region.byteOffset,
      count: new Int32Array(levels.memory, region.byteOffset, 2),
      pairs: new Float64Array(levels.memory, region.byteOffset + 8, 2 * KERNEL_LEVEL_CAPACITY),
      secondPairs: new Float64Array(levels.memory, region.byteOffset + SECOND_PAIRS_OFFSET, 2 * KERNEL_LEVEL_CAPACITY),
      staging: new Uint8Array(levels.memory, stagingAddress, KERNEL_STAGING_BYTES + 4),
      stagingAddress,
      tablesAddress,
    };
  }
  return output;
}

/**
 * Level arrays handed out by levelArray() go back to the kernel buffer pool once nothing holds
 * them any more: the registry watches the Float64Array itself (a decoder's DepthDiff can outlive
 * the decoder), so the memory is reused only after every view of it is gone. Connections create
 * decoders, so without this every reconnect would take arena memory that is never freed.
 */
const levelArrays = new FinalizationRegistry<Uint8Array>((buffer) => releaseKernelBuffer(buffer));

/**
 * Reads a depth message's level array with the WebAssembly kernel when the message lies in kernel
 * memory. One reader per decoder.
 */
export class LevelPairsReader {
  /** Levels written by the last read() that succeeded. */
  count = 0;
  /** Levels written into `second` by the last read(), or -1 when it did not read a second array. */
  secondCount = -1;
  /** Messages prepare() copied into kernel memory (for tests and tuning: which path messages take). */
  stagedCount = 0;
  /**
   * False when the kernel cannot serve this reader (no WebAssembly SIMD, TICKWIRE_KERNELS=scalar,
   * the arena full, or a scale other than 8): read() then always answers -1.
   */
  readonly available: boolean;
  private readonly output: KernelOutput | null;
  // Up to two arrays from levelArray() (a decoder's bids and asks), which the kernel fills in place.
  private ownArray0: Float64Array | null = null;
  private ownAddress0 = -1;
  private ownArray1: Float64Array | null = null;
  private ownAddress1 = -1;
  // The view locate() or prepare() last saw; whether read() can serve it; the kernel address of
  // its byte 0 (for a staged message, where byte 0 would be if the staged range were at its
  // offset: possibly negative); the range read() may read; stagingGeneration when it was seen.
  private locatedView: Uint8Array | null = null;
  private located = false;
  private locatedBase = 0;
  private locatedStart = 0;
  private locatedLength = 0;
  private locatedGeneration = 0;

  /** `scale`: the owning decoder's fixed-point decimals. */
  constructor(scale: number) {
    this.output = scale === KERNEL_LEVEL_SCALE ? kernelOutput() : null;
    this.available = this.output !== null;
  }

  /**
   * A level-pair array (2 * levels entries) in kernel memory, which read() fills in place instead
   * of copying the levels out of the shared output region (about 50 ns of a 20+20-level message
   * on Node 26). At most two per reader (a decoder's bids and asks); null when the reader is
   * unavailable, already has two, or kernel memory has no room.
   */
  levelArray(levels: number): Float64Array | null {
    if (this.output === null || this.ownArray1 !== null || !(levels > 0 && levels <= KERNEL_LEVEL_CAPACITY)) return null;
    const buffer = acquireKernelBuffer(16 * levels);
    const address = kernelAddressOf(buffer);
    if (address < 0 || address % 8 !== 0) {
      releaseKernelBuffer(buffer);
      return null;
    }
    const array = new Float64Array(buffer.buffer, buffer.byteOffset, 2 * levels);
    levelArrays.register(array, buffer);
    if (this.ownArray0 === null) {
      this.ownArray0 = array;
      this.ownAddress0 = address;
    } else {
      this.ownArray1 = array;
      this.ownAddress1 = address;
    }
    return array;
  }

  /**
   * Reads the array whose '[' is data[start] (the message ends at `end`) into target's first pairs
   * (price, quantity, ...). Returns the index after the array's ']' and sets `count`; or -1 with
   * target's contents undefined: the message is not in kernel memory, the array is not in the
   * kernel's strict shape, or it holds more levels than target has room for.
   *
   * With `second` not null, an array that follows at once as `,"<key>":[...]` (`nextKey` = the
   * four bytes `"<key>":` as a little-endian int32) is read into `second` in the same call: then
   * `secondCount` is its level count and the result is the index after it. `secondCount` is -1
   * when it was not read (absent, another key, or handed back; second's contents are then undefined).
   */
  read(data: Uint8Array, start: number, end: number, target: Float64Array, nextKey = 0, second: Float64Array | null = null): number {
    const output = this.output;
    this.secondCount = -1;
    if (output === null) return -1;
    if (data !== this.locatedView || this.locatedGeneration !== stagingGeneration) this.locate(data);
    const base = this.locatedBase;
    if (!this.located || !(start >= this.locatedStart) || !(end <= this.locatedLength) || !(start < end)) return -1;
    const counts = output.count;
    counts[1] = -1;
    const direct = this.addressOf(target);
    const secondDirect = second === null ? -1 : this.addressOf(second);
    const after = output.kernel.levelPairs(
      base + start,
      base + end,
      direct >= 0 ? direct : output.address + 8,
      output.address,
      Math.min(target.length >> 1, KERNEL_LEVEL_CAPACITY),
      nextKey,
      second === null ? 0 : secondDirect >= 0 ? secondDirect : output.address + SECOND_PAIRS_OFFSET,
      output.address + 4,
      second === null ? 0 : Math.min(second.length >> 1, KERNEL_LEVEL_CAPACITY),
      output.tablesAddress,
    );
    if (after < 0) return -1;
    const count = counts[0]!;
    if (direct < 0) copyPairs(output.pairs, target, count);
    this.count = count;
    const secondCount = counts[1]!;
    if (second !== null && secondCount >= 0) {
      if (secondDirect < 0) copyPairs(output.secondPairs, second, secondCount);
      this.secondCount = secondCount;
    }
    return after - base;
  }

  /**
   * Whether `data` lies in kernel memory (where read() can serve it). A decoder asks once per
   * message and reads the answer for each of its arrays: for a buffer seen for the first time the
   * lookup costs V8's `buffer` / `byteOffset` / `length` getters, which V8 11 does not inline.
   */
  locate(data: Uint8Array): boolean {
    this.locatedView = data;
    this.locatedGeneration = stagingGeneration;
    const address = this.output === null ? -1 : kernelAddressOf(data);
    this.located = address >= 0;
    this.locatedBase = address;
    this.locatedStart = 0;
    this.locatedLength = kernelViewLength();
    return this.located;
  }

  /**
   * Makes data[start, end) readable by read(), once per message before reading its arrays: true
   * when it lies in kernel memory (read in place), or once it has been copied into the shared
   * staging region there. A staged copy is current until the next locate() or prepare() of any
   * reader. False (read() answers -1 for `data`) when the reader is unavailable, the range is not
   * inside the view, the message is shorter than KERNEL_STAGING_MIN_BYTES or longer than
   * KERNEL_STAGING_BYTES, or the copy would allocate (on Node 20, part of a buffer seen for the
   * first time).
   */
  prepare(data: Uint8Array, start: number, end: number): boolean {
    if (this.locate(data)) return true;
    const output = this.output;
    const length = end - start;
    // locatedLength: the view's length, as locate() read it through the address cache (no getter)
    if (output === null || !(start >= 0) || !(end <= this.locatedLength) || !(length >= KERNEL_STAGING_MIN_BYTES) || length > KERNEL_STAGING_BYTES) return false;
    const at = copyRangeShifted(data, start, output.staging, 0, length);
    if (at < 0) return false;
    this.locatedGeneration = ++stagingGeneration;
    this.stagedCount++;
    this.located = true;
    this.locatedBase = output.stagingAddress + at - start;
    this.locatedStart = start;
    this.locatedLength = end;
    return true;
  }

  /** Where `array` (one of this reader's level arrays) lies in kernel memory, else -1. */
  private addressOf(array: Float64Array): number {
    return array === this.ownArray0 ? this.ownAddress0 : array === this.ownArray1 ? this.ownAddress1 : -1;
  }
}

function copyPairs(from: Float64Array, to: Float64Array, levels: number): void {
  for (let k = 0; k < 2 * levels; k++) to[k] = from[k]!;
}
