// REST depth snapshots (`GET /api/v3/depth?symbol=BTCUSDT&limit=1000`) for the local order book.
// A snapshot is needed only after a connect or a gap, so this path may allocate.

import http from 'node:http';
import https from 'node:https';

/** Levels asked for: the simulator's books hold 200 per side; Binance allows up to 5000 (weight 250). */
export const SNAPSHOT_LIMIT = 1000;
/** A snapshot that takes longer than this is abandoned (and asked for again). */
const SNAPSHOT_TIMEOUT_MS = 10_000;
/** Larger bodies are refused: 5000 levels per side are about 300 KB. */
const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

export interface SnapshotOptions {
  /** Trusted CA (PEM) for https, e.g. the simulator's test CA. */
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
  limit?: number;
}

/**
 * The REST base that belongs to a stream URL: Binance streams (stream.binance.com,
 * data-stream.binance.vision) map to their API hosts; anything else (the simulator, a proxy)
 * serves REST on the same host and port, wss -> https, ws -> http.
 */
export function restBaseFor(streamBase: string): string {
  const url = new URL(streamBase);
  if (url.hostname === 'stream.binance.com') return 'https://api.binance.com';
  if (url.hostname === 'data-stream.binance.vision') return 'https://data-api.binance.vision';
  if (url.hostname === 'stream.testnet.binance.vision') return 'https://testnet.binance.vision';
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${url.host}`;
}

/** Fetches the depth snapshot of `symbol` (upper case, e.g. BTCUSDT) and resolves with the body bytes. */
export function fetchDepthSnapshot(restBase: string, symbol: string, options: SnapshotOptions = {}): Promise<Uint8Array> {
  const url = new URL(`/api/v3/depth?symbol=${encodeURIComponent(symbol)}&limit=${options.limit ?? SNAPSHOT_LIMIT}`, restBase);
  const secure = url.protocol === 'https:';
  return new Promise<Uint8Array>((resolve, reject) => {
    const onResponse = (response: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_SNAPSHOT_BYTES) {
          request.destroy(new Error(`depth snapshot of ${symbol} over ${MAX_SNAPSHOT_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${url.pathname}${url.search}: HTTP ${response.statusCode} ${body.toString('utf8').slice(0, 200)}`));
          return;
        }
        resolve(body);
      });
      response.on('error', reject);
    };
    const request = secure
      ? https.get(url, { ...(options.ca !== undefined && { ca: options.ca }), rejectUnauthorized: options.rejectUnauthorized ?? true }, onResponse)
      : http.get(url, onResponse);
    request.setTimeout(SNAPSHOT_TIMEOUT_MS, () => request.destroy(new Error(`depth snapshot of ${symbol} timed out`)));
    request.on('error', reject);
  });
}
