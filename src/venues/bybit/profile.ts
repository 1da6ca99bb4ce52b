// Bybit v5 public market data (spot and linear) as venue profiles for the managed stream. Every
// figure is quoted from Bybit's v5 docs (bybit-exchange/docs, docs/v5/ws/connect =
// docs/v5/websocket/wss-authentication.mdx):
//
//   "Spot: wss://stream.bybit.com/v5/public/spot"
//   "USDT, USDC perpetual & USDT Futures: wss://stream.bybit.com/v5/public/linear"
//   "{"req_id": "test", "op": "subscribe", "args": ["orderbook.1.BTCUSDT"]}" ("req_id" optional)
//   "{"op": "unsubscribe", "args": ["publicTrade.ETHUSD"], "req_id": "customised_id"}"
//   "Do not build over 500 connections in 5 minutes. This is counted per WebSocket domain."
//   "for one public connection, you cannot have length of "args" array over 21,000 characters."
//   "Spot can input up to 10 args for each subscription request sent to one connection"
//   "No args limit for Futures and Spread for now"
//   "ws.send(JSON.stringify({"req_id": "100001", "op": "ping"}));" ... "we recommend that you send
//    the ping heartbeat packet every 20 seconds to maintain the WebSocket connection."
//   "In general, if there is no "ping-pong" and no stream data sent from server end, the
//    connection will be cut off after 10 minutes."
//
// Sequences: the docs give no id that chains one message to the next. orderbook `u` is an
// "Update ID" (u = 1 after a restart; level 1 repeats u when re-pushed), `seq` a "Cross sequence"
// to compare levels ("the smaller seq ... generated earlier"); trades carry a string id (a UUID)
// and a cross sequence that "multiple messages may" share; tickers a cross sequence `cs`. None is
// promised to grow by one per message. So orderbook topics are SEQUENCE_MONOTONIC on u (a
// repeat is a duplicate, going back is reported; a snapshot starts the sequence afresh, and u = 1
// from the connection in charge is a venue reset), with no gap report for a hole in u; trades
// and tickers are SEQUENCE_NONE (one connection at a time is each stream's source). The book
// checks what the docs allow (book-rules.ts): a snapshot (and u = 1) resets it, a delta must move
// u forward, and a resync asks for a fresh snapshot by subscribing again. The docs state no limit on client messages
// per second for public connections; tickwire keeps to BYBIT_REQUESTS_PER_SECOND.
import { SEQUENCE_MONOTONIC, SEQUENCE_NONE, type StreamNameLookup, type VenueDecoder, type VenueProfile } from '../../stream/venue.js';
import { BybitStreamDecoder } from './stream-decoder.js';
import { bybitTopicError, bybitTopicKind, TOPIC_ORDERBOOK, type BybitCategory } from './topics.js';

/** "Do not build over 500 connections in 5 minutes." */
export const BYBIT_CONNECTIONS_PER_WINDOW = 500;
/** The 5-minute window, in ms, over which BYBIT_CONNECTIONS_PER_WINDOW connection attempts are allowed (the profile's connectionAttemptWindowMs). */
export const BYBIT_CONNECTION_WINDOW_MS = 5 * 60 * 1000;
/** "Spot can input up to 10 args for each subscription request sent to one connection." */
export const BYBIT_SPOT_ARGS_PER_REQUEST = 10;
/** "you cannot have length of "args" array over 21,000 characters" (per public connection). */
export const BYBIT_ARGS_CHARACTERS_PER_CONNECTION = 21_000;
/** "send the ping heartbeat packet every 20 seconds". */
export const BYBIT_PING_INTERVAL_MS = 20_000;
/** "if there is no "ping-pong" and no stream data ... cut off after 10 minutes". */
export const BYBIT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/**
 * Linear has "no args limit" per request: 100 topics (~3 KB) keep each request small while a full
 * connection still takes only a few requests.
 */
