// The bounded queue behind ManagedStream.messages(): the convenience form, which copies each
// message out of the receive buffer. The queue holds at most `capacity` items; when the consumer
// falls that far behind, the policy decides:
//   'drop-oldest' (default): the oldest items are discarded and the consumer's next item is a
//                  { type: 'queue-overflow', dropped } event saying how many, so nothing is
//                  lost silently;
//   'fail':        the iterator throws StreamQueueFullError (code STREAM_ERR_QUEUE_FULL) and ends.
import type { StreamEvent } from './events.js';

/** One event of a stream, copied out of the receive buffer (the async iterator's form). */
export interface StreamMessage {
  /** Tells it from a StreamEvent. */
  type: 'message';
  /** The stream's index (ManagedStream.streamName(index) gives its name). */
  stream: number;
  /** The stream's name, e.g. 'btcusdt@trade'. */
  name: string;
  /** A copy of the event's bytes (the payload inside any venue wrapper). */
  data: Uint8Array;
}

/** What ManagedStream.messages() yields: messages and events, in order. */
export type StreamItem = StreamMessage | StreamEvent;

/** What the iterator's queue does when full (see the file comment). */
export type OverflowPolicy = 'drop-oldest' | 'fail';

/** Options of ManagedStream.messages(). */
export interface MessageIteratorOptions {
  /** Items held before the overflow policy applies. Default 10 000. */
  capacity?: number;
  /** 'drop-oldest' (default) or 'fail'. */
  overflow?: OverflowPolicy;
}

/** Items an iterator holds by default before its overflow policy applies. */
export const DEFAULT_QUEUE_CAPACITY = 10_000;

/** The iterator fell `capacity` items behind under the 'fail' policy. */
export class StreamQueueFullError extends Error {
  /** Stable code for programs. */
  readonly code = 'STREAM_ERR_QUEUE_FULL';
  constructor(capacity: number) {
    super(`the message iterator fell ${capacity} items behind (overflow policy 'fail')`);
    this.name = 'StreamQueueFullError';
  }
}

export class MessageQueue implements AsyncIterableIterator<StreamItem> {
  readonly capacity: number;
  readonly policy: OverflowPolicy;
  /** Items discarded by 'drop-oldest' and not yet reported to the consumer. */
  private unreportedDrops = 0;
  private readonly items: Array<StreamItem | undefined>;
  private head = 0;
  private count = 0;
  private waiter: ((result: IteratorResult<StreamItem>) => void) | null = null;
  private failWaiter: ((error: Error) => void) | null = null;
  private failure: Error | null = null;
  private ended = false;
  private readonly detach: (queue: MessageQueue) => void;

  constructor(options: MessageIteratorOptions, detach: (queue: MessageQueue) => void) {
    const capacity = options.capacity ?? DEFAULT_QUEUE_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('messages(): capacity must be an integer >= 1');
    const policy = options.overflow ?? 'drop-oldest';
    if (policy !== 'drop-oldest' && policy !== 'fail') throw new RangeError(`messages(): unknown overflow policy ${String(policy)}`);
    this.capacity = capacity;
    this.policy = policy;
    this.items = new Array<StreamItem | undefined>(capacity);
    this.detach = detach;
  }

  get length(): number {
    return this.count;
  }

  push(item: StreamItem): void {
    if (this.ended) return;
    if (this.waiter !== null) {
      const resolve = this.waiter;
      this.waiter = this.failWaiter = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.count === this.capacity) {
      if (this.policy === 'fail') {
        this.fail(new StreamQueueFullError(this.capacity));
        return;
      }
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.unreportedDrops++;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
  }

  /** No more items: the consumer sees the end after the queued ones. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiter !== null && this.count === 0) {
      const resolve = this.waiter;
      this.waiter = this.failWaiter = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<StreamItem>> {
    if (this.unreportedDrops !== 0) {
      const dropped = this.unreportedDrops;
      this.unreportedDrops = 0;
      return Promise.resolve({ value: { type: 'queue-overflow', dropped }, done: false });
    }
    if (this.count !== 0) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  return(): Promise<IteratorResult<StreamItem>> {
    this.count = 0;
    this.end();
    this.detach(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamItem> {
    return this;
  }

  private fail(error: Error): void {
    // The items already queued are still handed out; the error comes after them.
    this.failure = error;
    this.ended = true;
    this.detach(this);
    if (this.failWaiter !== null) {
      const reject = this.failWaiter;
      this.waiter = this.failWaiter = null;
      reject(error);
    }
  }
}
