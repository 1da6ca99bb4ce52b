import { createHash } from 'node:crypto';

// Server-side HTTP/1.1 request head handling: just enough HTTP to tell a WebSocket upgrade
// (RFC 6455 4.2.1) from a plain GET served by the REST handler.
// TODO(server): switch to src/handshake/ (computeAccept, server-request, buildAcceptResponse)
// once it lands; this file then shrinks to the glue.

/** RFC 6455 4.2.1: larger request heads are rejected with 431 rather than buffered. */
export const MAX_REQUEST_HEAD_BYTES = 16 * 1024;

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface HttpRequest {
  method: string;
  /** Request target as sent, e.g. `/stream?streams=btcusdt@trade`. */
  url: string;
  /** Path part of the target, without the query. */
  path: string;
  /** Query parameters (first value of each name). */
  query: URLSearchParams;
  httpVersion: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** Finds the end of the request head (index after CRLFCRLF) or -1. */
export function findHeadEnd(data: Uint8Array, start: number, end: number): number {
  for (let index = start + 3; index < end; index++) {
    if (data[index] === 0x0a && data[index - 1] === 0x0d && data[index - 2] === 0x0a && data[index - 3] === 0x0d) {
      return index + 1;
    }
  }
  return -1;
}

/** Parses a request head (without the final blank line) or returns null when malformed. */
export function parseRequestHead(head: string): HttpRequest | null {
  const lines = head.split('\r\n');
  const requestLine = lines[0] ?? '';
  const match = /^([A-Z]+) (\S+) HTTP\/(\d\.\d)$/.exec(requestLine);
  if (match === null) return null;
  const headers: Record<string, string> = {};
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const url = match[2]!;
  const queryAt = url.indexOf('?');
  return {
    method: match[1]!,
    url,
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
    httpVersion: match[3]!,
    headers,
  };
}

function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  return value
    .split(',')
    .some((part) => part.trim().toLowerCase() === token);
}

/** True when the request asks for a protocol upgrade to WebSocket. */
export function isUpgradeRequest(request: HttpRequest): boolean {
  return hasToken(request.headers['upgrade'], 'websocket');
}

/**
 * RFC 6455 4.2.1: checks a client's opening handshake. Returns null when it is acceptable,
 * else the HTTP status to answer with (400, or 426 for an unsupported version, 4.2.2).
 */
export function validateUpgrade(request: HttpRequest): number | null {
  if (request.method !== 'GET' || request.httpVersion !== '1.1') return 400;
  if (request.headers['host'] === undefined) return 400;
  if (!hasToken(request.headers['connection'], 'upgrade')) return 400;
  const key = request.headers['sec-websocket-key'];
  // "a base64-encoded value that, when decoded, is 16 bytes in length"
  if (key === undefined || !/^[A-Za-z0-9+/]{22}==$/.test(key)) return 400;
  if (request.headers['sec-websocket-version'] !== '13') return 426;
  return null;
}

/** RFC 6455 4.2.2 step 5.4: base64(SHA-1(key + GUID)). */
export function computeAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

export function buildAcceptResponse(key: string, protocol: string | null): string {
  let response =
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${computeAccept(key)}\r\n`;
  if (protocol !== null) response += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  return response + '\r\n';
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** Serializes a full response with `Connection: close` (one request per plain HTTP connection). */
export function serializeResponse(response: HttpResponse): Buffer {
  const body =
    response.body === undefined ? Buffer.alloc(0) : typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : Buffer.from(response.body);
  let head = `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? 'Status'}\r\n`;
  const headers = response.headers ?? {};
  for (const name of Object.keys(headers)) head += `${name}: ${headers[name]}\r\n`;
  if (response.status === 426) head += 'Sec-WebSocket-Version: 13\r\n';
  head += `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
