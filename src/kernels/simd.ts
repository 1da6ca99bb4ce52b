// WebAssembly SIMD kernels: instantiation, the shared linear memory, and the JS glue that brings
// a caller's bytes to the kernels. No thresholds here; ./index.ts decides when these are worth it.
//
// Memory layout (one WebAssembly.Memory shared by every kernel module, created at its final size
// and never grown, so every view over it stays valid for the life of the process):
//
//   [0, SCRATCH_BYTES)                  scratch: inputs that live outside kernel memory are copied
//                                       here in blocks, processed, and copied back
//   [SCRATCH_BYTES, KERNEL_MEMORY_BYTES) arena: allocateKernelBuffer() hands out views here; data
//                                       read into such a buffer is processed where it lies
//
// Pages that are never touched are never committed by the OS, so reserving the arena costs
// address space, not resident memory.
import { levelsWasmBase64, maskWasmBase64, scanWasmBase64 } from './wasm-binary.generated.js';
import {
  indexOfQuoteOrBackslashScalar,
  indexOfNonAsciiScalar,
  indexOfStringStopScalar,
  indexOfStructuralScalar,
  isAsciiScalar,
  maskKeyWord,
  maskScalar,
} from './scalar.js';

const PAGE_BYTES = 65536;
/** 16 MiB: room for a receive buffer holding a 1 MiB depth snapshot several times over. */
export const KERNEL_MEMORY_BYTES = 256 * PAGE_BYTES;
/** Block size of the copy path; a multiple of 16 so masking keeps its key phase across blocks. */
export const SCRATCH_BYTES = PAGE_BYTES;
/**
 * First block copied by the scan copy path; later blocks double up to SCRATCH_BYTES. Scans usually
 * stop early (a JSON string ends a few bytes on), so copying a whole large range up front would
 * waste most of the copy; doubling bounds the waste to half of what was copied.
 */
const SCAN_FIRST_BLOCK_BYTES = 1024;
/** Arena allocations start on a cache line. */
const ARENA_ALIGNMENT = 64;

interface MaskExports {
  mask(source: number, target: number, length: number, key: number): void;
}
interface ScanExports {
  indexOfQuoteOrBackslash(start: number, end: number): number;
  indexOfStringStop(start: number, end: number): number;
  indexOfStructural(start: number, end: number): number;
  indexOfNonAscii(start: number, end: number): number;
  isAscii(start: number, end: number): number;
}
/** levels.wat; see LevelPairsReader (level-pairs.ts) for the contract. */
export interface LevelsExports {
  levelPairs(pos: number, end: number, pairs: number, countAt: number, capacity: number, nextKey: number, pairs2: number, countAt2: number, capacity2: number, tables: number): number;
}

