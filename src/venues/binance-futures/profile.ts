// Binance USD-M futures market streams (fstream.binance.com) as venue profiles for the managed
// stream. Figures quoted from Binance's derivatives docs (USDⓈ-M Futures, "Websocket Market
// Streams" and "Important WebSocket Change Notice — Base URL Split & Migration"):
//
//   "Public (high-frequency public market data): wss://fstream.binance.com/public"
//   "Market (regular market data): wss://fstream.binance.com/market"
//   "Connections that do not include a routed path (/public, /market, or /private) will only
//    receive data from the Public endpoint." Depth and bookTicker are Public; aggTrade, markPrice,
//    klines and tickers are Market: one profile per route (binanceUsdm, binanceUsdmMarketStreams).
//   "Combined stream events are wrapped as follows: {"stream":"<streamName>","data":<rawPayload>}"
//   "A single connection is only valid for 24 hours; expect to be disconnected at the 24 hour mark"
//   "The websocket server will send a ping frame every 3 minutes. If the websocket server does not
//    receive a pong frame back from the connection within a 10 minute period, the connection will
//    be disconnected."
//   "WebSocket connections have a limit of 10 incoming messages per second."
//   "A single connection can listen to a maximum of 1024 streams."
//   Diff. Book Depth: "pu": "Final update Id in last stream(ie `u` in last stream)".
// The futures docs state no connection-attempt limit; Spot's 300 per 5 minutes per IP is used
// as the stream layer's budget.
import { binanceIdLayout, binanceSpot } from '../binance/profile.js';
import {
  ID_LAYOUT_AGG_TRADE,
  ID_LAYOUT_BOOK_TICKER,
  ID_LAYOUT_DEPTH_DIFF,
  ID_LAYOUT_NONE,
  ID_LAYOUT_PREVIOUS_LINKED_DEPTH,
} from '../binance/id-layouts.js';
import {
  SEQUENCE_CONTIGUOUS,
  SEQUENCE_MONOTONIC,
  SEQUENCE_NONE,
  type VenueProfile,
} from '../../stream/venue.js';

/** Streams named in one SUBSCRIBE (as on Spot: no documented limit; 200 keeps requests small). */
const STREAMS_PER_REQUEST = 200;
/** `<symbol>@<type>` with a lower-case symbol, or an all-market `!<type>` stream. */
const STREAM_NAME = /^[a-z0-9_]+@[A-Za-z0-9_@]+$|^![A-Za-z0-9_@]+$/;
/** Diff depth: `@depth` (250 ms), `@depth@500ms`, `@depth@100ms`. */
const DEPTH_DIFF = /^[a-z0-9_]+@depth(@100ms|@250ms|@500ms)?$/;
/** Streams served on the Public route; everything else is Market. */
const PUBLIC_STREAM = /@(depth(5|10|20)?(@\d+ms)?|bookTicker)$|^!bookTicker$/;

/** The id layout of a USD-M stream: depth diffs chain by pu; aggTrade and bookTicker as on Spot. */
export function usdmIdLayout(name: string): number {
  if (DEPTH_DIFF.test(name)) return ID_LAYOUT_PREVIOUS_LINKED_DEPTH;
  const spot = binanceIdLayout(name);
  // No @trade stream on USD-M; a Spot depth layout never applies (diffs matched above).
  return spot === ID_LAYOUT_DEPTH_DIFF ? ID_LAYOUT_NONE : spot;
}

/** True for streams of the Public route (depth, bookTicker). */
export function isUsdmPublicStream(name: string): boolean {
  return PUBLIC_STREAM.test(name);
}

function usdmProfile(route: 'public' | 'market'): VenueProfile {
  return {
    name: route === 'public' ? 'binance-usdm' : 'binance-usdm-market',
    defaultUrl: 'wss://fstream.binance.com',
    limits: {
      maxStreamsPerConnection: 1024,
      maxIncomingPerSecond: 10,
      maxStreamsPerRequest: STREAMS_PER_REQUEST,
      connectionAttempts: 300,
      connectionAttemptWindowMs: 5 * 60 * 1000,
      connectionLifetimeMs: 24 * 60 * 60 * 1000,
      serverPingIntervalMs: 3 * 60 * 1000,
    },
    connectionUrl(baseUrl: string): string {
      // Stream mode on the route: every stream is added by SUBSCRIBE and arrives wrapped.
      return `${baseUrl.replace(/\/+$/, '')}/${route}/stream`;
    },
    // SUBSCRIBE / UNSUBSCRIBE as on Spot ("Live Subscribing/Unsubscribing to streams").
    subscribeRequest: binanceSpot.subscribeRequest,
    unsubscribeRequest: binanceSpot.unsubscribeRequest,
    sequenceRule(name: string): number {
      switch (usdmIdLayout(name)) {
        case ID_LAYOUT_PREVIOUS_LINKED_DEPTH:
        case ID_LAYOUT_AGG_TRADE:
          return SEQUENCE_CONTIGUOUS;
        case ID_LAYOUT_BOOK_TICKER:
          return SEQUENCE_MONOTONIC;
        default:
          return SEQUENCE_NONE;
      }
    },
    idLayout: usdmIdLayout,
    validateStreamName(name: string): string | null {
      if (!STREAM_NAME.test(name)) return `not a Binance stream name (lower-case <symbol>@<type>): ${JSON.stringify(name)}`;
      // The route serves only its own streams; the other route's would never send anything here.
      if (isUsdmPublicStream(name) !== (route === 'public')) {
        return `${name} is a ${route === 'public' ? 'Market' : 'Public'}-route stream: use ${route === 'public' ? 'binanceUsdmMarketStreams' : 'binanceUsdm'}`;
      }
      return null;
    },
    // The combined-stream envelope and the pu-linked ids (ID_LAYOUT_PREVIOUS_LINKED_DEPTH) are Spot's decoder's.
    createDecoder: binanceSpot.createDecoder,
  };
}

/** USD-M futures, Public route (`/public/stream`): depth, partial depth and bookTicker streams. */
export const binanceUsdm: VenueProfile = usdmProfile('public');

/** USD-M futures, Market route (`/market/stream`): aggTrade, markPrice, klines, tickers. */
export const binanceUsdmMarketStreams: VenueProfile = usdmProfile('market');
