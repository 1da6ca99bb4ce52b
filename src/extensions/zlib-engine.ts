// Synchronous raw DEFLATE for permessage-deflate. The frame parser is synchronous (messages are
// delivered in order, inside the socket read), so inflate must finish before push() returns.
//
// Node has no public synchronous *streaming* zlib API, and context takeover (RFC 7692 7.2.3)
// needs a stream that keeps its LZ77 window across messages. Two engines:
//
// - NativeEngine drives the zlib binding handle of a zlib.InflateRaw/DeflateRaw synchronously
//   (`handle.writeSync(flush, in, inOff, inLen, out, outOff, outLen)`, results in the stream's
//   `_writeState`), which is what Node's own *Sync functions do (lib/zlib.js processChunkSync).
//   `_processChunk(chunk, flag)` itself cannot be used: on Node 20 it closes the handle after
//   every call (`_close(self)` at the end of processChunkSync), so the window would be lost.
//   These are internals, so a self test picks this engine only when it works: a round trip
//   with context takeover, and corrupt input, whose error must reach our `onerror` and leave
//   the handle open. Why the error path matters: if Node's own error handler runs instead
//   (a Node whose internals differ), it destroys the stream and closes the handle at once,
//   and the next writeSync on that closed handle fails a C++ CHECK ("already finalized") and
//   aborts the process (SIGABRT, exit 134) - no exception, nothing to catch. So the engine
//   also checks before every call that the handle is still the stream's open one.
// - OneShotEngine uses only public API: inflateRawSync/deflateRawSync per message, with the
//   last 2^windowBits bytes of earlier messages passed as the raw `dictionary`, which gives the
//   same back-references as a persistent stream. Slower (a zlib stream per message).
//
// TICKWIRE_ZLIB=oneshot forces the public-API engine (like TICKWIRE_KERNELS for the kernels).

import { constants as bufferConstants } from 'node:buffer';
import zlib from 'node:zlib';
import { INFLATE_INVALID, INFLATE_TOO_BIG } from '../protocol/handler.js';

/** Result codes of Engine.inflate/deflate (>= 0 is an output length); the parser's own values. */
export const ENGINE_TOO_BIG = INFLATE_TOO_BIG;
export const ENGINE_INVALID = INFLATE_INVALID;

/** First size of an engine's output buffer; it doubles as needed (up to the caller's limit). */
const INITIAL_OUTPUT_BYTES = 16 * 1024;
/**
 * An output buffer grown past this for one large message is let go by release(), so an idle
 * connection does not keep it; below it the buffer is kept (no churn for ordinary messages).
 */
const RETAINED_OUTPUT_BYTES = 1024 * 1024;
/** zlib's one-shot functions refuse a maxOutputLength above the largest Buffer. */
const LARGEST_BUFFER_BYTES = bufferConstants.MAX_LENGTH;

export interface Engine {
  /** The last result, in output[0, length). Valid until the next call. */
  readonly output: Uint8Array;
  /** The zlib message of the last ENGINE_INVALID. */
  readonly error: string;
  /**
   * RFC 7692 7.2.2: inflates one message's payload input[start, end) followed by the
   * 0x00 0x00 0xff 0xff that the sender removed. Returns the output length, ENGINE_TOO_BIG when
   * it would exceed `limit` (the output never grows past limit + 1 bytes), or ENGINE_INVALID.
   * `limit` may be any number >= 0, Infinity included. Bytes after a final (BFINAL) block
   * are ENGINE_INVALID.
   */
  inflate(input: Uint8Array, start: number, end: number, limit: number): number;
  /** The last output was consumed: an output buffer grown for a large message is let go. */
  release(): void;
  /**
   * RFC 7692 7.2.1: compresses one message with a sync flush and returns the length of the
   * output without its trailing 0x00 0x00 0xff 0xff.
   */
  deflate(input: Uint8Array, start: number, end: number): number;
  /** Forgets the LZ77 window (no context takeover). */
  reset(): void;
  close(): void;
}

/** RFC 7692 7.2.1/7.2.2: the empty stored block's tail that a sync flush ends with. */
export const DEFLATE_TAIL: Uint8Array = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

export type EngineKind = 'native' | 'oneshot';

export interface EngineOptions {
  windowBits: number;
  /** Compression level for deflate (zlib 0..9, -1 = default 6). */
  level?: number;
  memLevel?: number;
}

