// Lock-free single-producer single-consumer ring of message records in a SharedArrayBuffer
// (layout.ts). The producer copies each message in once; the consumer hands out views on the
// shared bytes (no copy, no allocation) and releases them after the handler returns.
//
// Ordering: JS Atomics are sequentially consistent, so the plain stores of a record's bytes
// happen-before the Atomics.store of WRITE_INDEX that publishes them (release), and the
// consumer's Atomics.load of WRITE_INDEX (acquire) makes them visible. Same for READ_INDEX in
// the other direction: the producer never writes bytes the consumer has not released, so the
// ring never overwrites unread data; a full ring makes tryWrite return false (backpressure).
import { CLOSE_MESSAGE_TOO_BIG, WebSocketError } from '../protocol/errors.js';
import {
  CAPACITY,
  CONSUMER_WAITING,
  CONTROL_BYTES,
  FLAG_CLOSE,
  FLAG_ERROR,
  FLAG_TEXT,
  FLAG_WRAP,
  maxRecordPayload,
  PRODUCER_CLOSED,
  PRODUCER_STATE,
  PRODUCER_WAITING,
  READ_INDEX,
  RECORD_ALIGN,
  RECORD_HEADER_BYTES,
  RING_FULL_WAITS,
  WRITE_INDEX,
} from './layout.js';

/** Called with each message: a view on the ring, valid only during the call. */
export type RecordHandler = (data: Uint8Array, start: number, end: number, isText: boolean) => void;
/** Called with each close or error record (flags FLAG_CLOSE or FLAG_ERROR); view valid during the call. */
export type ControlHandler = (flags: number, data: Uint8Array, start: number, end: number) => void;
/** Callback run when a bounded wait ends (woken, timed out, or the condition already held). */
export type WakeCallback = () => void;

/**
 * Payloads up to this size are copied by a loop that assembles 4 source bytes into one aligned
 * 32-bit store: no allocation, so market-data messages cost the GC nothing. Longer ones use
 * TypedArray.set on a subarray view (one short-lived view per message, but a memcpy). The word
 * loop matches set() up to ~512 bytes and a byte loop is 2-3x slower from 110 bytes
 * (bench/ring-copy.ts, Node 20, 2-core VM under load: re-measure on a quiet machine).
 */
export const COPY_LOOP_MAX_BYTES = 512;

/** The word loop assembles little-endian words; elsewhere the byte loop keeps it correct. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * "No limit" for drain(): a small integer, not Infinity, so passing it never boxes a heap
 * number (an allocation per call on a poll loop that finds the ring empty).
 */
export const DRAIN_ALL = 0x3fffffff;

/** Fallback poll period where Atomics.waitAsync is missing (it exists since Node 16). */
export const POLL_FALLBACK_MS = 1;

interface WaitAsyncResult {
  async: boolean;
  value: Promise<string> | string;
}
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs: number) => WaitAsyncResult;
/** ES2024 Atomics.waitAsync (V8 8.7+, so every supported Node); absent from the ES2022 lib typings. */
const waitAsync: WaitAsync | undefined = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

function noop(): void {}

/**
 * One bounded wait at a time on a control word. A pending Atomics.waitAsync does not keep the
 * Node event loop alive, so a ref'd long interval (created once, toggled with ref/unref: no
 * allocation per wait) holds the thread open while a wait is armed.
 */
class Waiter {
  private callback: WakeCallback = noop;
  private keepAlive: NodeJS.Timeout | null = null;
  private readonly wake = (): void => {
    this.keepAlive!.unref();
    const callback = this.callback;
    this.callback = noop;
    callback();
  };

