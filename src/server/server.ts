import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { ServerConnection } from './connection.js';
import { STATE_OPEN } from '../protocol/connection-state.js';
import { checkNumberOption } from '../protocol/validation.js';
import { DEFAULT_MAX_WRITE_QUEUE_BYTES } from '../transport/write-queue.js';
import { acceptDeflateOffer } from '../extensions/deflate-codec.js';
import { resolveDeflateOptions, type PerMessageDeflateOptions } from '../extensions/permessage-deflate.js';
import { HEAD_COMPLETE, HEAD_FAILED } from '../handshake/head-reader.js';
import { buildAcceptResponse, buildRejectResponse } from '../handshake/server-response.js';
import { RequestHeadReader, serializeResponse, type HttpRequest, type HttpResponse } from './http-request.js';

/** Default largest client message: control requests are tiny; 1 MiB leaves room for echo tests. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** How long a client may take to send its request head (slowloris guard). */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long to wait for the client's side of a close handshake before destroying the socket. */
const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/** Options of createServer(). */
export interface ServerOptions {
  /** Serve wss:// / https:// with this certificate chain and key (PEM). */
  tls?: {
    /** Certificate chain (PEM). */
    cert: string | Buffer;
    /** Private key (PEM). */
    key: string | Buffer;
  };
  /** Largest client message accepted; above it the connection is closed with 1009. */
  maxPayload?: number;
  /** Time allowed for a client to send a complete upgrade request; default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /**
   * Time allowed for a client to answer our close frame before the socket is destroyed; also how
   * long a rejected upgrade or a plain HTTP request may take to read its answer. Default 5 000 ms.
   */
  closeTimeoutMs?: number;
  /**
   * Slow-consumer limit per connection: bytes queued for a client that does not read (unflushed
   * frames plus the socket's queue). Above it the connection's onError gets
   * WS_ERR_WRITE_QUEUE_FULL and the client is closed with 1008; queued frames are dropped.
   * Reading from a client also pauses while more than min(1 MiB, half of this) is queued.
   * Default 4 MiB; Infinity turns the policy off (memory is then the application's to bound).
   */
  maxWriteQueueBytes?: number;
  /**
   * Errors outside any connection: an exception thrown by verifyUpgrade, selectProtocol or
   * onHttpRequest (the request is answered 500), or by onConnection (the connection's onError gets
   * it too when set, and it is closed with 1011). Never an uncaughtException.
   */
  onError?(error: Error): void;
  /**
   * Accept permessage-deflate (RFC 7692) when a client offers it. Default false: the 101 carries
   * no extension and the send and receive paths stay allocation-free. With true or options, the
   * first acceptable offer is taken; `serverNoContextTakeover` / `clientNoContextTakeover` are
   * imposed, `serverMaxWindowBits` / `clientMaxWindowBits` cap the windows, and messages of at
   * least `threshold` bytes (default 1024) are sent compressed. Control frames never are.
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * Decides on an upgrade request before the handshake is answered. Return true to accept,
   * an HTTP status (e.g. 404, 403) to reject, or a whole response to reject with headers and a
   * body (e.g. 429 with Retry-After). Default: accept every path.
   */
  verifyUpgrade?(request: HttpRequest): true | number | HttpResponse;
  /** Picks a sub-protocol among those the client offered (null: none). */
  selectProtocol?(offered: string[], request: HttpRequest): string | null;
  /** A new open connection; set its callbacks here. */
  onConnection(connection: ServerConnection, request: HttpRequest): void;
  /**
   * Plain HTTP requests on the same port (the simulator's REST endpoints). Without it, or when
   * it returns undefined, the answer is 404. One request per TCP connection (`Connection: close`).
   */
  onHttpRequest?(request: HttpRequest): HttpResponse | undefined | Promise<HttpResponse | undefined>;
}

/** A listening server role: created by createServer(), started with listen(). */
export interface WebSocketServer {
  /** Starts listening; resolves with the bound port (port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Open connections. */
  readonly connections: ReadonlySet<ServerConnection>;
  /** The bound address once listening. */
  address(): AddressInfo | null;
  /**
   * Stops accepting, closes open connections with `code` (default 1001 going away) and
   * destroys what is left after closeTimeoutMs. Resolves when every socket is gone.
   */
  close(code?: number, reason?: string): Promise<void>;
}

