// Worker mode, main-thread side: connectWorker() starts the I/O worker (io-worker.ts) and hands
// back a WorkerClient whose process() drains the ring synchronously (the original design's
// websocket_process()), or, with options.onMessage, drains by itself whenever the ring becomes
// non-empty. Sends, pings and close go to the worker by postMessage (not the hot path); close
// and errors come back in order through the ring, worker crashes through the Worker's events.
//
// Limits, by design:
// - A message must fit one ring record: at most ringBytes / 2 - 8 bytes (4 MiB - 8 with the
//   default 8 MiB ring). That becomes the connection's maxPayload, so a larger message fails
//   the connection like any oversized one: onError(WS_ERR_MESSAGE_TOO_BIG), close 1009 sent,
//   onClose(1009). Asking for a larger maxPayload than the ring holds rejects at connect.
// - Nothing is ever dropped: a full ring pauses the socket (TCP flow control then slows the
//   server) until process() frees space. So onClose, too, waits for the messages before it to
//   be drained; a consumer that stops draining keeps the connection (and the worker) alive.
import { Worker } from 'node:worker_threads';
import type { ClientOptions, MessageCallback } from '../client/options.js';
import { notOpenError, stateName, STATE_CLOSED, STATE_CLOSING, STATE_CONNECTING, STATE_OPEN, type ReadyState } from '../protocol/connection-state.js';
import { CLOSE_ABNORMAL, CLOSE_NORMAL, WebSocketError, type WebSocketErrorCode } from '../protocol/errors.js';
import { checkCloseCode, closeReasonBytes, controlPayloadBytes } from '../protocol/validation.js';
import { createRingMemory, DEFAULT_RING_BYTES, FLAG_CLOSE, maxRecordPayload } from './layout.js';
import { decodeCloseRecord, decodeErrorRecord, deserializeError, type CloneableClientOptions, type FromWorker, type ToWorker, type WorkerInit } from './messages.js';
import { DRAIN_ALL, RingConsumer } from './spsc-ring.js';

/** Error code for a dead I/O worker (uncaught exception or exit without a close). Close code 1006. */
export const WS_ERR_WORKER: WebSocketErrorCode = 'WS_ERR_WORKER';

/**
 * Automatic mode drains at most this many messages per turn, then yields to the event loop
 * (setImmediate) so timers and I/O on the main thread are not starved by a burst.
 */
export const AUTO_DRAIN_BATCH = 4096;
/** Bound on one automatic-mode wait: the ring is re-checked at least this often. */
export const DATA_WAIT_TIMEOUT_MS = 100;

/** Options of connectWorker(): the client's options, with delivery from the shared-memory ring. */
export interface WorkerClientOptions extends Omit<ClientOptions, 'onMessage' | 'onPing' | 'stageClock'> {
  /**
   * Automatic mode: called for every message, drained on the main thread as soon as the ring
   * becomes non-empty (Atomics.waitAsync). Without it, call client.process() yourself.
   */
  onMessage?: MessageCallback;
  /** Ring size in bytes, a power of two. Default 8 MiB. Largest message: half of it minus 8 bytes. */
  ringBytes?: number;
}

/** Counters shared with the I/O worker. */
export interface RingStats {
  /** Data region size in bytes. */
  capacity: number;
  /** Bytes of messages waiting in the ring. */
  usedBytes: number;
  /**
   * Times the ring was full and the worker paused reading the socket. The ring never drops a
   * message (it pushes back on the socket instead), so there is no dropped-message counter.
   */
  ringFullWaits: number;
}

/**
 * Connects in worker mode: a worker_threads Worker owns the socket, parses frames and writes
 * each message into a shared-memory ring; this thread reads them with process() (no copy, no
 * allocation per message). Rejects like connect() (WS_ERR_CONNECT, WS_ERR_HANDSHAKE, ...), and
 * with WS_ERR_INVALID_ARGUMENT when maxPayload exceeds what the ring can hold or an option cannot
 * be honoured in worker mode (onPing, stageClock, or a name it does not know): every option it
 * accepts is used, none is ignored.
 */
