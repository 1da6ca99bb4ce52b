// One benchmark client run, in its own child process (so heap and GC figures belong to this
// client alone). The parent passes a ClientSpec as JSON in argv[2]; the result goes back over IPC.
//
// Modes:
//   throughput  count messages; the window opens at `warmup` and closes at `expected`
//   latency     per message: read the clock, parse the stamp from the bytes, record the difference
//   clock       per message: the harness's own cost (clock read + stamp parse), recorded alone
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LatencyRecorder, summarizeHistogram, type LatencySummary } from './latency.js';
import { MeasureWindow, type WindowResult } from './measure.js';
import { FrameBoundaries } from './frame-boundaries.js';
import { endOfHead, nowNs, parseStamp, parseStampString, upgradeRequest } from './wire.js';

export type ClientKind = 'tickwire' | 'ws' | 'ws-native' | 'node-websocket' | 'raw-data' | 'raw-onread';
export type ClientMode = 'throughput' | 'latency' | 'clock';

export interface ClientSpec {
  client: ClientKind;
  mode: ClientMode;
  tls: boolean;
  host: string;
  port: number;
  path: string;
  expected: number;
  warmup: number;
  caFile: string;
}

export interface ClientResult {
  ok: boolean;
  error?: string;
  /** The client cannot run in this configuration (a WebSocket global missing on this Node). */
  skipped?: string;
  messages: number;
  window?: WindowResult;
  latency?: LatencySummary;
  /** tickwire in latency mode: its opt-in stage clock, per socket read (t1 read, t2 parsed, t3 delivered). */
  stages?: StageSummaries;
}

export interface StageSummaries {
  readToParsed: LatencySummary;
  parsedToDelivered: LatencySummary;
  readToDelivered: LatencySummary;
}

interface StageHistograms {
  readToParsed: Parameters<typeof summarizeHistogram>[0] & { reset(): void };
  parsedToDelivered: Parameters<typeof summarizeHistogram>[0] & { reset(): void };
  readToDelivered: Parameters<typeof summarizeHistogram>[0] & { reset(): void };
}

/** The tickwire client's stage clock in latency mode, reset when the measured window opens. */
let stages: StageHistograms | null = null;

type BytesHandler = (data: Uint8Array, start: number, end: number) => void;
type StringHandler = (text: string) => void;

const spec = JSON.parse(process.argv[2] ?? '{}') as ClientSpec;
const url = `${spec.tls ? 'wss' : 'ws'}://${spec.host}:${spec.port}${spec.path}`;
const measure = new MeasureWindow();
const recorder = new LatencyRecorder();
let count = 0;
let finished = false;

function send(result: ClientResult): void {
  if (finished) return;
  finished = true;
  // Exit once the result is out: an open socket would otherwise keep the process alive.
  if (process.send !== undefined) process.send(result, () => process.exit(0));
  else process.exit(0);
}

function done(): void {
  const window = measure.started ? measure.stop(count) : undefined;
  const result: ClientResult = { ok: true, messages: count };
  if (window !== undefined) result.window = window;
  if (spec.mode !== 'throughput') result.latency = recorder.summary();
  if (stages !== null) {
    result.stages = {
      readToParsed: summarizeHistogram(stages.readToParsed),
      parsedToDelivered: summarizeHistogram(stages.parsedToDelivered),
      readToDelivered: summarizeHistogram(stages.readToDelivered),
    };
  }
  send(result);
}

function fail(error: unknown): void {
  send({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), messages: count });
}

function skip(reason: string): void {
  send({ ok: true, skipped: reason, messages: 0 });
}

// ---- Per-message handlers, one per mode so each stays monomorphic and minimal. ----

function countBytes(_data: Uint8Array, _start: number, _end: number): void {
  count++;
  if (count === spec.warmup) measure.start(count);
  if (count === spec.expected) done();
}

function latencyBytes(data: Uint8Array, start: number, end: number): void {
  const now = nowNs();
  const stamp = parseStamp(data, start, end);
  count++;
  if (count > spec.warmup) recorder.record(now - stamp);
  else if (count === spec.warmup) {
    measure.start(count);
    resetStages();
  }
  if (count === spec.expected) done();
}

function resetStages(): void {
  if (stages === null) return;
  stages.readToParsed.reset();
  stages.parsedToDelivered.reset();
  stages.readToDelivered.reset();
}

function clockBytes(data: Uint8Array, start: number, end: number): void {
  const before = nowNs();
  parseStamp(data, start, end);
  const after = nowNs();
  count++;
  if (count > spec.warmup) recorder.record(after - before);
  else if (count === spec.warmup) measure.start(count);
  if (count === spec.expected) done();
}

function countString(_text: string): void {
  count++;
  if (count === spec.warmup) measure.start(count);
  if (count === spec.expected) done();
}

function latencyString(text: string): void {
  const now = nowNs();
  const stamp = parseStampString(text);
  count++;
  if (count > spec.warmup) recorder.record(now - stamp);
  else if (count === spec.warmup) measure.start(count);
  if (count === spec.expected) done();
}

function clockString(text: string): void {
  const before = nowNs();
  parseStampString(text);
  const after = nowNs();
  count++;
  if (count > spec.warmup) recorder.record(after - before);
  else if (count === spec.warmup) measure.start(count);
  if (count === spec.expected) done();
}

const bytesHandler: BytesHandler = spec.mode === 'throughput' ? countBytes : spec.mode === 'latency' ? latencyBytes : clockBytes;
const stringHandler: StringHandler = spec.mode === 'throughput' ? countString : spec.mode === 'latency' ? latencyString : clockString;

function ca(): Buffer {
  return readFileSync(spec.caFile);
}

// ---- Clients ----

