// Server role of the opening handshake: reads the client's upgrade request head incrementally
// (the same HeadReader machine as the client's response parser) and checks it against
// RFC 6455 4.2.1 ("Reading the Client's Opening Handshake").

import { isValidKey } from './accept-key.js';
import { HandshakeError } from './handshake-error.js';
import { HeadReader, MAX_HEAD_SIZE } from './head-reader.js';
import type { HeadFailure } from './head-reader.js';
import { buildRejectResponse } from './server-response.js';
import { isToken, isVisibleAscii, listHasToken, splitList } from './tokens.js';

export { buildAcceptResponse, buildRejectResponse } from './server-response.js';

export interface ServerRequestParserOptions {
  /** Largest request head accepted (431 above it); default MAX_HEAD_SIZE (16 KiB). */
  maxHeadSize?: number;
}

/**
 * Fields that must appear once: RFC 7230 5.4 (Host: 400 on more than one), RFC 6455 11.3.1
 * and 11.3.5 (Sec-WebSocket-Key and -Version "MUST NOT appear more than once").
 */
const SINGLE_FIELDS = ['host', 'sec-websocket-key', 'sec-websocket-version'] as const;

/** `GET /path?query HTTP/1.1`: method SP request-target SP HTTP-version (RFC 7230 3.1.1). */
const REQUEST_LINE = /^([^ ]+) ([^ ]+) HTTP\/(\d)\.(\d)$/;

const BAD_REQUEST = 400;
const METHOD_NOT_ALLOWED = 405;
const UPGRADE_REQUIRED = 426;
const HTTP_VERSION_NOT_SUPPORTED = 505;

/**
 * Usage: `const n = parser.push(bytes, start, end)`; HEAD_COMPLETE: a valid upgrade request,
 * bytes[start + n, end) are the client's first frames; answer with
 * buildAcceptResponse(parser.key, chosenProtocol). HEAD_FAILED: write parser.rejectResponse()
 * and close.
 */
export class ServerRequestParser extends HeadReader {
  /** The failure, set when `state` is HEAD_FAILED; `error.statusCode` is the status to answer. */
  error: HandshakeError | null = null;
  /** Extra header fields the rejection must carry (Allow on 405, Sec-WebSocket-Version on 426). */
  rejectHeaders: Record<string, string> | null = null;
  method = '';
  /** Request target: path and query, e.g. '/ws?streams=btcusdt@trade'. */
  path = '';
  /** The client's Sec-WebSocket-Key, once validated. */
  key = '';
  /** Subprotocols the client offered, in its order of preference. */
  protocols: string[] = [];

  protected readonly subject = 'request';

  constructor(options: ServerRequestParserOptions = {}) {
    super(options.maxHeadSize ?? MAX_HEAD_SIZE);
  }

  /** The HTTP answer for a failed request (call only when `state` is HEAD_FAILED). */
  rejectResponse(): string {
    const error = this.error;
    if (error === null) throw new Error('rejectResponse() called without a failure');
    return buildRejectResponse(error.statusCode, error.message, this.rejectHeaders ?? undefined);
  }

  protected checkStartLine(line: string): HeadFailure | null {
    const match = REQUEST_LINE.exec(line);
    if (match === null) return { message: 'invalid request line', status: BAD_REQUEST };
    const method = match[1]!;
    const target = match[2]!;
    if (!isToken(method)) return { message: 'invalid request method', status: BAD_REQUEST };
    this.method = method;
    // RFC 6455 4.2.1 step 1: "An HTTP/1.1 or higher GET request".
    if (match[3] !== '1' || match[4] === '0') {
      return { message: `unsupported HTTP version ${line.slice(line.lastIndexOf(' ') + 1)}`, status: HTTP_VERSION_NOT_SUPPORTED };
    }
    if (method !== 'GET') {
      this.rejectHeaders = { Allow: 'GET' };
      return { message: `method ${method} not allowed (a WebSocket upgrade is a GET)`, status: METHOD_NOT_ALLOWED };
    }
    // Origin-form only (RFC 7230 5.3.1): a WebSocket endpoint is a path on this server.
    if (target.charCodeAt(0) !== 0x2f /* / */ || !isVisibleAscii(target)) {
      return { message: 'invalid request target (expected /path?query)', status: BAD_REQUEST };
    }
    this.path = target;
    return null;
  }

  protected checkHead(): HeadFailure | null {
    const headers = this.headers;
    const repeated = this.firstRepeated(SINGLE_FIELDS);
    if (repeated !== null) return badRequest(`the request repeats the ${repeated} header`);

    // RFC 6455 4.2.1 step 2: a |Host| header field.
    if (headers['host'] === undefined || headers['host'].length === 0) return badRequest('missing Host header');
    // Step 3: |Upgrade| "including the value "websocket"", ASCII case-insensitive.
    const upgrade = headers['upgrade'];
    if (upgrade === undefined || !listHasToken(upgrade, 'websocket')) return badRequest('missing or invalid Upgrade header');
    // Step 4: |Connection| that includes the token "Upgrade", ASCII case-insensitive.
    const connection = headers['connection'];
    if (connection === undefined || !listHasToken(connection, 'upgrade')) return badRequest('missing or invalid Connection header');
    // Step 6 and 4.2.2: a version other than 13 gets 426 naming the versions understood.
    const version = headers['sec-websocket-version'];
    if (version !== '13') {
      this.rejectHeaders = { 'Sec-WebSocket-Version': '13' };
      return {
        message: version === undefined ? 'missing Sec-WebSocket-Version header' : `unsupported Sec-WebSocket-Version ${JSON.stringify(version)}`,
        status: UPGRADE_REQUIRED,
      };
    }
    // Step 5: |Sec-WebSocket-Key|, base64 of 16 bytes.
    const key = headers['sec-websocket-key'];
    if (key === undefined || !isValidKey(key)) return badRequest('missing or invalid Sec-WebSocket-Key header');
    this.key = key;
    // Step 8 (optional): |Sec-WebSocket-Protocol|, a list of unique tokens (repeats join).
    const offered = headers['sec-websocket-protocol'];
    if (offered !== undefined) {
      const protocols = splitList(offered);
      for (let i = 0; i < protocols.length; i++) {
        const protocol = protocols[i]!;
        if (!isToken(protocol)) return badRequest(`invalid subprotocol ${JSON.stringify(protocol)}`);
        if (protocols.indexOf(protocol) !== i) return badRequest(`duplicate subprotocol ${JSON.stringify(protocol)}`);
      }
      this.protocols = protocols;
    }
    // Sec-WebSocket-Extensions (step 9) is left unanswered: the server role accepts none.
    return null;
  }

  protected onFailure(failure: HeadFailure): void {
    this.error = new HandshakeError(failure.message, failure.status, null);
  }
}

function badRequest(message: string): HeadFailure {
  return { message, status: BAD_REQUEST };
}
