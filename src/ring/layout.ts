// The shared-memory layout of the worker-mode ring, defined once: the I/O worker (producer) and
// the main thread (consumer) both import this file and nothing else describes the bytes.
//
// [ control: CONTROL_LINES lines of 128 bytes, one Int32 word used per line ][ data: 2^k bytes ]
//
// Every control word sits on its own 128-byte line (the M-series cache line, twice x86's, and
// the adjacent-line prefetcher's pair on x86), so the producer's stores never invalidate the
// line the consumer polls (false sharing). Indexes are free-running 32-bit byte counters:
// position = index & (capacity - 1), bytes used = (write - read) | 0.

export const LINE_BYTES = 128;
const WORDS_PER_LINE = LINE_BYTES / 4;

// Int32 word indexes into the control region (writer in brackets).
/** Bytes published by the producer [producer]. Atomics.store after the record bytes (release). */
export const WRITE_INDEX = 0 * WORDS_PER_LINE;
/** Bytes released by the consumer [consumer]. Atomics.store after the handler returned. */
export const READ_INDEX = 1 * WORDS_PER_LINE;
/** PRODUCER_* state bits [producer]. */
export const PRODUCER_STATE = 2 * WORDS_PER_LINE;
/** 1 while the consumer is (about to be) parked on WRITE_INDEX and wants a notify [consumer]. */
export const CONSUMER_WAITING = 3 * WORDS_PER_LINE;
/** 1 while the producer is (about to be) parked on READ_INDEX and wants a notify [producer]. */
export const PRODUCER_WAITING = 4 * WORDS_PER_LINE;
/** Times the producer found the ring full and paused the socket [producer]. */
export const RING_FULL_WAITS = 5 * WORDS_PER_LINE;
/** Data region size in bytes, written once before the worker starts [creator]. */
export const CAPACITY = 6 * WORDS_PER_LINE;
export const CONTROL_LINES = 7;
export const CONTROL_BYTES = CONTROL_LINES * LINE_BYTES;

/** PRODUCER_STATE bit: the last record (a close) is published; nothing more will come. */
export const PRODUCER_CLOSED = 1;

// A record: [u32 length][u32 flags][payload] padded to the next 128-byte boundary.
export const RECORD_HEADER_BYTES = 8;
export const RECORD_ALIGN = LINE_BYTES;
/** Record flag: a text message (else binary). */
export const FLAG_TEXT = 1;
/** Record flag: the connection closed; payload [u16 code][utf-8 reason]. Always the last record. */
export const FLAG_CLOSE = 2;
/** Record flag: an error; payload is JSON {name, code, closeCode, message}. */
export const FLAG_ERROR = 4;
/** Record flag: nothing more before the end of the data region; continue at position 0. */
export const FLAG_WRAP = 8;

/** 8 MiB: the original design's rx ring; a busy book stream's few seconds of burst. */
export const DEFAULT_RING_BYTES = 8 * 1024 * 1024;
/** Smallest ring: two records of 128 bytes, a test size only. */
export const MIN_RING_BYTES = 2 * LINE_BYTES;

/** Bytes a record of `length` payload bytes occupies in the ring. */
export function recordBytes(length: number): number {
  return (RECORD_HEADER_BYTES + length + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);
}

/**
 * Largest payload the ring takes: a record of at most half the ring always fits once the ring
 * is empty, whatever the position (before the end or, after a wrap marker, at the start).
 */
export function maxRecordPayload(capacity: number): number {
  return capacity / 2 - RECORD_HEADER_BYTES;
}

/** Allocates the shared memory for a ring of `capacity` data bytes (a power of two). */
export function createRingMemory(capacity: number = DEFAULT_RING_BYTES): SharedArrayBuffer {
  if (!Number.isInteger(capacity) || capacity < MIN_RING_BYTES || capacity > 2 ** 30 || (capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`ring size must be a power of two between ${MIN_RING_BYTES} and 2^30 bytes, got ${capacity}`);
  }
  const memory = new SharedArrayBuffer(CONTROL_BYTES + capacity);
  new Int32Array(memory, 0, CONTROL_BYTES / 4)[CAPACITY] = capacity;
  return memory;
}
