// Checks of what an application passes to close(), ping() and pong() in either role, and of
// timer options: one place, so both roles fail the same mistake with the same typed error
// (WS_ERR_INVALID_ARGUMENT, close code 1006: nothing is sent).
import { isValidCloseCode, MAX_CLOSE_REASON_BYTES } from './close-payload.js';
import { CLOSE_ABNORMAL, WebSocketError } from './errors.js';
import { MAX_CONTROL_PAYLOAD } from './opcodes.js';

const NO_BYTES = new Uint8Array(0);

/**
 * Node clamps a timer delay of 2^31 ms or more (about 24.8 days) to 1 ms, so such a timeout would
 * fire at once; it is refused instead.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function invalidArgument(message: string): WebSocketError {
  return new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, message);
}

/**
 * Which close codes an application may send. The client role follows the WebSocket API: 1000,
 * 1001 and 3000-4999 (the other 1xxx codes describe protocol failures tickwire detects itself).
 * A server may also send the codes servers use to shed or refuse clients (1008 policy, 1011
 * internal error, 1012 restart, 1013 try again later, ...): any code RFC 6455 7.4 allows on the wire.
 */
export function checkCloseCode(code: number, role: 'client' | 'server'): void {
  const allowed = role === 'server' ? isValidCloseCode(code) : code === 1000 || code === 1001 || (code >= 3000 && code <= 4999);
  if (!Number.isInteger(code) || !allowed) throw invalidArgument(`close code ${String(code)} may not be sent by an application`);
}

/** RFC 6455 5.5.1: the reason's UTF-8 bytes, at most 123 of them (the frame holds 125 with the code). */
export function closeReasonBytes(reason: string): Uint8Array {
  if (typeof reason !== 'string') throw invalidArgument('close reason must be a string');
  if (reason.length === 0) return NO_BYTES;
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length > MAX_CLOSE_REASON_BYTES) throw invalidArgument(`close reason over ${MAX_CLOSE_REASON_BYTES} bytes`);
  return bytes;
}

/** RFC 6455 5.5: a ping or pong carries at most 125 bytes; a string is sent as its UTF-8 bytes. */
export function controlPayloadBytes(payload: string | Uint8Array | undefined, what: 'ping' | 'pong'): Uint8Array {
  if (payload === undefined) return NO_BYTES;
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  if (!(bytes instanceof Uint8Array)) throw invalidArgument(`${what} payload must be a string or a Uint8Array`);
  if (bytes.length > MAX_CONTROL_PAYLOAD) throw invalidArgument(`${what} payload over ${MAX_CONTROL_PAYLOAD} bytes`);
  return bytes;
}

/**
 * A numeric option: a number >= minimum (an integer when asked), finite unless `infinite` is
 * allowed; timeouts also at most MAX_TIMER_MS. Undefined passes (the default applies).
 */
export function checkNumberOption(
  value: unknown,
  name: string,
  rules: { minimum: number; integer?: boolean; infinite?: boolean; timer?: boolean },
): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    value >= rules.minimum &&
    (rules.infinite === true || Number.isFinite(value)) &&
    (rules.integer !== true || Number.isInteger(value)) &&
    (rules.timer !== true || value <= MAX_TIMER_MS);
  if (ok) return;
  const kind = rules.integer === true ? 'an integer' : 'a number';
  const upper = rules.timer === true ? ` and <= ${MAX_TIMER_MS} (what a timer can wait)` : '';
  throw invalidArgument(`options.${name} must be ${kind} >= ${rules.minimum}${upper}, got ${String(value)}`);
}
