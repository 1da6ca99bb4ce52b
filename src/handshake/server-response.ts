// Server role: the two possible answers to an upgrade request. Both return latin1 text (every
// char one octet): write them with the 'latin1' encoding.

import { STATUS_CODES } from 'node:http';
import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';
import { computeAccept, isValidKey } from './accept-key.js';
import { isFieldValue, isToken } from './tokens.js';

/** Header fields buildRejectResponse sets itself. */
const REJECT_OWN_HEADERS = new Set(['connection', 'content-length', 'content-type', 'transfer-encoding']);

/**
 * RFC 6455 4.2.2 step 5: the 101 response completing the handshake; `protocol`, when given,
 * is the one subprotocol selected from the client's offer, and `extensions` the
 * Sec-WebSocket-Extensions value of the extensions accepted (RFC 6455 9.1; e.g. the
 * permessage-deflate answer from acceptDeflateOffer).
 */
export function buildAcceptResponse(key: string, protocol?: string, extensions?: string): string {
  if (!isValidKey(key)) throw invalidArgument('invalid Sec-WebSocket-Key (expected base64 of 16 bytes)');
  let response =
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${computeAccept(key)}\r\n`;
  if (protocol !== undefined && protocol.length !== 0) {
    if (!isToken(protocol)) throw invalidArgument(`invalid subprotocol ${JSON.stringify(protocol)}`);
    response += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  }
  if (extensions !== undefined && extensions.length !== 0) {
    if (!isFieldValue(extensions)) throw invalidArgument(`invalid Sec-WebSocket-Extensions value ${JSON.stringify(extensions)}`);
    response += `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  }
  return response + '\r\n';
}

/**
 * An HTTP error answer to a failed upgrade (RFC 6455 4.2.1: "return an HTTP response with an
 * appropriate error code (such as 400 Bad Request)"), closing the connection. `reason` becomes
 * the text/plain body (UTF-8); the status line uses the standard reason phrase.
 * For 426 pass `{ 'Sec-WebSocket-Version': '13' }` (RFC 6455 4.2.2).
 */
export function buildRejectResponse(status: number, reason: string, extraHeaders?: Readonly<Record<string, string>>): string {
  if (!Number.isInteger(status) || status < 200 || status > 599) throw invalidArgument(`invalid status ${status}`);
  // UTF-8 bytes carried as one char per octet, so the whole answer is written as latin1.
  const body = Buffer.from(reason, 'utf8').toString('latin1');
  let response =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n`;
  if (extraHeaders !== undefined) {
    for (const name of Object.keys(extraHeaders)) {
      const value = extraHeaders[name]!;
      if (!isToken(name)) throw invalidArgument(`invalid header name ${JSON.stringify(name)}`);
      if (typeof value !== 'string' || !isFieldValue(value)) throw invalidArgument(`invalid value for header ${JSON.stringify(name)}`);
      if (REJECT_OWN_HEADERS.has(name.toLowerCase())) throw invalidArgument(`header ${JSON.stringify(name)} is set by buildRejectResponse`);
      response += `${name}: ${value}\r\n`;
    }
  }
  return response + '\r\n' + body;
}

function invalidArgument(message: string): WebSocketError {
  return new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, message);
}
