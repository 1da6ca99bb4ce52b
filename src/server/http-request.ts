import { STATUS_CODES } from 'node:http';
import { ServerRequestParser } from '../handshake/server-request.js';

// The server role's view of a request head. The bytes are read and checked by the handshake
// module's ServerRequestParser (RFC 6455 4.2.1); this file adds the one thing the simulator
// needs beyond WebSocket: telling a plain GET (a REST call on the same port) from an upgrade.

/** A request head as the server role read it (upgrade or plain GET). */
export interface HttpRequest {
  /** Request method, e.g. `GET`. */
  method: string;
  /** Request target as sent, e.g. `/stream?streams=btcusdt@trade`. */
  url: string;
  /** Path part of the target, without the query. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The peer's IP address ('' when the socket no longer knows it). */
  remoteAddress: string;
}

/** The answer to a plain HTTP request (ServerOptions.onHttpRequest). */
export interface HttpResponse {
  /** HTTP status code, e.g. 200. */
  status: number;
  /** Response headers; Content-Length is added. */
  headers?: Record<string, string>;
  /** Response body; a string is sent as UTF-8. */
  body?: string | Uint8Array;
}

/** ServerRequestParser that also says whether the whole head was read before a failure. */
export class RequestHeadReader extends ServerRequestParser {
  /**
   * True when the head was complete and well formed but is not a WebSocket upgrade: a GET
   * without an Upgrade header, to be served as plain HTTP.
   */
  get isPlainGet(): boolean {
    return this.headRead && this.method === 'GET' && this.path !== '' && this.headers['upgrade'] === undefined;
  }

  toRequest(remoteAddress = ''): HttpRequest {
    const url = this.path;
    const queryAt = url.indexOf('?');
    return {
      method: this.method,
      url,
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
      headers: this.headers,
      remoteAddress,
    };
  }
}

/** Serializes a plain HTTP answer with `Connection: close` (one request per plain HTTP connection). */
export function serializeResponse(response: HttpResponse): Buffer {
  const body =
    response.body === undefined
      ? Buffer.alloc(0)
      : typeof response.body === 'string'
        ? Buffer.from(response.body, 'utf8')
        : Buffer.from(response.body);
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? 'Status'}\r\n`;
  const headers = response.headers ?? {};
  for (const name of Object.keys(headers)) head += `${name}: ${headers[name]}\r\n`;
  head += `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
