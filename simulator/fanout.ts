// Fan-out: every event is written once and copied to each subscriber's send queue, and the
// slow-consumer policy that keeps one client from holding back the others.
//
// Policy (issue: one client that stopped reading used to stop data to every client): each
// client's queue (its unsent frames plus the socket's write queue) is bounded by
// maxBufferedBytes. A client over the bound is closed with 1008 and gets no more data; the
// server role destroys it after its close timeout if it does not read the close frame either.
// In max-rate mode the engine waits only while *every* client that takes data is above the
// high-water mark, so a fast reader is never paced by a slow one.
import { JsonWriter } from './json-writer.js';
import type { StreamEntry } from './registry.js';
import type { Session } from './session.js';
import { writeStamp } from './streams.js';

/** Max-rate mode: a client above this many unsent bytes is backlogged (the engine may wait for it). */
export const MAX_RATE_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Default slow-consumer bound (ExchangeOptions.maxBufferedBytes). */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Close code for a slow consumer: 1008 policy violation (RFC 6455 7.4.1). */
export const CLOSE_SLOW_CONSUMER = 1008;

// Which subscribers an event goes to: all (no time field in it), or those of one time unit.
export const TO_ALL = 0;
export const TO_MILLISECONDS = 1;
export const TO_MICROSECONDS = 2;

const CLOSE_BRACE = 0x7d;

export class Fanout {
  /** Data messages handed to connections since start (each copy counts). */
  messagesSent = 0;
  slowConsumersClosed = 0;

  // Every event is written once, as `{"stream":"<name>","data":<payload>}`, into one reusable
  // buffer: raw subscribers get the payload slice, combined ones the whole thing.
  private readonly writer = new JsonWriter();
  private payloadStart = 0;
  private readonly sessions: ReadonlySet<Session>;
  private readonly stamp: Uint8Array | null;
  private readonly maxBufferedBytes: number;
  private readonly highWaterBytes: number;

  constructor(sessions: ReadonlySet<Session>, stamp: Uint8Array | null, maxBufferedBytes: number) {
    this.sessions = sessions;
    this.stamp = stamp;
    this.maxBufferedBytes = maxBufferedBytes;
    // Well below the bound, so a client that keeps up but lags by one batch is waited for,
    // never closed.
    this.highWaterBytes = Math.min(MAX_RATE_HIGH_WATER_BYTES, Math.floor(maxBufferedBytes / 4));
  }

  /** Starts an event for `entry`: the combined prefix is written, the payload writer follows. */
  begin(entry: StreamEntry): JsonWriter {
    const writer = this.writer;
    writer.reset();
    writer.bytes(entry.prefix);
    this.payloadStart = writer.position;
    return writer;
  }

  /** Sends the event written since begin() to every subscriber of `entry` in `audience`. */
  publish(entry: StreamEntry, audience: number): void {
    if (entry.silenced) return;
    const writer = this.writer;
    if (entry.binary) return this.publishBinary(entry, audience);
    // The stamp goes inside an object payload; array payloads (`!…@arr`) go without one.
    if (this.stamp !== null && writer.buffer[writer.position - 1] === CLOSE_BRACE) writeStamp(writer, this.stamp);
    const payloadEnd = writer.position;
    writer.byte(CLOSE_BRACE); // the combined wrapper's closing brace
    const buffer = writer.buffer;
    const payloadStart = this.payloadStart;
    const subscribers = entry.subscribers;
    for (let index = 0; index < subscribers.length; index++) {
      const session = subscribers[index]!;
      if (!session.takesData || (audience !== TO_ALL && session.microseconds !== (audience === TO_MICROSECONDS))) continue;
      if (session.combined) session.connection.sendTextBytes(buffer, 0, payloadEnd + 1);
      else session.connection.sendTextBytes(buffer, payloadStart, payloadEnd);
      session.messagesSent++;
      this.messagesSent++;
    }
  }

  /** Binary streams (SBE): the payload alone as a binary message, no stamp, no combined wrapper. */
  private publishBinary(entry: StreamEntry, audience: number): void {
    const writer = this.writer;
    const buffer = writer.buffer;
    const payloadStart = this.payloadStart;
    const payloadEnd = writer.position;
    const subscribers = entry.subscribers;
    for (let index = 0; index < subscribers.length; index++) {
      const session = subscribers[index]!;
      if (!session.takesData || (audience !== TO_ALL && session.microseconds !== (audience === TO_MICROSECONDS))) continue;
      session.connection.sendBinary(buffer, payloadStart, payloadEnd);
      session.messagesSent++;
      this.messagesSent++;
    }
  }

  /** Closes every client whose queue passed the bound. Runs after each engine batch. */
  enforceQueueBound(): void {
    for (const session of this.sessions) {
      if (session.open && session.connection.bufferedAmount > this.maxBufferedBytes) {
        session.open = false;
        this.slowConsumersClosed++;
        session.connection.close(CLOSE_SLOW_CONSUMER, 'Slow consumer');
      }
    }
  }

  /**
   * Max-rate mode: true when the engine should wait for a drain — every client that takes data
   * is above the high-water mark. One slow client alone never pauses the engine.
   */
  allBacklogged(): boolean {
    let takers = 0;
    for (const session of this.sessions) {
      if (!session.takesData) continue;
      takers++;
      if (session.connection.bufferedAmount <= this.highWaterBytes) return false;
    }
    return takers !== 0;
  }

  /** True when some client takes data (max-rate mode spins only for someone). */
  hasTakers(): boolean {
    for (const session of this.sessions) if (session.takesData) return true;
    return false;
  }
}
