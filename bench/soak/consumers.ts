// The two consumers the soak can run: tickwire's managed stream (src/stream: reconnect, liveness,
// make-before-break rollover, gap reports by id), and the plain reconnecting client a user would
// write around connect(). Both report to the same Sink: each event's (symbol, stream kind, id),
// the ids they say are missing, and their connection going down and coming back.
import { jsonFields, openStream, type StreamEvent } from 'tickwire';
import { ReconnectingClient } from './plain-client.js';

export type ConsumerKind = 'managed' | 'plain';

/** Stream kinds the soak subscribes per symbol, in this order: ids are trade `t` and bookTicker `u`. */
export const STREAM_KINDS = ['trade', 'bookTicker'] as const;

export interface Sink {
  onEvent(symbol: number, kind: number, id: number): void;
  /** The consumer reported `count` ids of a stream kind as missing. */
  onReportedMissing(kind: number, count: number): void;
  /** The connection carrying the streams is gone ('dropped', 'silent', 'closed-by-venue 1001', ...). */
  onDown(reason: string): void;
  /** A new connection is open (data may follow). */
  onUp(): void;
  /** Anything else worth a line in the report (a rollover, a handover). */
  onNote(text: string): void;
}

export interface SoakConsumer {
  readonly label: string;
  stop(): Promise<void>;
}

export function startConsumer(kind: ConsumerKind, url: string, symbols: readonly string[], silenceMs: number, sink: Sink): SoakConsumer {
  return kind === 'managed' ? startManaged(url, symbols, silenceMs, sink) : startPlain(url, symbols, silenceMs, sink);
}

function startManaged(url: string, symbols: readonly string[], silenceMs: number, sink: Sink): SoakConsumer {
  const names = symbols.flatMap((symbol) => STREAM_KINDS.map((kind) => `${symbol}@${kind}`));
  // Stream index -> (symbol, kind), filled once the indices are known.
  const symbolOf: number[] = [];
  const kindOf: number[] = [];
  const trade = jsonFields(['t']);
  const bookTicker = jsonFields(['u']);
  let down = true;
  const stream = openStream(names, {
    url,
    // The soak's faults come every 30 s; a half-open connection is noticed by the client ping
    // (quiet for silenceMs / 2, then a pong deadline) as well as by the silence limit.
    silenceMs,
    pingAfterMs: Math.max(100, silenceMs / 2),
    pongTimeoutMs: Math.max(100, silenceMs / 2),
    initialDelayMs: 100,
    maxDelayMs: 5000,
    onMessage(index, data, start, end) {
      const kind = kindOf[index]!;
      const fields = kind === 0 ? trade : bookTicker;
      if (!fields.scan(data, start, end)) return;
      sink.onEvent(symbolOf[index]!, kind, fields.integer(0));
    },
    onEvent(event: StreamEvent) {
      switch (event.type) {
        case 'gap':
          sink.onReportedMissing(kindOf[event.stream]!, event.to - event.from + 1);
          return;
        case 'closed':
          if (event.reason === 'replaced' || event.reason === 'unused' || event.reason === 'stopped') return;
          down = true;
          sink.onDown(event.reason === 'closed-by-venue' ? `closed-by-venue ${event.code}` : event.reason);
          return;
        case 'live':
          if (down) {
            down = false;
            sink.onUp();
          }
          return;
        case 'rollover':
          sink.onNote(`rollover (${event.reason})`);
          return;
        case 'handover':
          sink.onNote(`handover${event.timedOut ? ' (timed out)' : ''}`);
          return;
        default:
          return;
      }
    },
  });
  symbols.forEach((symbol, s) =>
    STREAM_KINDS.forEach((kind, k) => {
      const index = stream.streamIndex(`${symbol}@${kind}`);
      symbolOf[index] = s;
      kindOf[index] = k;
    }),
  );
  return { label: "tickwire managed stream (openStream, onMessage + onEvent)", stop: () => stream.stop() };
}

function startPlain(url: string, symbols: readonly string[], silenceMs: number, sink: Sink): SoakConsumer {
  const symbolBytes = symbols.map((symbol) => new TextEncoder().encode(symbol.toUpperCase()));
  const fields = jsonFields(['data.s', 'data.t', 'data.u'], { optional: ['data.t', 'data.u'] });
  const lastIds = symbols.map(() => STREAM_KINDS.map(() => NaN));
  const client = new ReconnectingClient(
    `${url}/stream?streams=${symbols.flatMap((symbol) => STREAM_KINDS.map((kind) => `${symbol}@${kind}`)).join('/')}`,
    {
      onMessage(data, start, end) {
        if (!fields.scan(data, start, end)) return;
        let symbol = 0;
        while (symbol < symbolBytes.length && !fields.equalsRaw(0, symbolBytes[symbol]!)) symbol++;
        if (symbol === symbolBytes.length) return;
        const kind = fields.has(1) ? 0 : fields.has(2) ? 1 : -1;
        if (kind < 0) return;
        const id = fields.integer(kind === 0 ? 1 : 2);
        // The user's own check: ids are consecutive per stream on the simulator.
        const last = lastIds[symbol]![kind]!;
        if (id > last + 1) sink.onReportedMissing(kind, id - last - 1);
        if (!(id <= last)) lastIds[symbol]![kind] = id;
        sink.onEvent(symbol, kind, id);
      },
      onDown: (reason) => sink.onDown(reason),
      onUp: () => sink.onUp(),
    },
    { silenceMs, baseDelayMs: 100, maxDelayMs: 5000 },
  );
  client.start();
  return {
    label: 'tickwire client + reconnect loop (bench/soak/plain-client.ts)',
    stop: () => {
      client.stop();
      return Promise.resolve();
    },
  };
}
