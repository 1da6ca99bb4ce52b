// permessage-deflate (RFC 7692): the options, the client's offer, the client's check of the
// server's answer, and the server role's choice among the client's offers. Handshake-time code
// only; the per-message codec lives in deflate-codec.ts.

import { CLOSE_ABNORMAL, WebSocketError } from '../protocol/errors.js';
import { formatExtension, parseExtensions, type ExtensionElement, type ExtensionParam } from './extension-header.js';

export const EXTENSION_NAME = 'permessage-deflate';

/**
 * Messages shorter than this are sent uncompressed. ws uses the same default: below ~1 KiB the
 * deflate call costs more than the bytes it saves on loopback and LAN links.
 */
export const DEFAULT_THRESHOLD = 1024;

/** RFC 7692 7.1.2: window bits are an integer 8..15; 15 (a 32 KiB window) when not negotiated. */
export const MIN_WINDOW_BITS = 8;
export const MAX_WINDOW_BITS = 15;

/** User options (client: what to offer; server role: what to accept). */
export interface PerMessageDeflateOptions {
  /** Ask the server to reset its compressor after each message (saves the server memory). */
  serverNoContextTakeover?: boolean;
  /** Reset our compressor after each message (client), or ask the client to (server role). */
  clientNoContextTakeover?: boolean;
  /** Largest LZ77 window (8..15) the server may compress with. */
  serverMaxWindowBits?: number;
  /**
   * Client: the window our compressor uses (9..15; zlib cannot deflate raw streams with 8), sent
   * as a value; when absent, `client_max_window_bits` is offered bare so the server may pick one.
   * Server role: the largest window the client may use.
   */
  clientMaxWindowBits?: number;
  /** Messages shorter than this (bytes) are sent uncompressed. Default 1024. */
  threshold?: number;
}

/** What both ends agreed on: every field defined (absent parameters are their RFC defaults). */
export interface DeflateParameters {
  /** RFC 7692 7.1.1.1: the server resets its compression context after every message. */
  serverNoContextTakeover: boolean;
  /** RFC 7692 7.1.1.2: the client resets its compression context after every message. */
  clientNoContextTakeover: boolean;
  /** RFC 7692 7.1.2.1: LZ77 window of the server's compressor, 8..15 bits (15 when not negotiated). */
  serverMaxWindowBits: number;
  /** RFC 7692 7.1.2.2: LZ77 window of the client's compressor, 8..15 bits (15 when not negotiated). */
  clientMaxWindowBits: number;
}

/** Validated options with defaults; null when compression is off. */
export interface DeflateConfig {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** 0 when not set. */
  serverMaxWindowBits: number;
  /** 0 when not set. */
  clientMaxWindowBits: number;
  threshold: number;
}

/** Checks the user's option; returns null when compression is off (the default). */
export function resolveDeflateOptions(option: boolean | PerMessageDeflateOptions | undefined): DeflateConfig | null {
  if (option === undefined || option === false) return null;
  const options: PerMessageDeflateOptions = option === true ? {} : option;
  if (typeof options !== 'object' || options === null) throw invalidArgument('perMessageDeflate must be a boolean or an options object');
  const config: DeflateConfig = {
    serverNoContextTakeover: options.serverNoContextTakeover === true,
    clientNoContextTakeover: options.clientNoContextTakeover === true,
    serverMaxWindowBits: 0,
    clientMaxWindowBits: 0,
    threshold: DEFAULT_THRESHOLD,
  };
  if (options.serverMaxWindowBits !== undefined) config.serverMaxWindowBits = checkBits('serverMaxWindowBits', options.serverMaxWindowBits, MIN_WINDOW_BITS);
  if (options.clientMaxWindowBits !== undefined) config.clientMaxWindowBits = checkBits('clientMaxWindowBits', options.clientMaxWindowBits, MIN_WINDOW_BITS);
  if (options.threshold !== undefined) {
    if (!Number.isInteger(options.threshold) || options.threshold < 0) throw invalidArgument('perMessageDeflate.threshold must be an integer >= 0');
    config.threshold = options.threshold;
  }
  return config;
}

// ---- client ------------------------------------------------------------------------------