  /** Waits until control[index] !== value or timeoutMs passed, then runs callback. */
  arm(control: Int32Array, index: number, value: number, timeoutMs: number, callback: WakeCallback, mayBlock: boolean): void {
    if (waitAsync === undefined) {
      if (mayBlock) {
        // Worker threads may block: bounded, then let the event loop run before the caller re-checks.
        Atomics.wait(control, index, value, Math.min(timeoutMs, POLL_FALLBACK_MS));
        setImmediate(callback);
      } else {
        setTimeout(callback, POLL_FALLBACK_MS);
      }
      return;
    }
    const result = waitAsync(control, index, value, timeoutMs);
    if (!result.async) {
      setImmediate(callback);
      return;
    }
    if (this.keepAlive === null) this.keepAlive = setInterval(noop, 2 ** 30);
    this.keepAlive.ref();
    this.callback = callback;
    (result.value as Promise<string>).then(this.wake, this.wake);
  }
}

function controlWords(memory: SharedArrayBuffer): Int32Array {
  return new Int32Array(memory, 0, CONTROL_BYTES / 4);
}

function ringCapacity(control: Int32Array): number {
  const capacity = control[CAPACITY]!;
  if (capacity <= 0 || (capacity & (capacity - 1)) !== 0) throw new RangeError('not a ring: capacity word is not a power of two');
  return capacity;
}

/** The writing end. Exactly one thread may hold a RingProducer for a given memory. */
export class RingProducer {
  /** Data region size in bytes. */
  readonly capacity: number;
  /** Largest payload a record may carry: half the ring minus the header (layout.ts). */
  readonly maxPayload: number;
  private readonly control: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly words: Int32Array;
  private readonly mask: number;
  /** Our WRITE_INDEX (we are its only writer). */
  private write: number;
  /** READ_INDEX as last loaded: re-read only when the ring looks full. */
  private readSeen: number;
  private readonly waiter = new Waiter();

  constructor(memory: SharedArrayBuffer) {
    this.control = controlWords(memory);
    this.capacity = ringCapacity(this.control);
    this.maxPayload = maxRecordPayload(this.capacity);
    this.bytes = new Uint8Array(memory, CONTROL_BYTES, this.capacity);
    this.words = new Int32Array(memory, CONTROL_BYTES, this.capacity / 4);
    this.mask = this.capacity - 1;
    this.write = Atomics.load(this.control, WRITE_INDEX);
    this.readSeen = Atomics.load(this.control, READ_INDEX);
  }

  /**
   * Copies data[start, end) into the ring as one record with `flags` (FLAG_TEXT, FLAG_CLOSE,
   * FLAG_ERROR) and publishes it. Returns false, writing nothing, when the unread records leave
   * too little room: never overwrites. Throws WS_ERR_MESSAGE_TOO_BIG above maxPayload (such a
   * record could never fit).
   */
  tryWrite(data: Uint8Array, start: number, end: number, flags: number): boolean {
    const length = end - start;
    if (length > this.maxPayload) {
      throw new WebSocketError('WS_ERR_MESSAGE_TOO_BIG', CLOSE_MESSAGE_TOO_BIG, `message of ${length} bytes does not fit a ring of ${this.capacity} bytes (max ${this.maxPayload})`);
    }
    const capacity = this.capacity;
    const size = (RECORD_HEADER_BYTES + length + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);
    let write = this.write;
    let position = write & this.mask;
    const tail = capacity - position;
    // A record never straddles the end: when it does not fit before it, a wrap marker fills the tail.
    const needed = size <= tail ? size : tail + size;
    if (capacity - ((write - this.readSeen) | 0) < needed) {
      this.readSeen = Atomics.load(this.control, READ_INDEX);
      if (capacity - ((write - this.readSeen) | 0) < needed) return false;
    }
    const words = this.words;
    if (size > tail) {
      // Records are 128-byte aligned, so the tail always has room for a header.
      words[position >> 2] = 0;
      words[(position >> 2) + 1] = FLAG_WRAP;
      write = (write + tail) | 0;
      position = 0;
    }
    words[position >> 2] = length;
    words[(position >> 2) + 1] = flags;
    const at = position + RECORD_HEADER_BYTES;
    if (length > COPY_LOOP_MAX_BYTES) this.bytes.set(data.subarray(start, end), at);
    else this.copySmall(data, start, end, at);
    write = (write + size) | 0;
    this.write = write;
    Atomics.store(this.control, WRITE_INDEX, write); // release: publishes the record
    if (Atomics.load(this.control, CONSUMER_WAITING) !== 0) {
      Atomics.store(this.control, CONSUMER_WAITING, 0);
      Atomics.notify(this.control, WRITE_INDEX);
    }
    return true;
  }

