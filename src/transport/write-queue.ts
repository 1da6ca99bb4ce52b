// The outgoing side of a connection in either role: frames are batched in a SendBuffer and
// written once per tick (or once per cork/uncork batch), pongs are coalesced, and the queue is
// bounded. Policy (docs/errors.md, "Bounded memory"):
// - Pongs: RFC 6455 5.5.3 lets an endpoint that has not yet answered earlier pings answer only
//   the most recent one. Above the high-water mark at most one pong payload waits here, written
//   once the socket drains, so a ping flood from a peer that does not read costs 125 bytes.
// - Reading pauses while the queue is above the high-water mark and resumes once the socket has
//   drained: a peer that sends but does not read is pushed back by TCP instead of making us
//   queue answers without end.
// - Above `limitBytes` the role's policy applies: the client refuses the send (it throws
//   WS_ERR_WRITE_QUEUE_FULL), the server fails the connection as a slow consumer (close 1008).
import { OPCODE_PONG } from '../protocol/opcodes.js';
import { MAX_CONTROL_PAYLOAD } from '../protocol/opcodes.js';
import { SendBuffer } from './send-buffer.js';

/** Default write-queue limit in both roles: far above what a healthy connection holds. */
export const DEFAULT_MAX_WRITE_QUEUE_BYTES = 4 * 1024 * 1024;
/** Reading pauses above this many queued bytes (or half the limit when that is lower). */
export const WRITE_HIGH_WATER_BYTES = 1024 * 1024;

/** Why reading is paused: bits, so a user pause and back-pressure do not undo each other. */
export const PAUSED_BY_USER = 1;
export const PAUSED_BY_WRITE_QUEUE = 2;

/** The part of a socket the queue uses (net.Socket and tls.TLSSocket both fit). */
export interface QueueSocket {
  write(chunk: Uint8Array): boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  pause(): unknown;
  resume(): unknown;
}

export interface WriteQueueOwner {
  /** The queue went over its limit (checked once per slab of output and at every flush). */
  onWriteQueueOverLimit(): void;
}

export class WriteQueue {
  readonly frames: SendBuffer;
  readonly limitBytes: number;
  private readonly highWaterBytes: number;
  private readonly socket: QueueSocket;
  private readonly owner: WriteQueueOwner;
  private corked = 0;
  private flushScheduled = false;
  private readonly flushBound = (): void => {
    this.flushScheduled = false;
    if (this.corked === 0) this.flush();
  };
  /** The most recent unanswered ping's payload (RFC 6455 5.5.3), when pongPending. */
  private readonly pong = new Uint8Array(MAX_CONTROL_PAYLOAD);
  private pongLength = 0;
  private pongPending = false;
  /** PAUSED_BY_* bits; the socket reads only when 0. */
  private pausedBy = 0;
  private closed = false;

  constructor(socket: QueueSocket, owner: WriteQueueOwner, options: { masked: boolean; limitBytes: number }) {
    this.socket = socket;
    this.owner = owner;
    this.frames = new SendBuffer(socket, options.masked);
    this.limitBytes = options.limitBytes;
    this.highWaterBytes = Math.min(WRITE_HIGH_WATER_BYTES, options.limitBytes / 2);
  }

  /** Bytes queued but not yet sent: unflushed frames plus the socket's write queue. */
  get queuedBytes(): number {
    return this.frames.pendingBytes + this.socket.writableLength;
  }

  /** Reading is paused, by the user or by back-pressure. */
  get readingPaused(): boolean {
    return this.pausedBy !== 0;
  }

  /** Call after appending frames: checks the limit once per slab, then flushes at the end of the tick. */
  appended(): void {
    if (this.frames.slabTurnedOver) {
      this.frames.slabTurnedOver = false;
      if (this.queuedBytes > this.limitBytes) {
        this.owner.onWriteQueueOverLimit();
        return;
      }
    }
    if (this.flushScheduled || this.corked !== 0) return;
    this.flushScheduled = true;
    process.nextTick(this.flushBound);
  }

  /**
   * Answers a ping. While the queue is below the high-water mark the pong is queued like any
   * frame; above it only the most recent ping's payload is kept (RFC 6455 5.5.3) and written once
   * the socket drains, so a peer that pings without reading costs at most 125 bytes more.
   */
  queuePong(data: Uint8Array, start: number, end: number): void {
    if (!this.pongPending && this.queuedBytes < this.highWaterBytes) {
      this.frames.appendFrame(OPCODE_PONG, data, start, end);
      this.appended();
      return;
    }
    const length = end - start;
    for (let index = 0; index < length; index++) this.pong[index] = data[start + index]!;
    this.pongLength = length;
    this.pongPending = true;
    this.appended();
  }

  /** Holds writes until the matching uncork(): a batch of sends becomes one socket write. */
  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked > 0 && --this.corked === 0) this.flush();
  }

  /** Writes everything queued now. Returns false when the socket asks to wait for 'drain'. */
  flush(): boolean {
    if (this.closed || this.socket.destroyed) {
      this.frames.discard();
      return false;
    }
    if (this.pongPending && this.socket.writableLength < this.highWaterBytes) {
      this.pongPending = false;
      this.frames.appendFrame(OPCODE_PONG, this.pong, 0, this.pongLength);
    }
    const written = this.frames.flush();
    this.frames.slabTurnedOver = false;
    const queued = this.socket.writableLength;
    if (queued > this.limitBytes) {
      this.owner.onWriteQueueOverLimit();
    } else if (queued > this.highWaterBytes && (this.pausedBy & PAUSED_BY_WRITE_QUEUE) === 0) {
      this.pause(PAUSED_BY_WRITE_QUEUE);
    }
    return written;
  }

  /** The socket's queue drained (its 'drain' event): resume reading, send a waiting pong. */
  drained(): void {
    if (this.pongPending) this.flush();
    if ((this.pausedBy & PAUSED_BY_WRITE_QUEUE) !== 0 && this.socket.writableLength < this.highWaterBytes) this.resume(PAUSED_BY_WRITE_QUEUE);
  }

  pause(reason: number): void {
    const wasReading = this.pausedBy === 0;
    this.pausedBy |= reason;
    if (wasReading && !this.closed) this.socket.pause();
  }

  resume(reason: number): void {
    if ((this.pausedBy & reason) === 0) return;
    this.pausedBy &= ~reason;
    if (this.pausedBy === 0 && !this.closed) this.socket.resume();
  }

  /** Forgets unflushed frames and the pending pong; later flushes write nothing. */
  close(): void {
    this.closed = true;
    this.pongPending = false;
    this.frames.discard();
  }
}
