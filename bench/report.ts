// Turns BenchResults into the console tables and docs/benchmarks.md. Both are generated from the
// same tables so the committed document always matches what the run printed.
import { CLIENT_LABELS } from './config.js';
import type { BenchResults, ExternalSection, LatencyRow, ParserRow, ThroughputRow } from './results.js';
import { percentileOf } from './latency.js';
import type { ConsumerKind } from './pipeline/protocol.js';
import type { PipelineRow } from './pipeline/run.js';

export const CONSUMER_LABELS: Readonly<Record<ConsumerKind, string>> = {
  ccxt: 'ccxt binance watchOrderBook',
  'ws-map': 'ws + JSON.parse + Map book',
  tickwire: 'tickwire',
  'tickwire-market': 'tickwire ManagedStream + MarketVenue book',
};

type Table = { title: string; headers: string[]; rows: string[][] };

function rate(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} GB`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} kB`;
  return `${value.toFixed(0)} B`;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : `${value.toFixed(2)}x`;
}

function micros(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value >= 1000 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function status(row: { status: string; note?: string }): string {
  return row.status === 'ok' ? '' : `${row.status}: ${row.note ?? ''}`;
}

function throughputTables(results: BenchResults): Table[] {
  const tables: Table[] = [];
  for (const transport of ['ws', 'wss'] as const) {
    const rows = results.throughput.filter((row) => row.transport === transport);
    if (rows.length === 0) continue;
    tables.push({
      title: `Throughput, ${transport}:// (sender blasts ${rate((results.config as { blastMessages: number }).blastMessages)} messages; median of rounds; per-1M figures over the measured window)`,
      headers: ['client', 'msg/s', "vs raw 'data'", 'vs ws', 'CPU ms / 1M', 'heap alloc / 1M', 'GCs / 1M', 'sender busy', 'rounds', 'status'],
      rows: rows.map((row: ThroughputRow) => {
        const m = row.median;
        return [
          CLIENT_LABELS[row.client],
          rate(m?.msgPerSec),
          ratio(row.vsRawData),
          ratio(row.vsWs),
          fixed(m?.cpuMsPer1M, 0),
          bytes(m?.heapBytesPer1M),
          fixed(m?.gcPer1M, 1),
          m === undefined ? 'n/a' : `${(100 * m.senderBusy).toFixed(0)}%`,
          String(row.rounds.length),
          status(row),
        ];
      }),
    });
  }
  return tables;
}

function latencyTables(results: BenchResults): Table[] {
  const tables: Table[] = [];
  const rates = [...new Set(results.latency.map((row) => row.rate))];
  for (const rateValue of rates) {
    for (const transport of ['ws', 'wss'] as const) {
      const rows = results.latency.filter((row) => row.rate === rateValue && row.transport === transport);
      if (rows.length === 0) continue;
      const raw = rows.find((row) => row.client === 'raw-data');
      tables.push({
        title: `One-way latency, ${transport}://, paced ${rate(rateValue)} msg/s (microseconds, all rounds pooled)`,
        headers: ['client', 'p50', 'p99', 'p99.9', 'max', "p50 vs raw 'data'", "p99 vs raw 'data'", 'samples', 'GCs', 'status'],
        rows: rows.map((row: LatencyRow) => [
          CLIENT_LABELS[row.client],
          micros(row.p50Us),
          micros(row.p99Us),
          micros(row.p999Us),
          micros(row.maxUs),
          row.client === 'clock' || raw?.p50Us === undefined || row.p50Us === undefined ? '' : ratio(row.p50Us / raw.p50Us),
          row.client === 'clock' || raw?.p99Us === undefined || row.p99Us === undefined ? '' : ratio(row.p99Us / raw.p99Us),
          String(row.merged?.count ?? 0),
          row.gcCount === undefined ? 'n/a' : String(row.gcCount),
          status(row),
        ]),
      });
    }
  }
  return tables;
}

/** tickwire's opt-in stage clock (t1 read complete, t2 first message parsed, t3 last onMessage returned), per socket read. */
function stageTable(results: BenchResults): Table[] {
  const rows = results.latency.filter((row) => row.stages !== undefined);
  if (rows.length === 0) return [];
  const stageNames = [
    ['readToParsed', 't1 read -> t2 parsed'],
    ['parsedToDelivered', 't2 parsed -> t3 delivered'],
    ['readToDelivered', 't1 read -> t3 delivered'],
  ] as const;
  return [
    {
      title: "tickwire stage clock per socket read (microseconds, latency runs, all rounds pooled; t3 includes the harness's stamp parsing)",
      headers: ['transport', 'rate', 'stage', 'p50', 'p99', 'p99.9', 'max', 'reads'],
      rows: rows.flatMap((row) =>
        stageNames.map(([key, label]) => {
          const summary = row.stages![key];
          return [
            `${row.transport}://`,
            `${rate(row.rate)} msg/s`,
            label,
            micros(percentileOf(summary, 50) / 1000),
            micros(percentileOf(summary, 99) / 1000),
            micros(percentileOf(summary, 99.9) / 1000),
            micros(summary.maxNs / 1000),
            String(summary.count),
          ];
        }),
      ),
    },
  ];
}

function parserTable(results: BenchResults): Table[] {
  if (results.parser.length === 0) return [];
  return [
    {
      title: 'Parser microbenchmark: tickwire FrameParser vs ws Receiver, same byte stream cut at random read boundaries (median of rounds)',
      headers: ['payload', 'parser', 'frames', 'ns / frame', 'msg/s', 'MB/s', 'heap alloc / 1M', 'GCs / 1M', 'vs ws', 'status'],
      rows: results.parser.map((row: ParserRow) => [
        `${row.size} B`,
        row.parser === 'ws' ? 'ws Receiver' : 'tickwire FrameParser',
        String(row.frames),
        fixed(row.median?.nsPerFrame, 1),
        rate(row.median?.msgPerSec),
        fixed(row.median?.mbPerSec, 0),
        bytes(row.median?.heapBytesPer1M),
        fixed(row.median?.gcPer1M, 1),
        row.parser === 'ws' ? '' : ratio(row.vsWs),
        status(row),
      ]),
    },
  ];
}

function pipelineTables(results: BenchResults): Table[] {
  const section = results.pipeline;
  if (section === undefined) return [];
  const config = section.results.config;
  return [
    {
      title:
        `Pipeline: socket -> depth diff decoded -> book updated -> user callback; ${config.symbols} symbols x <symbol>@depth@100ms ` +
        `(${config.rate} book updates/s per symbol), ${config.measureMs / 1000} s measured after ${config.warmupMs / 1000} s warm-up, median of ${config.rounds} round(s)`,
      headers: ['consumer', 'events/s', 'CPU us / event', 'of which kernel', 'CPU share', 'callbacks/s', 'heap alloc / event', 'GCs in window', 'GCs / 10k events', 'CPU vs ccxt', 'CPU vs ws+Map', 'books equal', 'sync', 'status'],
      rows: section.results.rows.map((row: PipelineRow) => {
        const m = row.median;
        return [
          row.venue === undefined ? CONSUMER_LABELS[row.consumer] : `${CONSUMER_LABELS[row.consumer]}, ${row.venue} simulator`,
          fixed(m?.eventsPerSec, 0),
          fixed(m?.cpuUsPerEvent, 2),
          fixed(m?.systemUsPerEvent, 2),
          m === undefined ? 'n/a' : `${(100 * m.cpuShare).toFixed(1)}%`,
          fixed(m?.callbacksPerSec, 0),
          bytes(m?.heapBytesPerEvent),
          fixed(m?.gcCount, 0),
          fixed(m?.gcPer10kEvents, 1),
          row.consumer === 'ccxt' ? '' : ratio(row.cpuVsCcxt),
          row.consumer === 'ws-map' || row.consumer === 'ccxt' ? '' : ratio(row.cpuVsWsMap),
          `${row.booksEqual}/${row.booksCompared}`,
          m === undefined ? 'n/a' : `${(m.syncMs / 1000).toFixed(1)} s`,
          status(row),
        ];
      }),
    },
  ];
}

function targetTable(results: BenchResults): Table[] {
  if (results.targets.length === 0) return [];
  return [
    {
      title: 'Targets (from the issue)',
      headers: ['target', 'measured', 'met'],
      rows: results.targets.map((row) => [row.target, row.measured, row.pass === null ? 'n/a' : row.pass ? 'yes' : 'NO']),
    },
  ];
}

function isFlatRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => field === null || typeof field !== 'object')
  );
}