/** Creates a WebSocket server (server role of RFC 6455) over node:net or node:tls. */
export function createServer(options: ServerOptions): WebSocketServer {
  checkNumberOption(options.maxPayload, 'maxPayload', { minimum: 0, infinite: true });
  checkNumberOption(options.maxWriteQueueBytes, 'maxWriteQueueBytes', { minimum: 1, infinite: true });
  checkNumberOption(options.handshakeTimeoutMs, 'handshakeTimeoutMs', { minimum: 1, timer: true });
  checkNumberOption(options.closeTimeoutMs, 'closeTimeoutMs', { minimum: 1, timer: true });
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  const maxWriteQueueBytes = options.maxWriteQueueBytes ?? DEFAULT_MAX_WRITE_QUEUE_BYTES;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  // Checked here so a bad option throws at createServer, not at the first upgrade.
  const deflateOption = resolveDeflateOptions(options.perMessageDeflate) === null ? undefined : options.perMessageDeflate;
  const connections = new Set<ServerConnection>();
  const sockets = new Set<Socket>();

  const accept = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    readRequestHead(socket);
  };

  function readRequestHead(socket: Socket): void {
    const reader = new RequestHeadReader();
    const timer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
    timer.unref();
    const onData = (chunk: Buffer): void => {
      const consumed = reader.push(chunk, 0, chunk.length);
      if (reader.state !== HEAD_COMPLETE && reader.state !== HEAD_FAILED) return;
      socket.off('data', onData);
      socket.off('error', onError);
      clearTimeout(timer);
      if (reader.state === HEAD_COMPLETE) {
        upgrade(socket, reader, chunk, consumed);
      } else if (reader.isPlainGet) {
        void serveHttp(socket, reader.toRequest(socket.remoteAddress));
      } else {
        reject(socket, reader.rejectResponse());
      }
    };
    const onError = (): void => {
      clearTimeout(timer);
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', onError);
  }

  function upgrade(socket: Socket, reader: RequestHeadReader, chunk: Buffer, headEnd: number): void {
    const request = reader.toRequest(socket.remoteAddress);
    let verdict: true | number | HttpResponse;
    try {
      verdict = options.verifyUpgrade === undefined ? true : options.verifyUpgrade(request);
    } catch (error) {
      reportError(error);
      verdict = 500;
    }
    if (typeof verdict === 'object') {
      const status = Number.isInteger(verdict.status) && verdict.status >= 400 && verdict.status <= 599 ? verdict.status : 500;
      return respond(socket, status === verdict.status ? verdict : { status });
    }
    if (verdict !== true) {
      // Anything but a 4xx/5xx status from the verifier is a bug in it: answer 500.
      const status = Number.isInteger(verdict) && verdict >= 400 && verdict <= 599 ? verdict : 500;
      return reject(socket, buildRejectResponse(status, `upgrade to ${request.path} refused`));
    }
    let protocol: string | null = null;
    if (reader.protocols.length !== 0 && options.selectProtocol !== undefined) {
      try {
        protocol = options.selectProtocol(reader.protocols, request);
      } catch (error) {
        reportError(error);
        return reject(socket, buildRejectResponse(500, 'subprotocol selection failed'));
      }
    }
    // RFC 7692 5: the first acceptable permessage-deflate offer, or none (no header in the 101).
    const deflate = deflateOption === undefined ? null : acceptDeflateOffer(deflateOption, request.headers['sec-websocket-extensions']);
    socket.write(buildAcceptResponse(reader.key, protocol ?? undefined, deflate?.responseHeader), 'latin1');
    const connection = new ServerConnection(socket, request, protocol, { maxPayload, closeTimeoutMs, maxWriteQueueBytes, deflate: deflate?.codec ?? null });
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
    try {
      options.onConnection(connection, request);
    } catch (error) {
      // Contained like the connection's own callbacks: reported, then closed with 1011.
      reportError(error);
      connection.failWithCallbackError(error);
      return;
    }
    // Frames the client sent right behind its request are already in this read.
    if (headEnd < chunk.length && connection.readyState === STATE_OPEN) connection.receive(chunk, headEnd, chunk.length);
  }

  function reportError(error: unknown): void {
    if (options.onError === undefined) return;
    try {
      options.onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }

  function reject(socket: Socket, response: string): void {
    answerAndDestroy(socket, Buffer.from(response, 'latin1'));
  }

  async function serveHttp(socket: Socket, request: HttpRequest): Promise<void> {
    let response: HttpResponse | undefined;
    try {
      response = options.onHttpRequest === undefined ? undefined : await options.onHttpRequest(request);
    } catch (error) {
      reportError(error);
      response = { status: 500 };
    }
    respond(socket, response ?? { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' });
  }

  /**
   * The last bytes of a connection that carries no WebSocket (a rejected upgrade, a plain HTTP
   * answer): written with FIN, then the socket is destroyed as soon as they are flushed. A
   * client that never sends its own FIN would otherwise hold the socket (and a file descriptor)
   * forever; one that never reads is cut off after closeTimeoutMs.
   */
  function answerAndDestroy(socket: Socket, answer: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), closeTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end(answer, () => socket.destroy());
  }

  function respond(socket: Socket, response: HttpResponse): void {
    answerAndDestroy(socket, serializeResponse(response));
  }

  const netServer: NetServer =
    options.tls === undefined
      ? createNetServer(accept)
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, accept);
  // A TLS handshake that fails is the client's problem; keep serving others.
  netServer.on('tlsClientError', () => {});

  return {
    connections,
    listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
      return new Promise((resolve, reject) => {
        netServer.once('error', reject);
        netServer.listen(port, host, () => {
          netServer.off('error', reject);
          resolve(netServer.address() as AddressInfo);
        });
      });
    },
    address(): AddressInfo | null {
      const address = netServer.address();
      return address === null || typeof address === 'string' ? null : address;
    },
    close(code = 1001, reason = ''): Promise<void> {
      return new Promise((resolve) => {
        netServer.close(() => resolve());
        for (const connection of connections) connection.close(code, reason);
        for (const socket of sockets) {
          // Sockets still in the handshake or serving HTTP have no close handshake to wait for.
          if (!isWebSocket(socket)) socket.destroy();
        }
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, closeTimeoutMs);
        timer.unref();
      });
    },
  };

  function isWebSocket(socket: Socket): boolean {
    for (const connection of connections) if (connection.socket === socket) return true;
    return false;
  }
}