async function runTickwire(): Promise<void> {
  const entry = new URL('../src/index.js', import.meta.url);
  let module: Record<string, unknown>;
  try {
    module = (await import(entry.href)) as Record<string, unknown>;
  } catch (error) {
    // The client under test: failing to load it is a failed run, never a skip.
    fail(new Error(`tickwire did not load (${entry.pathname}): ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  const connect = module['connect'];
  if (typeof connect !== 'function') {
    fail(new Error('tickwire has no connect() export'));
    return;
  }
  const options: Record<string, unknown> = {
    onMessage: bytesHandler,
    onClose(code: number) {
      if (!finished) fail(new Error(`closed (${code}) after ${count} messages`));
    },
    onError: fail,
  };
  if (spec.tls) options['ca'] = ca();
  // Latency runs also report tickwire's own stage clock (one clock read per socket read).
  if (spec.mode === 'latency') options['stageClock'] = true;
  const client = (await (connect as (url: string, options: Record<string, unknown>) => Promise<unknown>)(url, options)) as {
    stages?: StageHistograms | null;
  };
  stages = client.stages ?? null;
}

async function runWs(): Promise<void> {
  // WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE are set by the parent for the 'ws' variant.
  const { default: WebSocket } = await import('ws');
  const options: Record<string, unknown> = { perMessageDeflate: false };
  if (spec.tls) options['ca'] = ca();
  const socket = new WebSocket(url, options);
  socket.on('message', (data: Buffer) => bytesHandler(data, 0, data.length));
  socket.on('error', fail);
  socket.on('close', (code: number) => {
    if (!finished) fail(new Error(`closed (${code}) after ${count} messages`));
  });
}

function runNodeWebSocket(): void {
  const NodeWebSocket = (globalThis as { WebSocket?: typeof globalThis.WebSocket }).WebSocket;
  if (NodeWebSocket === undefined) {
    skip('no global WebSocket (Node 20 needs --experimental-websocket)');
    return;
  }
  // wss: the parent points NODE_EXTRA_CA_CERTS at the test CA; undici has no per-socket CA option.
  const socket = new NodeWebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event) => stringHandler(event.data as string));
  socket.addEventListener('error', () => fail(new Error('WebSocket error event')));
  socket.addEventListener('close', (event) => {
    if (!finished) fail(new Error(`closed (${event.code}) after ${count} messages`));
  });
}

function rawSocket(onread?: { buffer: Buffer; callback: (bytes: number, buffer: Buffer) => boolean }): Socket {
  const options: Record<string, unknown> = { host: spec.host, port: spec.port };
  if (onread !== undefined) options['onread'] = onread;
  if (spec.tls) {
    options['ca'] = ca();
    return tlsConnect(options);
  }
  return netConnect(options as { host: string; port: number });
}

/** The upgrade response may span reads; returns the offset of the first frame byte, or -1. */
class HeadReader {
  private head = Buffer.alloc(0);
  done = false;

  feed(chunk: Buffer, length: number): number {
    const previous = this.head.length;
    this.head = Buffer.concat([this.head, chunk.subarray(0, length)]);
    const headEnd = endOfHead(this.head, 0, this.head.length);
    if (headEnd < 0) return -1;
    if (!this.head.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) throw new Error('upgrade refused');
    this.done = true;
    return headEnd - previous;
  }
}

function rawConnected(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', fail);
  socket.on('close', () => {
    if (!finished) fail(new Error(`connection closed after ${count} messages`));
  });
  socket.once(spec.tls ? 'secureConnect' : 'connect', () => socket.write(upgradeRequest(spec.host, spec.port, spec.path)));
}

function makeScanner(): FrameBoundaries {
  return new FrameBoundaries(spec.mode === 'throughput' ? null : bytesHandler);
}

/** After a read: throughput mode opens and closes its window per read, the scanner counts. */
function afterRead(scanner: FrameBoundaries): void {
  if (spec.mode !== 'throughput') return;
  count = scanner.messages;
  if (!measure.started && count >= spec.warmup) measure.start(count);
  if (count >= spec.expected) done();
}

function runRawData(): void {
  const scanner = makeScanner();
  const head = new HeadReader();
  const socket = rawSocket();
  rawConnected(socket);
  socket.on('data', (chunk: Buffer) => {
    if (head.done) {
      scanner.push(chunk, 0, chunk.length);
    } else {
      const start = head.feed(chunk, chunk.length);
      if (start < 0) return;
      scanner.push(chunk, start, chunk.length);
    }
    afterRead(scanner);
  });
}

/** Read size of the onread reader: 64 KiB, the size libuv reads into by default. */
const ONREAD_BUFFER_BYTES = 64 * 1024;

function runRawOnread(): void {
  const scanner = makeScanner();
  const head = new HeadReader();
  const buffer = Buffer.allocUnsafe(ONREAD_BUFFER_BYTES);
  const socket = rawSocket({
    buffer,
    callback(bytes: number, into: Buffer): boolean {
      if (head.done) {
        scanner.push(into, 0, bytes);
      } else {
        const start = head.feed(into, bytes);
        if (start < 0) return true;
        scanner.push(into, start, bytes);
      }
      afterRead(scanner);
      return true;
    },
  });
  rawConnected(socket);
}

async function main(): Promise<void> {
  switch (spec.client) {
    case 'tickwire':
      return runTickwire();
    case 'ws':
    case 'ws-native':
      return runWs();
    case 'node-websocket':
      return runNodeWebSocket();
    case 'raw-data':
      return runRawData();
    case 'raw-onread':
      return runRawOnread();
    default:
      fail(new Error(`unknown client ${String(spec.client)}`));
  }
}

main().catch(fail);
