import { Utf8Validator } from './utf8.js';

/** RFC 6455 5.5.1: the reason must fit a control frame together with the 2-byte code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * RFC 6455 7.4: codes a peer may put in a close frame. 1004-1006 and 1015 are reserved and
 * never sent; 1012-1014 are registered by IANA; 3000-4999 are for libraries and applications.
 */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

const reasonValidator = new Utf8Validator();

export function isValidCloseReason(data: Uint8Array, start: number, end: number): boolean {
  return reasonValidator.validateComplete(data, start, end);
}

/** Builds a close frame's payload: 2-byte code (big endian) and the reason (a string, or its UTF-8 bytes). */
export function encodeClosePayload(code: number, reason: string | Uint8Array): Uint8Array {
  const reasonBytes = typeof reason === 'string' ? Buffer.from(reason, 'utf8') : reason;
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  payload.set(reasonBytes, 2);
  return payload;
}
