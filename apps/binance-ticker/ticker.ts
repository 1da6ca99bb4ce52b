// The ticker without its terminal: one reconnecting combined-stream connection, the decoder
// that keeps the model, and the REST snapshots the depth books ask for. bin/binance-ticker.ts
// adds argument parsing, the embedded simulator and the view.

import type { Client, StageClock } from 'tickwire';
import { DEFAULT_STAMP_FIELD, TickDecoder } from './decoder.js';
import { STREAM_DEPTH, TickerModel } from './model.js';
import { SNAPSHOT_APPLIED, SNAPSHOT_GAP, SNAPSHOT_TOO_OLD } from './order-book.js';
import { ReconnectingStream } from './reconnect.js';
import { fetchDepthSnapshot, restBaseFor } from './snapshot.js';

/** Least time between two snapshot requests of one symbol (Binance weighs depth requests). */
const SNAPSHOT_RETRY_MS = 250;

export interface TickerOptions {
  /** Lower-case symbols, e.g. ['btcusdt', 'ethusdt']. */
  symbols: readonly string[];
  /** STREAM_BOOK_TICKER, STREAM_TRADE or STREAM_DEPTH. */
  kind: number;
  /** Stream base URL without path, e.g. wss://stream.binance.com:9443. */
  url: string;
  /** REST base for depth snapshots; derived from url by default. */
  restUrl?: string;
  /** Trusted CA (PEM) for wss/https. */
  ca?: string | Buffer;
  /** Send-stamp field in each event's data. Default T_ns. */
  stampField?: string;
  /** See ReconnectingStream: silence before a reconnect, backoff. */
  silenceMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Errors as they happen (the ticker counts them either way). */
  onError?: (error: Error) => void;
  /** Connection events, for a log line. */
  onEvent?: (text: string) => void;
}

export class Ticker {
  readonly model: TickerModel;
  readonly decoder: TickDecoder;
  readonly link: ReconnectingStream;
  readonly streamUrl: string;
  readonly restUrl: string;
  /** Snapshot requests that failed. */
  snapshotErrors = 0;
  /** Stage clock of the current connection (histograms restart with each connection). */
  stages: StageClock | null = null;
  /** Stage clocks of finished connections, kept for the summary. */
  readonly pastStages: StageClock[] = [];

  private readonly options: TickerOptions;
  private readonly lastSnapshotAt: Float64Array;
  private stopped = false;
  private connection = 0;

  constructor(options: TickerOptions) {
    this.options = options;
    this.model = new TickerModel(options.symbols, options.kind);
    this.decoder = new TickDecoder(this.model, options.stampField ?? DEFAULT_STAMP_FIELD);
    this.decoder.onSnapshotNeeded = (symbol) => this.requestSnapshot(symbol);
    this.lastSnapshotAt = new Float64Array(options.symbols.length).fill(-Infinity);
    const base = options.url.replace(/\/+$/, '');
    this.streamUrl = base + this.model.streamPath();
    this.restUrl = options.restUrl ?? restBaseFor(base);
    const decoder = this.decoder;
    this.link = new ReconnectingStream({
      url: this.streamUrl,
      client: { stageClock: true, ...(options.ca !== undefined && { ca: options.ca }) },
      onMessage: (data, start, end) => decoder.onMessage(data, start, end),
      onOpen: (client, reconnect) => this.onOpen(client, reconnect),
      onDown: (code, reason) => {
        if (!this.stopped) options.onEvent?.(`connection closed (${code}${reason === '' ? '' : ` ${reason}`}), reconnecting`);
      },
      onError: (error) => options.onError?.(error),
      ...(options.silenceMs !== undefined && { silenceMs: options.silenceMs }),
      ...(options.initialDelayMs !== undefined && { initialDelayMs: options.initialDelayMs }),
      ...(options.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs }),
    });
  }

  get errors(): number {
    return this.link.errors + this.snapshotErrors;
  }

  /** Books resynced after a gap (depth only). */
  get gaps(): number {
    let gaps = 0;
    for (const book of this.decoder.books) gaps += book.gaps;
    return gaps;
  }

  start(): void {
    this.link.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.link.stop();
  }

  private onOpen(client: Client, reconnect: boolean): void {
    this.connection++;
    if (this.stages !== null) this.pastStages.push(this.stages);
    this.stages = client.stages;
    this.decoder.attach(client.stages);
    if (reconnect) this.options.onEvent?.(`reconnected (#${this.link.reconnects})`);
  }

  private requestSnapshot(symbol: number): void {
    if (this.model.kind !== STREAM_DEPTH || this.stopped) return;
    const wait = this.lastSnapshotAt[symbol]! + SNAPSHOT_RETRY_MS - performance.now();
    if (wait > 0) {
      setTimeout(() => this.fetchSnapshot(symbol), wait).unref();
      return;
    }
    this.fetchSnapshot(symbol);
  }

  private fetchSnapshot(symbol: number): void {
    if (this.stopped) return;
    this.lastSnapshotAt[symbol] = performance.now();
    const connection = this.connection;
    const name = this.model.symbols[symbol]!;
    fetchDepthSnapshot(this.restUrl, name.toUpperCase(), { ...(this.options.ca !== undefined && { ca: this.options.ca }) }).then(
      (body) => {
        // A snapshot fetched for an earlier connection belongs to an old buffer: ask again.
        if (this.stopped) return;
        if (connection !== this.connection) {
          this.decoder.snapshotFailed(symbol);
          return;
        }
        const result = this.decoder.applySnapshot(symbol, body);
        if (result === SNAPSHOT_TOO_OLD) this.options.onEvent?.(`${name}: snapshot older than the first buffered event, fetching again`);
        else if (result === SNAPSHOT_GAP) this.options.onEvent?.(`${name}: buffered events do not follow the snapshot, resyncing`);
        else if (result !== SNAPSHOT_APPLIED) this.options.onEvent?.(`${name}: unreadable snapshot, fetching again`);
      },
      (error: unknown) => {
        this.snapshotErrors++;
        this.decoder.snapshotFailed(symbol);
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}
