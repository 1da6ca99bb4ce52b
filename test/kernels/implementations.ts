// Test support for the kernel tests: a seeded PRNG, obviously-correct oracles written straight
// from the definitions, and every implementation the tests run (regardless of what the selector
// picked for this process).
import * as selected from '../../src/kernels/index.js';
import {
  indexOfNonAsciiScalar,
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
} from '../../src/kernels/scalar.js';
import {
  allocateKernelArenaBuffer,
  indexOfNonAsciiSimd,
  indexOfQuoteOrBackslashSimd,
  indexOfStringStopSimd,
  indexOfStructuralSimd,
  isAsciiSimd,
  maskSimd,
  simdSupported,
} from '../../src/kernels/simd.js';
import type { IndexKernel, MaskKernel, PredicateKernel } from '../../src/kernels/index.js';

export interface Implementation {
  readonly name: string;
  readonly mask: MaskKernel;
  readonly indexOfQuoteOrBackslash: IndexKernel;
  readonly indexOfStringStop: IndexKernel;
  readonly indexOfNonAscii: IndexKernel;
  readonly indexOfStructural: IndexKernel;
  readonly isAscii: PredicateKernel;
  /** A zeroed buffer of the kind this implementation is tested on; `slot` picks one of two regions. */
  buffer(byteLength: number, slot: 0 | 1): Uint8Array;
}

/** Bytes per kernel-memory test region; the largest test input must fit. */
export const REGION_BYTES = 512 * 1024;
const regions = simdSupported
  ? [allocateKernelArenaBuffer(REGION_BYTES), allocateKernelArenaBuffer(REGION_BYTES)]
  : [null, null];

function ordinaryBuffer(byteLength: number): Uint8Array {
  return new Uint8Array(byteLength);
}

function kernelMemoryBuffer(byteLength: number, slot: 0 | 1): Uint8Array {
  const region = regions[slot];
  if (region === null || region === undefined || byteLength > REGION_BYTES) {
    throw new Error(`no kernel memory region for ${byteLength} bytes`);
  }
  const view = region.subarray(0, byteLength);
  view.fill(0);
  return view;
}

const scalar: Implementation = {
  name: 'scalar',
  mask: maskScalar,
  indexOfQuoteOrBackslash: indexOfQuoteOrBackslashScalar,
  indexOfStringStop: indexOfStringStopScalar,
  indexOfNonAscii: indexOfNonAsciiScalar,
  indexOfStructural: indexOfStructuralScalar,
  isAscii: isAsciiScalar,
  buffer: ordinaryBuffer,
};

const simdKernels = {
  mask: maskSimd,
  indexOfQuoteOrBackslash: indexOfQuoteOrBackslashSimd,
  indexOfStringStop: indexOfStringStopSimd,
  indexOfNonAscii: indexOfNonAsciiSimd,
  indexOfStructural: indexOfStructuralSimd,
  isAscii: isAsciiSimd,
};

const selectedKernels = {
  mask: selected.mask,
  indexOfQuoteOrBackslash: selected.indexOfQuoteOrBackslash,
  indexOfStringStop: selected.indexOfStringStop,
  indexOfNonAscii: selected.indexOfNonAscii,
  indexOfStructural: selected.indexOfStructural,
  isAscii: selected.isAscii,
};

/** Every implementation under test. The SIMD ones are left out only where SIMD is unsupported. */
export const implementations: readonly Implementation[] = [
  scalar,
  ...(simdSupported
    ? [
        { name: 'simd (copied through scratch)', ...simdKernels, buffer: ordinaryBuffer },
        { name: 'simd (in kernel memory)', ...simdKernels, buffer: kernelMemoryBuffer },
        { name: `selected: ${selected.kernelImplementation}, kernel memory`, ...selectedKernels, buffer: kernelMemoryBuffer },
      ]
    : []),
  { name: `selected: ${selected.kernelImplementation}`, ...selectedKernels, buffer: ordinaryBuffer },
];

/** Deterministic xorshift32, so a failure names a reproducible case. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }
  below(limit: number): number {
    return this.next() % limit;
  }
  fill(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.next() & 0xff;
  }
}

// Oracles: one line each, straight from the definitions.

export function maskOracle(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number,
  length: number, maskKey: Uint8Array, keyOffset: number): void {
  for (let i = 0; i < length; i++) target[targetStart + i] = source[sourceStart + i]! ^ maskKey[(keyOffset + i) % 4]!;
}

const memberTables = new Map<string, Uint8Array>();

/** First index in [start, end) whose byte is one of the characters of `set`, or -1. */
export function indexOfOracle(data: Uint8Array, start: number, end: number, set: string): number {
  let members = memberTables.get(set);
  if (members === undefined) {
    members = new Uint8Array(256);
    for (let i = 0; i < set.length; i++) members[set.charCodeAt(i)] = 1;
    memberTables.set(set, members);
  }
  for (let i = start; i < end; i++) if (members[data[i]!] === 1) return i;
  return -1;
}

export const QUOTE_OR_BACKSLASH = '"\\';
export const STRUCTURAL = '"\\{}[],:';
/** The 128 bytes >= 0x80. */
export const NON_ASCII = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => 0x80 + i));
/** '"', '\\' and the 32 control bytes. */
export const STRING_STOP = '"\\' + String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i));

export function isAsciiOracle(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (data[i]! > 127) return false;
  return true;
}
