// The variants bench/kernels.ts measures: one loop function literal per variant, so every kernel
// call site stays monomorphic (a shared `run(kernel)` loop would measure megamorphic dispatch
// instead of the kernel), plus the inputs they run on.
import { isAscii as nodeIsAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import {
  allocateKernelBuffer,
  indexOfNonAscii,
  indexOfQuoteOrBackslash,
  indexOfStringStop,
  indexOfStructural,
  isAscii,
  kernelImplementation,
  mask,
} from '../src/kernels/index.js';
import {
  indexOfNonAsciiScalar,
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
} from '../src/kernels/scalar.js';
import {
  indexOfNonAsciiSimd,
  indexOfQuoteOrBackslashSimd,
  indexOfStringStopSimd,
  indexOfStructuralSimd,
  isAsciiSimd,
  maskSimd,
  simdSupported,
} from '../src/kernels/simd.js';

/** Runs `iterations` operations; returns something derived from the results so they stay live. */
export type Loop = (iterations: number) => number;

export interface BufferUtil {
  mask(source: Uint8Array, mask: Uint8Array, output: Uint8Array, offset: number, length: number): void;
  unmask(buffer: Uint8Array, mask: Uint8Array): void;
}

export function loadBufferUtil(): BufferUtil | null {
  try {
    return createRequire(import.meta.url)('bufferutil') as BufferUtil;
  } catch {
    return null;
  }
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

export interface Variant {
  name: string;
  loop: Loop;
}

export function maskVariants(size: number, bufferUtil: BufferUtil | null): Variant[] {
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

export function unmaskVariants(size: number, bufferUtil: BufferUtil | null): Variant[] {
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

export function isAsciiVariants(size: number): Variant[] {
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

/** ASCII text: the scan runs to the end, as it does for every market-data text message. */
export function nonAsciiVariants(size: number): Variant[] {
  const data = plainText(size);
  const kernelData = inKernelMemory(data);
  const variants: Variant[] = [
    {
      name: 'scalar',
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfNonAsciiScalar(data, 0, size);
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
          for (let i = 0; i < n; i++) sum ^= indexOfNonAsciiSimd(data, 0, size);
          return sum;
        },
      },
      {
        name: 'simd, kernel memory',
        loop: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) sum ^= indexOfNonAsciiSimd(kernelData, 0, size);
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
        for (let i = 0; i < n; i++) sum ^= indexOfNonAscii(data, 0, size);
        return sum;
      },
    },
    {
      name: `selected (${kernelImplementation}), kernel buffer`,
      loop: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum ^= indexOfNonAscii(kernelData, 0, size);
        return sum;
      },
    },
  );
  return variants;
}

export function quoteVariants(size: number): Variant[] {
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

export function stringStopVariants(size: number): Variant[] {
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

export function structuralVariants(size: number): Variant[] {
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
export function snapshotWalkVariants(size: number): Variant[] {
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