/** Which engine this process uses: 'native' when the self test passes, unless overridden. */
export function selectEngineKind(): EngineKind {
  if (selected === null) selected = process.env['TICKWIRE_ZLIB'] === 'oneshot' || !nativeSelfTest() ? 'oneshot' : 'native';
  return selected;
}
let selected: EngineKind | null = null;

export function createInflateEngine(options: EngineOptions, kind: EngineKind = selectEngineKind()): Engine {
  return kind === 'native' ? new NativeEngine(false, options) : new OneShotEngine(false, options);
}

export function createDeflateEngine(options: EngineOptions, kind: EngineKind = selectEngineKind()): Engine {
  return kind === 'native' ? new NativeEngine(true, options) : new OneShotEngine(true, options);
}

// ---- native handle engine ------------------------------------------------------------------

/** The parts of Node's internal zlib binding handle used here (lib/zlib.js, node_zlib.cc). */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

interface ZlibStreamInternals {
  _handle?: ZlibHandle | null;
  _writeState?: Uint32Array;
}

class NativeEngine implements Engine {
  output: Uint8Array = new Uint8Array(INITIAL_OUTPUT_BYTES);
  error = '';
  private readonly stream: zlib.InflateRaw | zlib.DeflateRaw;
  private readonly internals: ZlibStreamInternals;
  private readonly handle: ZlibHandle;
  /** [availOutAfter, availInAfter], filled by writeSync. */
  private readonly state: Uint32Array;
  private failed = false;

  constructor(deflate: boolean, options: EngineOptions) {
    this.stream = deflate
      ? zlib.createDeflateRaw({ windowBits: options.windowBits, level: options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION, memLevel: options.memLevel ?? 8 })
      : zlib.createInflateRaw({ windowBits: options.windowBits });
    const internals = this.stream as unknown as ZlibStreamInternals;
    this.internals = internals;
    const handle = internals._handle;
    const state = internals._writeState;
    if (handle === null || handle === undefined || typeof handle.writeSync !== 'function' || !(state instanceof Uint32Array)) {
      throw new Error('zlib internals not available');
    }
    this.handle = handle;
    this.state = state;
    // Replaces lib/zlib.js's zlibOnError, which would destroy the stream and emit 'error'
    // asynchronously; a data error is reported by write()'s return value instead.
    handle.onerror = (message: string) => {
      this.failed = true;
      this.error = message;
    };
    this.stream.on('error', noop);
  }

  inflate(input: Uint8Array, start: number, end: number, limit: number): number {
    const length = this.run(input, start, end, 0, limit);
    return length < 0 ? length : this.run(DEFLATE_TAIL, 0, DEFLATE_TAIL.length, length, limit);
  }

  deflate(input: Uint8Array, start: number, end: number): number {
    const length = this.run(input, start, end, 0, Number.MAX_SAFE_INTEGER);
    // A sync flush always ends with the empty stored block; guard the internals anyway.
    return length >= 4 && endsWithTail(this.output, length) ? length - 4 : ENGINE_INVALID;
  }

  reset(): void {
    if (this.usable()) this.handle.reset();
  }

  release(): void {
    if (this.output.length > RETAINED_OUTPUT_BYTES) this.output = new Uint8Array(INITIAL_OUTPUT_BYTES);
  }

  close(): void {
    this.failed = true;
    this.stream.close();
  }

  /** @internal self test: the stream and its handle were not closed by an error. */
  handleStillOpen(): boolean {
    return this.internals._handle === this.handle && !this.stream.destroyed;
  }

  /**
   * Whether the handle may be called: no error so far, and still the stream's open handle.
   * Calling a handle that Node closed aborts the process (see the top of this file).
   */
  private usable(): boolean {
    if (this.failed) return false;
    if (this.internals._handle === this.handle && !this.stream.destroyed) return true;
    this.failed = true;
    if (this.error === '') this.error = 'the zlib stream was closed under the engine';
    return false;
  }

