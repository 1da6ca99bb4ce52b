// Client side of the opening handshake: reads the server's response head incrementally and
// checks it against RFC 6455 4.1 ("the client MUST validate the server's response as follows").

import { acceptResponse, type DeflateConfig, type DeflateParameters } from '../extensions/permessage-deflate.js';
import { computeAccept } from './accept-key.js';
import { HandshakeError } from './handshake-error.js';
import { HeadReader, MAX_HEAD_SIZE } from './head-reader.js';
import type { HeadFailure } from './head-reader.js';
import { isFieldValue, listHasToken, trimOws } from './tokens.js';

export interface ResponseParserOptions {
  /** The Sec-WebSocket-Key this client sent. */
  key: string;
  /** Subprotocols offered in Sec-WebSocket-Protocol, if any. */
  protocols?: readonly string[];
  /** Largest response head accepted; default MAX_HEAD_SIZE (16 KiB). */
  maxHeadSize?: number;
  /** The permessage-deflate offer sent in the request (RFC 7692), if any. */
  perMessageDeflate?: DeflateConfig | null;
}

/** Fields a 101 response must not repeat: two values would leave the outcome ambiguous. */
const SINGLE_FIELDS = ['upgrade', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions'] as const;

/** `HTTP/1.1 101 Switching Protocols`: version, 3-digit code, optional reason phrase. */
const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;

/**
 * Usage: `const n = parser.push(bytes, start, end)`, then look at `state`: HEAD_COMPLETE means
 * the handshake succeeded and bytes[start + n, end) are already WebSocket frames; HEAD_FAILED
 * means `error` holds the HandshakeError; otherwise feed the next chunk.
 */
export class ResponseParser extends HeadReader {
  /** The failure, set when `state` is HEAD_FAILED. */
  error: HandshakeError | null = null;
  /** Status code from the status line (0 until it is read). */
  statusCode = 0;
  /** Reason phrase from the status line. */
  reasonPhrase = '';
  /** The subprotocol the server selected, '' when none. */
  protocol = '';
  /** permessage-deflate parameters the server accepted, null when it declined or none was offered. */
  perMessageDeflate: DeflateParameters | null = null;

  protected readonly subject = 'response';
  private readonly expectedAccept: string;
  private readonly protocols: readonly string[];
  private readonly deflateOffer: DeflateConfig | null;

  constructor(options: ResponseParserOptions) {
    super(options.maxHeadSize ?? MAX_HEAD_SIZE);
    this.expectedAccept = computeAccept(options.key);
    this.protocols = options.protocols ?? [];
    this.deflateOffer = options.perMessageDeflate ?? null;
  }

  protected checkStartLine(line: string): HeadFailure | null {
    const match = STATUS_LINE.exec(line);
    if (match === null) {
      return { message: `invalid status line ${JSON.stringify(line.slice(0, 100))}`, status: 0 };
    }
    const reason = match[4] ?? '';
    if (!isFieldValue(reason)) return { message: 'invalid character in the status line reason phrase', status: 0 };
    this.statusCode = Number(match[3]);
    this.reasonPhrase = reason;
    if (this.statusCode === 101 && (match[1] !== '1' || match[2] !== '1')) {
      return { message: `expected HTTP/1.1, got HTTP/${match[1]}.${match[2]}`, status: 0 };
    }
    // Any other status is reported once its headers are read, so the error can name a
    // redirect's Location or a 429's Retry-After.
    return null;
  }

  protected checkHead(): HeadFailure | null {
    const headers = this.headers;
    if (this.statusCode !== 101) return { message: this.unexpectedStatusMessage(), status: 0 };

    const repeated = this.firstRepeated(SINGLE_FIELDS);
    if (repeated !== null) return { message: `the response repeats the ${repeated} header`, status: 0 };

    // RFC 6455 4.1 (2): "|Upgrade| header field whose value is not an ASCII case-insensitive
    // match for the value "websocket"" => fail.
    const upgrade = headers['upgrade'];
    if (upgrade === undefined) return fail('missing Upgrade header');
    if (upgrade.toLowerCase() !== 'websocket') return fail(`invalid Upgrade header ${JSON.stringify(upgrade)}`);

    // (3): |Connection| must contain the token "Upgrade", ASCII case-insensitively.
    const connection = headers['connection'];
    if (connection === undefined) return fail('missing Connection header');
    if (!listHasToken(connection, 'upgrade')) return fail(`invalid Connection header ${JSON.stringify(connection)}`);

    // (4): |Sec-WebSocket-Accept| must be base64(SHA-1(key + GUID)).
    const accept = headers['sec-websocket-accept'];
    if (accept === undefined) return fail('missing Sec-WebSocket-Accept header');
    if (accept !== this.expectedAccept) return fail('invalid Sec-WebSocket-Accept header');

    // (5) and RFC 6455 9.1: an extension "not present in the client's handshake" => fail.
    // tickwire offers permessage-deflate only when asked to; no answer means declined.
    const extensions = headers['sec-websocket-extensions'];
    if (extensions !== undefined) {
      if (this.deflateOffer === null) return fail('the server sent Sec-WebSocket-Extensions but no extension was offered');
      const accepted = acceptResponse(this.deflateOffer, extensions);
      if (typeof accepted === 'string') return fail(accepted);
      this.perMessageDeflate = accepted;
    }

    // (6): a |Sec-WebSocket-Protocol| not offered by the client => fail. Its absence means
    // "no subprotocol" (RFC 6455 4.2.2 /subprotocol/ null), accepted as browsers do.
    const protocol = headers['sec-websocket-protocol'];
    if (protocol !== undefined) {
      if (this.protocols.length === 0) return fail('the server sent Sec-WebSocket-Protocol but no subprotocol was offered');
      if (!this.protocols.includes(protocol)) {
        return fail(`the server selected subprotocol ${JSON.stringify(protocol)}, which was not offered`);
      }
      this.protocol = protocol;
    }
    return null;
  }

  protected onFailure(failure: HeadFailure): void {
    // Headers are reported only when the head was read to its end.
    const headers = this.headRead ? this.headers : null;
    this.error = new HandshakeError(`WebSocket handshake failed: ${failure.message}`, this.statusCode, headers);
  }

  private unexpectedStatusMessage(): string {
    let message = `unexpected server response: ${this.statusCode}`;
    if (this.reasonPhrase.length !== 0) message += ' ' + this.reasonPhrase;
    const location = this.headers['location'];
    if (this.statusCode >= 300 && this.statusCode < 400 && location !== undefined) {
      // RFC 6455 4.1: the client "MAY" follow redirects; tickwire leaves that to the caller.
      message += ` (redirect to ${JSON.stringify(trimOws(location).slice(0, 200))}, not followed)`;
    }
    const retryAfter = this.headers['retry-after'];
    if (retryAfter !== undefined) message += ` (Retry-After: ${retryAfter.slice(0, 50)})`;
    return message;
  }
}

function fail(message: string): HeadFailure {
  return { message, status: 0 };
}