function cell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value) || Math.abs(value) >= 1000) return String(Math.round(value));
    return value.toPrecision(4);
  }
  return String(value);
}

/** Other helpers' benches return what they like: arrays of flat records become tables. */
function externalTables(section: ExternalSection): Table[] {
  const title = `${section.name} bench`;
  const result = section.result;
  const asTable = (name: string, rows: unknown[]): Table | undefined => {
    if (rows.length === 0 || !rows.every(isFlatRecord)) return undefined;
    const headers = [...new Set(rows.flatMap((row) => Object.keys(row as object)))];
    return { title: name, headers, rows: rows.map((row) => headers.map((key) => cell((row as Record<string, unknown>)[key] ?? ''))) };
  };
  if (Array.isArray(result)) {
    const table = asTable(title, result);
    if (table !== undefined) return [table];
  } else if (typeof result === 'object' && result !== null) {
    const tables: Table[] = [];
    const scalars: string[][] = [];
    for (const [key, value] of Object.entries(result)) {
      if (Array.isArray(value)) {
        const table = asTable(`${title}: ${key}`, value);
        if (table !== undefined) tables.push(table);
      } else if (value === null || typeof value !== 'object') scalars.push([key, cell(value)]);
    }
    if (scalars.length > 0) tables.unshift({ title, headers: ['figure', 'value'], rows: scalars });
    if (tables.length > 0) return tables;
  }
  return [];
}

