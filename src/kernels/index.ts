// The one kernel selector. At load time it picks, once, which implementation every kernel export
// binds to, so call sites stay monomorphic:
//   - WebAssembly SIMD when `WebAssembly.validate` accepts the SIMD modules, with size thresholds
//     that keep small inputs on the scalar path (a call into WebAssembly and a copy cost more than
//     they save there);
//   - scalar TypeScript otherwise.
// Environment override, read once at load:
//   TICKWIRE_KERNELS=scalar  scalar everywhere (also the reference when chasing a suspected bug)
//   TICKWIRE_KERNELS=simd    SIMD for every size, thresholds off, where SIMD is supported
//   TICKWIRE_KERNELS=auto    the default described above
import {
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
} from './scalar.js';
import {
  allocateKernelArenaBuffer,
  indexOfQuoteOrBackslashSimd,
  indexOfStringStopSimd,
  indexOfStructuralSimd,
  isAsciiSimd,
  isKernelBuffer,
  maskSimd,
  simdSupported,
} from './simd.js';

export { isKernelBuffer, simdSupported } from './simd.js';

export type MaskKernel = (
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  maskKey: Uint8Array,
  keyOffset?: number,
) => void;
export type IndexKernel = (data: Uint8Array, start: number, end: number) => number;
export type PredicateKernel = (data: Uint8Array, start: number, end: number) => boolean;

// Thresholds. "In kernel memory" means the bytes lie in a buffer from allocateKernelBuffer() and
// the SIMD kernel works on them in place; otherwise the SIMD path first copies them into kernel
// memory, which raises the size at which it wins.

/**
 * Masking in kernel memory goes SIMD from this length.
 * bench/kernels.ts (mask, kernel memory): scalar and SIMD tie near 32 bytes, SIMD leads from 64.
 */
export const MASK_SIMD_MIN_BYTES = 64;
/**
 * Masking with a copy in and out goes SIMD from this length.
 * bench/kernels.ts (mask, copied): the copy path overtakes the scalar word loop between 256 B and 1 KiB.
 */
export const MASK_SIMD_COPY_MIN_BYTES = 512;
/**
 * Scans first look at this many bytes with the scalar loop: in JSON the next quote or structural
 * byte is usually a few bytes away, where a plain loop beats any call. Only a longer run goes SIMD.
 * bench/kernels.ts (scan): scalar ahead up to 64 bytes in kernel memory.
 */
export const SCAN_SCALAR_PROBE_BYTES = 64;
/**
 * A scan of bytes outside kernel memory goes SIMD only when this many bytes remain after the probe.
 * bench/kernels.ts (scan, copied): the copy path wins from about 1 KiB.
 */
export const SCAN_SIMD_COPY_MIN_BYTES = 1024;
/** isAscii in kernel memory goes SIMD from this length. bench/kernels.ts (isAscii, kernel memory). */
export const ASCII_SIMD_MIN_BYTES = 64;
/** isAscii with a copy goes SIMD from this length. bench/kernels.ts (isAscii, copied). */
export const ASCII_SIMD_COPY_MIN_BYTES = 1024;

const KERNEL_MODE_AUTO = 0;
const KERNEL_MODE_SCALAR = 1;
const KERNEL_MODE_SIMD = 2;

function readKernelMode(): number {
  const value = process.env['TICKWIRE_KERNELS'];
  if (value === undefined || value === '' || value === 'auto') return KERNEL_MODE_AUTO;
  if (value === 'scalar') return KERNEL_MODE_SCALAR;
  if (value === 'simd') return KERNEL_MODE_SIMD;
  process.emitWarning(`TICKWIRE_KERNELS=${value} is not one of auto, scalar, simd; using auto`, {
    code: 'TICKWIRE_KERNELS',
  });
  return KERNEL_MODE_AUTO;
}

const mode = readKernelMode();
const useSimd = simdSupported && mode !== KERNEL_MODE_SCALAR;
const thresholds = mode !== KERNEL_MODE_SIMD;

/** Which implementation the kernel exports are bound to. */
export const kernelImplementation: 'simd' | 'scalar' = useSimd ? 'simd' : 'scalar';
/** True when SIMD kernels are used with size thresholds (the default), false for TICKWIRE_KERNELS=simd. */
export const kernelThresholds: boolean = useSimd && thresholds;

function maskAuto(
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  maskKey: Uint8Array,
  keyOffset = 0,
): void {
  if (
    length >= MASK_SIMD_COPY_MIN_BYTES ||
    (length >= MASK_SIMD_MIN_BYTES && isKernelBuffer(target) && isKernelBuffer(source))
  ) {
    maskSimd(source, sourceStart, target, targetStart, length, maskKey, keyOffset);
  } else {
    maskScalar(source, sourceStart, target, targetStart, length, maskKey, keyOffset);
  }
}

