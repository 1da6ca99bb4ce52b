import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';

/**
 * A failed opening handshake (code `WS_ERR_HANDSHAKE`, close code 1006: RFC 6455 7.1.7, no
 * close frame can be exchanged before the connection is established).
 *
 * `statusCode` is the HTTP status of the response that ended the handshake: the one the server
 * sent (client side; 0 when no valid status line was read), or the one the server role should
 * answer with (server side: 400, 405, 426, 431 or 505). `headers` are the response headers
 * the client received (lower-case names; null when the head was not read to its end), so a
 * caller can read e.g. `location` on a redirect or `retry-after` on a 429.
 */
export class HandshakeError extends WebSocketError {
  /** HTTP status of the response that ended the handshake (see above). */
  readonly statusCode: number;
  /** Response headers (client side), null when none were read. */
  readonly headers: Record<string, string> | null;

  constructor(message: string, statusCode: number, headers: Record<string, string> | null) {
    super('WS_ERR_HANDSHAKE', CLOSE_ABNORMAL, message);
    this.name = 'HandshakeError';
    this.statusCode = statusCode;
    this.headers = headers;
  }
}