function decode(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project compiles with
 * lib ES2022 and no DOM types, and a global declaration could clash with other modules'.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
/** Undefined under `node --jitless`, which disables WebAssembly. */
const webAssembly = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;

function validates(api: WebAssemblyApi, bytes: Uint8Array): boolean {
  try {
    return api.validate(bytes);
  } catch {
    return false;
  }
}

const maskBytes = decode(maskWasmBase64);
const scanBytes = decode(scanWasmBase64);
const levelsBytes = decode(levelsWasmBase64);

let memoryBuffer: ArrayBuffer | null = null;
let maskExports: MaskExports | null = null;
let scanExports: ScanExports | null = null;
let levelsExports: LevelsExports | null = null;
let scratch = new Uint8Array(0);
let arenaNext = SCRATCH_BYTES;

/** Validates and instantiates the SIMD modules; false (and nothing set) when that fails. */
function instantiate(api: WebAssemblyApi | undefined): boolean {
  if (api === undefined || !validates(api, maskBytes) || !validates(api, scanBytes) || !validates(api, levelsBytes)) return false;
  try {
    const pages = KERNEL_MEMORY_BYTES / PAGE_BYTES;
    // Creating a memory reserves address space (and guard regions) up front; under a tight
    // `ulimit -v` that can fail, and the kernels must then fall back, not break the import.
    const memory = new api.Memory({ initial: pages, maximum: pages });
    const imports = { env: { memory } };
    const mask = new api.Instance(new api.Module(maskBytes), imports).exports as MaskExports;
    const scan = new api.Instance(new api.Module(scanBytes), imports).exports as ScanExports;
    const levels = new api.Instance(new api.Module(levelsBytes), imports).exports as LevelsExports;
    maskExports = mask;
    scanExports = scan;
    levelsExports = levels;
    memoryBuffer = memory.buffer;
    scratch = new Uint8Array(memoryBuffer, 0, SCRATCH_BYTES);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when this runtime accepts and instantiates the SIMD modules. False without WebAssembly
 * (node --jitless), without the SIMD proposal, or when the kernel memory cannot be reserved.
 */
export const simdSupported: boolean = instantiate(webAssembly);

/**
 * Where the last four Uint8Array views asked about start in kernel memory (their byteOffset, or
 * -1 for views elsewhere) and their lengths. Keyed by view identity because V8 11 does not inline
 * the `buffer`, `byteOffset` and `length` getters (about 30, 9 and 9 ns a call on the bench
 * machine, as much as a whole SIMD call); a connection passes the same few buffers every message,
 * so lookups hit. A view's buffer, offset and length never change, and a WebAssembly memory's
 * buffer cannot be detached, so an entry cannot go stale. Round-robin replacement.
 */
class KernelAddressCache {
  private view0: Uint8Array | null = null;
  private view1: Uint8Array | null = null;
  private view2: Uint8Array | null = null;
  private view3: Uint8Array | null = null;
  private address0 = -1;
  private address1 = -1;
  private address2 = -1;
  private address3 = -1;
  private length0 = 0;
  private length1 = 0;
  private length2 = 0;
  private length3 = 0;
  private next = 0;
  /** Length of the view passed to the last addressOf() call. */
  length = 0;

  addressOf(view: Uint8Array): number {
    if (view === this.view0) {
      this.length = this.length0;
      return this.address0;
    }
    if (view === this.view1) {
      this.length = this.length1;
      return this.address1;
    }
    if (view === this.view2) {
      this.length = this.length2;
      return this.address2;
    }
    if (view === this.view3) {
      this.length = this.length3;
      return this.address3;
    }
    const address = view.buffer === memoryBuffer ? view.byteOffset : -1;
    const length = (this.length = view.length);
    switch (this.next) {
      case 0:
        this.view0 = view;
        this.address0 = address;
        this.length0 = length;
        break;
      case 1:
        this.view1 = view;
        this.address1 = address;
        this.length1 = length;
        break;
      case 2:
        this.view2 = view;
        this.address2 = address;
        this.length2 = length;
        break;
      default:
        this.view3 = view;
        this.address3 = address;
        this.length3 = length;
    }
    this.next = (this.next + 1) & 3;
    return address;
  }
}

const addresses = new KernelAddressCache();

/** True when `view` lies in kernel memory, so the SIMD kernels process it without copying. */
export function isKernelBuffer(view: Uint8Array): boolean {
  return addresses.addressOf(view) >= 0;
}

/**
 * Where `view` starts in kernel memory, or -1 when it lies elsewhere; `kernelViewLength()` is then
 * its length (from the same cache, so no `length` getter call).
 */
export function kernelAddressOf(view: Uint8Array): number {
  return addresses.addressOf(view);
}

/** Length of the view passed to the last kernelAddressOf() / isKernelBuffer() call. */
export function kernelViewLength(): number {
  return addresses.length;
}

/** The level-pair kernel and the kernel memory it works in, or null when SIMD is unsupported. */
export function levelsKernel(): { exports: LevelsExports; memory: ArrayBuffer } | null {
  return levelsExports === null || memoryBuffer === null ? null : { exports: levelsExports, memory: memoryBuffer };
}

/**
 * A buffer inside kernel memory, or null when SIMD is unsupported or the arena is exhausted.
 * Meant for long-lived buffers (a connection's receive or send buffer), allocated once: there is
 * no free, the arena only grows until KERNEL_MEMORY_BYTES.
 */
export function allocateKernelArenaBuffer(byteLength: number): Uint8Array | null {
  if (memoryBuffer === null || !Number.isInteger(byteLength) || byteLength < 0) return null;
  const start = arenaNext;
  if (byteLength > KERNEL_MEMORY_BYTES - start) return null;
  arenaNext = Math.min(KERNEL_MEMORY_BYTES, start + Math.ceil(byteLength / ARENA_ALIGNMENT) * ARENA_ALIGNMENT);
  return new Uint8Array(memoryBuffer, start, byteLength);
}

// Range guards. The kernels trust their ranges (the contract), but in kernel memory a bad range
// would not be dropped as a typed-array write is: it would read or overwrite a neighbouring
// buffer, or trap. So every SIMD entry checks its range against the cached view length and hands
// anything out of range to the scalar kernel, which gives typed-array semantics.

/**
 * SIMD masking; same contract as maskScalar. Allocation-free when source and target both lie in
 * kernel memory (or when target does and the whole source array is masked); otherwise each copied
 * block needs a subarray view (V8 has no allocation-free copy between two ArrayBuffers).
 * Only call when simdSupported.
 */
export function maskSimd(
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  maskKey: Uint8Array,
  keyOffset = 0,
  maskKeyStart = 0,
): void {
  const sourceAddress = addresses.addressOf(source);
  const sourceLength = addresses.length;
  const targetAddress = source === target ? sourceAddress : addresses.addressOf(target);
  const targetLength = addresses.length;
  if (
    !(length > 0) ||
    !(sourceStart >= 0) ||
    !(targetStart >= 0) ||
    sourceStart + length > sourceLength ||
    targetStart + length > targetLength
  ) {
    maskScalar(source, sourceStart, target, targetStart, length, maskKey, keyOffset, maskKeyStart);
    return;
  }
  const kernels = maskExports!;
  const key = maskKeyWord(maskKey, maskKeyStart, keyOffset);
  if (targetAddress >= 0) {
    if (sourceAddress < 0) {
      // Copy the payload into place, then mask it there: one memcpy, no scratch.
      if (sourceStart === 0 && length === sourceLength) target.set(source, targetStart);
      else target.set(source.subarray(sourceStart, sourceStart + length), targetStart);
      kernels.mask(targetAddress + targetStart, targetAddress + targetStart, length, key);
      return;
    }
    kernels.mask(sourceAddress + sourceStart, targetAddress + targetStart, length, key);
    return;
  }
  // Target outside kernel memory: mask block by block in scratch, then copy out.
  for (let done = 0; done < length; done += SCRATCH_BYTES) {
    const blockLength = Math.min(SCRATCH_BYTES, length - done);
    if (sourceAddress >= 0) {
      kernels.mask(sourceAddress + sourceStart + done, 0, blockLength, key);
    } else {
      scratch.set(source.subarray(sourceStart + done, sourceStart + done + blockLength), 0);
      kernels.mask(0, 0, blockLength, key);
    }
    target.set(blockLength === SCRATCH_BYTES ? scratch : scratch.subarray(0, blockLength), targetStart + done);
  }
}

/** SIMD variant of indexOfQuoteOrBackslashScalar. Only call when simdSupported. */
export function indexOfQuoteOrBackslashSimd(data: Uint8Array, start: number, end: number): number {
  const base = addresses.addressOf(data);
  if (!(start >= 0) || !(end <= addresses.length) || !(start < end)) {
    return indexOfQuoteOrBackslashScalar(data, start, end);
  }
  if (base >= 0) {
    const found = scanExports!.indexOfQuoteOrBackslash(base + start, base + end);
    return found < 0 ? -1 : found - base;
  }
  let blockLength = SCAN_FIRST_BLOCK_BYTES;
  for (let blockStart = start; blockStart < end; ) {
    const length = Math.min(blockLength, end - blockStart);
    scratch.set(data.subarray(blockStart, blockStart + length), 0);
    const found = scanExports!.indexOfQuoteOrBackslash(0, length);
    if (found >= 0) return blockStart + found;
    blockStart += length;
    if (blockLength < SCRATCH_BYTES) blockLength <<= 1;
  }
  return -1;
}

/** SIMD variant of indexOfStringStopScalar. Only call when simdSupported. */
export function indexOfStringStopSimd(data: Uint8Array, start: number, end: number): number {
  const base = addresses.addressOf(data);
  if (!(start >= 0) || !(end <= addresses.length) || !(start < end)) {
    return indexOfStringStopScalar(data, start, end);
  }
  if (base >= 0) {
    const found = scanExports!.indexOfStringStop(base + start, base + end);
    return found < 0 ? -1 : found - base;
  }
  let blockLength = SCAN_FIRST_BLOCK_BYTES;
  for (let blockStart = start; blockStart < end; ) {
    const length = Math.min(blockLength, end - blockStart);
    scratch.set(data.subarray(blockStart, blockStart + length), 0);
    const found = scanExports!.indexOfStringStop(0, length);
    if (found >= 0) return blockStart + found;
    blockStart += length;
    if (blockLength < SCRATCH_BYTES) blockLength <<= 1;
  }
  return -1;
}

/** SIMD variant of indexOfStructuralScalar. Only call when simdSupported. */
export function indexOfStructuralSimd(data: Uint8Array, start: number, end: number): number {
  const base = addresses.addressOf(data);
  if (!(start >= 0) || !(end <= addresses.length) || !(start < end)) {
    return indexOfStructuralScalar(data, start, end);
  }
  if (base >= 0) {
    const found = scanExports!.indexOfStructural(base + start, base + end);
    return found < 0 ? -1 : found - base;
  }
  let blockLength = SCAN_FIRST_BLOCK_BYTES;
  for (let blockStart = start; blockStart < end; ) {
    const length = Math.min(blockLength, end - blockStart);
    scratch.set(data.subarray(blockStart, blockStart + length), 0);
    const found = scanExports!.indexOfStructural(0, length);
    if (found >= 0) return blockStart + found;
    blockStart += length;
    if (blockLength < SCRATCH_BYTES) blockLength <<= 1;
  }
  return -1;
}

/** SIMD variant of indexOfNonAsciiScalar. Only call when simdSupported. */
export function indexOfNonAsciiSimd(data: Uint8Array, start: number, end: number): number {
  const base = addresses.addressOf(data);
  if (!(start >= 0) || !(end <= addresses.length) || !(start < end)) {
    return indexOfNonAsciiScalar(data, start, end);
  }
  if (base >= 0) {
    const found = scanExports!.indexOfNonAscii(base + start, base + end);
    return found < 0 ? -1 : found - base;
  }
  // Mostly-ASCII text is usually scanned to its end, so blocks go straight to SCRATCH_BYTES.
  for (let blockStart = start; blockStart < end; blockStart += SCRATCH_BYTES) {
    const length = Math.min(SCRATCH_BYTES, end - blockStart);
    scratch.set(data.subarray(blockStart, blockStart + length), 0);
    const found = scanExports!.indexOfNonAscii(0, length);
    if (found >= 0) return blockStart + found;
  }
  return -1;
}

/** SIMD variant of isAsciiScalar. Only call when simdSupported. */
export function isAsciiSimd(data: Uint8Array, start: number, end: number): boolean {
  const base = addresses.addressOf(data);
  if (!(start >= 0) || !(end <= addresses.length) || !(start < end)) {
    return isAsciiScalar(data, start, end);
  }
  if (base >= 0) return scanExports!.isAscii(base + start, base + end) === 1;
  for (let blockStart = start; blockStart < end; blockStart += SCRATCH_BYTES) {
    const length = Math.min(SCRATCH_BYTES, end - blockStart);
    scratch.set(data.subarray(blockStart, blockStart + length), 0);
    if (scanExports!.isAscii(0, length) === 0) return false;
  }
  return true;
}
