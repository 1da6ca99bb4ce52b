// Client side of the opening handshake: the URL and the upgrade GET request (RFC 6455 4.1).

import { isIP } from 'node:net';
import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';
import { isValidKey } from './accept-key.js';
import { isFieldValue, isToken, isVisibleAscii } from './tokens.js';

export interface WebSocketUrl {
  secure: boolean;
  /** Host to connect to; an IPv6 literal comes without brackets ('::1'). */
  host: string;
  port: number;
  /** Path and query ('/ws?streams=a'), always starting with '/'. */
  path: string;
  /**
   * TLS SNI name: the host name, or '' when the host is an IP literal (RFC 6066 3: "Literal
   * IPv4 and IPv6 addresses are not permitted in HostName"). Pass it to tls only when non-empty.
   */
  servername: string;
}

export interface UpgradeRequestOptions {
  /** As in WebSocketUrl: IPv6 without brackets. */
  host: string;
  port: number;
  path: string;
  secure: boolean;
  /** The Sec-WebSocket-Key (see generateKey). */
  key: string;
  /** Subprotocols to offer, in order of preference. */
  protocols?: readonly string[];
  /** Extra header fields; a `Host` here replaces the default one. */
  headers?: Readonly<Record<string, string>>;
  /** Sent as the Origin header (RFC 6455 4.1 step 8, for browser-like clients). */
  origin?: string;
  /** Sec-WebSocket-Extensions value (RFC 6455 4.1 step 9), e.g. a permessage-deflate offer. */
  extensions?: string;
}

/** Header fields the handshake itself sets; user headers may not replace them. */
const RESERVED_HEADERS = new Set([
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol', // use `protocols`
  'sec-websocket-extensions', // use `extensions` (the perMessageDeflate option)
  'content-length',
  'transfer-encoding',
]);

/**
 * Parses a WebSocket URL the way the WHATWG WebSocket constructor does (undici): ws: and wss:,
 * http: mapped to ws: and https: to wss:; any other scheme, or a fragment (even an empty `#`),
 * is a WS_ERR_INVALID_URL error.
 */
export function parseUrl(url: string | URL): WebSocketUrl {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw invalidUrl(`invalid URL ${JSON.stringify(String(url))}`);
  }
  let secure: boolean;
  switch (parsed.protocol) {
    case 'ws:':
    case 'http:':
      secure = false;
      break;
    case 'wss:':
    case 'https:':
      secure = true;
      break;
    default:
      throw invalidUrl(`unsupported URL scheme ${JSON.stringify(parsed.protocol)} (expected ws:, wss:, http: or https:)`);
  }
  // WHATWG WebSockets "new WebSocket(url)" step: "If urlRecord's fragment is non-null, throw a
  // SyntaxError". `hash` is '' for both no fragment and an empty one, so look at href.
  if (parsed.href.includes('#')) throw invalidUrl('a WebSocket URL must not have a fragment');
  let host = parsed.hostname;
  if (host.length === 0) throw invalidUrl('the URL has no host');
  if (host.charCodeAt(0) === 0x5b /* [ */) host = host.slice(1, -1);
  // URL omits the scheme's default port; ws: and http: share 80, wss: and https: share 443.
  const port = parsed.port.length === 0 ? (secure ? 443 : 80) : Number(parsed.port);
  if (port === 0) throw invalidUrl('port 0 is not a valid destination');
  return {
    secure,
    host,
    port,
    path: parsed.pathname + parsed.search,
    servername: isIP(host) === 0 ? host : '',
  };
}

/**
 * Builds the opening handshake request (RFC 6455 4.1). The result is latin1 text (every char
 * is one octet): write it with the 'latin1' encoding. Throws WS_ERR_INVALID_ARGUMENT on a
 * value that could break the request (CR/LF, invalid token, reserved header).
 */
export function buildUpgradeRequest(options: UpgradeRequestOptions): string {
  const { host, port, path, secure, key } = options;
  if (host.length === 0 || !isVisibleAscii(host)) throw invalidArgument(`invalid host ${JSON.stringify(host)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidArgument(`invalid port ${port}`);
  // RFC 7230 5.3.1: origin-form = absolute-path [ "?" query ]; no SP/CTL in a request-target.
  if (path.charCodeAt(0) !== 0x2f /* / */ || !isVisibleAscii(path)) throw invalidArgument(`invalid path ${JSON.stringify(path)}`);
  if (!isValidKey(key)) throw invalidArgument('invalid Sec-WebSocket-Key (expected base64 of 16 bytes)');

  // RFC 6455 4.1 step 4: Host with the port only when it is not the scheme's default.
  let hostHeader = host.includes(':') ? `[${host}]` : host;
  if (port !== (secure ? 443 : 80)) hostHeader += ':' + port;

  let extra = '';
  const userHeaders = options.headers;
  if (userHeaders !== undefined) {
    for (const name of Object.keys(userHeaders)) {
      const value = userHeaders[name]!;
      if (!isToken(name)) throw invalidArgument(`invalid header name ${JSON.stringify(name)}`);
      if (typeof value !== 'string' || !isFieldValue(value)) {
        throw invalidArgument(`invalid value for header ${JSON.stringify(name)}`);
      }
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) throw invalidArgument(`header ${JSON.stringify(name)} is set by the handshake itself`);
      if (lower === 'host') hostHeader = value;
      else if (lower === 'origin' && options.origin !== undefined) throw invalidArgument('Origin given both as `origin` and in `headers`');
      else extra += `${name}: ${value}\r\n`;
    }
  }

  let request =
    `GET ${path} HTTP/1.1\r\n` +
    `Host: ${hostHeader}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n';
  const protocols = options.protocols;
  if (protocols !== undefined && protocols.length !== 0) {
    validateProtocols(protocols);
    request += `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n`;
  }
  if (options.origin !== undefined) {
    if (!isFieldValue(options.origin)) throw invalidArgument('invalid origin');
    request += `Origin: ${options.origin}\r\n`;
  }
  if (options.extensions !== undefined) {
    if (!isFieldValue(options.extensions)) throw invalidArgument('invalid Sec-WebSocket-Extensions value');
    request += `Sec-WebSocket-Extensions: ${options.extensions}\r\n`;
  }
  return request + extra + '\r\n';
}

/**
 * RFC 6455 4.1 step 10: subprotocols are tokens (RFC 7230 token chars) and "MUST all be unique";
 * duplicates are compared ASCII case-insensitively as the WHATWG WebSocket constructor does.
 */
export function validateProtocols(protocols: readonly string[]): void {
  const seen = new Set<string>();
  for (const protocol of protocols) {
    if (typeof protocol !== 'string' || !isToken(protocol)) {
      throw invalidArgument(`invalid subprotocol ${JSON.stringify(protocol)} (must be an RFC 7230 token)`);
    }
    const lower = protocol.toLowerCase();
    if (seen.has(lower)) throw invalidArgument(`duplicate subprotocol ${JSON.stringify(protocol)}`);
    seen.add(lower);
  }
}

function invalidArgument(message: string): WebSocketError {
  return new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, message);
}

function invalidUrl(message: string): WebSocketError {
  return new WebSocketError('WS_ERR_INVALID_URL', CLOSE_ABNORMAL, message);
}
