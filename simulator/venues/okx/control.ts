// OKX v5 public control messages as the simulator answers them. OKX v5 docs, Overview /
// WebSocket and the channel pages:
//
//   request    {"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}
//              "id [...] A combination of case-sensitive alphanumerics, all numbers, or all
//               letters of up to 32 characters."  "op: subscribe, unsubscribe"
//   answer     {"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"}
//              (one per argument)
//   refusal    {"id":"1512","event":"error","code":"60012","msg":"Invalid request: {..the request..}","connId":"a4d3ae55"}
//   keep-alive the text 'ping', answered with the text 'pong'
//
// An unknown channel or instrument is refused the way OKX's servers do it (code 60018: "Subscribe
// failed, wrong URL or channel:books,instId:MATIC-USDT doesn't exist. Please use the correct URL,
// channel and parameters referring to API document."); the docs print no example of that one.

/** One subscription argument. */
export interface OkxArg {
  channel: string;
  instId: string;
}

/** A parsed request, or the refusal to send back. */
export type OkxControl =
  | { kind: 'ping' }
  | { kind: 'request'; op: 'subscribe' | 'unsubscribe'; id: string | null; args: OkxArg[] }
  | { kind: 'invalid'; id: string | null; response: string };

/** OKX's code for a request it cannot read. */
export const OKX_INVALID_REQUEST = 60012;
/** OKX's code for a channel or instrument that does not exist. */
export const OKX_UNKNOWN_CHANNEL = 60018;
/** The "id" rule: up to 32 letters and digits. */
const REQUEST_ID = /^[A-Za-z0-9]{1,32}$/;

/** The refusal event (`id` echoed when the request had one). */
export function okxError(code: number, msg: string, id: string | null, connId: string): string {
  return JSON.stringify(id === null ? { event: 'error', code: String(code), msg, connId } : { id, event: 'error', code: String(code), msg, connId });
}

/** The answer to one argument of a request. */
export function okxAck(op: string, arg: OkxArg, id: string | null, connId: string): string {
  return JSON.stringify(id === null ? { event: op, arg, connId } : { id, event: op, arg, connId });
}

/** The service-upgrade notice ("30 seconds prior to the upgrade of the WebSocket service"). */
export function okxUpgradeNotice(connId: string): string {
  return JSON.stringify({ event: 'notice', code: '64008', msg: 'The connection will soon be closed for a service upgrade. Please reconnect.', connId });
}

/** The refusal of a channel or instrument the exchange does not serve. */
export function okxUnknownChannel(arg: OkxArg, id: string | null, connId: string): string {
  return okxError(
    OKX_UNKNOWN_CHANNEL,
    `Subscribe failed, wrong URL or channel:${arg.channel},instId:${arg.instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`,
    id,
    connId,
  );
}

/** Reads one text message from a client. */
export function parseOkxControl(text: string, connId: string): OkxControl {
  if (text === 'ping') return { kind: 'ping' };
  const invalid = (id: string | null): OkxControl => ({ kind: 'invalid', id, response: okxError(OKX_INVALID_REQUEST, `Invalid request: ${text}`, id, connId) });
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return invalid(null);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return invalid(null);
  const record = message as Record<string, unknown>;
  const id = typeof record.id === 'string' && REQUEST_ID.test(record.id) ? record.id : null;
  if (record.id !== undefined && id === null) return invalid(null);
  if ((record.op !== 'subscribe' && record.op !== 'unsubscribe') || !Array.isArray(record.args) || record.args.length === 0) return invalid(id);
  const args: OkxArg[] = [];
  for (const arg of record.args as unknown[]) {
    if (typeof arg !== 'object' || arg === null) return invalid(id);
    const { channel, instId } = arg as Record<string, unknown>;
    if (typeof channel !== 'string' || typeof instId !== 'string') return invalid(id);
    args.push({ channel, instId });
  }
  return { kind: 'request', op: record.op, id, args };
}
