import { allocateKernelBuffer } from '../kernels/index.js';

/**
 * Receive buffers live in the kernels' WebAssembly memory, so the SIMD kernels (ASCII check,
 * unmasking) run on the bytes in place, with no copy. That memory is a fixed arena that is never
 * freed, so buffers of closed connections are kept here and handed to the next connection
 * (a reconnecting client must not use up the arena). When the arena is full, or SIMD is off,
 * allocateKernelBuffer falls back to an ordinary Uint8Array.
 */

/** Released buffers kept per size; beyond this they are left to the GC (or, in the arena, idle). */
const MAX_POOLED_PER_SIZE = 8;

const pool = new Map<number, Uint8Array[]>();

export function acquireReceiveBuffer(byteLength: number): Uint8Array {
  const free = pool.get(byteLength);
  return free?.pop() ?? allocateKernelBuffer(byteLength);
}

/** Gives a buffer back once no read can land in it any more (its socket is closed). */
export function releaseReceiveBuffer(buffer: Uint8Array): void {
  let free = pool.get(buffer.length);
  if (free === undefined) {
    free = [];
    pool.set(buffer.length, free);
  }
  if (free.length < MAX_POOLED_PER_SIZE && !free.includes(buffer)) free.push(buffer);
}
