// Binance SBE market-data streams as a venue profile for the managed stream. Quoted from
// binance-spot-api-docs, sbe-market-data-streams.md:
//
//   "The base endpoint is stream-sbe.binance.com or stream-sbe.binance.com:9443."
//   "You can subscribe to a single stream at /ws/<streamName>." "You can subscribe to multiple
//    streams at /stream?streams=<streamName1>/<streamName2>/<streamName3>."
//   "A single connection to stream-sbe.binance.com is only valid for 24 hours"
//   "All time and timestamp fields are in microseconds."
//   "An API Key is necessary for access. Only Ed25519 keys are allowed. Please put your API Key in
//    the X-MBX-APIKEY header when opening the connection. Timestamp and signature are not
//    necessary. No extra API key permissions are necessary to access public market data."
//   "The server sends a ping frame every 20 seconds. If the server does not receive a pong frame
//    back from you within a minute, the connection will be closed."
//   "Live Subscribing and Unsubscribing is also supported. You must send subscription requests in
//    JSON in WebSocket text frames."
//   "WebSocket connections have a rate limit of 5 requests per second" (PING, PONG and JSON
//    control frames count); "A single connection can listen to a maximum of 1024 streams.";
//   "There is a limit of 300 connection attempts every 5 minutes per IP address."
//   Streams: <symbol>@trade, <symbol>@bestBidAsk (auto-culling), <symbol>@depth, <symbol>@depth20.
//
// Sequences: trades carry contiguous trade ids (each message covers first..last of its group);
// depth diffs chain as JSON's U/u ("Use this stream to maintain a local order book", the same
// procedure); bestBidAsk's bookUpdateId only grows, with holes — auto-culling "may drop outdated
// events instead of queuing all events", so a hole is not a loss; depth20 is a periodic snapshot.
import { SEQUENCE_CONTIGUOUS, SEQUENCE_MONOTONIC, SEQUENCE_NONE, type StreamNameLookup, type VenueDecoder, type VenueProfile } from '../../stream/venue.js';
import { binanceSpot } from '../binance/profile.js';
import type { SbeError } from './sbe-error.js';
import { SbeStreamDecoder } from './stream-decoder.js';

/** The header that carries the API key on the upgrade request. */
export const SBE_API_KEY_HEADER = 'X-MBX-APIKEY';

const STREAM_NAME = /^[a-z0-9]+@(trade|bestBidAsk|depth|depth20)$/;
/** A header value must not carry CR, LF or other control characters (RFC 7230 3.2). */
const HEADER_VALUE = /^[\x21-\x7e]+$/;

const ID_LAYOUT_NONE = 0;
const ID_LAYOUT_TRADES = 1;
const ID_LAYOUT_BEST_BID_ASK = 2;
const ID_LAYOUT_DEPTH = 3;

/** Which ids a stream's events carry (the stream decoder reads them from the template). */
function idLayout(name: string): number {
  if (name.endsWith('@trade')) return ID_LAYOUT_TRADES;
  if (name.endsWith('@bestBidAsk')) return ID_LAYOUT_BEST_BID_ASK;
  if (name.endsWith('@depth')) return ID_LAYOUT_DEPTH;
  return ID_LAYOUT_NONE;
}

/** Options of binanceSbe(). */
export interface BinanceSbeOptions {
  /** The API key sent as X-MBX-APIKEY (an Ed25519 key; no permission needed for market data). */
  apiKey: string;
  /** Highest schema version to decode (default 0: stream_1_0.xml); see SbeVersionOptions. */
  maxVersion?: number;
  /** Every binary message refused (unknown schema or template, truncated, malformed), as an SbeError. */
  onDecodeError?: (error: SbeError) => void;
}

/** The Binance SBE market-data stream profile (stream-sbe.binance.com) for ManagedStream's `venue`. */
export function binanceSbe(options: BinanceSbeOptions): VenueProfile {
  const apiKey = options?.apiKey;
  if (typeof apiKey !== 'string' || !HEADER_VALUE.test(apiKey)) {
    throw new TypeError('binanceSbe: apiKey must be a non-empty header value (printable ASCII, no spaces)');
  }
  const decoderOptions = {
    ...(options.maxVersion !== undefined && { maxVersion: options.maxVersion }),
    ...(options.onDecodeError !== undefined && { onDecodeError: options.onDecodeError }),
  };
  // Checked once here, so a bad maxVersion throws at construction, not at the first connection.
  new SbeStreamDecoder({ find: () => -1 }, () => new Uint8Array(0), decoderOptions);
  const headers = { [SBE_API_KEY_HEADER]: apiKey };
  return {
    name: 'binance-sbe',
    defaultUrl: 'wss://stream-sbe.binance.com:9443',
    // The same figures as Spot's stream.binance.com, each restated on the SBE page.
    limits: binanceSpot.limits,
    connectionHeaders: () => headers,
    // /stream with no streams: every stream is added by SUBSCRIBE (JSON text, as on Spot).
    connectionUrl: (baseUrl) => binanceSpot.connectionUrl(baseUrl),
    subscribeRequest: (names, requestId) => binanceSpot.subscribeRequest(names, requestId),
    unsubscribeRequest: (names, requestId) => binanceSpot.unsubscribeRequest(names, requestId),
    sequenceRule(name: string): number {
      switch (idLayout(name)) {
        case ID_LAYOUT_TRADES:
        case ID_LAYOUT_DEPTH:
          return SEQUENCE_CONTIGUOUS;
        case ID_LAYOUT_BEST_BID_ASK:
          return SEQUENCE_MONOTONIC;
        default:
          return SEQUENCE_NONE;
      }
    },
    idLayout,
    validateStreamName(name: string): string | null {
      if (!STREAM_NAME.test(name)) return `not a Binance SBE stream (lower-case <symbol>@trade|bestBidAsk|depth|depth20): ${JSON.stringify(name)}`;
      return null;
    },
    createDecoder(lookup: StreamNameLookup, idLayouts: () => Uint8Array): VenueDecoder {
      return new SbeStreamDecoder(lookup, idLayouts, decoderOptions);
    },
  };
}