export function connectWorker(url: string | URL, options: WorkerClientOptions = {}): Promise<WorkerClient> {
  return new Promise<WorkerClient>((resolve, reject) => {
    const unsupported = unsupportedOption(options);
    if (unsupported !== null) {
      reject(new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, unsupported));
      return;
    }
    const ringBytes = options.ringBytes ?? DEFAULT_RING_BYTES;
    let memory: SharedArrayBuffer;
    try {
      memory = createRingMemory(ringBytes);
    } catch (error) {
      reject(new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, (error as Error).message));
      return;
    }
    // A message must fit one record; the parser then fails larger ones itself with close 1009.
    const ringMax = maxRecordPayload(ringBytes);
    if (options.maxPayload !== undefined && options.maxPayload > ringMax) {
      reject(new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, `maxPayload ${options.maxPayload} exceeds what a ${ringBytes}-byte ring holds (${ringMax}); raise ringBytes`));
      return;
    }
    const init: WorkerInit = {
      memory,
      url: String(url),
      options: cloneableOptions(options, options.maxPayload ?? ringMax),
      forwardPongs: options.onPong !== undefined,
    };
    let worker: Worker;
    try {
      worker = new Worker(new URL('./io-worker.js', import.meta.url), { workerData: init });
    } catch (error) {
      // workerData is copied by structured clone: a forwarded option holding a function, say.
      reject(new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, `options cannot be sent to the I/O worker: ${(error as Error).message}`));
      return;
    }
    const client = new WorkerClient(worker, memory, options);
    client.start(resolve, reject);
  });
}

/**
 * ClientOptions handed to the I/O worker's connect() as they are (all structured-cloneable),
 * maxPayload apart (it is bounded by the ring). perMessageDeflate included: the worker inflates,
 * and the ring carries inflated messages, each at most maxPayload bytes.
 */
const FORWARDED_OPTIONS = [
  'headers',
  'protocols',
  'origin',
  'rejectUnauthorized',
  'ca',
  'servername',
  'handshakeTimeoutMs',
  'closeTimeoutMs',
  'noDelay',
  'receiveBufferBytes',
  'maxWriteQueueBytes',
  'perMessageDeflate',
] as const satisfies ReadonlyArray<keyof CloneableClientOptions>;
/** Options this thread uses itself. */
const LOCAL_OPTIONS = ['onMessage', 'onClose', 'onError', 'onPong', 'ringBytes', 'maxPayload'] as const;
/** ClientOptions that worker mode cannot honour, and why (a JavaScript caller may still pass them). */
const REJECTED_OPTIONS: Readonly<Record<string, string>> = {
  onPing: 'pings are answered in the I/O worker; worker mode has no onPing',
  stageClock: 'the stage clock times reads on the thread that parses them; worker mode has none',
};

// Every option of WorkerClientOptions is forwarded or used here: an option added to
// ClientOptions and not handled above fails to compile here instead of being ignored.
type UnhandledOption = Exclude<keyof WorkerClientOptions, (typeof FORWARDED_OPTIONS)[number] | (typeof LOCAL_OPTIONS)[number]>;
const everyOptionHandled: [UnhandledOption] extends [never] ? true : UnhandledOption = true;
void everyOptionHandled;

/** Why `options` cannot be honoured in worker mode (the first such option), or null. */
function unsupportedOption(options: WorkerClientOptions): string | null {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if ((FORWARDED_OPTIONS as readonly string[]).includes(key) || (LOCAL_OPTIONS as readonly string[]).includes(key)) continue;
    return `connectWorker does not support the ${key} option: ${REJECTED_OPTIONS[key] ?? 'unknown option'}`;
  }
  return null;
}

