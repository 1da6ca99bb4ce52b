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
  indexOfNonAsciiScalar,
  indexOfQuoteOrBackslashScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskScalar,
  STRUCTURAL,
} from './scalar.js';
import {
  allocateKernelArenaBuffer,
  indexOfNonAsciiSimd,
  indexOfQuoteOrBackslashSimd,
  indexOfStringStopSimd,
  indexOfStructuralSimd,
  isAsciiSimd,
  isKernelBuffer,
  maskSimd,
  simdSupported,
} from './simd.js';
import { copyRange } from './byte-copy.js';

export { isKernelBuffer, KERNEL_MEMORY_BYTES, simdSupported } from './simd.js';

/**
 * A masking kernel (RFC 6455 5.3): XORs `length` bytes of source with the 4-byte key into target
 * (the same array for in place), the key starting at byte `keyOffset` of its rotation.
 */
export type MaskKernel = (
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  maskKey: Uint8Array,
  keyOffset?: number,
  maskKeyStart?: number,
) => void;
/** A search kernel: index of the first matching byte in data[start, end), or `end`. */
export type IndexKernel = (data: Uint8Array, start: number, end: number) => number;
/** A check kernel: true when every byte of data[start, end) passes. */
export type PredicateKernel = (data: Uint8Array, start: number, end: number) => boolean;

// Thresholds. "In kernel memory" means the bytes lie in a buffer from allocateKernelBuffer() and
// the SIMD kernel works on them in place; otherwise the SIMD path first copies them into kernel
// memory (TypedArray.set calls and their subarray views: 70-170 ns for masking on the bench VM),
// which raises the size at which it wins. Figures from `node dist/bench/kernels.js` (and
// `--sizes=16,32,64,128,256,512,768,1024,2048` for the crossovers) on the 2-core bench VM,
// Node 20; docs/benchmarks.md "Kernels" has the tables.
//
/**
 * Masking in kernel memory goes SIMD from this length; below it the selector goes straight to
 * scalar without looking at where the buffers live. `node dist/bench/kernels.js --kernel=mask
 * --sizes=16,24,32,48,64`: at 16 B "simd, kernel memory" 12-13 ns against scalar 13-14 ns (and the
 * lookups cost the selected path 1-2 ns); at 32 B 14 ns against 19 ns; at 64 B 14 against 28.
 */
export const MASK_SIMD_MIN_BYTES = 32;

/**
 * Masking bytes outside kernel memory goes SIMD (copied in and out) from this length.
 * bench mask, "simd, copied in/out": 0.7-0.8x scalar at 256 B, 1.3x at 512 B, 2.4-2.9x at 1 KiB.
 */
export const MASK_SIMD_COPY_MIN_BYTES = 512;
/**
 * isAscii in kernel memory goes SIMD from this length.
 * bench isAscii, "simd, kernel memory": 1.4x scalar at 32 B, 2.5x at 128 B.
 */
export const ASCII_SIMD_MIN_BYTES = 32;
/**
 * isAscii outside kernel memory goes SIMD (copied in) from this length.
 * bench isAscii, "simd, copied in": 0.5-1.4x scalar at 256 B (noisy), 1.3-2.8x at 512 B.
 */
export const ASCII_SIMD_COPY_MIN_BYTES = 512;
/**
 * Scans first look at this many bytes with an inline scalar loop: in JSON the next quote or
 * structural byte is usually a few bytes away, where a plain loop returns before a call into
 * WebAssembly (6-16 ns) would have started. Past the probe, data in kernel memory goes SIMD.
 * bench indexOfQuoteOrBackslash at 16 B: scalar 10-15 ns, "simd, kernel memory" 6-9 ns; and
 * snapshotWalk (one call per token of a depth snapshot): SIMD on every call 0.2-0.4x scalar,
 * the probe brings the selected kernel back to 0.8-1.0x.
 */
export const SCAN_SCALAR_PROBE_BYTES = 16;
/**
 * Outside kernel memory every SIMD scan call pays for copying its first block (about 70 ns), so
 * the scalar loop carries on up to this many bytes from the start before the copy path takes over.
 * bench indexOfQuoteOrBackslash/indexOfStructural, "simd, copied in": 0.9-1.25x scalar at 64 B,
 * 3-4.6x at 256 B.
 */
export const SCAN_COPY_PROBE_BYTES = 64;

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
  maskKeyStart = 0,
): void {
  // The source is looked up only when the target is in kernel memory: a fresh payload array per
  // call would miss the address cache and pay for the `buffer` getter.
  if (
    length >= MASK_SIMD_COPY_MIN_BYTES ||
    (length >= MASK_SIMD_MIN_BYTES && isKernelBuffer(target) && isKernelBuffer(source))
  ) {
    maskSimd(source, sourceStart, target, targetStart, length, maskKey, keyOffset, maskKeyStart);
  } else {
    maskScalar(source, sourceStart, target, targetStart, length, maskKey, keyOffset, maskKeyStart);
  }
}