  /** Copies data[start, end) to the ring at byte `at` (a multiple of 4) without allocating. */
  private copySmall(data: Uint8Array, start: number, end: number, at: number): void {
    const bytes = this.bytes;
    let source = start;
    let target = at;
    if (LITTLE_ENDIAN) {
      const words = this.words;
      const wordsEnd = start + ((end - start) & ~3);
      let word = at >> 2;
      for (; source < wordsEnd; source += 4) {
        words[word++] = data[source]! | (data[source + 1]! << 8) | (data[source + 2]! << 16) | (data[source + 3]! << 24);
      }
      target = word << 2;
    }
    for (; source < end; source++, target++) bytes[target] = data[source]!;
  }

  /** Whether a record of `length` payload bytes would fit now. */
  canWrite(length: number): boolean {
    const size = (RECORD_HEADER_BYTES + length + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);
    const tail = this.capacity - (this.write & this.mask);
    const needed = size <= tail ? size : tail + size;
    this.readSeen = Atomics.load(this.control, READ_INDEX);
    return this.capacity - ((this.write - this.readSeen) | 0) >= needed;
  }

  /** Marks the stream finished (after the close record): the consumer will see nothing more. */
  markClosed(): void {
    Atomics.or(this.control, PRODUCER_STATE, PRODUCER_CLOSED);
    Atomics.store(this.control, CONSUMER_WAITING, 0);
    Atomics.notify(this.control, WRITE_INDEX);
  }

  /** Counts one ring-full episode (the I/O worker paused reading). */
  countFullWait(): void {
    Atomics.add(this.control, RING_FULL_WAITS, 1);
  }

  /**
   * Runs `callback` once the consumer has released bytes, or after timeoutMs at most (the
   * wait is bounded: callers re-check and wait again). Asynchronous where Atomics.waitAsync
   * exists, so the worker keeps serving its event loop (sends, close) while it waits; one
   * wait at a time per producer.
   */
  waitForSpace(callback: WakeCallback, timeoutMs: number): void {
    const control = this.control;
    Atomics.store(control, PRODUCER_WAITING, 1);
    const read = Atomics.load(control, READ_INDEX);
    if (read !== this.readSeen) {
      Atomics.store(control, PRODUCER_WAITING, 0);
      this.readSeen = read;
      setImmediate(callback);
      return;
    }
    this.waiter.arm(control, READ_INDEX, read, timeoutMs, callback, true);
  }
}

/** The reading end. Exactly one thread may hold a RingConsumer for a given memory. */
export class RingConsumer {
  readonly capacity: number;
  /** Set once the close record has been handed to onControl: the stream is over. */
  closed = false;
  /** Messages the last drain() delivered, also when a handler threw out of it. */
  lastDrainCount = 0;
  private readonly control: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly words: Int32Array;
  private readonly mask: number;
  private readonly publishEveryBytes: number;
  private readonly onControl: ControlHandler;
  /** Our READ_INDEX (we are its only writer); published in batches. */
  private read: number;
  private draining = false;
  private readonly waiter = new Waiter();

  constructor(memory: SharedArrayBuffer, onControl: ControlHandler) {
    this.control = controlWords(memory);
    this.capacity = ringCapacity(this.control);
    this.bytes = new Uint8Array(memory, CONTROL_BYTES, this.capacity);
    this.words = new Int32Array(memory, CONTROL_BYTES, this.capacity / 4);
    this.mask = this.capacity - 1;
    // Release space to the producer at least every eighth of the ring during a long drain, so
    // a paused socket resumes before the consumer has emptied everything.
    this.publishEveryBytes = this.capacity >>> 3;
    this.onControl = onControl;
    this.read = Atomics.load(this.control, READ_INDEX);
  }

