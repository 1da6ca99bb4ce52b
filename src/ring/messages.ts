// What the main thread and the I/O worker say to each other over postMessage (never the
// message hot path: that goes through the ring), and the close/error record payloads.
import type { PerMessageDeflateOptions } from '../extensions/permessage-deflate.js';
import { HandshakeError } from '../handshake/handshake-error.js';
import { CLOSE_ABNORMAL, WebSocketError, type WebSocketErrorCode } from '../protocol/errors.js';

/** workerData of the I/O worker. */
export interface WorkerInit {
  memory: SharedArrayBuffer;
  url: string;
  /** The structured-cloneable part of ClientOptions (no callbacks). */
  options: CloneableClientOptions;
  /** Forward pongs (postMessage, copied). */
  forwardPongs: boolean;
}

export interface CloneableClientOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  origin?: string;
  rejectUnauthorized?: boolean;
  ca?: string | Buffer | Array<string | Buffer>;
  servername?: string;
  maxPayload: number;
  handshakeTimeoutMs?: number;
  closeTimeoutMs?: number;
  noDelay?: boolean;
  receiveBufferBytes?: number;
  maxWriteQueueBytes?: number;
  /** Inflating happens in the worker: the ring carries the inflated messages. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
}

export type ToWorker =
  | { type: 'send'; data: string | Uint8Array; isText: boolean }
  | { type: 'ping'; payload: string | Uint8Array | undefined }
  | { type: 'close'; code: number; reason: string }
  | { type: 'terminate' };

export type FromWorker =
  | { type: 'open'; protocol: string; headers: Record<string, string> }
  | { type: 'connect-error'; error: SerializedError }
  | { type: 'pong'; data: Uint8Array };

/** An Error flattened for postMessage or an error record, keeping both codes. */
export interface SerializedError {
  name: string;
  message: string;
  code: string;
  closeCode: number;
  statusCode?: number;
  headers?: Record<string, string> | null;
}

export function serializeError(error: unknown): SerializedError {
  const asError = error instanceof Error ? error : new Error(String(error));
  const wsError = asError instanceof WebSocketError ? asError : null;
  const serialized: SerializedError = {
    name: asError.name,
    message: asError.message,
    code: wsError !== null ? wsError.code : 'WS_ERR_WORKER',
    closeCode: wsError !== null ? wsError.closeCode : CLOSE_ABNORMAL,
  };
  if (asError instanceof HandshakeError) {
    serialized.statusCode = asError.statusCode;
    serialized.headers = asError.headers;
  }
  return serialized;
}

/** Rebuilds a WebSocketError (or HandshakeError) on the main thread. */
export function deserializeError(serialized: SerializedError): WebSocketError {
  if (serialized.name === 'HandshakeError') {
    return new HandshakeError(serialized.message, serialized.statusCode ?? 0, serialized.headers ?? null);
  }
  const error = new WebSocketError(serialized.code as WebSocketErrorCode, serialized.closeCode, serialized.message);
  if (serialized.name !== 'Error') error.name = serialized.name;
  return error;
}

const encoder = new TextEncoder();
/** ignoreBOM: reasons and messages starting with U+FEFF are passed on as sent. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Error record payload: the serialized error as UTF-8 JSON. */
export function encodeErrorRecord(error: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(serializeError(error)));
}

export function decodeErrorRecord(data: Uint8Array, start: number, end: number): WebSocketError {
  return deserializeError(JSON.parse(decoder.decode(data.subarray(start, end))) as SerializedError);
}

/** Close record payload: [u16 code big-endian][UTF-8 reason], as in a close frame. */
export function encodeCloseRecord(code: number, reason: string): Uint8Array {
  const reasonBytes = encoder.encode(reason);
  const payload = new Uint8Array(2 + reasonBytes.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(reasonBytes, 2);
  return payload;
}

export function decodeCloseRecord(data: Uint8Array, start: number, end: number): { code: number; reason: string } {
  const code = end - start >= 2 ? (data[start]! << 8) | data[start + 1]! : CLOSE_ABNORMAL;
  // decode() copies out of the shared memory (TextDecoder refuses SharedArrayBuffer views).
  const reason = end - start > 2 ? decoder.decode(data.slice(start + 2, end)) : '';
  return { code, reason };
}
