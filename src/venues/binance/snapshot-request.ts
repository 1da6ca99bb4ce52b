// The default snapshot source for Binance books: GET /api/v3/depth?symbol=..&limit=.. over
// node:http(s). A snapshot is needed only after a connect or a gap, so this path may allocate.
// A 429 or 418 answer rejects with a BookError (TW_ERR_SNAPSHOT_HTTP) carrying Retry-After in ms, which
// the book's SnapshotPacer honours (Binance bans IPs that keep asking after a 429).

import http from 'node:http';
import https from 'node:https';
import { BookError } from '../../book/book-error.js';

/** Levels asked for by default. Binance allows up to 5000 (weight 250); 1000 weighs 50 (rest-api.md, Order book). */
export const DEFAULT_SNAPSHOT_LIMIT = 1000;
const SNAPSHOT_TIMEOUT_MS = 10_000;
/** Larger bodies are refused: 5000 levels per side are about 300 KB. */
const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

/** Request weight of GET /api/v3/depth by limit (rest-api.md: 1-100: 5, 101-500: 25, 501-1000: 50, 1001-5000: 250). */
export function depthRequestWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** Options of httpSnapshotSource(): where and how to GET /api/v3/depth. */
export interface SnapshotRequestOptions {
  /** REST base, e.g. https://api.binance.com or the simulator's http://127.0.0.1:port. */
  restBase: string;
  /** Default 1000. */
  limit?: number;
  /** Trusted CA (PEM) for https, e.g. a test CA. */
  ca?: string | Buffer;
  /** A request with no complete answer after this long fails (and is retried with backoff). Default 10 000 ms. */
  timeoutMs?: number;
  /** The endpoint's path. Default '/api/v3/depth' (Spot); USD-M futures: '/fapi/v1/depth'. */
  path?: string;
}

/** A fetchSnapshot function for LocalOrderBook: resolves with the body bytes of a 200 answer. */
export function httpSnapshotSource(options: SnapshotRequestOptions): (symbol: string) => Promise<Uint8Array> {
  const limit = options.limit ?? DEFAULT_SNAPSHOT_LIMIT;
  const timeoutMs = options.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  const path = options.path ?? '/api/v3/depth';
  return (symbol) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const url = new URL(`${path}?symbol=${encodeURIComponent(symbol)}&limit=${limit}`, options.restBase);
      const onResponse = (response: http.IncomingMessage): void => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_SNAPSHOT_BYTES) {
            request.destroy(new BookError('TW_ERR_SNAPSHOT_FETCH', `depth snapshot of ${symbol}: over ${MAX_SNAPSHOT_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status === 200) {
            resolve(Buffer.concat(chunks));
            return;
          }
          const retryAfter = Number(response.headers['retry-after']);
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          reject(
            new BookError('TW_ERR_SNAPSHOT_HTTP', `GET ${url.pathname}${url.search}: HTTP ${status} ${text}`, {
              status,
              retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : 0,
            }),
          );
        });
        response.on('error', (error) => reject(new BookError('TW_ERR_SNAPSHOT_FETCH', `depth snapshot of ${symbol}: ${error.message}`, { cause: error })));
      };
      const request = url.protocol === 'https:' ? https.get(url, options.ca === undefined ? {} : { ca: options.ca }, onResponse) : http.get(url, onResponse);
      request.setTimeout(timeoutMs, () => request.destroy(new BookError('TW_ERR_SNAPSHOT_FETCH', `depth snapshot of ${symbol}: no answer in ${timeoutMs} ms`)));
      request.on('error', (error) => reject(error instanceof BookError ? error : new BookError('TW_ERR_SNAPSHOT_FETCH', `depth snapshot of ${symbol}: ${error.message}`, { cause: error })));
    });
}