function indexOfQuoteOrBackslashAuto(data: Uint8Array, start: number, end: number): number {
  // Fast case first, inline (a token-by-token JSON walk calls this once per token, where an extra
  // call layer costs as much as the scan): the next match is usually within a few bytes.
  const probeEnd = end - start > SCAN_SCALAR_PROBE_BYTES ? start + SCAN_SCALAR_PROBE_BYTES : end;
  for (let index = start; index < probeEnd; index++) {
    const byte = data[index]!;
    if (byte === 0x22 || byte === 0x5c) return index;
  }
  return probeEnd === end ? -1 : indexOfQuoteOrBackslashLong(data, probeEnd, end);
}

/** The rest of a scan that found nothing in its first SCAN_SCALAR_PROBE_BYTES. */
function indexOfQuoteOrBackslashLong(data: Uint8Array, start: number, end: number): number {
  if (isKernelBuffer(data)) return indexOfQuoteOrBackslashSimd(data, start, end);
  const copyProbeEnd = start + SCAN_COPY_PROBE_BYTES - SCAN_SCALAR_PROBE_BYTES;
  if (copyProbeEnd >= end) return indexOfQuoteOrBackslashScalar(data, start, end);
  const found = indexOfQuoteOrBackslashScalar(data, start, copyProbeEnd);
  if (found >= 0) return found;
  return indexOfQuoteOrBackslashSimd(data, copyProbeEnd, end);
}

function indexOfStringStopAuto(data: Uint8Array, start: number, end: number): number {
  // Fast case first, inline (a token-by-token JSON walk calls this once per token, where an extra
  // call layer costs as much as the scan): the next match is usually within a few bytes.
  const probeEnd = end - start > SCAN_SCALAR_PROBE_BYTES ? start + SCAN_SCALAR_PROBE_BYTES : end;
  for (let index = start; index < probeEnd; index++) {
    const byte = data[index]!;
    if (byte === 0x22 || byte === 0x5c || byte < 0x20) return index;
  }
  return probeEnd === end ? -1 : indexOfStringStopLong(data, probeEnd, end);
}

/** The rest of a scan that found nothing in its first SCAN_SCALAR_PROBE_BYTES. */
function indexOfStringStopLong(data: Uint8Array, start: number, end: number): number {
  if (isKernelBuffer(data)) return indexOfStringStopSimd(data, start, end);
  const copyProbeEnd = start + SCAN_COPY_PROBE_BYTES - SCAN_SCALAR_PROBE_BYTES;
  if (copyProbeEnd >= end) return indexOfStringStopScalar(data, start, end);
  const found = indexOfStringStopScalar(data, start, copyProbeEnd);
  if (found >= 0) return found;
  return indexOfStringStopSimd(data, copyProbeEnd, end);
}

function indexOfStructuralAuto(data: Uint8Array, start: number, end: number): number {
  // Fast case first, inline (a token-by-token JSON walk calls this once per token, where an extra
  // call layer costs as much as the scan): the next match is usually within a few bytes.
  const probeEnd = end - start > SCAN_SCALAR_PROBE_BYTES ? start + SCAN_SCALAR_PROBE_BYTES : end;
  for (let index = start; index < probeEnd; index++) {
    if (STRUCTURAL[data[index]!] === 1) return index;
  }
  return probeEnd === end ? -1 : indexOfStructuralLong(data, probeEnd, end);
}

/** The rest of a scan that found nothing in its first SCAN_SCALAR_PROBE_BYTES. */
function indexOfStructuralLong(data: Uint8Array, start: number, end: number): number {
  if (isKernelBuffer(data)) return indexOfStructuralSimd(data, start, end);
  const copyProbeEnd = start + SCAN_COPY_PROBE_BYTES - SCAN_SCALAR_PROBE_BYTES;
  if (copyProbeEnd >= end) return indexOfStructuralScalar(data, start, end);
  const found = indexOfStructuralScalar(data, start, copyProbeEnd);
  if (found >= 0) return found;
  return indexOfStructuralSimd(data, copyProbeEnd, end);
}

function isAsciiAuto(data: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length >= ASCII_SIMD_COPY_MIN_BYTES || (length >= ASCII_SIMD_MIN_BYTES && isKernelBuffer(data))) {
    return isAsciiSimd(data, start, end);
  }
  return isAsciiScalar(data, start, end);
}

function indexOfNonAsciiAuto(data: Uint8Array, start: number, end: number): number {
  // Same thresholds as isAscii: ASCII text, the common case, is scanned to its end.
  const length = end - start;
  if (length >= ASCII_SIMD_COPY_MIN_BYTES || (length >= ASCII_SIMD_MIN_BYTES && isKernelBuffer(data))) {
    return indexOfNonAsciiSimd(data, start, end);
  }
  return indexOfNonAsciiScalar(data, start, end);
}

