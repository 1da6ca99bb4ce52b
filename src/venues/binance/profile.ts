// Binance Spot market streams as a venue profile for the managed stream. Every figure is quoted
// from Binance's public docs (binance-spot-api-docs, web-socket-streams.md and rest-api.md):
//
//   "The base endpoint is: wss://stream.binance.com:9443 or wss://stream.binance.com:443."
//   "Combined streams are accessed at /stream?streams=<streamName1>/<streamName2>"
//   "A single connection to stream.binance.com is only valid for 24 hours"
//   "The WebSocket server will send a ping frame every 20 seconds. If the WebSocket server does not
//    receive a pong frame back from the connection within a minute the connection will be disconnected."
//   "WebSocket connections have a limit of 5 incoming messages per second. A message is considered:
//    A PING frame, A PONG frame, A JSON controlled message (e.g. subscribe, unsubscribe)"
//   "A single connection can listen to a maximum of 1024 streams."
//   "There is a limit of 300 connections per attempt every 5 minutes per IP."
//   rest-api.md: "A Retry-After header is sent with a 418 or 429 responses and will give the number of
//    seconds required to wait, in the case of a 429, to prevent a ban, or, in the case of a 418,
//    until the ban is over."
import {
  SEQUENCE_CONTIGUOUS,
  SEQUENCE_MONOTONIC,
  SEQUENCE_NONE,
  type StreamNameLookup,
  type VenueDecoder,
  type VenueProfile,
} from '../../stream/venue.js';
import { BinanceStreamDecoder } from './stream-decoder.js';
import {
  ID_LAYOUT_AGG_TRADE,
  ID_LAYOUT_BOOK_TICKER,
  ID_LAYOUT_DEPTH_DIFF,
  ID_LAYOUT_NONE,
  ID_LAYOUT_TRADE,
} from './id-layouts.js';

/**
 * Streams named in one SUBSCRIBE. The docs set no limit; 200 names (~5 KB) keep each request
 * far below any frame limit while 1024 streams still take only 6 requests.
 */
const STREAMS_PER_REQUEST = 200;

/** `<symbol>@<type>`: lower-case symbol ("All symbols for streams are lowercase"). */
const STREAM_NAME = /^[a-z0-9]+@[A-Za-z0-9_@:+-]+$|^![A-Za-z0-9_@:+-]+$/;
const DEPTH_DIFF = /^[a-z0-9]+@depth(@100ms|@1000ms)?$/;

/** The id layout of a Binance Spot stream (which fields carry its sequence). */
export function binanceIdLayout(name: string): number {
  if (DEPTH_DIFF.test(name)) return ID_LAYOUT_DEPTH_DIFF;
  if (name.endsWith('@trade')) return ID_LAYOUT_TRADE;
  if (name.endsWith('@aggTrade')) return ID_LAYOUT_AGG_TRADE;
  if (name.endsWith('@bookTicker')) return ID_LAYOUT_BOOK_TICKER;
  return ID_LAYOUT_NONE;
}

/** Binance Spot market streams (stream.binance.com): the default venue of ManagedStream. */
export const binanceSpot: VenueProfile = {
  name: 'binance-spot',
  defaultUrl: 'wss://stream.binance.com:9443',
  limits: {
    maxStreamsPerConnection: 1024,
    maxIncomingPerSecond: 5,
    maxStreamsPerRequest: STREAMS_PER_REQUEST,
    connectionAttempts: 300,
    connectionAttemptWindowMs: 5 * 60 * 1000,
    connectionLifetimeMs: 24 * 60 * 60 * 1000,
    serverPingIntervalMs: 20_000,
  },
  connectionUrl(baseUrl: string): string {
    // The combined endpoint with no streams yet: every stream is added by SUBSCRIBE, and events
    // arrive wrapped as {"stream":"<name>","data":<payload>} so one connection carries many.
    return `${baseUrl.replace(/\/+$/, '')}/stream`;
  },
  subscribeRequest(names: readonly string[], requestId: number): string {
    return JSON.stringify({ method: 'SUBSCRIBE', params: names, id: requestId });
  },
  unsubscribeRequest(names: readonly string[], requestId: number): string {
    return JSON.stringify({ method: 'UNSUBSCRIBE', params: names, id: requestId });
  },
  sequenceRule(name: string): number {
    switch (binanceIdLayout(name)) {
      case ID_LAYOUT_DEPTH_DIFF:
      case ID_LAYOUT_TRADE:
      case ID_LAYOUT_AGG_TRADE:
        return SEQUENCE_CONTIGUOUS;
      case ID_LAYOUT_BOOK_TICKER:
        return SEQUENCE_MONOTONIC;
      default:
        return SEQUENCE_NONE;
    }
  },
  idLayout: binanceIdLayout,
  validateStreamName(name: string): string | null {
    if (!STREAM_NAME.test(name)) return `not a Binance stream name (lower-case <symbol>@<type>): ${JSON.stringify(name)}`;
    return null;
  },
  createDecoder(lookup: StreamNameLookup, idLayouts: () => Uint8Array): VenueDecoder {
    return new BinanceStreamDecoder(lookup, idLayouts);
  },
};
