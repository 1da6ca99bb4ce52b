import { createHash, randomBytes } from 'node:crypto';

/** RFC 6455 1.3: the GUID the server appends to the client's key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * RFC 6455 4.1: "a nonce consisting of a randomly selected 16-byte value that has been
 * base64-encoded. The nonce MUST be selected randomly for each connection."
 */
export function generateKey(): string {
  return randomBytes(16).toString('base64');
}

/**
 * RFC 6455 4.2.2 step 5.4: base64 of the SHA-1 of the key concatenated with the GUID.
 * computeAccept('dGhlIHNhbXBsZSBub25jZQ==') === 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' (RFC 6455 1.3).
 */
export function computeAccept(key: string): string {
  // The key is ASCII (base64); latin1 keeps the hash well defined for any byte a peer sends.
  return createHash('sha1').update(key + WEBSOCKET_GUID, 'latin1').digest('base64');
}

/**
 * RFC 6455 4.2.1 step 5: the key "when decoded, is 16 bytes in length". 16 bytes encode as
 * 22 base64 characters plus "==" padding; any other shape decodes to another length.
 */
export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