/**
 * RFC 6455 5.3 masking, for i in [0, length):
 *   target[targetStart + i] = source[sourceStart + i] ^ maskKey[maskKeyStart + ((keyOffset + i) & 3)]
 * keyOffset (default 0) is the payload position of source[sourceStart], for masking a payload in
 * pieces; maskKeyStart (default 0) locates the 4 key bytes in a key pool or in the frame header.
 * target may be the very same range as source (in-place unmask); ranges must be in bounds (out of
 * range bytes are skipped, never written outside the view) and must not partially overlap.
 * Allocation-free on the scalar path and on the SIMD path when the buffers come from
 * allocateKernelBuffer() (and are passed as the same views each call).
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

/**
 * First index in [start, end) of a byte >= 0x80, or -1. Everything before it is ASCII and so valid
 * UTF-8: a validator can skip there (or finish, on -1) and check only the rest.
 */
export const indexOfNonAscii: IndexKernel = !useSimd
  ? indexOfNonAsciiScalar
  : thresholds
    ? indexOfNonAsciiAuto
    : indexOfNonAsciiSimd;

/** True when every byte in [start, end) is below 0x80 (then the bytes are valid UTF-8 too). */
export const isAscii: PredicateKernel = !useSimd ? isAsciiScalar : thresholds ? isAsciiAuto : isAsciiSimd;

/**
 * A long-lived buffer (a connection's receive or assembly buffer) that the selected kernels
 * process fastest: in kernel memory when SIMD is in use and the arena has room; without SIMD, in
 * one shared fallback arena (so copies between such buffers need no view); an ordinary
 * Uint8Array once the arena is full. Neither arena is ever freed: use acquireKernelBuffer() /
 * releaseKernelBuffer() for buffers that come and go with connections.
 */
export function allocateKernelBuffer(byteLength: number): Uint8Array {
  return (useSimd ? allocateKernelArenaBuffer(byteLength) : allocateFallbackArenaBuffer(byteLength)) ?? new Uint8Array(byteLength);
}

/**
 * Without SIMD, connection buffers still come from one ArrayBuffer, so copies between them
 * (a frame split across reads joined into the assembly buffer) stay allocation-free.
 */
const FALLBACK_ARENA_BYTES = 16 * 1024 * 1024;
const FALLBACK_ARENA_ALIGNMENT = 128;
let fallbackArena: ArrayBuffer | null = null;
let fallbackNext = 0;

function allocateFallbackArenaBuffer(byteLength: number): Uint8Array | null {
  if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > FALLBACK_ARENA_BYTES - fallbackNext) return null;
  fallbackArena ??= new ArrayBuffer(FALLBACK_ARENA_BYTES);
  const start = fallbackNext;
  fallbackNext = Math.min(FALLBACK_ARENA_BYTES, start + Math.ceil(byteLength / FALLBACK_ARENA_ALIGNMENT) * FALLBACK_ARENA_ALIGNMENT);
  return new Uint8Array(fallbackArena, start, byteLength);
}

/**
 * Below this many bytes a plain loop copies faster than any call, and it needs no subarray view.
 * Above it, copies within one ArrayBuffer use copyWithin (no allocation); others use set().
 */
export const COPY_LOOP_MAX_BYTES = 64;

/** The ArrayBuffer of the last same-buffer copy and a view over all of it, for copyWithin. */
let copyBuffer: ArrayBufferLike | null = null;
let copyView: Uint8Array = new Uint8Array(0);

/**
 * Copies source[sourceStart, +length) to target[targetStart..]. When both views share one
 * ArrayBuffer (connection buffers all come from the kernel arena) this is a copyWithin over that
 * buffer: TypedArray.set would need a subarray of the source, an allocation per call. Between two
 * buffers it is copyRange (byte-copy.ts): allocation-free on Node 22+.
 */
export function copyBytes(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number, length: number): void {
  if (length < COPY_LOOP_MAX_BYTES) {
    for (let index = 0; index < length; index++) target[targetStart + index] = source[sourceStart + index]!;
    return;
  }
  const buffer = source.buffer;
  if (buffer === target.buffer && sourceStart >= 0 && targetStart >= 0 && sourceStart + length <= source.length && targetStart + length <= target.length) {
    if (buffer !== copyBuffer) {
      copyBuffer = buffer;
      copyView = new Uint8Array(buffer);
    }
    const from = source.byteOffset + sourceStart;
    copyView.copyWithin(target.byteOffset + targetStart, from, from + length);
    return;
  }
  copyRange(source, sourceStart, target, targetStart, length);
}

/** Released kernel buffers kept per size for the next connection. */
const MAX_POOLED_PER_SIZE = 8;
const pool = new Map<number, Uint8Array[]>();

/**
 * A long-lived buffer for a connection (receive buffer, message assembly buffer), from the pool
 * of released ones when it can: kernel memory is never freed, so connections that come and go
 * (reconnects, a server's clients) must reuse it instead of exhausting it.
 */
export function acquireKernelBuffer(byteLength: number): Uint8Array {
  return pool.get(byteLength)?.pop() ?? allocateKernelBuffer(byteLength);
}

/** Gives a buffer from acquireKernelBuffer back once nothing can read or write it any more. */
export function releaseKernelBuffer(buffer: Uint8Array): void {
  let free = pool.get(buffer.length);
  if (free === undefined) {
    free = [];
    pool.set(buffer.length, free);
  }
  if (free.length < MAX_POOLED_PER_SIZE && !free.includes(buffer)) free.push(buffer);
}