function markdownTable(table: Table): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`| ${table.headers.map(escape).join(' | ')} |`, `|${table.headers.map(() => ' --- ').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
  return `**${table.title}**\n\n${lines.join('\n')}\n`;
}

function textTable(table: Table): string {
  const widths = table.headers.map((header, i) => Math.max(header.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((text, i) => text.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [table.title, line(table.headers), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n') + '\n';
}

export function renderConsole(results: BenchResults): string {
  const tables = [
    ...parserTable(results),
    ...throughputTables(results),
    ...latencyTables(results),
    ...stageTable(results),
    ...results.external.flatMap(externalTables),
    ...pipelineTables(results),
    ...targetTable(results),
  ];
  const parts = tables.map(textTable);
  if (results.notes.length > 0) parts.push(`Notes\n${results.notes.map((note) => `- ${note}`).join('\n')}\n`);
  return `\n${parts.join('\n')}`;
}

const METHOD = `## Method

- **Processes.** The sender is its own process; every client run is a fresh child process, so
  heap and GC figures belong to that client alone. Runs are interleaved (A B C A B C ...) so all
  clients share the machine's noise; figures are the median of the rounds (latency: all rounds'
  samples pooled).
- **Sender.** A plain \`net\` (or \`tls\`) server answers the upgrade with a valid 101
  (Sec-WebSocket-Accept from node:crypto) and writes pre-built unmasked text frames carrying a
  ~115-byte Binance bookTicker message ending in \`"T":<send time in ns>\`. Blast mode writes one
  pre-built buffer of 2048 frames over and over, honouring backpressure; paced mode wakes every
  ~1 ms, writes everything due (catch-up when a timer fires late) and stamps each message while
  building the batch, right before the write. "sender busy" is the sender's CPU time over its
  wall time for the connection: below 100% it was waiting on the client, not the other way round.
  The raw onread reader's rate, far above any WebSocket client's, shows the same headroom.
- **Clients.** tickwire (\`connect()\`, \`onMessage(data, start, end)\`); \`ws\` with
  \`WS_NO_BUFFER_UTIL=1 WS_NO_UTF_8_VALIDATE=1\` and \`ws\` with bufferutil/utf-8-validate
  loaded (on Node >= 18.14 ws validates UTF-8 with \`buffer.isUtf8\` either way, and bufferutil
  only unmasks, which a client never does on receive, so the two are expected to match);
  Node's WebSocket (\`--experimental-websocket\` on Node 20; wss trusts the test CA through
  \`NODE_EXTRA_CA_CERTS\`); a raw \`net\`/\`tls\` socket reading with \`'data'\` events and one
  reading with \`onread\` into one reusable 64 KiB buffer. The raw readers do the upgrade and
  then only find frame boundaries (no UTF-8 check, no control-frame rules): the floor for a
  WebSocket client on Node.
- **Throughput.** The client counts messages and never reads the clock per message (a clock
  read allocates a BigInt on Node 20). The measured window opens at message 100k (JIT warm-up)
  and closes at the last one; msg/s, CPU (\`process.cpuUsage\`), heap allocation and GC counts are
  over that window, scaled to 1M messages.
- **Heap allocation and GCs.** Node 20's V8 has no cumulative allocation counter, so the window
  runs a \`v8.GCProfiler\`, which records heap statistics before and after every GC natively
  (no JS runs in the window for it). Bytes allocated = sum over GCs of (used before the GC - used
  after the previous GC, or at window start) + (used at window end - used after the last GC).
  The GC count is the number of those records (the same events \`PerformanceObserver\` reports
  as \`'gc'\` entries). Off-heap ArrayBuffer backing stores are not counted; Buffer objects are.
- **Latency.** Paced at 10k and 50k msg/s. Per message the client reads
  \`process.hrtime.bigint()\` (CLOCK_MONOTONIC, shared by all processes on Linux), parses the
  stamp's digits from the bytes (no JSON.parse, no string for byte-based clients; Node's
  WebSocket only hands out strings) and records the difference in a \`perf_hooks\` histogram
  (3 significant figures). The first messages are warm-up and not recorded. The
  "harness cost" row is the raw 'data' reader recording the time of one clock read plus the
  stamp parse instead of the latency: that much of every latency figure is the measurement.
- **Parser microbenchmark.** One pre-built stream of unmasked text frames per payload size, cut
  into reads of 1 B..64 KiB at seeded random boundaries, pushed into tickwire's \`FrameParser\`
  (\`push(read, 0, length)\`) and into ws's \`Receiver\` (\`receiver.write(read)\`, synchronous
  'message' events) in separate processes, after a warm-up pass. Both validate UTF-8. Runs are
  capped at 1 GiB of payload, so 16 KiB frames run 65,536 frames instead of 1M.
`;