function cloneableOptions(options: WorkerClientOptions, maxPayload: number): CloneableClientOptions {
  const cloneable: CloneableClientOptions = { maxPayload };
  for (const key of FORWARDED_OPTIONS) {
    if (options[key] !== undefined) (cloneable as unknown as Record<string, unknown>)[key] = options[key];
  }
  return cloneable;
}

/** A worker-mode connection. Created by connectWorker(). */
export class WorkerClient {
  /** The subprotocol the server selected ('' when none). */
  protocol = '';
  /** The upgrade response's headers (lower-case names). */
  responseHeaders: Record<string, string> = {};
  /** @internal the I/O worker. */
  readonly worker: Worker;

  private readyState = STATE_CONNECTING;
  private readonly consumer: RingConsumer;
  private readonly options: WorkerClientOptions;
  /** Automatic-mode handler, or null when the caller drains with process(). */
  private readonly autoHandler: MessageCallback | null;
  private readonly autoDrain: () => void;
  /** The worker is gone (exit event seen). */
  private workerGone = false;
  /** terminate() was called: the missing close record is expected, not an error. */
  private terminating = false;
  private workerErrorReported = false;
  /** onClose was called (exactly once). */
  private closeReported = false;

  /** @internal use connectWorker() */
  constructor(worker: Worker, memory: SharedArrayBuffer, options: WorkerClientOptions) {
    this.worker = worker;
    this.options = options;
    this.autoHandler = options.onMessage ?? null;
    this.consumer = new RingConsumer(memory, (flags, data, start, end) => this.onControlRecord(flags, data, start, end));
    this.autoDrain = () => this.runAutoDrain();
  }

  /** 'connecting' | 'open' | 'closing' | 'closed' */
  get state(): ReadyState {
    return stateName(this.readyState);
  }

  /** Ring counters (shared memory reads, no message to the worker). */
  get stats(): RingStats {
    return {
      capacity: this.consumer.capacity,
      usedBytes: this.consumer.usedBytes,
      ringFullWaits: this.consumer.ringFullWaits,
    };
  }

  /**
   * Delivers up to `max` waiting messages to onMessage, synchronously, in order, as views on
   * the ring valid only during each call; returns how many (0 when the ring is empty). A close
   * or error that follows them is reported (onError, onClose) in order. Errors thrown by
   * onMessage go to onError and draining continues.
   */
  process(onMessage: MessageCallback, max: number = DRAIN_ALL): number {
    const consumer = this.consumer;
    let total = 0;
    for (;;) {
      try {
        total += consumer.drain(onMessage, max - total);
        break;
      } catch (error) {
        total += consumer.lastDrainCount;
        this.reportError(error);
        if (total >= max) break;
      }
    }
    if (this.workerGone && !this.closeReported && consumer.isEmpty) this.finish(CLOSE_ABNORMAL, '');
    return total;
  }

  /** Sends a message (a string as text, bytes as binary or, with isText, as text). Copied to the worker. */
  send(data: string | Uint8Array, isText?: boolean): void {
    this.assertOpen('send');
    this.post({ type: 'send', data, isText: isText === true });
  }

  /** Sends a ping (payload up to 125 bytes); the answer arrives at onPong. */
  ping(payload?: string | Uint8Array): void {
    this.assertOpen('ping');
    controlPayloadBytes(payload, 'ping'); // the same checks as the other roles, before posting
    this.post({ type: 'ping', payload });
  }

  /** Starts the close handshake in the worker; onClose follows once the messages before it are drained. */
  close(code: number = CLOSE_NORMAL, reason = ''): void {
    checkCloseCode(code, 'client');
    closeReasonBytes(reason);
    if (this.readyState !== STATE_OPEN) return;
    this.readyState = STATE_CLOSING;
    this.post({ type: 'close', code, reason });
  }

