// Parser microbenchmark: tickwire's FrameParser against ws's Receiver on the same pre-built byte
// stream of unmasked text frames, cut into reads at random boundaries (seeded, so both parsers
// get exactly the same reads). Each (parser, size) run is its own child process, so heap and GC
// figures are the parser's alone. Both validate UTF-8 (text frames), neither touches a socket.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MeasureWindow, type WindowResult } from './measure.js';
import { MESSAGE_PREFIX } from './wire.js';

export type ParserKind = 'tickwire' | 'ws';
export const PARSER_KINDS: readonly ParserKind[] = ['tickwire', 'ws'];
/** Payload sizes: a tiny trade/ack, a bookTicker, a depth snapshot slice, a large snapshot. */
export const PARSER_SIZES: readonly number[] = [20, 100, 1024, 16 * 1024];

/** The byte stream holds at most this much; longer runs replay it (it ends on a frame boundary). */
const STREAM_BYTES = 64 * 1024 * 1024;
/** Reads are 1..MAX_READ bytes long: 64 KiB is what libuv reads into by default. */
const MAX_READ = 64 * 1024;

export interface ParserRunSpec {
  parser: ParserKind;
  size: number;
  frames: number;
  seed: number;
}

export interface ParserRunResult {
  ok: boolean;
  error?: string;
  parser: ParserKind;
  size: number;
  frames: number;
  messages: number;
  reads: number;
  window?: WindowResult;
}

/** Frames for one run: `requested`, or fewer when they would carry more than `maxPayloadBytes`. */
export function framesFor(size: number, requested: number, maxPayloadBytes: number): number {
  return Math.max(1, Math.min(requested, Math.floor(maxPayloadBytes / size)));
}

/** A text payload of exactly `size` ASCII bytes: bookTicker messages, cut or padded. */
function payload(size: number): Buffer {
  const message = `${MESSAGE_PREFIX}1700000000000000000}`;
  let text = message;
  while (text.length < size) text += `,${message}`;
  return Buffer.from(text.slice(0, size), 'latin1');
}