const PIPELINE_METHOD = `- **Stream.** The simulator serves \`<symbol>@depth@100ms\` for every symbol: every 100 ms one
  \`depthUpdate\` per symbol with the levels changed since the last one (best first, 8-decimal strings),
  at a fixed engine rate, so every consumer gets the same event rate; what differs is the CPU it
  spends per event. REST snapshots come from the simulator's \`GET /api/v3/depth\`.
- **ccxt.** \`ccxt.pro.binance\` with \`fetchMarkets\` limited to spot, its REST base and spot stream
  URL overridden to the simulator's loopback addresses, \`enableRateLimit: false\` (the simulator has
  no request weights); the user loop awaits \`watchOrderBookForSymbols\` (what \`watchOrderBook\` calls)
  and reads the best bid and ask. ccxt resolves one await per batch of updates, so its callbacks are
  fewer than its events; its events are counted where it applies a diff to a book.
- **ws + JSON.parse + Map.** \`ws\` (no native add-ons), \`JSON.parse\` per message, \`parseFloat\`
  prices and quantities into a \`Map\` per side, the documented snapshot + buffered-diff sync with the
  U/u checks, the best bid and ask kept as levels change (a rescan only when the best level goes).
- **tickwire.** \`connect()\` with \`onMessage(data, start, end)\`, \`BinanceDepthDecoder\` (levels read
  straight from the receive buffer into fixed-point) and one \`binanceSpotOrderBook()\` per symbol
  (the same documented sync, allocation-free in sync); the callback reads \`book.bestBid\`/\`bestAsk\`.
- **tickwire ManagedStream + MarketVenue book.** What an application holding many books runs: one
  \`ManagedStream\` subscribed to every symbol's book stream (one combined connection; the update ids
  checked for gaps and duplicates), the books from \`binanceSpotMarket().createOrderBook()\`, and the
  diff the stream's decoder read for its id check (\`stream.decodedBook()\`) applied as it is, so
  each payload is decoded once.
- **Other venues.** One more tickwire ManagedStream row per venue whose \`MarketVenue\` adapter and
  simulator dialect are on main, against that venue's simulator mode (\`startExchange({ venue })\`),
  its books compared with that simulator's \`book()\` the same way. binance-sbe: \`<symbol>@depth\`
  SBE frames every 20 ms (so more events, each with fewer levels, than the 100 ms JSON stream),
  books from \`binanceSbeMarket\` (Spot REST snapshot); its stream decoder reads only the ids from the
  frame header, so the venue's book decoder reads each payload once.
- **Heap alloc / event.** Node's own read path allocates per socket read on Node 20 (a bare
  \`net.Socket\` with an \`onread\` buffer and a no-op callback: ~150 B per read on Node 20, ~9 B on
  Node 26, measured outside this bench); tickwire's rows show that, not the library (its
  decode-and-book path allocates nothing: test/book/allocation.test.ts).
- **Same work for all.** Raw \`/ws/<symbol>@depth@100ms/...\` payloads (ccxt subscribes the same
  streams with SUBSCRIBE); every applied event updates a book, and the user callback reads the best
  bid and ask.
`;

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [];
  out.push('# Benchmarks\n');
  out.push(
    'Generated by `npm run bench` (bench/main.ts) from `docs/bench-results.json`; do not edit by hand, re-run the bench.' +
      (results.quick ? '\n\n**This is a --quick smoke run: the figures are not meaningful.**' : '') +
      '\n',
  );
  out.push('## Machine and command\n');
  out.push(
    markdownTable({
      title: 'Machine',
      headers: ['', ''],
      rows: [
        ['CPU', m.cpu],
        ['cores', String(m.cores)],
        ['OS', m.os],
        ['Node', `${m.node} (V8 ${m.v8})`],
        ['date', m.date],
        ['command', `\`${m.command}\``],
        ['duration', `${results.durationSec} s`],
      ],
    }),
  );
  if (results.targets.length > 0) {
    out.push('## Targets\n');
    out.push(
      'From the issue, with anchors measured on this machine kind: raw `net` \'data\' reader 4.4M msg/s, ws 2.2M, ' +
        'Node WebSocket 0.9M; GCs per 1M: raw 8, ws ~250, Node WebSocket ~450.\n',
    );
    out.push(...targetTable(results).map(markdownTable));
  }
  if (results.throughput.length > 0) {
    out.push('## Throughput\n');
    out.push(...throughputTables(results).map(markdownTable));
  }
  if (results.latency.length > 0) {
    out.push('## Latency\n');
    out.push('![One-way latency by percentile](bench-latency.svg)\n');
    out.push(...latencyTables(results).map(markdownTable));
    const stages = stageTable(results);
    if (stages.length > 0) {
      out.push('### Latency stages (tickwire stage clock)\n');
      out.push(
        "t1: the socket read completed (TLS already decrypted); t2: its first message parsed; t3: its last `onMessage` returned. The sender's stamp stands in for t0 (the one-way tables above). One clock read per socket read, never per message.\n",
      );
      out.push(...stages.map(markdownTable));
    }
  }
  if (results.parser.length > 0) {
    out.push('## Parser microbenchmark\n');
    out.push(...parserTable(results).map(markdownTable));
  }
  const pipeline = results.pipeline;
  if (pipeline !== undefined) {
    const pm = pipeline.machine;
    out.push('## Pipeline: depth stream to order book to user\n');
    out.push(
      `Measured ${pm.date} with \`${pm.command}\` (${pipeline.durationSec} s), Node ${pm.node}, ${pm.cpu} x ${pm.cores}` +
        (pipeline.loadBefore === undefined ? '. ' : `, load average ${pipeline.loadBefore[0]!.toFixed(1)} before and ${pipeline.loadAfter?.[0]?.toFixed(1) ?? '?'} after (a shared machine). `) +
        'Each consumer runs in its own process against its own simulator; CPU is `process.cpuUsage()` of the consumer process ' +
        'over the measured window divided by the diff events it applied. At the end the simulator pauses and every book is ' +
        "compared level by level with the simulator's `book()`: a difference fails the run.\n",
    );
    out.push(...pipelineTables(results).map(markdownTable));
    out.push(PIPELINE_METHOD);
  }
  const external = results.external.filter((section) => section.status === 'ok');
  if (external.length > 0) {
    out.push('## Module benchmarks\n');
    for (const section of external) {
      const tables = externalTables(section);
      if (tables.length > 0) out.push(...tables.map(markdownTable));
      else out.push(`**${section.name} bench**\n\n\`\`\`json\n${JSON.stringify(section.result, null, 1).slice(0, 4000)}\n\`\`\`\n`);
    }
  }
  if (results.notes.length > 0) {
    out.push('## Notes\n');
    out.push(`${results.notes.map((note) => `- ${note}`).join('\n')}\n`);
  }
  out.push(METHOD);
  return out.join('\n');
}
