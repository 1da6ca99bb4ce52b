// Bybit v5 public control messages: the client's `subscribe`, `unsubscribe` and `ping` ops, and
// the simulator's answers in the layouts of docs/v5/ws/connect (wss-authentication.mdx):
//
//   {"req_id": "test", "op": "subscribe", "args": ["orderbook.1.BTCUSDT", ...]}   ("req_id" optional)
//   {"op": "unsubscribe", "args": ["publicTrade.ETHUSD"], "req_id": "customised_id"}
//   {"req_id": "100001", "op": "ping"}
//   subscribe answer, spot:   {"success":true,"ret_msg":"subscribe","conn_id":"...","req_id":"10001","op":"subscribe"}
//   subscribe answer, linear: {"success":true,"ret_msg":"","conn_id":"...","req_id":"","op":"subscribe"}
//   pong, spot:   {"success":true,"ret_msg":"pong","conn_id":"...","op":"ping"}
//   pong, linear: {"success":true,"ret_msg":"pong","conn_id":"...","req_id":"","op":"ping"}
//
// Rules the docs state and the simulator enforces: "Spot can input up to 10 args for each
// subscription request sent to one connection"; "for one public connection, you cannot have
// length of "args" array over 21,000 characters" (measured here as the JSON array of every topic
// the connection holds). A refused request is answered with "success":false and the reason in
// `ret_msg` (the docs print no refusal; the wording is the simulator's). Pure: no I/O.
import type { BybitCategory } from 'tickwire/bybit';

export const OP_SUBSCRIBE = 0;
export const OP_UNSUBSCRIBE = 1;
export const OP_PING = 2;

export interface BybitRequest {
  op: number;
  /** The op as sent ("subscribe", ...), echoed in the answer. */
  opName: string;
  args: string[];
  /** The client's `req_id` ("" when none was given). */
  reqId: string;
}

/** "Spot can input up to 10 args for each subscription request". */
export const SPOT_ARGS_PER_REQUEST = 10;
/** "you cannot have length of "args" array over 21,000 characters". */
export const ARGS_CHARACTERS_PER_CONNECTION = 21_000;

/** Reads one client message; a string is the reason it is refused. */
export function parseBybitRequest(text: string): BybitRequest | { error: string; opName: string; reqId: string } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { error: 'error:invalid JSON', opName: '', reqId: '' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { error: 'error:request is not a JSON object', opName: '', reqId: '' };
  const record = message as Record<string, unknown>;
  const opName = typeof record.op === 'string' ? record.op : '';
  const reqId = typeof record.req_id === 'string' ? record.req_id : typeof record.req_id === 'number' ? String(record.req_id) : '';
  const op = opName === 'subscribe' ? OP_SUBSCRIBE : opName === 'unsubscribe' ? OP_UNSUBSCRIBE : opName === 'ping' ? OP_PING : -1;
  if (op < 0) return { error: `error:unknown op ${JSON.stringify(opName)}`, opName, reqId };
  if (op === OP_PING) return { op, opName, args: [], reqId };
  const args = record.args;
  if (!Array.isArray(args) || args.length === 0 || !args.every((arg): arg is string => typeof arg === 'string')) {
    return { error: 'error:args must be a non-empty array of topics', opName, reqId };
  }
  return { op, opName, args, reqId };
}

/**
 * Why a subscribe of `args` on a connection holding `held` topics is refused, or null. `known`
 * says whether the venue serves a topic (the catalogue of the connection's category).
 */
export function subscribeError(category: BybitCategory, args: readonly string[], held: ReadonlySet<string>, known: (topic: string) => boolean): string | null {
  if (category === 'spot' && args.length > SPOT_ARGS_PER_REQUEST) return `error:args size ${args.length} exceeds ${SPOT_ARGS_PER_REQUEST} per request`;
  for (const topic of args) {
    if (!known(topic)) return `error:handler not found,topic:${topic}`;
    if (held.has(topic)) return `error:already subscribed,topic:${topic}`;
  }
  if (new Set(args).size !== args.length) return 'error:a topic is named twice';
  const characters = JSON.stringify([...held, ...args]).length;
  if (characters > ARGS_CHARACTERS_PER_CONNECTION) return `error:args length ${characters} exceeds ${ARGS_CHARACTERS_PER_CONNECTION} characters per connection`;
  return null;
}

/** Why an unsubscribe of `args` is refused, or null. */
export function unsubscribeError(args: readonly string[], held: ReadonlySet<string>): string | null {
  for (const topic of args) if (!held.has(topic)) return `error:not subscribed,topic:${topic}`;
  return null;
}

/** The answer to a subscribe/unsubscribe (success or refusal) in the category's layout. */
export function requestAnswer(category: BybitCategory, opName: string, success: boolean, reason: string, connId: string, reqId: string): string {
  // Spot says the op in ret_msg on success ("ret_msg":"subscribe"), linear leaves it empty.
  const retMsg = success ? (category === 'spot' ? opName : '') : reason;
  return `{"success":${success},"ret_msg":${JSON.stringify(retMsg)},"conn_id":${JSON.stringify(connId)},"req_id":${JSON.stringify(reqId)},"op":${JSON.stringify(opName)}}`;
}

/** The pong: spot without req_id, linear with it ("" when none was given). */
export function pongAnswer(category: BybitCategory, connId: string, reqId: string): string {
  if (category === 'spot') return `{"success":true,"ret_msg":"pong","conn_id":${JSON.stringify(connId)},"op":"ping"}`;
  return `{"success":true,"ret_msg":"pong","conn_id":${JSON.stringify(connId)},"req_id":${JSON.stringify(reqId)},"op":"ping"}`;
}

/** A conn_id in the docs' UUID layout, from the session number. */
export function connectionId(sessionId: number): string {
  const hex = sessionId.toString(16).padStart(12, '0');
  return `00000000-0000-4000-a000-${hex}`;
}
