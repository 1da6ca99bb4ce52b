// A TCP proxy in front of a real server, for fault tests over real sockets: it can refuse the
// next upgrades with an HTTP status (429/418 with Retry-After), cut every connection in the
// middle of a frame, or stop forwarding while keeping the sockets open (half-open).
import { once } from 'node:events';
import net from 'node:net';

export interface Refusal {
  status: number;
  /** The Retry-After header value; omitted when undefined. */
  retryAfter?: string;
}

const REASONS: Record<number, string> = { 418: "I'm a teapot", 429: 'Too Many Requests', 503: 'Service Unavailable' };

interface Link {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Server-to-client bytes: the HTTP head is passed through, then whole frames (for filtering). */
  headDone: boolean;
  pending: Buffer;
  /** Cut in the middle of the next chunk from upstream. */
  cut: boolean;
  blackholed: boolean;
}

/** Length of the (unmasked) frame at the start of `buffer`, header included; the buffer's length if the header is incomplete. */
function frameLength(buffer: Buffer): number {
  if (buffer.length < 2) return buffer.length;
  const short = buffer[1]! & 0x7f;
  if (short < 126) return 2 + short;
  if (short === 126) return buffer.length < 4 ? buffer.length : 4 + buffer.readUInt16BE(2);
  return buffer.length < 10 ? buffer.length : 10 + Number(buffer.readBigUInt64BE(2));
}

export class FaultProxy {
  /** Connections accepted (upgrade attempts), with their times (performance.now()). */
  attempts = 0;
  readonly attemptTimes: number[] = [];
  /** Answers for the next attempts, in order; an empty queue forwards to the server. */
  readonly refusals: Refusal[] = [];
  /** Bytes cut off by cutMidFrame() (written by the server, never forwarded). */
  bytesCut = 0;
  /**
   * Server frames whose payload contains these bytes are not forwarded (one stream going silent
   * while the others go on); frames dropped so far are counted in `framesFiltered`.
   */
  filter: Buffer | null = null;
  framesFiltered = 0;
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private upstreamPort: number;

  private constructor(server: net.Server, upstreamPort: number) {
    this.server = server;
    this.upstreamPort = upstreamPort;
  }

  static async start(upstreamPort: number): Promise<FaultProxy> {
    const server = net.createServer();
    const proxy = new FaultProxy(server, upstreamPort);
    server.on('connection', (socket) => proxy.accept(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Points new connections at another upstream port. */
  retarget(port: number): void {
    this.upstreamPort = port;
  }

  /** Every open connection is destroyed in the middle of the next chunk the server sends. */
  cutMidFrame(): number {
    for (const link of this.links) link.cut = true;
    return this.links.size;
  }

  /** Stops forwarding in both directions; the sockets stay open (a half-open connection). */
  blackhole(): number {
    for (const link of this.links) link.blackholed = true;
    return this.links.size;
  }

  get openLinks(): number {
    return this.links.size;
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream?.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.attempts++;
    this.attemptTimes.push(performance.now());
    client.on('error', () => {});
    const refusal = this.refusals.shift();
    if (refusal !== undefined) {
      client.once('data', () => {
        const retry = refusal.retryAfter === undefined ? '' : `Retry-After: ${refusal.retryAfter}\r\n`;
        client.end(`HTTP/1.1 ${refusal.status} ${REASONS[refusal.status] ?? 'Error'}\r\n${retry}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      });
      return;
    }
    const link: Link = { client, upstream: null, headDone: false, pending: Buffer.alloc(0), cut: false, blackholed: false };
    this.links.add(link);
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    link.upstream = upstream;
    upstream.on('error', () => client.destroy());
    const drop = (): void => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', () => {
      if (!link.blackholed) drop();
    });
    client.on('data', (chunk: Buffer) => {
      if (!link.blackholed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (link.blackholed) return;
      if (link.cut && link.headDone) {
        // Forward the first half of the next frame, then drop both sides: the client holds a partial frame.
        const all = Buffer.concat([link.pending, chunk]);
        const half = Math.max(2, Math.min(all.length - 1, frameLength(all) >> 1));
        client.write(all.subarray(0, half));
        this.bytesCut += all.length - half;
        drop();
        return;
      }
      // Always framed, so that a filter set later finds the frame boundaries.
      this.forwardFiltered(link, chunk);
    });
  }

  /** Forwards whole frames only, leaving out those whose payload contains `filter`. */
  private forwardFiltered(link: Link, chunk: Buffer): void {
    let buffer = link.pending.length === 0 ? chunk : Buffer.concat([link.pending, chunk]);
    if (!link.headDone) {
      const headEnd = buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        link.pending = buffer;
        return;
      }
      link.client.write(buffer.subarray(0, headEnd + 4));
      buffer = buffer.subarray(headEnd + 4);
      link.headDone = true;
    }
    // Server frames are unmasked: 2-byte header, then 16- or 64-bit extended length.
    let offset = 0;
    while (buffer.length - offset >= 2) {
      const short = buffer[offset + 1]! & 0x7f;
      const headerBytes = short === 126 ? 4 : short === 127 ? 10 : 2;
      if (buffer.length - offset < headerBytes) break;
      const length = short === 126 ? buffer.readUInt16BE(offset + 2) : short === 127 ? Number(buffer.readBigUInt64BE(offset + 2)) : short;
      const end = offset + headerBytes + length;
      if (end > buffer.length) break;
      const payload = buffer.subarray(offset + headerBytes, end);
      if (this.filter !== null && payload.includes(this.filter)) this.framesFiltered++;
      else link.client.write(buffer.subarray(offset, end));
      offset = end;
    }
    link.pending = Buffer.from(buffer.subarray(offset));
  }
}