function frameHeader(size: number): Buffer {
  // RFC 6455 5.2: 7-bit length up to 125, then 16-bit (126), then 64-bit (127).
  if (size < 126) return Buffer.from([0x81, size]);
  if (size < 65536) return Buffer.from([0x81, 126, size >> 8, size & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(size), 2);
  return header;
}

/** xorshift32: deterministic read boundaries from a seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

interface Stream {
  reads: Buffer[];
  framesPerPass: number;
}

function buildStream(size: number, frames: number, seed: number): Stream {
  const frame = Buffer.concat([frameHeader(size), payload(size)]);
  // Equal passes whose total is `frames` or just above it (the last pass cannot stop mid-stream).
  const passes = Math.max(1, Math.ceil((frames * frame.length) / STREAM_BYTES));
  const framesPerPass = Math.ceil(frames / passes);
  const bytes = Buffer.allocUnsafe(framesPerPass * frame.length);
  for (let i = 0; i < framesPerPass; i++) frame.copy(bytes, i * frame.length);
  const next = random(seed);
  const reads: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = Math.min(bytes.length - offset, 1 + Math.floor(next() * MAX_READ));
    reads.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return { reads, framesPerPass };
}

type Push = (read: Buffer) => void;

async function makeParser(kind: ParserKind, onMessage: () => void): Promise<Push | string> {
  if (kind === 'ws') {
    const require = createRequire(import.meta.url);
    const { Receiver } = require('ws') as { Receiver: new (options: Record<string, unknown>) => NodeJS.WritableStream & { on(event: 'message', listener: () => void): void } };
    const receiver = new Receiver({
      allowSynchronousEvents: true,
      binaryType: 'nodebuffer',
      extensions: {},
      isServer: false,
      maxPayload: 0,
      skipUTF8Validation: false,
    });
    receiver.on('message', onMessage);
    receiver.on('error', (error: Error) => {
      throw error;
    });
    // As a socket's 'data' events hand it over: each read copied into a fresh Buffer. Both
    // parsers pay the same copy (the kernel's copy into user memory); ws also pays the allocation,
    // as it does on a real socket.
    return (read) => {
      const chunk = Buffer.allocUnsafe(read.length);
      chunk.set(read, 0);
      receiver.write(chunk);
    };
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(new URL('../src/protocol/frame-parser.js', import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    return `tickwire FrameParser did not load: ${error instanceof Error ? error.message : String(error)}`;
  }
  const FrameParser = module['FrameParser'] as
    | (new (handler: object, options: { expectMasked: boolean; maxPayload: number }) => { push(data: Uint8Array, start: number, end: number): void })
    | undefined;
  if (FrameParser === undefined) return 'tickwire has no FrameParser export';
  const handler = {
    onMessage: onMessage,
    onPing() {},
    onPong() {},
    onCloseFrame() {},
    onProtocolError(error: Error) {
      throw error;
    },
  };
  const parser = new FrameParser(handler, { expectMasked: false, maxPayload: 64 * 1024 * 1024 });
  // As the client reads: each socket read lands in one reusable receive buffer taken from the
  // kernel arena (the socket's copy into user memory, which ws's reads pay for too, in a fresh
  // Buffer each time). Split frames are then joined arena to arena, without a view.
  const kernels = (await import(new URL('../src/kernels/index.js', import.meta.url).href)) as {
    acquireKernelBuffer?: (byteLength: number) => Uint8Array;
  };
  const receive = kernels.acquireKernelBuffer?.(MAX_READ) ?? new Uint8Array(MAX_READ);
  return (read) => {
    receive.set(read, 0);
    parser.push(receive, 0, read.length);
  };
}

async function child(spec: ParserRunSpec): Promise<ParserRunResult> {
  const base: ParserRunResult = { ok: true, parser: spec.parser, size: spec.size, frames: spec.frames, messages: 0, reads: 0 };
  let messages = 0;
  const push = await makeParser(spec.parser, () => {
    messages++;
  });
  // The parser under test failing to load is a failed run, never a skip.
  if (typeof push === 'string') return { ...base, ok: false, error: push };
  const stream = buildStream(spec.size, spec.frames, spec.seed);
  const reads = stream.reads;
  // Warm-up: one pass, or enough passes for ~100k frames, so both parsers run JIT-compiled code.
  const warmPasses = Math.max(1, Math.ceil(Math.min(spec.frames, 100_000) / stream.framesPerPass));
  for (let pass = 0; pass < warmPasses; pass++) for (let i = 0; i < reads.length; i++) push(reads[i] as Buffer);
  messages = 0;
  const passes = Math.ceil(spec.frames / stream.framesPerPass);
  const window = new MeasureWindow();
  window.start(0);
  let readCount = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < reads.length; i++) push(reads[i] as Buffer);
    readCount += reads.length;
  }
  const result = window.stop(messages);
  const expected = passes * stream.framesPerPass;
  if (messages !== expected) return { ...base, ok: false, error: `counted ${messages} messages, pushed ${expected}`, messages };
  return { ...base, frames: expected, messages, reads: readCount, window: result };
}

/** Runs one (parser, size) measurement in a fresh child process. */
export function runParser(spec: ParserRunSpec, timeoutMs: number): Promise<ParserRunResult> {
  const entry = fileURLToPath(import.meta.url);
  const process = fork(entry, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return new Promise((resolve) => {
    let result: ParserRunResult | undefined;
    const timer = setTimeout(() => process.kill('SIGKILL'), timeoutMs);
    process.on('message', (message: ParserRunResult) => {
      result = message;
    });
    process.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(
        result ?? {
          ok: false,
          error: `parser child exited (${code ?? signal}) without a result`,
          parser: spec.parser,
          size: spec.size,
          frames: spec.frames,
          messages: -1,
          reads: 0,
        },
      );
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ParserRunSpec;
  child(spec)
    .catch((error: unknown): ParserRunResult => ({
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      parser: spec.parser,
      size: spec.size,
      frames: spec.frames,
      messages: -1,
      reads: 0,
    }))
    .then((result) => process.send?.(result, () => process.exit(0)));
}
