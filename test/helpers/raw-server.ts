// A raw-socket WebSocket "server" for end-to-end protocol tests: it answers the upgrade with a
// correct 101 (or whatever response a test asks for) and then writes exactly the bytes the test
// chooses, so every protocol error can be driven through a real loopback socket.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { FrameReader, type ParsedFrame } from './frames.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** A correct 101 response for the request's key, plus optional extra header lines. */
export function response101(key: string, extraLines: readonly string[] = []): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n` +
    extraLines.map((line) => line + '\r\n').join('') +
    '\r\n'
  );
}

export interface UpgradeRequest {
  head: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  key: string;
}

export interface RawServerOptions {
  /**
   * What to answer the upgrade request with: bytes/string written as is, or null to never
   * answer. Default: a correct 101.
   */
  respond?: (request: UpgradeRequest, socket: net.Socket) => string | Uint8Array | null;
  /** Bytes written in the same write() as the response (frames that arrive with the 101). */
  afterResponse?: Uint8Array;
  /**
   * Keep the server's side open after the client half-closes (default false: Node ends it
   * automatically, so the TCP connection closes as soon as the client ends its side).
   */
  allowHalfOpen?: boolean;
}

export class RawConnection {
  readonly frames: ParsedFrame[] = [];
  /** Every byte the client sent after its upgrade request. */
  received: Buffer = Buffer.alloc(0);
  /** True once the client half-closed (FIN). */
  ended = false;
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private waiters: Array<() => void> = [];

  constructor(
    readonly socket: net.Socket,
    readonly request: UpgradeRequest,
  ) {
    // Not events.once(): it rejects on 'error' (ECONNRESET when the client drops the connection).
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => this.notify());
    socket.on('error', () => {});
  }

  /** @internal bytes after the upgrade request. */
  consume(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.received = Buffer.concat([this.received, chunk]);
    for (const parsed of this.reader.push(chunk)) this.frames.push(parsed);
    this.notify();
  }

  write(bytes: Uint8Array | string): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Resolves once `count` frames have arrived (rejects when the socket closes first or after 5 s). */
  async waitForFrames(count: number): Promise<ParsedFrame[]> {
    await this.waitUntil(() => this.frames.length >= count, `${count} frame(s)`);
    return this.frames.slice(0, count);
  }

  /** The first close frame the client sent. */
  async closeFrame(): Promise<ParsedFrame> {
    await this.waitUntil(() => this.frames.some((item) => item.opcode === 8), 'a close frame');
    return this.frames.find((item) => item.opcode === 8)!;
  }

  async waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.socket.destroyed && !condition()) throw new Error(`socket closed before ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export class RawServer {
  readonly connections: RawConnection[] = [];
  private waiters: Array<(connection: RawConnection) => void> = [];
  readonly sockets = new Set<net.Socket>();

  constructor(
    readonly server: net.Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}/raw`;
  }

  /** The next (or an already accepted, not yet taken) connection. */
  nextConnection(): Promise<RawConnection> {
    const taken = this.taken;
    if (taken < this.connections.length) {
      this.taken++;
      return Promise.resolve(this.connections[taken]!);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private taken = 0;

  /** @internal */
  add(connection: RawConnection): void {
    this.connections.push(connection);
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.taken++;
      waiter(connection);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startRawServer(options: RawServerOptions = {}): Promise<RawServer> {
  let raw: RawServer | null = null;
  const server = net.createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    raw!.sockets.add(socket);
    socket.on('close', () => raw!.sockets.delete(socket));
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    let connection: RawConnection | null = null;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (connection !== null) {
        connection.consume(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const text = head.toString('latin1', 0, end);
      const headers: Record<string, string> = {};
      for (const line of text.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const request: UpgradeRequest = { head: text, headers, key: headers['sec-websocket-key'] ?? '' };
      connection = new RawConnection(socket, request);
      const answer = options.respond === undefined ? response101(request.key) : options.respond(request, socket);
      if (answer !== null) {
        const answerBytes = typeof answer === 'string' ? Buffer.from(answer, 'latin1') : Buffer.from(answer);
        socket.write(options.afterResponse === undefined ? answerBytes : Buffer.concat([answerBytes, options.afterResponse]));
      }
      raw!.add(connection);
      connection.consume(head.subarray(end + 4));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  raw = new RawServer(server, (server.address() as net.AddressInfo).port);
  return raw;
}
