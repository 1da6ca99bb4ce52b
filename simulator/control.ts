// Live subscribing/unsubscribing (Binance Spot web-socket-streams.md, "Live Subscribing/
// Unsubscribing to streams"): request parsing, validation, and the documented responses and
// error objects. Pure functions over the request text; the session applies the result.

export const METHOD_SUBSCRIBE = 0;
export const METHOD_UNSUBSCRIBE = 1;
export const METHOD_LIST_SUBSCRIPTIONS = 2;
export const METHOD_SET_PROPERTY = 3;
export const METHOD_GET_PROPERTY = 4;

const METHODS: Record<string, number> = {
  SUBSCRIBE: METHOD_SUBSCRIBE,
  UNSUBSCRIBE: METHOD_UNSUBSCRIBE,
  LIST_SUBSCRIPTIONS: METHOD_LIST_SUBSCRIPTIONS,
  SET_PROPERTY: METHOD_SET_PROPERTY,
  GET_PROPERTY: METHOD_GET_PROPERTY,
};

/** Request ids: "64-bit signed integer, alphanumeric strings; max length 36, null". */
export type RequestId = number | string | null;

export interface ControlRequest {
  method: number;
  id: RequestId;
  /** Stream names (SUBSCRIBE/UNSUBSCRIBE), or the property name (SET/GET_PROPERTY). */
  streams: string[];
  property: string;
  value: boolean;
}

/** Either a request to apply or the error response to send back as is. */
export type ParsedControl = { ok: true; request: ControlRequest } | { ok: false; response: string };

/** `{"result":null,"id":1}`, `{"result":["btcusdt@aggTrade"],"id":3}`, `{"result":true,"id":2}` */
export function resultResponse(result: null | boolean | string[], id: RequestId): string {
  return JSON.stringify({ result, id });
}

/**
 * `{"error":{"code":2,"msg":"Invalid request: ..."},"id":1}`. The docs' table lists the code and
 * msg flat, but the live stream server nests them under "error" next to the id (as client logs
 * of stream.binance.com show, e.g. `{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2}`);
 * the id is left out when the request had none usable.
 */
export function errorResponse(code: number, msg: string, id?: RequestId): string {
  return id === undefined ? JSON.stringify({ error: { code, msg } }) : JSON.stringify({ error: { code, msg }, id });
}

function isValidId(id: unknown): id is RequestId {
  if (id === null) return true;
  // Integers arrive as JS numbers; anything beyond 2^53 has already lost precision in JSON.parse.
  if (typeof id === 'number') return Number.isInteger(id);
  // UUIDs (36 characters with dashes) are the common case of the alphanumeric form.
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,36}$/.test(id);
}

/** Line and column (1-based) of a character offset, as serde_json reports them. */
function lineColumn(text: string, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return [line, offset - lineStart + 1];
}

function invalidJson(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message);
  // At the end of input serde points at the last character; else at the offending one.
  const offset = position === null ? Math.max(0, text.length - 1) : Number(position[1]);
  const [line, column] = lineColumn(text, offset);
  return errorResponse(3, `Invalid JSON: expected value at line ${line} column ${column}`);
}

/** Parses and validates one request text; the error messages follow the documented table. */
export function parseControlRequest(text: string): ParsedControl {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, response: invalidJson(text, error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, response: errorResponse(3, `Invalid JSON: expected value at line 1 column 1`) };
  }
  const body = value as Record<string, unknown>;
  // serde_json reports the column of the last character it read: the closing brace here.
  const end = lineColumn(text, Math.max(0, text.trimEnd().length - 1));
  if (!('method' in body)) {
    return { ok: false, response: errorResponse(2, `Invalid request: missing field \`method\` at line ${end[0]} column ${end[1]}`) };
  }
  if (!('id' in body) || !isValidId(body['id'])) {
    return { ok: false, response: errorResponse(2, 'Invalid request: request ID must be an unsigned integer') };
  }
  const id = body['id'];
  const methodName = body['method'];
  const method = typeof methodName === 'string' ? METHODS[methodName] : undefined;
  if (method === undefined) {
    const match = /"method"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\s]+)/.exec(text);
    const at = match === null ? end : lineColumn(text, match.index + match[0].length - 1);
    const variant = typeof methodName === 'string' ? `\`${methodName}\`` : String(JSON.stringify(methodName));
    return {
      ok: false,
      response: errorResponse(
        2,
        `Invalid request: unknown variant ${variant}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, ` +
          `\`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\` at line ${at[0]} column ${at[1]}`,
        id,
      ),
    };
  }
  const params = body['params'];
  const request: ControlRequest = { method, id, streams: [], property: '', value: false };
  switch (method) {
    case METHOD_SUBSCRIBE:
    case METHOD_UNSUBSCRIBE:
      if (!Array.isArray(params) || !params.every((name) => typeof name === 'string')) {
        return { ok: false, response: errorResponse(2, 'Invalid request: params must be an array of stream names', id) };
      }
      request.streams = params as string[];
      return { ok: true, request };
    case METHOD_LIST_SUBSCRIPTIONS:
      if (params !== undefined && !(Array.isArray(params) && params.length === 0)) {
        return { ok: false, response: errorResponse(2, 'Invalid request: too many parameters', id) };
      }
      return { ok: true, request };
    case METHOD_SET_PROPERTY:
    case METHOD_GET_PROPERTY: {
      const expected = method === METHOD_SET_PROPERTY ? 2 : 1;
      if (!Array.isArray(params) || params.length === 0 || typeof params[0] !== 'string') {
        return { ok: false, response: errorResponse(2, 'Invalid request: property name must be a string', id) };
      }
      if (params.length > expected) return { ok: false, response: errorResponse(2, 'Invalid request: too many parameters', id) };
      if (params[0] !== 'combined') return { ok: false, response: errorResponse(0, 'Unknown property', id) };
      request.property = params[0];
      if (method === METHOD_SET_PROPERTY) {
        if (typeof params[1] !== 'boolean') return { ok: false, response: errorResponse(1, 'Invalid value type: expected Boolean', id) };
        request.value = params[1];
      }
      return { ok: true, request };
    }
    default:
      return { ok: false, response: errorResponse(2, 'Invalid request', id) };
  }
}
