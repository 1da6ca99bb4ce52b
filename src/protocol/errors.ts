// Every protocol failure carries two codes: a stable string for users (`code`) and the close
// code to put on the wire (`closeCode`). The table is documented in docs/errors.md.

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_UNSUPPORTED_DATA = 1003;
/** RFC 6455 7.4.1: reserved, never sent; reported when a close frame had no status code. */
export const CLOSE_NO_STATUS = 1005;
/** RFC 6455 7.4.1: reserved, never sent; reported when the connection dropped without a close frame. */
export const CLOSE_ABNORMAL = 1006;
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_MESSAGE_TOO_BIG = 1009;
export const CLOSE_INTERNAL_ERROR = 1011;

/** Stable string codes of WebSocketError (docs/errors.md lists each with its close code). */
export type WebSocketErrorCode =
  // Frame level (RFC 6455 5.x), close code 1002 unless noted.
  | 'WS_ERR_INVALID_OPCODE'
  | 'WS_ERR_UNEXPECTED_RSV'
  | 'WS_ERR_UNEXPECTED_MASK'
  | 'WS_ERR_EXPECTED_MASK'
  | 'WS_ERR_FRAGMENTED_CONTROL'
  | 'WS_ERR_CONTROL_TOO_LONG'
  | 'WS_ERR_UNEXPECTED_CONTINUATION'
  | 'WS_ERR_EXPECTED_CONTINUATION'
  | 'WS_ERR_INVALID_LENGTH'
  | 'WS_ERR_INVALID_CLOSE_CODE'
  | 'WS_ERR_INVALID_CLOSE_PAYLOAD'
  | 'WS_ERR_INVALID_UTF8' // 1007
  | 'WS_ERR_INVALID_COMPRESSED_DATA' // 1007: permessage-deflate data that does not inflate
  | 'WS_ERR_MESSAGE_TOO_BIG' // 1009
  // Connection level (no close frame can be exchanged), close code 1006.
  | 'WS_ERR_HANDSHAKE'
  | 'WS_ERR_HANDSHAKE_TIMEOUT'
  | 'WS_ERR_CONNECT'
  | 'WS_ERR_TLS'
  | 'WS_ERR_INVALID_URL'
  | 'WS_ERR_CLOSE_TIMEOUT'
  | 'WS_ERR_CONNECTION_RESET'
  | 'WS_ERR_NOT_OPEN'
  | 'WS_ERR_WRITE_QUEUE_FULL' // client: send refused (1006); server: slow consumer closed (1008)
  | 'WS_ERR_WORKER' // worker mode: the I/O thread failed or exited without closing
  | 'WS_ERR_INVALID_ARGUMENT';

/**
 * Every failure tickwire reports: a stable string `code` for programs and the WebSocket close
 * `closeCode` that was sent (or is reported) for it.
 */
export class WebSocketError extends Error {
  /** Stable machine-readable code, e.g. `WS_ERR_INVALID_UTF8`. */
  readonly code: WebSocketErrorCode;
  /** The close code sent (or reported) for this error, e.g. 1007. */
  readonly closeCode: number;

  constructor(code: WebSocketErrorCode, closeCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebSocketError';
    this.code = code;
    this.closeCode = closeCode;
  }
}

export function protocolError(code: WebSocketErrorCode, message: string): WebSocketError {
  return new WebSocketError(code, CLOSE_PROTOCOL_ERROR, message);
}