/** The client's Sec-WebSocket-Extensions value: one offer (RFC 7692 5, 7.1). */
export function buildOffer(config: DeflateConfig): string {
  const params: ExtensionParam[] = [];
  if (config.serverNoContextTakeover) params.push({ name: 'server_no_context_takeover', value: null });
  if (config.clientNoContextTakeover) params.push({ name: 'client_no_context_takeover', value: null });
  if (config.serverMaxWindowBits !== 0) params.push({ name: 'server_max_window_bits', value: String(config.serverMaxWindowBits) });
  // RFC 7692 7.1.2.2: without a value it only says "I can honour a limit you choose".
  params.push({ name: 'client_max_window_bits', value: config.clientMaxWindowBits !== 0 ? String(config.clientMaxWindowBits) : null });
  return formatExtension({ name: EXTENSION_NAME, params });
}

/**
 * RFC 6455 4.1 (5) and RFC 7692 5/7.1: checks the server's Sec-WebSocket-Extensions against
 * the offer. Returns the negotiated parameters, or a message saying why the handshake fails.
 */
export function acceptResponse(config: DeflateConfig, header: string): DeflateParameters | string {
  const elements = parseExtensions(header);
  if (elements === null) return `invalid Sec-WebSocket-Extensions header ${JSON.stringify(header.slice(0, 200))}`;
  if (elements.length !== 1 || elements[0]!.name !== EXTENSION_NAME) {
    // RFC 6455 9.1: the server may only answer with extensions the client offered; we offered
    // permessage-deflate once, so it may appear once (RFC 7692 5: one accepted offer).
    const names = elements.map((element) => element.name).join(', ');
    return `the server answered with extensions ${JSON.stringify(names)}; only one permessage-deflate was offered`;
  }
  const params = readParams(elements[0]!);
  if (typeof params === 'string') return params;
  const result: DeflateParameters = {
    serverNoContextTakeover: params.serverNoContextTakeover,
    // RFC 7692 7.1.1.2: the server may ask for it even when the client did not offer it.
    clientNoContextTakeover: params.clientNoContextTakeover || config.clientNoContextTakeover,
    serverMaxWindowBits: MAX_WINDOW_BITS,
    clientMaxWindowBits: config.clientMaxWindowBits !== 0 ? config.clientMaxWindowBits : MAX_WINDOW_BITS,
  };
  if (params.serverMaxWindowBits !== -1) {
    if (params.serverMaxWindowBits === 0) return 'server_max_window_bits in the response has no value';
    // RFC 7692 7.1.2.1: the answer carries "the same or smaller value as the offer".
    if (config.serverMaxWindowBits !== 0 && params.serverMaxWindowBits > config.serverMaxWindowBits) {
      return `server_max_window_bits=${params.serverMaxWindowBits} exceeds the ${config.serverMaxWindowBits} offered`;
    }
    result.serverMaxWindowBits = params.serverMaxWindowBits;
  } else if (config.serverMaxWindowBits !== 0) {
    // The server declined to limit its window; inflating with the full window is always correct.
    result.serverMaxWindowBits = MAX_WINDOW_BITS;
  }
  if (params.clientMaxWindowBits !== -1) {
    // RFC 7692 7.1.2.2: always offered (bare or with a value), so the server may answer it,
    // but the answer must carry a value, no larger than one we offered.
    if (params.clientMaxWindowBits === 0) return 'client_max_window_bits in the response has no value';
    if (config.clientMaxWindowBits !== 0 && params.clientMaxWindowBits > config.clientMaxWindowBits) {
      return `client_max_window_bits=${params.clientMaxWindowBits} exceeds the ${config.clientMaxWindowBits} offered`;
    }
    result.clientMaxWindowBits = params.clientMaxWindowBits;
  }
  return result;
}

// ---- server role -------------------------------------------------------------------------

export interface ServerNegotiation {
  params: DeflateParameters;
  /** The Sec-WebSocket-Extensions value for the 101 response. */
  response: string;
}

/**
 * Server role: picks the first permessage-deflate offer it can accept (RFC 7692 5: offers are
 * in the client's order of preference; an offer with an unknown or invalid parameter "MUST be
 * declined"). Returns null when there is none: the 101 then carries no extension. Throws
 * nothing; a header that does not parse at all is declined the same way.
 */
export function negotiateOffers(config: DeflateConfig, header: string | undefined): ServerNegotiation | null {
  if (header === undefined) return null;
  const elements = parseExtensions(header);
  if (elements === null) return null;
  for (const element of elements) {
    if (element.name !== EXTENSION_NAME) continue;
    const offer = readParams(element);
    if (typeof offer === 'string') continue;
    const accepted = acceptOffer(config, offer);
    if (accepted !== null) return accepted;
  }
  return null;
}

