// Shared by the handshake unit and property tests.
import { computeAccept } from '../../src/handshake/accept-key.js';

export const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const ACCEPT = computeAccept(KEY);

export function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** A valid 101 response for KEY, with optional extra header lines (each without CRLF). */
export function response101(extraLines: readonly string[] = []): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${ACCEPT}\r\n` +
    extraLines.map((line) => line + '\r\n').join('') +
    '\r\n'
  );
}

/** A valid upgrade request for KEY, with optional extra header lines. */
export function upgradeRequest(extraLines: readonly string[] = [], target = '/ws?x=1'): string {
  return (
    `GET ${target} HTTP/1.1\r\n` +
    'Host: 127.0.0.1:9000\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${KEY}\r\n` +
    'Sec-WebSocket-Version: 13\r\n' +
    extraLines.map((line) => line + '\r\n').join('') +
    '\r\n'
  );
}
