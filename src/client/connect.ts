import type net from 'node:net';
import { generateKey } from '../handshake/accept-key.js';
import { HandshakeError } from '../handshake/handshake-error.js';
import { HEAD_COMPLETE, HEAD_FAILED } from '../handshake/head-reader.js';
import { buildUpgradeRequest, parseUrl } from '../handshake/request.js';
import { ResponseParser } from '../handshake/response-parser.js';
import { PerMessageDeflate } from '../extensions/deflate-codec.js';
import { buildOffer, resolveDeflateOptions } from '../extensions/permessage-deflate.js';
import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';
import { acquireKernelBuffer, releaseKernelBuffer } from '../kernels/index.js';
import { DEFAULT_RECEIVE_BUFFER_BYTES, openSocket } from '../transport/socket.js';
import { Client } from './client.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, validateClientOptions, type ClientOptions } from './options.js';

/** OpenSSL/Node error codes that mean the TLS handshake or certificate check failed. */
const TLS_ERROR_PATTERN = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_|ERR_OSSL)/;

/**
 * Opens a WebSocket connection: TCP (or TLS), the HTTP/1.1 upgrade, and a fully validated 101.
 * Resolves with an open Client; rejects with a WebSocketError whose code says what failed
 * (WS_ERR_INVALID_URL, WS_ERR_CONNECT, WS_ERR_TLS, WS_ERR_HANDSHAKE, WS_ERR_HANDSHAKE_TIMEOUT).
 *
 * No callback fires before the promise resolves: frames that came in the same read as the
 * 101 are delivered right after the caller's `await` resumes.
 */
export function connect(url: string | URL, options: ClientOptions): Promise<Client> {
  return new Promise<Client>((resolve, reject) => {
    validateClientOptions(options); // throws WS_ERR_INVALID_ARGUMENT inside the executor: rejects
    const target = parseUrl(url); // throws WS_ERR_INVALID_URL inside the executor: rejects
    const key = generateKey();
    const deflate = resolveDeflateOptions(options.perMessageDeflate); // null unless opted in
    const request = buildUpgradeRequest({
      host: target.host,
      port: target.port,
      path: target.path,
      secure: target.secure,
      key,
      ...(options.protocols !== undefined && { protocols: options.protocols }),
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.origin !== undefined && { origin: options.origin }),
      ...(deflate !== null && { extensions: buildOffer(deflate) }),
    });
    const response = new ResponseParser({
      key,
      perMessageDeflate: deflate,
      ...(options.protocols !== undefined && { protocols: options.protocols }),
    });
    const receiveBuffer = acquireKernelBuffer(options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES);
    let settled = false;
    /** Set once the 101 is validated: reads then go to it. */
    let client: Client | null = null;

    const fail = (error: WebSocketError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      releaseKernelBuffer(receiveBuffer);
      reject(error);
    };

    const onHandshakeRead = (length: number): void => {
      const consumed = response.push(receiveBuffer, 0, length);
      if (response.state === HEAD_FAILED) {
        fail(response.error ?? new HandshakeError('invalid handshake response', response.statusCode, null));
        return;
      }
      if (response.state !== HEAD_COMPLETE) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', onEarlyError);
      socket.removeListener('close', onEarlyClose);
      const opened = new Client(options, socket, response.protocol, response.headers, receiveBuffer);
      client = opened;
      if (deflate !== null && response.perMessageDeflate !== null) {
        opened.enableCompression(new PerMessageDeflate(response.perMessageDeflate, 'client', { threshold: deflate.threshold }));
      }
      // Frames in the same read as the 101: copy them now (the buffer is reused by the next
      // read) and deliver once the caller has the client in hand.
      const early = consumed < length ? receiveBuffer.slice(consumed, length) : null;
      resolve(opened);
      if (early !== null) queueMicrotask(() => opened.onRead(early, early.length));
    };

    const socket: net.Socket = openSocket({
      host: target.host,
      port: target.port,
      secure: target.secure,
      ...((options.servername ?? target.servername) !== '' && { servername: options.servername ?? target.servername }),
      ...(options.ca !== undefined && { ca: options.ca }),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      noDelay: options.noDelay ?? true,
      receiveBuffer,
      onRead: (length: number, buffer: Uint8Array): void => {
        if (client !== null) client.onRead(buffer, length);
        else onHandshakeRead(length);
      },
    });

    const onEarlyError = (error: NodeJS.ErrnoException): void => fail(describeConnectError(error, target.host, target.port, target.secure));
    const onEarlyClose = (): void =>
      fail(new HandshakeError(`connection closed by ${target.host}:${target.port} before the handshake completed`, response.statusCode, null));
    socket.on('error', onEarlyError);
    socket.on('close', onEarlyClose);

    const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    const timer = setTimeout(() => {
      fail(new WebSocketError('WS_ERR_HANDSHAKE_TIMEOUT', CLOSE_ABNORMAL, `opening handshake with ${target.host}:${target.port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);

    // net and tls sockets queue writes until connected (tls: until the TLS handshake is done).
    socket.write(request, 'latin1');
  });
}

function describeConnectError(error: NodeJS.ErrnoException, host: string, port: number, secure: boolean): WebSocketError {
  const code = error.code ?? '';
  const where = `${host}:${port}`;
  // EPROTO: OpenSSL failed to read a TLS record, e.g. "wrong version number" from a plain-TCP peer.
  if (secure && (TLS_ERROR_PATTERN.test(code) || code === 'EPROTO')) {
    return new WebSocketError('WS_ERR_TLS', CLOSE_ABNORMAL, `TLS handshake with ${where} failed: ${error.message} (${code})`, { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new WebSocketError('WS_ERR_CONNECT', CLOSE_ABNORMAL, `DNS lookup of ${host} failed (${code})`, { cause: error });
  }
  if (code === 'ECONNREFUSED') {
    return new WebSocketError('WS_ERR_CONNECT', CLOSE_ABNORMAL, `connection to ${where} refused`, { cause: error });
  }
  return new WebSocketError('WS_ERR_CONNECT', CLOSE_ABNORMAL, `cannot connect to ${where}: ${error.message}${code ? ` (${code})` : ''}`, { cause: error });
}