const LINEAR_ARGS_PER_REQUEST = 100;
/** Client messages per second tickwire sends at most (the docs set none for public connections). */
export const BYBIT_REQUESTS_PER_SECOND = 10;
/**
 * Longest topic validateStreamName accepts; with it, BYBIT_MAX_TOPICS topics always fit in the
 * 21,000 characters of "args" one connection may hold (each topic is quoted and comma-separated:
 * length + 3 characters).
 */
export const BYBIT_MAX_TOPIC_LENGTH = 52;
/**
 * Topics one connection carries at most (381): as many topics of BYBIT_MAX_TOPIC_LENGTH as fit
 * in BYBIT_ARGS_CHARACTERS_PER_CONNECTION; the profile's maxStreamsPerConnection, so a longer
 * list is spread over more connections.
 */
export const BYBIT_MAX_TOPICS = Math.floor(BYBIT_ARGS_CHARACTERS_PER_CONNECTION / (BYBIT_MAX_TOPIC_LENGTH + 3));

/** `{"op":"ping"}`: the client heartbeat ("req_id" is optional; the answer is a pong, see stream-decoder.ts). */
export const BYBIT_PING_MESSAGE = '{"op":"ping"}';

function request(op: 'subscribe' | 'unsubscribe', names: readonly string[], requestId: number): string {
  return JSON.stringify({ op, args: names, req_id: String(requestId) });
}

function bybitProfile(category: BybitCategory): VenueProfile {
  return {
    name: `bybit-${category}`,
    defaultUrl: 'wss://stream.bybit.com',
    // "send the ping heartbeat packet every 20 seconds": on a timer, whatever arrives.
    heartbeat: { message: BYBIT_PING_MESSAGE, intervalMs: BYBIT_PING_INTERVAL_MS, whenQuiet: false },
    limits: {
      maxStreamsPerConnection: BYBIT_MAX_TOPICS,
      maxIncomingPerSecond: BYBIT_REQUESTS_PER_SECOND,
      maxStreamsPerRequest: category === 'spot' ? BYBIT_SPOT_ARGS_PER_REQUEST : LINEAR_ARGS_PER_REQUEST,
      connectionAttempts: BYBIT_CONNECTIONS_PER_WINDOW,
      connectionAttemptWindowMs: BYBIT_CONNECTION_WINDOW_MS,
      // The docs name no lifetime for public connections.
      connectionLifetimeMs: 0,
      // Bybit does not ping: the client does ({"op":"ping"} every 20 s).
      serverPingIntervalMs: 0,
    },
    connectionUrl(baseUrl: string): string {
      return `${baseUrl.replace(/\/+$/, '')}/v5/public/${category}`;
    },
    subscribeRequest(names: readonly string[], requestId: number): string {
      return request('subscribe', names, requestId);
    },
    unsubscribeRequest(names: readonly string[], requestId: number): string {
      return request('unsubscribe', names, requestId);
    },
    sequenceRule(name: string): number {
      return bybitTopicKind(name) === TOPIC_ORDERBOOK ? SEQUENCE_MONOTONIC : SEQUENCE_NONE;
    },
    idLayout: bybitTopicKind,
    validateStreamName(name: string): string | null {
      if (name.length > BYBIT_MAX_TOPIC_LENGTH) return `Bybit topic longer than ${BYBIT_MAX_TOPIC_LENGTH} characters: ${JSON.stringify(name)}`;
      return bybitTopicError(category, name);
    },
    createDecoder(lookup: StreamNameLookup, idLayouts: () => Uint8Array): VenueDecoder {
      return new BybitStreamDecoder(lookup, idLayouts);
    },
  };
}

/** Bybit v5 public spot (`/v5/public/spot`). */
export const bybitSpot: VenueProfile = bybitProfile('spot');
/** Bybit v5 public linear: USDT/USDC perpetuals and USDT futures (`/v5/public/linear`). */
export const bybitLinear: VenueProfile = bybitProfile('linear');