  /**
   * Runs input[start, end) through zlib with Z_SYNC_FLUSH, appending after `outputStart` bytes
   * already in `output`. Returns the new output length, ENGINE_TOO_BIG or ENGINE_INVALID.
   */
  private run(input: Uint8Array, start: number, end: number, outputStart: number, limit: number): number {
    if (!this.usable()) return ENGINE_INVALID;
    const handle = this.handle;
    const state = this.state;
    let inOffset = start;
    let inLength = end - start;
    let outputLength = outputStart;
    for (;;) {
      // One byte beyond the limit is allowed in, so "exactly at the limit" and "over" differ.
      let room = Math.min(this.output.length, limit + 1) - outputLength;
      if (room <= 0) {
        if (this.output.length > limit) return ENGINE_TOO_BIG;
        this.grow(outputLength, limit);
        room = Math.min(this.output.length, limit + 1) - outputLength;
      }
      handle.writeSync(zlib.constants.Z_SYNC_FLUSH, input, inOffset, inLength, this.output, outputLength, room);
      if (!this.usable()) return ENGINE_INVALID;
      const outLeft = state[0]!;
      const inLeft = state[1]!;
      outputLength += room - outLeft;
      inOffset += inLength - inLeft;
      inLength = inLeft;
      if (outputLength > limit) return ENGINE_TOO_BIG;
      // Output space left over means zlib consumed what it could and flushed everything.
      if (outLeft !== 0) {
        if (inLength !== 0) {
          // RFC 7692 7.2.3.4 allows a BFINAL block; bytes after the end of the DEFLATE stream
          // (other than our own appended tail) cannot be decoded by this stream.
          if (input === DEFLATE_TAIL) {
            this.handle.reset();
            return outputLength;
          }
          this.failed = true;
          this.error = 'data after the final DEFLATE block';
          return ENGINE_INVALID;
        }
        return outputLength;
      }
    }
  }

  private grow(used: number, limit: number): void {
    const grown = new Uint8Array(Math.min(this.output.length * 2, limit + 1));
    grown.set(this.output.subarray(0, used));
    this.output = grown;
  }
}

// ---- one-shot public-API engine -------------------------------------------------------------

/** What zlib's *Sync functions return with `info: true` (documented in the zlib API). */
interface OneShotResult {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

const EMPTY_OUTPUT = new Uint8Array(0);

class OneShotEngine implements Engine {
  output: Uint8Array = EMPTY_OUTPUT;
  error = '';
  private readonly deflateMode: boolean;
  private readonly options: EngineOptions;
  /** The last bytes (up to the window size) of earlier messages: the LZ77 context. */
  private readonly history: Uint8Array;
  private historyLength = 0;
  private failed = false;
  private tooBig = false;

  constructor(deflate: boolean, options: EngineOptions) {
    this.deflateMode = deflate;
    this.options = options;
    this.history = new Uint8Array(1 << options.windowBits);
  }

  inflate(input: Uint8Array, start: number, end: number, limit: number): number {
    const source = new Uint8Array(end - start + DEFLATE_TAIL.length);
    source.set(input.subarray(start, end));
    source.set(DEFLATE_TAIL, end - start);
    // zlib takes a whole number from 1 to the largest Buffer; a larger limit (Infinity, the
    // unlimited maxPayload) cannot be reached anyway: Buffer allocation fails first (1009).
    const result = this.run(source, Math.min(Math.max(1, Math.floor(limit)), LARGEST_BUFFER_BYTES));
    if (result === null) return this.tooBig ? ENGINE_TOO_BIG : ENGINE_INVALID;
    const output = result.buffer;
    if (output.length > limit) return ENGINE_TOO_BIG;
    // zlib stops reading at the end of a final (BFINAL) block. Only our own appended tail may
    // be left over; anything else is data this stream cannot decode (as the native engine).
    const unread = source.length - result.engine.bytesWritten;
    if (unread !== 0 && unread !== DEFLATE_TAIL.length) {
      this.failed = true;
      this.error = 'data after the final DEFLATE block';
      return ENGINE_INVALID;
    }
    this.output = output;
    // A final block ends the peer's DEFLATE stream: its next message starts a new one, with an
    // empty window (the native engine resets its stream the same way).
    if (unread === DEFLATE_TAIL.length) this.historyLength = 0;
    else this.remember(output);
    return output.length;
  }

  deflate(input: Uint8Array, start: number, end: number): number {
    const message = input.subarray(start, end);
    const result = this.run(message, 0);
    if (result === null) return ENGINE_INVALID;
    const output = result.buffer;
    if (output.length < 4 || !endsWithTail(output, output.length)) return ENGINE_INVALID;
    this.output = output;
    this.remember(message);
    return output.length - 4;
  }

  reset(): void {
    this.historyLength = 0;
  }

