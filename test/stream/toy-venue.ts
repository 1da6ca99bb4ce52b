// A small venue written for the stream seams' tests, with everything the new venues need that
// Binance Spot does not: an API-key upgrade header, binary data frames (JSON text for control),
// one acknowledgement per stream named in a request and none carrying an id (OKX), a text
// heartbeat answered by a text pong (Bybit, OKX), in-band snapshots on subscribe (Bybit, OKX) and
// a second, longer request limit (OKX's per-hour one). Its server is a `ws` server on loopback.
//
// Wire format: subscribe `{"op":"subscribe","args":["a","b"]}` -> `{"event":"subscribe","arg":"a"}`
// per arg, then a snapshot `{"arg":"a","seq":N,"snapshot":true}`; data: binary frames
// [name length u8][name][seq u32 big-endian]; heartbeat `ping` -> `pong`.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  MESSAGE_ACK,
  MESSAGE_DATA,
  MESSAGE_PONG,
  MESSAGE_REJECT,
  MESSAGE_UNKNOWN,
  SEQUENCE_CONTIGUOUS,
  type StreamNameLookup,
  type VenueDecoder,
  type VenueHeartbeat,
  type VenueLimits,
  type VenueProfile,
} from '../../src/index.js';

const PONG = new TextEncoder().encode('pong');

export class ToyDecoder implements VenueDecoder {
  stream = -1;
  payloadStart = 0;
  payloadEnd = 0;
  firstId = NaN;
  lastId = NaN;
  startsSequence = false;
  requestId = -1;
  errorCode = 0;
  private error = '';

  constructor(private readonly lookup: StreamNameLookup) {}

  decode(data: Uint8Array, start: number, end: number): number {
    if (end - start === PONG.length && PONG.every((byte, k) => data[start + k] === byte)) return MESSAGE_PONG;
    let message: { event?: string; arg?: string; seq?: number; snapshot?: boolean; code?: number; msg?: string };
    try {
      message = JSON.parse(new TextDecoder().decode(data.subarray(start, end))) as typeof message;
    } catch {
      return MESSAGE_UNKNOWN;
    }
    this.requestId = -1;
    if (message.event === 'subscribe' || message.event === 'unsubscribe') return MESSAGE_ACK;
    if (message.event === 'error') {
      this.errorCode = message.code ?? 0;
      this.error = message.msg ?? '';
      return MESSAGE_REJECT;
    }
    if (message.snapshot === true && typeof message.arg === 'string' && typeof message.seq === 'number') {
      const name = new TextEncoder().encode(message.arg);
      this.stream = this.lookup.find(name, 0, name.length);
      if (this.stream < 0) return MESSAGE_UNKNOWN;
      this.payloadStart = start;
      this.payloadEnd = end;
      this.firstId = this.lastId = message.seq;
      this.startsSequence = true;
      return MESSAGE_DATA;
    }
    return MESSAGE_UNKNOWN;
  }

  /** [name length][name][seq u32 BE]: read in place, nothing allocated. */
  decodeBinary(data: Uint8Array, start: number, end: number): number {
    const nameEnd = start + 1 + data[start]!;
    if (nameEnd + 4 > end) return MESSAGE_UNKNOWN;
    const stream = this.lookup.find(data, start + 1, nameEnd);
    if (stream < 0) return MESSAGE_UNKNOWN;
    this.stream = stream;
    this.payloadStart = start;
    this.payloadEnd = end;
    this.firstId = this.lastId = ((data[nameEnd]! << 24) >>> 0) + (data[nameEnd + 1]! << 16) + (data[nameEnd + 2]! << 8) + data[nameEnd + 3]!;
    this.startsSequence = false;
    return MESSAGE_DATA;
  }

  errorText(): string {
    return this.error;
  }
}

export interface ToyVenueOptions {
  heartbeat?: VenueHeartbeat;
  apiKey?: string;
  limits?: Partial<VenueLimits>;
}

export function toyVenue(options: ToyVenueOptions = {}): VenueProfile {
  return {
    name: 'toy',
    defaultUrl: 'ws://127.0.0.1:1',
    limits: {
      maxStreamsPerConnection: 100,
      maxIncomingPerSecond: 50,
      maxStreamsPerRequest: 2,
      connectionAttempts: 100,
      connectionAttemptWindowMs: 1000,
      connectionLifetimeMs: 0,
      serverPingIntervalMs: 0,
      ...options.limits,
    },
    ...(options.heartbeat !== undefined && { heartbeat: options.heartbeat }),
    acknowledgesEachStream: true,
    ...(options.apiKey !== undefined && { connectionHeaders: () => ({ 'X-Toy-Key': options.apiKey! }) }),
    connectionUrl: (base) => `${base}/toy`,
    subscribeRequest: (names) => JSON.stringify({ op: 'subscribe', args: names }),
    unsubscribeRequest: (names) => JSON.stringify({ op: 'unsubscribe', args: names }),
    sequenceRule: () => SEQUENCE_CONTIGUOUS,
    idLayout: () => 0,
    validateStreamName: (name) => (/^[a-z0-9.]{1,40}$/.test(name) ? null : `not a toy stream: ${name}`),
    createDecoder: (lookup) => new ToyDecoder(lookup),
  };
}

