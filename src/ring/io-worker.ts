// The dedicated I/O thread of worker mode (the original design's kqueue thread, the Node way):
// runs tickwire's connect() in a worker_threads Worker and writes every message into the ring.
// When the ring is full it stops reading the socket (TCP flow control then pushes back on the
// server), keeps the messages of the read in progress in the spill queue, waits (bounded,
// asynchronously) for the consumer to free space, and resumes. Nothing is ever dropped.
import { parentPort, workerData } from 'node:worker_threads';
import type { Client } from '../client/client.js';
import { connect } from '../client/connect.js';
import { FLAG_CLOSE, FLAG_ERROR, FLAG_TEXT } from './layout.js';
import { encodeCloseRecord, encodeErrorRecord, serializeError, type FromWorker, type ToWorker, type WorkerInit } from './messages.js';
import { Overflow } from './overflow.js';
import { RingProducer } from './spsc-ring.js';

/**
 * Bound on one wait for ring space: the wait re-checks at least this often even if a notify
 * were missed. Wakes normally come from the consumer's notify well before.
 */
const SPACE_WAIT_TIMEOUT_MS = 50;

const port = parentPort;
if (port === null) throw new Error('io-worker.js must run in a worker_threads Worker (use connectWorker())');
const init = workerData as WorkerInit;
const producer = new RingProducer(init.memory);
const overflow = new Overflow();

let client: Client | null = null;
/** Reading is paused because the ring was full. */
let paused = false;
/** A waitForSpace is armed. */
let waiting = false;
/** The close record is queued: finish once it is in the ring. */
let closing = false;
let finished = false;

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function onMessage(data: Uint8Array, start: number, end: number, isText: boolean): void {
  const flags = isText ? FLAG_TEXT : 0;
  // Fast case: nothing spilled before, so writing now keeps the order.
  if (overflow.count === 0 && producer.tryWrite(data, start, end, flags)) return;
  spill(data, start, end, flags);
}

function writeRecord(data: Uint8Array, flags: number): void {
  if (overflow.count === 0 && producer.tryWrite(data, 0, data.length, flags)) return;
  spill(data, 0, data.length, flags);
}

function spill(data: Uint8Array, start: number, end: number, flags: number): void {
  overflow.push(data, start, end, flags);
  if (!paused && !closing) {
    paused = true;
    producer.countFullWait();
    readingSwitch(false);
  }
  if (!waiting) {
    waiting = true;
    producer.waitForSpace(flush, SPACE_WAIT_TIMEOUT_MS);
  }
}

/** Moves spilled records into the ring while they fit; resumes reading once all are in. */
function flush(): void {
  waiting = false;
  while (overflow.count > 0) {
    if (!producer.tryWrite(overflow.bytes, overflow.headStart, overflow.headEnd, overflow.headFlags)) {
      waiting = true;
      producer.waitForSpace(flush, SPACE_WAIT_TIMEOUT_MS);
      return;
    }
    overflow.shift();
  }
  if (paused) {
    paused = false;
    readingSwitch(true);
  }
  if (closing) finish();
}

/**
 * Pauses or resumes socket reads. Client has no public pause() yet, so this reaches its socket;
 * net.Socket.pause() with `onread` stops reading at the handle (readStop), so the kernel's
 * receive buffer fills and TCP flow control throttles the server.
 */
function readingSwitch(on: boolean): void {
  if (client === null) return;
  if (on) client.resume();
  else client.pause();
}

function onError(error: Error): void {
  if (finished) return;
  writeRecord(encodeErrorRecord(error), FLAG_ERROR);
}

function onClose(code: number, reason: string): void {
  if (closing) return;
  closing = true;
  writeRecord(encodeCloseRecord(code, reason), FLAG_CLOSE);
  if (overflow.count === 0) finish();
}

function finish(): void {
  if (finished) return;
  finished = true;
  producer.markClosed();
  // Nothing keeps the thread alive now: it exits once the socket's last events are handled.
  port!.close();
}

function onPong(data: Uint8Array, start: number, end: number): void {
  post({ type: 'pong', data: data.slice(start, end) });
}

port.on('message', (message: ToWorker) => {
  if (client === null || finished) return;
  try {
    switch (message.type) {
      case 'send':
        client.send(message.data, message.isText);
        break;
      case 'ping':
        client.ping(message.payload);
        break;
      case 'close':
        client.close(message.code, message.reason);
        break;
      case 'terminate':
        client.terminate();
        break;
    }
  } catch (error) {
    // E.g. a send that raced the server's close: report it in order with the messages.
    onError(error instanceof Error ? error : new Error(String(error)));
  }
});

const { options } = init;
connect(init.url, {
  ...options,
  onMessage,
  onError,
  onClose,
  ...(init.forwardPongs && { onPong }),
}).then(
  (connected) => {
    client = connected;
    post({ type: 'open', protocol: connected.protocol, headers: connected.responseHeaders });
  },
  (error: unknown) => {
    finished = true;
    post({ type: 'connect-error', error: serializeError(error) });
    port.close();
  },
);