  /**
   * Stops the I/O worker at once (no close handshake). The state is 'closed' from now on (send
   * and ping throw WS_ERR_NOT_OPEN; messages still in the ring are dropped); onClose(1006)
   * follows once the worker has exited.
   */
  terminate(): void {
    if (this.readyState === STATE_CLOSED || this.readyState === STATE_CONNECTING) return;
    this.terminating = true;
    this.readyState = STATE_CLOSED;
    if (this.workerGone) this.finish(CLOSE_ABNORMAL, '');
    else void this.worker.terminate();
  }

  /** @internal wires the worker's events; resolves once the connection is open. */
  start(resolve: (client: WorkerClient) => void, reject: (error: Error) => void): void {
    const worker = this.worker;
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'open':
          this.protocol = message.protocol;
          this.responseHeaders = message.headers;
          this.readyState = STATE_OPEN;
          resolve(this);
          if (this.autoHandler !== null) this.runAutoDrain();
          break;
        case 'connect-error':
          this.readyState = STATE_CLOSED;
          reject(deserializeError(message.error));
          break;
        case 'pong':
          this.callPong(message.data);
          break;
      }
    });
    worker.on('error', (error: Error) => {
      // An uncaught exception in the worker: it exits next.
      const wrapped = new WebSocketError(WS_ERR_WORKER, CLOSE_ABNORMAL, `I/O worker failed: ${error.message}`, { cause: error });
      if (this.readyState === STATE_CONNECTING) {
        this.readyState = STATE_CLOSED;
        reject(wrapped);
        return;
      }
      this.workerErrorReported = true;
      this.reportError(wrapped);
    });
    worker.on('exit', (exitCode: number) => {
      this.workerGone = true;
      if (this.readyState === STATE_CONNECTING) {
        this.readyState = STATE_CLOSED;
        reject(new WebSocketError(WS_ERR_WORKER, CLOSE_ABNORMAL, `I/O worker exited (code ${exitCode}) before the connection opened`));
        return;
      }
      if (this.terminating) {
        this.finish(CLOSE_ABNORMAL, '');
        return;
      }
      if (this.consumer.producerClosed || this.closeReported) return; // normal end: the close record is in the ring
      if (!this.terminating && !this.workerErrorReported) {
        this.reportError(new WebSocketError(WS_ERR_WORKER, CLOSE_ABNORMAL, `I/O worker exited (code ${exitCode}) without closing the connection`));
      }
      // Messages already in the ring are still delivered; onClose(1006) follows them.
      if (this.consumer.isEmpty) this.finish(CLOSE_ABNORMAL, '');
      else if (this.autoHandler !== null) setImmediate(this.autoDrain);
    });
  }

  private runAutoDrain(): void {
    if (this.readyState === STATE_CLOSED) return;
    const delivered = this.process(this.autoHandler!, AUTO_DRAIN_BATCH);
    if (this.readyState === STATE_CLOSED) return;
    if (delivered === AUTO_DRAIN_BATCH) setImmediate(this.autoDrain);
    else if (!this.workerGone) this.consumer.waitForData(this.autoDrain, DATA_WAIT_TIMEOUT_MS);
  }

  private onControlRecord(flags: number, data: Uint8Array, start: number, end: number): void {
    if ((flags & FLAG_CLOSE) !== 0) {
      const { code, reason } = decodeCloseRecord(data, start, end);
      this.finish(code, reason);
    } else {
      this.reportError(decodeErrorRecord(data, start, end));
    }
  }

  private finish(code: number, reason: string): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.readyState = STATE_CLOSED;
    const onClose = this.options.onClose;
    if (onClose === undefined) return;
    try {
      onClose(code, reason);
    } catch (error) {
      this.reportError(error);
    }
  }

  private callPong(data: Uint8Array): void {
    const onPong = this.options.onPong;
    if (onPong === undefined) return;
    try {
      onPong(data, 0, data.length);
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    const onError = this.options.onError;
    if (onError === undefined) return;
    try {
      onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private assertOpen(what: string): void {
    if (this.readyState !== STATE_OPEN) throw notOpenError(what, this.readyState);
  }
}
