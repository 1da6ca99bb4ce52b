// permessage-deflate's per-message codec (RFC 7692 7.2), one per connection and role: the
// receive side plugs into FrameParser.setInflater, the send side compresses whole messages.
// Only connections that negotiated compression have one; plain connections never reach here.

import { INFLATE_INVALID, INFLATE_TOO_BIG, type MessageInflater } from '../protocol/handler.js';
import { createDeflateEngine, createInflateEngine, ENGINE_TOO_BIG, selectEngineKind, type Engine, type EngineKind } from './zlib-engine.js';
import { negotiateOffers, resolveDeflateOptions, type DeflateParameters, type PerMessageDeflateOptions } from './permessage-deflate.js';

/**
 * zlib refuses a raw DEFLATE stream with an 8-bit window (it silently uses 9), so when the peer
 * limits our window to 8 bits we send uncompressed: RFC 7692 6 lets a sender leave any
 * message uncompressed.
 */
const MIN_ZLIB_DEFLATE_WINDOW_BITS = 9;

/** RFC 7692 6: RSV1 ("Per-Message Compressed" bit), OR-ed into a first frame's opcode byte. */
export const COMPRESSED_BIT = 0x40;

export type Role = 'client' | 'server';

export interface CodecOptions {
  /** Messages shorter than this are sent uncompressed. */
  threshold: number;
  /** Force an engine (tests); default: the process-wide selection. */
  engine?: EngineKind;
}

export class PerMessageDeflate implements MessageInflater {
  readonly params: DeflateParameters;
  readonly threshold: number;
  /** Whether send() may compress at all (false when our window would have to be 8 bits). */
  readonly canCompress: boolean;
  private readonly kind: EngineKind;
  /** Window the peer compresses with (what we inflate), and whether it resets per message. */
  private readonly inflateBits: number;
  private readonly peerNoContextTakeover: boolean;
  /** Window we compress with, and whether we reset per message. */
  private readonly deflateBits: number;
  private readonly ownNoContextTakeover: boolean;
  private inflateEngine: Engine | null = null;
  private deflateEngine: Engine | null = null;
  private closed = false;

  constructor(params: DeflateParameters, role: Role, options: CodecOptions) {
    this.params = params;
    this.threshold = options.threshold;
    this.kind = options.engine ?? selectEngineKind();
    const client = role === 'client';
    // Inflating with a larger window than the peer's always works; 8 is raised to 9 because a
    // zlib peer asked for 8 compresses with 9 (see MIN_ZLIB_DEFLATE_WINDOW_BITS).
    const peerBits = client ? params.serverMaxWindowBits : params.clientMaxWindowBits;
    this.inflateBits = Math.max(peerBits, MIN_ZLIB_DEFLATE_WINDOW_BITS);
    this.peerNoContextTakeover = client ? params.serverNoContextTakeover : params.clientNoContextTakeover;
    this.deflateBits = client ? params.clientMaxWindowBits : params.serverMaxWindowBits;
    this.ownNoContextTakeover = client ? params.clientNoContextTakeover : params.serverNoContextTakeover;
    this.canCompress = this.deflateBits >= MIN_ZLIB_DEFLATE_WINDOW_BITS;
  }

  // ---- receive (MessageInflater) ------------------------------------------------------------

  get output(): Uint8Array {
    return this.inflateEngine === null ? EMPTY : this.inflateEngine.output;
  }

  get error(): string {
    return this.inflateEngine === null ? '' : this.inflateEngine.error;
  }

  inflate(data: Uint8Array, start: number, end: number, maxLength: number): number {
    if (this.closed) return INFLATE_INVALID;
    const engine = (this.inflateEngine ??= createInflateEngine({ windowBits: this.inflateBits }, this.kind));
    const length = engine.inflate(data, start, end, maxLength);
    if (length < 0) return length === ENGINE_TOO_BIG ? INFLATE_TOO_BIG : INFLATE_INVALID;
    // RFC 7692 7.1.1: a peer without context takeover starts each message with an empty
    // window; resetting ours too frees nothing but keeps a misbehaving peer from relying on it.
    if (this.peerNoContextTakeover) engine.reset();
    return length;
  }

  release(): void {
    this.inflateEngine?.release();
  }

  // ---- send ---------------------------------------------------------------------------------

  /** Whether a message of `length` bytes goes out compressed. */
  shouldCompress(length: number): boolean {
    return this.canCompress && length >= this.threshold && !this.closed;
  }

  /**
   * RFC 7692 7.2.1: compresses data[start, end) and returns the length of the frame payload,
   * found in compressedOutput[0, length) until the next call (the 0x00 0x00 0xff 0xff tail
   * already removed). Returns -1 if zlib failed (send the message uncompressed then).
   */
  compress(data: Uint8Array, start: number, end: number): number {
    const engine = (this.deflateEngine ??= createDeflateEngine({ windowBits: this.deflateBits }, this.kind));
    const length = engine.deflate(data, start, end);
    if (length < 0) return -1;
    if (this.ownNoContextTakeover) engine.reset();
    // A sync flush of even an empty message leaves at least 0x00 (RFC 7692 7.2.3.6); zero
    // bytes would mean zlib misbehaved: send plain.
    return length === 0 ? -1 : length;
  }

  get compressedOutput(): Uint8Array {
    return this.deflateEngine === null ? EMPTY : this.deflateEngine.output;
  }

  /** Frees the zlib streams (connection closed). */
  close(): void {
    this.closed = true;
    this.inflateEngine?.close();
    this.deflateEngine?.close();
  }
}

const EMPTY = new Uint8Array(0);

/** What the server role needs after choosing an offer: the 101's header value and the codec. */
export interface ServerDeflate {
  /** Value for the 101's Sec-WebSocket-Extensions header. */
  responseHeader: string;
  codec: PerMessageDeflate;
}

/**
 * Server role in one call: picks the first acceptable permessage-deflate offer in the client's
 * Sec-WebSocket-Extensions (see negotiateOffers) and builds the codec for it. Returns null when
 * compression is off on this server or no offer is acceptable: answer without the header.
 */
export function acceptDeflateOffer(option: boolean | PerMessageDeflateOptions | undefined, offerHeader: string | undefined): ServerDeflate | null {
  const config = resolveDeflateOptions(option);
  if (config === null) return null;
  const negotiated = negotiateOffers(config, offerHeader);
  if (negotiated === null) return null;
  return { responseHeader: negotiated.response, codec: new PerMessageDeflate(negotiated.params, 'server', { threshold: config.threshold }) };
}