  release(): void {
    // Every output is a fresh Buffer from zlib: nothing to reuse, so nothing is kept.
    this.output = EMPTY_OUTPUT;
  }

  close(): void {
    this.failed = true;
  }

  /**
   * One zlib call over the whole message, with the window so far as the raw dictionary; null
   * on failure. `info: true` also returns the zlib stream, whose bytesWritten counts the input
   * zlib consumed.
   */
  private run(source: Uint8Array, maxOutputLength: number): OneShotResult | null {
    if (this.failed) return null;
    const dictionary = this.historyLength === 0 ? undefined : this.history.subarray(this.history.length - this.historyLength);
    const common = {
      info: true,
      windowBits: this.options.windowBits,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      ...(dictionary !== undefined && { dictionary }),
    };
    try {
      const result = this.deflateMode
        ? zlib.deflateRawSync(source, { ...common, level: this.options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION, memLevel: this.options.memLevel ?? 8 })
        : zlib.inflateRawSync(source, { ...common, maxOutputLength });
      return result as unknown as OneShotResult;
    } catch (error) {
      this.tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      if (!this.tooBig) {
        this.failed = true;
        this.error = (error as Error).message;
      }
      return null;
    }
  }

  /** Slides the window: history keeps the last history.length bytes, right-aligned. */
  private remember(bytes: Uint8Array): void {
    const size = this.history.length;
    if (bytes.length >= size) {
      this.history.set(bytes.subarray(bytes.length - size));
      this.historyLength = size;
      return;
    }
    const keep = Math.min(this.historyLength, size - bytes.length);
    this.history.copyWithin(size - keep - bytes.length, size - keep, size);
    this.history.set(bytes, size - bytes.length);
    this.historyLength = keep + bytes.length;
  }
}

function endsWithTail(bytes: Uint8Array, length: number): boolean {
  return bytes[length - 4] === 0x00 && bytes[length - 3] === 0x00 && bytes[length - 2] === 0xff && bytes[length - 1] === 0xff;
}

function noop(): void {}

/**
 * Proves the internals behave before the native engine is chosen: a round trip through two
 * engines with context takeover, then corrupt input, which must fail through our error handler
 * and leave the handle open (usable() guards every call, so a Node whose internals differ gets
 * ENGINE_INVALID here instead of an abort), then a valid message on a fresh stream.
 */
function nativeSelfTest(): boolean {
  try {
    const deflater = new NativeEngine(true, { windowBits: 15 });
    const inflater = new NativeEngine(false, { windowBits: 15 });
    const sample = new TextEncoder().encode('{"e":"trade","s":"BTCUSDT","p":"43000.10","q":"0.001"}'.repeat(4));
    let ok = true;
    let compressed = new Uint8Array(0);
    for (let round = 0; round < 2 && ok; round++) {
      const length = deflater.deflate(sample, 0, sample.length);
      if (length < 0) return false;
      compressed = deflater.output.slice(0, length);
      ok = inflatesTo(inflater, compressed, sample);
    }
    deflater.close();
    inflater.close();
    if (!ok) return false;
    // Corrupt input (a reserved block type, RFC 1951 3.2.3): the error must come through our
    // onerror while the stream stays open; then the same engine refuses further work.
    const corrupted = new NativeEngine(false, { windowBits: 15 });
    const corrupt = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]);
    const failedAsExpected =
      corrupted.inflate(corrupt, 0, corrupt.length, 1 << 20) === ENGINE_INVALID &&
      corrupted.error !== '' &&
      corrupted.handleStillOpen() &&
      corrupted.inflate(compressed, 0, compressed.length, 1 << 20) === ENGINE_INVALID;
    corrupted.close();
    if (!failedAsExpected) return false;
    // The first message of the round trip, into a fresh stream: independent of the failure.
    const fresh = new NativeEngine(false, { windowBits: 15 });
    const first = new NativeEngine(true, { windowBits: 15 });
    const length = first.deflate(sample, 0, sample.length);
    ok = length >= 0 && inflatesTo(fresh, first.output.slice(0, length), sample);
    first.close();
    fresh.close();
    return ok;
  } catch {
    return false;
  }
}

function inflatesTo(inflater: Engine, compressed: Uint8Array, expected: Uint8Array): boolean {
  const length = inflater.inflate(compressed, 0, compressed.length, 1 << 20);
  return length === expected.length && Buffer.from(inflater.output.buffer, inflater.output.byteOffset, length).equals(expected);
}
