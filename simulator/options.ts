// The simulator's public types and option handling: what startExchange accepts and returns,
// the fault vocabulary, default symbols and the test certificate.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PerMessageDeflateOptions } from 'tickwire';
import type { SymbolConfig } from './market.js';
import type { ConnectionLimits } from './session.js';
import type { VenueDialect } from './venues/dialect.js';

const fixturesTls = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tls');

/** The symbols served when `symbols` is not given: btcusdt, ethusdt and bnbusdt near their usual prices. */
export const DEFAULT_SYMBOLS: SymbolConfig[] = [
  { symbol: 'btcusdt', price: 65000, tickSize: 0.01, lotSize: 0.00001, maxLots: 100_000 },
  { symbol: 'ethusdt', price: 3500, tickSize: 0.01, lotSize: 0.0001, maxLots: 50_000 },
  { symbol: 'bnbusdt', price: 600, tickSize: 0.01, lotSize: 0.001, maxLots: 10_000 },
];

/** Options of startExchange(); every field optional. */
export interface ExchangeOptions {
  /**
   * The venue served: 'binance-spot' (default) or another dialect's name (Exchange.venue says
   * which; an unknown name is a RangeError). Stream names, payloads, control messages, heartbeat
   * rules, limits and REST routes are the venue's; the market engine and the faults are shared.
   * A dialect object (simulator/venues/dialect.ts) is accepted too, for one under development.
   */
  venue?: string | VenueDialect;
  /** Port for ws:// and http:// (0: any free port). */
  port?: number;
  /** Address to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Also serve wss:// and https:// on tlsPort: true uses fixtures/tls/localhost.pem (signed by fixtures/tls/ca.pem). */
  tls?:
    | boolean
    | {
        /** The server certificate chain (PEM). */
        cert: string | Buffer;
        /** Its private key (PEM). */
        key: string | Buffer;
      };
  /** Port for wss:// and https:// when `tls` is on (0: any free port). Default 0. */
  tlsPort?: number;
  /** Symbols to simulate: names (with default settings) or full configs. */
  symbols?: Array<string | SymbolConfig>;
  /** PRNG seed: the sequence of book states and trades is the same for the same seed. */
  seed?: number;
  /** Book updates per second per symbol; 0 or Infinity: as fast as the clients read. Default 10. */
  rate?: number;
  /** Ticks per side of each book. Default 200 (fits one REST snapshot of limit 1000). */
  bookDepth?: number;
  /** Add a send-time stamp (process.hrtime.bigint(), ns) to every event: true for "T_ns", or the field name. */
  stamp?: boolean | string;
  /** Binance's connection limits, each overridable. */
  limits?: Partial<ConnectionLimits>;
  /**
   * Slow-consumer bound, in every mode: a client with more unsent bytes than this is closed
   * with 1008 (and destroyed if it does not read the close frame either). Default 64 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Accept permessage-deflate from clients that offer it (the server option of the same name).
   * Default false. Most events are shorter than the default 1024-byte threshold: pass
   * `{ threshold: 0 }` to compress every message.
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
}

/** What Exchange.injectFault() can do to the connections, the streams and the engine; discriminated by `type`. */
export type Fault =
  /** Destroy the TCP connections (no close frame). */
  | {
      /** Destroy the TCP connections (no close frame). */
      type: 'drop';
    }
  /** Stop sending anything and stop answering pings, keep the sockets open (half-open). */
  | {
      /** Go half-open: send nothing, answer no ping. */
      type: 'silent';
    }
  /** Undo 'silent'. */
  | {
      /** Undo 'silent'. */
      type: 'resume';
    }
  /** Close with a close frame (default 1001 going away). */
  | {
      /** Close every connection with a close frame. */
      type: 'close';
      /** The close code. Default 1001 (going away). */
      code?: number;
      /** The close reason. Default ''. */
      reason?: string;
    }
  /**
   * Send the `serverShutdown` event now (Binance Spot and SBE; OKX sends its equivalent, the
   * 64008 service-upgrade notice; a RangeError on other venues).
   */
  | {
      /** Send the `serverShutdown` event (clients should roll over). */
      type: 'serverShutdown';
    }
  /** OKX only: the next `events` books updates of a symbol (all if none) carry a wrong checksum. */
  | {
      /** Corrupt the checksum of books updates. */
      type: 'checksum';
      /** The symbol whose updates are corrupted. Default: every symbol. */
      symbol?: string;
      /** How many updates. Default 1. */
      events?: number;
    }
  /** Drop the next diff-depth event(s) of a symbol (all symbols if none), so `U` skips ahead. */
  | {
      /** Drop diff-depth events so that `U` skips ahead. */
      type: 'gap';
      /** The symbol whose diffs are dropped. Default: every symbol. */
      symbol?: string;
      /** How many events are dropped. Default 1. */
      events?: number;
    }
  /** Change the update rate (updates per second per symbol; 0: as fast as possible). */
  | {
      /** Change the update rate. */
      type: 'rate';
      /** Updates per second per symbol (0: as fast as the clients read). */
      rate: number;
    }
  /**
   * One stream stops while the others on the same connections go on (a known Binance symptom);
   * pings and pongs continue. Diff-depth changes keep accumulating, so the first event after
   * `resumeStream` covers the silent time (no U/u gap); trades made while silent are not sent
   * (trade ids skip). Returns the number of subscribers affected.
   */
  | {
      /** Silence one stream. */
      type: 'silenceStream';
      /** Its name, e.g. `btcusdt@trade`. */
      stream: string;
    }
  /** Undo 'silenceStream' for one stream. */
  | {
      /** Resume one silenced stream. */
      type: 'resumeStream';
      /** Its name. */
      stream: string;
    }
  /**
   * Answer the next connection attempts with 429 + Retry-After for `retryAfterMs` (rounded up
   * to whole seconds); attempts made before Retry-After has passed get 418 (an IP ban).
   */
  | {
      /** Refuse connection attempts with 429, then 418. */
      type: 'rateLimit';
      /** How long the 429 period lasts, in ms (sent as Retry-After in whole seconds). */
      retryAfterMs: number;
    }
  /**
   * Binance SBE only: the events from now on carry this schemaId (default 1) and version in
   * their message header, with unchanged bodies, as after a schema change the client was not
   * built for; `{ type: 'sbeSchema', version: 0 }` goes back to stream_1_0.xml.
   */
  | {
      /** Change the SBE message header's schema fields. */
      type: 'sbeSchema';
      /** The header's schemaId (default 1). */
      schemaId?: number;
      /** The header's version. */
      version: number;
    }
  /**
   * Bybit only: every order book topic (of `symbol`, or all) re-sends a snapshot at its next push
   * ("If there is a problem on Bybit's end, a `snapshot` will be re-sent").
   */
  | {
      /** Re-send the book snapshots. */
      type: 'bookSnapshot';
      /** Only this symbol's topics (any case); all when absent. */
      symbol?: string;
    }
  /**
   * Bybit only: the book service restarts: every order book topic (of `symbol`, or all) starts
   * again from a snapshot with u = 1 ("Occasionally, you'll receive "u"=1, which is a snapshot
   * data due to the restart of the service").
   */
  | {
      /** Restart the book service. */
      type: 'serviceRestart';
      /** Only this symbol's topics (any case); all when absent. */
      symbol?: string;
    };

/** A symbol's whole book as the simulator holds it (Exchange.book()), in the text form of a REST snapshot. */
export interface BookLevels {
  /** The venue's book sequence after the last change: Binance `u`, Bybit `u`, OKX `seqId`. */
  lastUpdateId: number;
  /** Bid levels best (highest) first, as [price, quantity] decimal strings. */
  bids: Array<[string, string]>;
  /** Ask levels best (lowest) first, as [price, quantity] decimal strings. */
  asks: Array<[string, string]>;
  /** Venue-specific figures of the same state (e.g. OKX `checksum`); absent on Binance. */
  extra?: Record<string, number | string>;
}

/** Counters of a running simulator since it started (Exchange.stats()). */
export interface ExchangeStats {
  /** WebSocket connections open now. */
  connections: number;
  /** Data messages sent to clients since start (each copy counts). */
  messagesSent: number;
  /** Book updates made by the engine since start (all symbols). */
  updates: number;
  /** WebSocket upgrade requests received (accepted or not). */
  connectionAttempts: number;
  /** Upgrade requests answered 429 (connection-attempt limit) and 418 (IP banned). */
  rejected429: number;
  /** Upgrade requests answered 418 (attempts made while a 429's Retry-After was running: an IP ban). */
  rejected418: number;
  /** Clients closed because their unsent data passed maxBufferedBytes. */
  slowConsumersClosed: number;
}

/** Options of Exchange.restart(). */
export interface RestartOptions {
  /** How long the port stays closed (connection refused) before listening again. Default 0. */
  downtimeMs?: number;
  /** Close open connections with this code (a close handshake); default: destroy them (a crash). */
  closeCode?: number;
}

/** A running simulator (what startExchange resolves with): its URLs, its books, and the controls tests use. */
export interface Exchange {
  /** The venue served (ExchangeOptions.venue). */
  readonly venue: string;
  /** ws://host:port (append /ws/<stream> or /stream?streams=...). */
  readonly url: string;
  /** wss://localhost:tlsPort when TLS is on. */
  readonly wssUrl: string | undefined;
  /** http://host:port for REST (GET /api/v3/depth, /api/v3/exchangeInfo). */
  readonly restUrl: string;
  /** The ws:// and http:// port. */
  readonly port: number;
  /**  undefined;|The wss:// and https:// port; undefined without TLS. */
  readonly tlsPort: number | undefined;
  /** The lower-case symbols served. */
  readonly symbols: readonly string[];
  /** Full current book of a symbol (prices best first) with its update id, in the venue's terms. */
  book(symbol: string): BookLevels;
  /** Applies a fault; returns how many connections (or subscribers) it touched. */
  injectFault(fault: Fault): number;
  /**
   * Server restart on the same port(s): open connections are destroyed (or closed with
   * `closeCode`), the port refuses connections for `downtimeMs`, then serves again. The market
   * keeps running, so update ids continue where they were.
   */
  restart(options?: RestartOptions): Promise<void>;
  /** Changes the update rate (updates per second per symbol; 0: as fast as the clients read). */
  setRate(rate: number): void;
  /** Stops the engine; pending diff-depth events are sent first, so clients catch up with book(). */
  pause(): void;
  /** Starts the engine again after pause(). */
  resume(): void;
  /** Counters since start. */
  stats(): ExchangeStats;
  /** Stops the engine and closes every connection and the servers; resolves when the ports are free. */
  close(): Promise<void>;
}

/** The test certificate for `tls: true`: localhost, 127.0.0.1 and ::1, signed by fixtures/tls/ca.pem. */
export function fixtureCertificate(): { cert: Buffer; key: Buffer } {
  const cert = join(fixturesTls, 'localhost.pem');
  if (!existsSync(cert)) {
    throw new Error(`tls: true needs the repository's ${cert} (not shipped in the npm package); pass tls: { cert, key } instead`);
  }
  return { cert: readFileSync(cert), key: readFileSync(join(fixturesTls, 'localhost-key.pem')) };
}

export function resolveSymbols(symbols: Array<string | SymbolConfig> | undefined): SymbolConfig[] {
  if (symbols === undefined) return DEFAULT_SYMBOLS;
  const configs = symbols.map((entry) => {
    if (typeof entry !== 'string') return { ...entry, symbol: entry.symbol.toLowerCase() };
    const symbol = entry.toLowerCase();
    return DEFAULT_SYMBOLS.find((known) => known.symbol === symbol) ?? { symbol, price: 100, tickSize: 0.01, lotSize: 0.001, maxLots: 10_000 };
  });
  for (const config of configs) {
    // Stream names are <symbol>@<type> with a lower-case alphanumeric symbol.
    if (!/^[a-z0-9]+$/.test(config.symbol)) throw new RangeError(`invalid symbol ${JSON.stringify(config.symbol)} (letters and digits only)`);
    if (!(config.tickSize > 0 && config.lotSize > 0 && config.price > 0 && config.maxLots >= 1)) {
      throw new RangeError(`symbol ${config.symbol}: price, tickSize, lotSize and maxLots must be positive`);
    }
  }
  if (new Set(configs.map((config) => config.symbol)).size !== configs.length) throw new RangeError('duplicate symbol');
  return configs;
}