  /** True when no published record is waiting. */
  get isEmpty(): boolean {
    return Atomics.load(this.control, WRITE_INDEX) === this.read;
  }

  /** True once the producer marked the stream finished (its close record is published). */
  get producerClosed(): boolean {
    return (Atomics.load(this.control, PRODUCER_STATE) & PRODUCER_CLOSED) !== 0;
  }

  /** Ring-full episodes so far (the producer paused reading). */
  get ringFullWaits(): number {
    return Atomics.load(this.control, RING_FULL_WAITS);
  }

  /** Bytes published and not yet released. */
  get usedBytes(): number {
    return (Atomics.load(this.control, WRITE_INDEX) - this.read) | 0;
  }

  /**
   * Hands up to maxMessages published messages to `handler` as views on the shared memory (no
   * copy, no allocation), in order, then releases their space. Close and error records go to
   * onControl (not counted); after the close record drain stops for good. Returns the number
   * of messages delivered. If the handler throws, that message counts as delivered, the
   * exception propagates, and the next drain continues after it. A drain called from inside
   * a handler returns 0 (the outer one carries on).
   */
  drain(handler: RecordHandler, maxMessages: number = DRAIN_ALL): number {
    // A handler that calls drain again would see this drain's records a second time.
    if (this.draining) return 0;
    this.draining = true;
    const control = this.control;
    const words = this.words;
    const bytes = this.bytes;
    const mask = this.mask;
    let read = this.read;
    let published = read;
    let write = Atomics.load(control, WRITE_INDEX); // acquire
    let delivered = 0;
    this.lastDrainCount = 0;
    try {
      while (delivered < maxMessages && !this.closed) {
        if (read === write) {
          write = Atomics.load(control, WRITE_INDEX);
          if (read === write) break;
        }
        const position = read & mask;
        const length = words[position >> 2]!;
        const flags = words[(position >> 2) + 1]!;
        if ((flags & FLAG_WRAP) !== 0) {
          read = (read + this.capacity - position) | 0;
          continue;
        }
        const start = position + RECORD_HEADER_BYTES;
        // Advance before the call: a handler that throws does not see its message again.
        read = (read + ((RECORD_HEADER_BYTES + length + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1))) | 0;
        if ((flags & (FLAG_CLOSE | FLAG_ERROR)) !== 0) {
          if ((flags & FLAG_CLOSE) !== 0) this.closed = true;
          this.onControl(flags, bytes, start, start + length);
          continue;
        }
        delivered++;
        this.lastDrainCount = delivered;
        handler(bytes, start, start + length, (flags & FLAG_TEXT) !== 0);
        if (((read - published) | 0) >= this.publishEveryBytes) {
          this.release(read);
          published = read;
        }
      }
    } finally {
      this.read = read;
      this.draining = false;
      if (read !== published) this.release(read);
    }
    return delivered;
  }

  /**
   * Runs `callback` once a record is published, or after timeoutMs at most (bounded; callers
   * re-check). Uses Atomics.waitAsync, so the calling thread's event loop keeps running; where
   * it is missing, polls with setTimeout(POLL_FALLBACK_MS). Never blocks. One wait at a time.
   */
  waitForData(callback: WakeCallback, timeoutMs: number): void {
    const control = this.control;
    Atomics.store(control, CONSUMER_WAITING, 1);
    const write = Atomics.load(control, WRITE_INDEX);
    if (write !== this.read || this.producerClosed) {
      Atomics.store(control, CONSUMER_WAITING, 0);
      setImmediate(callback);
      return;
    }
    this.waiter.arm(control, WRITE_INDEX, write, timeoutMs, callback, false);
  }

  private release(read: number): void {
    const control = this.control;
    Atomics.store(control, READ_INDEX, read); // release: the producer may now reuse the bytes
    if (Atomics.load(control, PRODUCER_WAITING) !== 0) {
      Atomics.store(control, PRODUCER_WAITING, 0);
      Atomics.notify(control, READ_INDEX);
    }
  }
}