function indexOfQuoteOrBackslashAuto(data: Uint8Array, start: number, end: number): number {
  const probeEnd = start + SCAN_SCALAR_PROBE_BYTES;
  if (probeEnd >= end) return indexOfQuoteOrBackslashScalar(data, start, end);
  const found = indexOfQuoteOrBackslashScalar(data, start, probeEnd);
  if (found >= 0) return found;
  if (end - probeEnd < SCAN_SIMD_COPY_MIN_BYTES && !isKernelBuffer(data)) {
    return indexOfQuoteOrBackslashScalar(data, probeEnd, end);
  }
  return indexOfQuoteOrBackslashSimd(data, probeEnd, end);
}

function indexOfStringStopAuto(data: Uint8Array, start: number, end: number): number {
  const probeEnd = start + SCAN_SCALAR_PROBE_BYTES;
  if (probeEnd >= end) return indexOfStringStopScalar(data, start, end);
  const found = indexOfStringStopScalar(data, start, probeEnd);
  if (found >= 0) return found;
  if (end - probeEnd < SCAN_SIMD_COPY_MIN_BYTES && !isKernelBuffer(data)) {
    return indexOfStringStopScalar(data, probeEnd, end);
  }
  return indexOfStringStopSimd(data, probeEnd, end);
}

function indexOfStructuralAuto(data: Uint8Array, start: number, end: number): number {
  const probeEnd = start + SCAN_SCALAR_PROBE_BYTES;
  if (probeEnd >= end) return indexOfStructuralScalar(data, start, end);
  const found = indexOfStructuralScalar(data, start, probeEnd);
  if (found >= 0) return found;
  if (end - probeEnd < SCAN_SIMD_COPY_MIN_BYTES && !isKernelBuffer(data)) {
    return indexOfStructuralScalar(data, probeEnd, end);
  }
  return indexOfStructuralSimd(data, probeEnd, end);
}

function isAsciiAuto(data: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length >= ASCII_SIMD_COPY_MIN_BYTES || (length >= ASCII_SIMD_MIN_BYTES && isKernelBuffer(data))) {
    return isAsciiSimd(data, start, end);
  }
  return isAsciiScalar(data, start, end);
}

/**
 * RFC 6455 5.3 masking: target[targetStart + i] = source[sourceStart + i] ^ maskKey[(keyOffset + i) & 3]
 * for i in [0, length). target may be the very same range as source (in-place unmask); ranges must
 * be in bounds and must not partially overlap. Allocation-free on the scalar path and on the SIMD
 * path when the buffers come from allocateKernelBuffer().
 */
export const mask: MaskKernel = !useSimd ? maskScalar : thresholds ? maskAuto : maskSimd;

/** First index in [start, end) of '"' or '\', or -1. */
export const indexOfQuoteOrBackslash: IndexKernel = !useSimd
  ? indexOfQuoteOrBackslashScalar
  : thresholds
    ? indexOfQuoteOrBackslashAuto
    : indexOfQuoteOrBackslashSimd;

/**
 * First index in [start, end) of '"', '\' or a control byte < 0x20 (what ends plain JSON string
 * content, RFC 8259 7), or -1.
 */
export const indexOfStringStop: IndexKernel = !useSimd
  ? indexOfStringStopScalar
  : thresholds
    ? indexOfStringStopAuto
    : indexOfStringStopSimd;

/** First index in [start, end) of a JSON structural byte  " \ { } [ ] , :  or -1. */
export const indexOfStructural: IndexKernel = !useSimd
  ? indexOfStructuralScalar
  : thresholds
    ? indexOfStructuralAuto
    : indexOfStructuralSimd;

/** True when every byte in [start, end) is below 0x80 (then the bytes are valid UTF-8 too). */
export const isAscii: PredicateKernel = !useSimd ? isAsciiScalar : thresholds ? isAsciiAuto : isAsciiSimd;

/**
 * A long-lived buffer (a connection's receive or send buffer) that the selected kernels process
 * fastest: in kernel memory when SIMD is in use and the arena has room, an ordinary Uint8Array
 * otherwise. Allocate once per connection, not per message: kernel memory is never freed.
 */
export function allocateKernelBuffer(byteLength: number): Uint8Array {
  return (useSimd ? allocateKernelArenaBuffer(byteLength) : null) ?? new Uint8Array(byteLength);
}
