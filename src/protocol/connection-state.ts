// The connection states both roles report (RFC 6455 4.1 "CONNECTING"/"OPEN", 7.1 "CLOSING"/
// "CLOSED"), as integers on the hot path and as names for users.
import { CLOSE_ABNORMAL, WebSocketError } from './errors.js';

export const STATE_CONNECTING = 0;
export const STATE_OPEN = 1;
export const STATE_CLOSING = 2;
export const STATE_CLOSED = 3;

/** Lifecycle of a connection, as `state` reports it. */
export type ReadyState = 'connecting' | 'open' | 'closing' | 'closed';

const STATE_NAMES: readonly ReadyState[] = ['connecting', 'open', 'closing', 'closed'];

export function stateName(state: number): ReadyState {
  return STATE_NAMES[state]!;
}

/** What send/ping throw on a connection that is not open (docs/errors.md). */
export function notOpenError(what: string, state: number): WebSocketError {
  return new WebSocketError('WS_ERR_NOT_OPEN', CLOSE_ABNORMAL, `cannot ${what}: the connection is ${stateName(state)}`);
}
