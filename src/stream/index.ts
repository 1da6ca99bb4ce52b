// Public surface of the managed stream.
export { ManagedStream, openStream, type ManagedStreamStats } from './managed-stream.js';
export type { ManagedStreamOptions, StreamMessageCallback } from './options.js';
export type { StreamEvent, StreamEventType, ConnectionEndReason, RolloverReason, WaitReason, ResubscribeReason } from './events.js';
export { StreamQueueFullError, DEFAULT_QUEUE_CAPACITY, type StreamItem, type StreamMessage, type MessageIteratorOptions, type OverflowPolicy } from './message-queue.js';
export { ConnectionGate, FullJitterBackoff, parseRetryAfter } from './backoff.js';
export { StreamNameTable } from './name-table.js';
export {
  SEQUENCE_NONE,
  SEQUENCE_CONTIGUOUS,
  SEQUENCE_MONOTONIC,
  SEQUENCE_CHAINED,
  MESSAGE_DATA,
  MESSAGE_ACK,
  MESSAGE_REJECT,
  MESSAGE_SHUTDOWN,
  MESSAGE_UNKNOWN,
  MESSAGE_PONG,
  type VenueHeartbeat,
  type VenueProfile,
  type VenueLimits,
  type VenueDecoder,
  type StreamNameLookup,
} from './venue.js';
