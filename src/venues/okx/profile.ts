// OKX v5 public WebSocket as a venue profile for the managed stream. Every figure is quoted from
// OKX's public API docs (docs-v5, "Overview / WebSocket" and the market data channels):
//
//   Public endpoint "wss://ws.okx.com:8443/ws/v5/public" (URL Path "/ws/v5/public").
//   "Connection limit: 3 requests per second (based on IP)"
//   "The total number of 'subscribe'/'unsubscribe'/'login' requests per connection is limited
//    to 480 times per hour."
//   "Users can choose to subscribe to one or more channels, and the total length of multiple
//    channels cannot exceed 64 KB."
//   "If you need to subscribe to many 50 or 400 depth level channels, it is recommended to
//    subscribe through multiple websocket connections, with each of less than 30 channels."
//   "The connection will break automatically if the subscription is not established or data has
//    not been pushed for more than 30 seconds. To keep the connection stable: 1. Set a timer of N
//    seconds whenever a response message is received, where N is less than 30. 2. If the timer
//    is triggered, which means that no new message is received within N seconds, send the String
//    'ping'. 3. Expect a 'pong' as a response. If the response message is not received within N
//    seconds, please raise an error or reconnect."
//   Request: {"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]};
//   "id: [...] A combination of case-sensitive alphanumerics, all numbers, or all letters of up
//    to 32 characters." The answer is one {"event":"subscribe","arg":{..}} per argument.
//   Notice: "30 seconds prior to the upgrade of the WebSocket service, the notification message
//    will be sent to users indicating that the connection will soon be disconnected."
//   OKX sends no WebSocket pings and states no connection lifetime.
import {
  SEQUENCE_CHAINED,
  SEQUENCE_CONTIGUOUS,
  SEQUENCE_MONOTONIC,
  SEQUENCE_NONE,
  type StreamNameLookup,
  type VenueDecoder,
  type VenueProfile,
} from '../../stream/venue.js';
import { OKX_LAYOUT_BOOK, OKX_LAYOUT_BOOK_SNAPSHOT, OKX_LAYOUT_TRADES, okxIdLayout, parseOkxStreamName } from './channels.js';
import { OkxStreamDecoder } from './stream-decoder.js';

/** The client's keep-alive: "send the String 'ping'" when nothing arrived for N < 30 seconds. */
export const OKX_PING_TEXT = 'ping';
/** The venue's answer to it. */
export const OKX_PONG_TEXT = 'pong';
/** "data has not been pushed for more than 30 seconds": the venue's idle limit. */
export const OKX_IDLE_LIMIT_MS = 30_000;
/** N for the keep-alive: well under the 30 s idle limit, leaving room for the pong to come back. */
export const OKX_PING_AFTER_MS = 20_000;
/** "the total length of multiple channels cannot exceed 64 KB". */
export const OKX_MAX_ARGS_BYTES = 64 * 1024;
/** "480 times per hour" per connection: subscribe, unsubscribe and login requests. */
export const OKX_REQUESTS_PER_HOUR = 480;
/** Channels per connection: the docs' "less than 30 channels" for depth channels, applied to all. */
const STREAMS_PER_CONNECTION = 29;

function request(op: string, names: readonly string[], requestId: number): string {
  const args: Array<{ channel: string; instId: string }> = [];
  for (const name of names) {
    const parsed = parseOkxStreamName(name);
    if (parsed === null) throw new RangeError(`not an OKX stream name (<channel>:<instId>): ${JSON.stringify(name)}`);
    args.push({ channel: parsed[0], instId: parsed[1] });
  }
  const text = JSON.stringify({ id: String(requestId), op, args });
  if (text.length > OKX_MAX_ARGS_BYTES) throw new RangeError(`OKX ${op} request of ${text.length} bytes exceeds the 64 KB limit`);
  return text;
}

/** OKX v5 public market data (ws.okx.com:8443/ws/v5/public). Stream names: `<channel>:<instId>`. */
export const okxPublic: VenueProfile = {
  name: 'okx',
  defaultUrl: 'wss://ws.okx.com:8443',
  limits: {
    maxStreamsPerConnection: STREAMS_PER_CONNECTION,
    // The docs give no per-second figure for messages a client sends on the public endpoint; the
    // binding limit is 480 requests per connection per hour. Three a second (the connection
    // figure) keeps bursts modest; one request carries every stream of a connection.
    maxIncomingPerSecond: 3,
    maxStreamsPerRequest: STREAMS_PER_CONNECTION,
    connectionAttempts: 3,
    connectionAttemptWindowMs: 1000,
    connectionLifetimeMs: 0,
    serverPingIntervalMs: 0,
    maxRequestsPerWindow: OKX_REQUESTS_PER_HOUR,
    requestWindowMs: 60 * 60 * 1000,
  },
  // "send the String 'ping'" when nothing arrived for N < 30 s; "Expect a 'pong' as a response".
  heartbeat: { message: OKX_PING_TEXT, intervalMs: OKX_PING_AFTER_MS, whenQuiet: true },
  acknowledgesEachStream: true,
  connectionUrl(baseUrl: string): string {
    return `${baseUrl.replace(/\/+$/, '')}/ws/v5/public`;
  },
  subscribeRequest(names: readonly string[], requestId: number): string {
    return request('subscribe', names, requestId);
  },
  unsubscribeRequest(names: readonly string[], requestId: number): string {
    return request('unsubscribe', names, requestId);
  },
  sequenceRule(name: string): number {
    switch (okxIdLayout(name)) {
      case OKX_LAYOUT_BOOK:
        return SEQUENCE_CHAINED;
      case OKX_LAYOUT_BOOK_SNAPSHOT:
        return SEQUENCE_MONOTONIC;
      case OKX_LAYOUT_TRADES:
        return SEQUENCE_CONTIGUOUS;
      default:
        return SEQUENCE_NONE;
    }
  },
  idLayout: okxIdLayout,
  validateStreamName(name: string): string | null {
    if (parseOkxStreamName(name) === null) {
      return `not an OKX stream name: ${JSON.stringify(name)} (expected <channel>:<instId>, channel one of books, books5, bbo-tbt, books-l2-tbt, books50-l2-tbt, trades, tickers)`;
    }
    return null;
  },
  createDecoder(lookup: StreamNameLookup, idLayouts: () => Uint8Array): VenueDecoder {
    return new OkxStreamDecoder(lookup, idLayouts);
  },
};