interface ToySession {
  socket: WebSocket;
  headers: Record<string, string | string[] | undefined>;
  subscribed: Set<string>;
  /** Every text message the client sent, in order. */
  received: string[];
}

/** The toy venue's server: streams of ids per name, shared by every connection. */
export class ToyServer {
  readonly sessions: ToySession[] = [];
  /** The last id sent per stream name (the venue's state, as a snapshot reports it). */
  readonly seq = new Map<string, number>();
  /** Answer `ping` with `pong`. */
  answerPings = true;
  /** Refuse subscriptions to names starting with this (answered with an error, no id). */
  refusePrefix = '\0';
  private readonly server: WebSocketServer;
  private timer: NodeJS.Timeout | null = null;

  private constructor(server: WebSocketServer) {
    this.server = server;
    server.on('connection', (socket, request) => {
      const session: ToySession = { socket, headers: request.headers, subscribed: new Set(), received: [] };
      this.sessions.push(session);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        this.control(session, data.toString());
      });
    });
  }

  static async start(): Promise<ToyServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new ToyServer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get pings(): number {
    return this.sessions.reduce((sum, session) => sum + session.received.filter((text) => text === 'ping').length, 0);
  }

  /** Requests (subscribe/unsubscribe) received on all connections. */
  requests(op: 'subscribe' | 'unsubscribe'): string[][] {
    const out: string[][] = [];
    for (const session of this.sessions) {
      for (const text of session.received) {
        if (text === 'ping') continue;
        const message = JSON.parse(text) as { op: string; args: string[] };
        if (message.op === op) out.push(message.args);
      }
    }
    return out;
  }

  /** One event on every subscribed stream of every open connection. */
  tick(): void {
    const next = new Map<string, number>();
    for (const session of this.sessions) {
      if (session.socket.readyState !== session.socket.OPEN) continue;
      for (const name of session.subscribed) {
        const seq = next.get(name) ?? (this.seq.get(name) ?? 0) + 1;
        next.set(name, seq);
        session.socket.send(frame(name, seq));
      }
    }
    for (const [name, seq] of next) this.seq.set(name, seq);
  }

  /** Sends one event per stream every `ms` until stopFlow(). */
  flow(ms: number): void {
    this.stopFlow();
    this.timer = setInterval(() => this.tick(), ms);
  }

  stopFlow(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** A snapshot of `name` on every connection carrying it, with id `seq` (a venue restart sends a low one). */
  snapshot(name: string, seq: number): void {
    this.seq.set(name, seq);
    for (const session of this.sessions) if (session.subscribed.has(name)) session.socket.send(JSON.stringify({ arg: name, seq, snapshot: true }));
  }

  async close(): Promise<void> {
    this.stopFlow();
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private control(session: ToySession, text: string): void {
    session.received.push(text);
    if (text === 'ping') {
      if (this.answerPings) session.socket.send('pong');
      return;
    }
    const message = JSON.parse(text) as { op: string; args: string[] };
    for (const name of message.args) {
      if (message.op === 'subscribe' && name.startsWith(this.refusePrefix)) {
        session.socket.send(JSON.stringify({ event: 'error', code: 60018, msg: `no such channel: ${name}` }));
        continue;
      }
      session.socket.send(JSON.stringify({ event: message.op, arg: name }));
      if (message.op === 'subscribe') {
        session.subscribed.add(name);
        session.socket.send(JSON.stringify({ arg: name, seq: this.seq.get(name) ?? 0, snapshot: true }));
      } else {
        session.subscribed.delete(name);
      }
    }
  }
}

function frame(name: string, seq: number): Buffer {
  const out = Buffer.alloc(1 + name.length + 4);
  out[0] = name.length;
  out.write(name, 1, 'latin1');
  out.writeUInt32BE(seq, 1 + name.length);
  return out;
}

/** The id carried by a delivered toy payload (binary event or text snapshot). */
export function toyPayloadId(data: Uint8Array, start: number, end: number): { id: number; snapshot: boolean } {
  if (data[start] === 0x7b) {
    const message = JSON.parse(new TextDecoder().decode(data.subarray(start, end))) as { seq: number };
    return { id: message.seq, snapshot: true };
  }
  const nameEnd = start + 1 + data[start]!;
  return { id: Buffer.from(data.buffer, data.byteOffset + nameEnd, 4).readUInt32BE(0), snapshot: false };
}