function acceptOffer(config: DeflateConfig, offer: ParsedParams): ServerNegotiation | null {
  // server_max_window_bits in an offer must have a value (RFC 7692 7.1.2.1).
  if (offer.serverMaxWindowBits === 0) return null;
  const params: DeflateParameters = {
    serverNoContextTakeover: offer.serverNoContextTakeover || config.serverNoContextTakeover,
    clientNoContextTakeover: offer.clientNoContextTakeover || config.clientNoContextTakeover,
    serverMaxWindowBits: MAX_WINDOW_BITS,
    clientMaxWindowBits: MAX_WINDOW_BITS,
  };
  const response: ExtensionParam[] = [];
  if (params.serverNoContextTakeover) response.push({ name: 'server_no_context_takeover', value: null });
  if (params.clientNoContextTakeover) response.push({ name: 'client_no_context_takeover', value: null });

  let serverBits = config.serverMaxWindowBits !== 0 ? config.serverMaxWindowBits : MAX_WINDOW_BITS;
  if (offer.serverMaxWindowBits > 0 && offer.serverMaxWindowBits < serverBits) serverBits = offer.serverMaxWindowBits;
  params.serverMaxWindowBits = serverBits;
  // RFC 7692 7.1.2.1: an offered limit is accepted by echoing the same or a smaller value.
  if (offer.serverMaxWindowBits > 0 || serverBits !== MAX_WINDOW_BITS) response.push({ name: 'server_max_window_bits', value: String(serverBits) });

  if (offer.clientMaxWindowBits !== -1) {
    // The client can honour a limit: ours, capped by the one it offered.
    let clientBits = config.clientMaxWindowBits !== 0 ? config.clientMaxWindowBits : MAX_WINDOW_BITS;
    if (offer.clientMaxWindowBits > 0 && offer.clientMaxWindowBits < clientBits) clientBits = offer.clientMaxWindowBits;
    params.clientMaxWindowBits = clientBits;
    if (clientBits !== MAX_WINDOW_BITS || offer.clientMaxWindowBits > 0) response.push({ name: 'client_max_window_bits', value: String(clientBits) });
  }
  // A client that cannot limit its window (no client_max_window_bits offered) is accepted with
  // the full window: inflating with 15 bits decodes any smaller window.
  return { params, response: formatExtension({ name: EXTENSION_NAME, params: response }) };
}

// ---- parameters --------------------------------------------------------------------------

interface ParsedParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** -1 absent, 0 present without a value, else 8..15. */
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
}

/** RFC 7692 7.1: each parameter at most once, no unknown names, values as the RFC defines them. */
function readParams(element: ExtensionElement): ParsedParams | string {
  const parsed: ParsedParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: -1, clientMaxWindowBits: -1 };
  const seen = new Set<string>();
  for (const param of element.params) {
    const name = param.name.toLowerCase();
    if (seen.has(name)) return `permessage-deflate parameter ${name} appears more than once`;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        // RFC 7692 7.1.1.1 / 7.1.1.2: "This extension parameter has no value."
        if (param.value !== null) return `permessage-deflate parameter ${name} must not have a value`;
        if (name === 'server_no_context_takeover') parsed.serverNoContextTakeover = true;
        else parsed.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
      case 'client_max_window_bits': {
        let bits = 0;
        if (param.value !== null) {
          bits = parseWindowBits(param.value);
          if (bits === -1) return `invalid ${name} value ${JSON.stringify(param.value)} (expected 8..15)`;
        }
        if (name === 'server_max_window_bits') parsed.serverMaxWindowBits = bits;
        else parsed.clientMaxWindowBits = bits;
        break;
      }
      default:
        return `unknown permessage-deflate parameter ${JSON.stringify(param.name)}`;
    }
  }
  return parsed;
}

/** RFC 7692 7.1.2.1: "a decimal integer value without leading zeros between 8 to 15, inclusive". */
function parseWindowBits(value: string): number {
  return /^(?:[89]|1[0-5])$/.test(value) ? Number(value) : -1;
}

function checkBits(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > MAX_WINDOW_BITS) {
    throw invalidArgument(`perMessageDeflate.${name} must be an integer ${min}..${MAX_WINDOW_BITS}`);
  }
  return value;
}

function invalidArgument(message: string): WebSocketError {
  return new WebSocketError('WS_ERR_INVALID_ARGUMENT', CLOSE_ABNORMAL, message);
}
