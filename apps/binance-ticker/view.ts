// What the ticker prints: the live table (redrawn in place on a TTY), plain periodic lines
// (pipes, logs), one JSON line per symbol per refresh (--json), and the closing summary.
// Runs a few times per second, off the message path, so it may build strings freely.

import type { RecordableHistogram } from 'node:perf_hooks';
import { BOOK_IN_SYNC } from 'tickwire';
import { STREAM_DEPTH, STREAM_NAMES, STREAM_TRADE } from './model.js';
import type { Ticker } from './ticker.js';

const ESC = '\x1b[';

/** Messages per second per symbol between two refreshes. */
export class RateMeter {
  readonly rates: Float64Array;
  totalRate = 0;
  private readonly previous: Float64Array;
  private previousTotal = 0;
  private previousAt: number;

  constructor(symbolCount: number, now: number) {
    this.rates = new Float64Array(symbolCount);
    this.previous = new Float64Array(symbolCount);
    this.previousAt = now;
  }

  sample(messages: Float64Array, total: number, now: number): void {
    const seconds = (now - this.previousAt) / 1000;
    if (seconds <= 0) return;
    for (let k = 0; k < messages.length; k++) {
      this.rates[k] = (messages[k]! - this.previous[k]!) / seconds;
      this.previous[k] = messages[k]!;
    }
    this.totalRate = (total - this.previousTotal) / seconds;
    this.previousTotal = total;
    this.previousAt = now;
  }
}

function num(value: number): string {
  return Number.isNaN(value) ? '-' : String(value);
}

function micros(nanoseconds: number): string {
  return Number.isFinite(nanoseconds) ? (nanoseconds / 1000).toFixed(1) : '-';
}

function percentiles(histogram: RecordableHistogram): string {
  if (histogram.count === 0) return 'no samples';
  return (
    `p50 ${micros(histogram.percentile(50))}  p99 ${micros(histogram.percentile(99))}  ` +
    `p99.9 ${micros(histogram.percentile(99.9))}  max ${micros(histogram.max)}  n=${histogram.count}`
  );
}

function latencyLines(ticker: Ticker): string[] {
  const wire = ticker.handler.latency.histogram;
  const stages = ticker.stages;
  return [
    wire.count === 0
      ? 'latency send->socket read (us): no send stamps in this stream'
      : `latency send->socket read (us): ${percentiles(wire)}`,
    `stage read->parsed        (us): ${percentiles(stages.readToParsed)}`,
    `stage parsed->delivered   (us): ${percentiles(stages.parsedToDelivered)}`,
    `stage read->delivered     (us): ${percentiles(stages.readToDelivered)}`,
  ];
}

function bookState(ticker: Ticker, symbol: number): string {
  const book = ticker.books[symbol];
  if (book === undefined) return '';
  return book.state === BOOK_IN_SYNC
    ? `book ${book.bids.count}x${book.asks.count} id ${book.updateId}`
    : `syncing (${book.bufferedDiffs} buffered)`;
}

/** The header's stream counters: reconnects, errors, and what went missing or was rolled over. */
function streamCounters(ticker: Ticker): string {
  const report = ticker.report;
  let text = `reconnects ${report.reconnects}  errors ${ticker.errors}  gaps ${report.gaps}`;
  if (report.rollovers > 0) text += `  rollovers ${report.rollovers}`;
  if (report.resets > 0) text += `  resets ${report.resets}`;
  if (ticker.model.kind === STREAM_DEPTH) text += `  resyncs ${ticker.resyncs}`;
  return text;
}

/** The live table, one string per line. */
export function frameLines(ticker: Ticker, meter: RateMeter, elapsedMs: number): string[] {
  const model = ticker.model;
  const lines = [`binance-ticker  ${ticker.venue.name}  ${STREAM_NAMES[model.kind]}  ${(elapsedMs / 1000).toFixed(1)} s  link ${ticker.report.state}  ${streamCounters(ticker)}`];
  const trade = model.kind === STREAM_TRADE;
  lines.push(
    'symbol      ' +
      (trade ? 'last'.padStart(16) + 'qty'.padStart(14) : 'bid'.padStart(14) + 'size'.padStart(12) + 'ask'.padStart(14) + 'size'.padStart(12)) +
      'msg/s'.padStart(10) +
      'total'.padStart(10),
  );
  for (let k = 0; k < model.symbols.length; k++) {
    const columns = trade
      ? num(model.last[k]!).padStart(16) + num(model.lastQuantity[k]!).padStart(14)
      : num(model.bid[k]!).padStart(14) + num(model.bidQuantity[k]!).padStart(12) + num(model.ask[k]!).padStart(14) + num(model.askQuantity[k]!).padStart(12);
    const depth = model.kind === STREAM_DEPTH ? `  ${bookState(ticker, k)}` : '';
    lines.push(model.symbols[k]!.padEnd(12) + columns + meter.rates[k]!.toFixed(0).padStart(10) + String(model.messages[k]!).padStart(10) + depth);
  }
  lines.push(`all         ${meter.totalRate.toFixed(0)} msg/s, ${model.total} messages${model.other > 0 ? `, ${model.other} other` : ''}`);
  lines.push(...latencyLines(ticker));
  return lines;
}

/**
 * Redraws a block of lines in place: cursor up over the previous frame, each line cleared to its
 * end, anything left below cleared (ECMA-48 CPL, EL, ED).
 */
export class TtyFrame {
  private height = 0;

  render(lines: readonly string[]): string {
    let out = this.height > 0 ? `${ESC}${this.height}F` : '';
    for (const line of lines) out += `${line}${ESC}K\n`;
    out += `${ESC}J`;
    this.height = lines.length;
    return out;
  }
}

/** One plain line per symbol plus the latency line: for logs, once a second. */
export function plainLines(ticker: Ticker, meter: RateMeter, elapsedMs: number): string[] {
  const model = ticker.model;
  const stamp = `[${(elapsedMs / 1000).toFixed(1).padStart(6)}s]`;
  const lines: string[] = [];
  for (let k = 0; k < model.symbols.length; k++) {
    const quote =
      model.kind === STREAM_TRADE
        ? `last ${num(model.last[k]!)} x ${num(model.lastQuantity[k]!)}`
        : `bid ${num(model.bid[k]!)} x ${num(model.bidQuantity[k]!)}  ask ${num(model.ask[k]!)} x ${num(model.askQuantity[k]!)}`;
    const depth = model.kind === STREAM_DEPTH ? `  ${bookState(ticker, k)}` : '';
    lines.push(`${stamp} ${model.symbols[k]!}  ${quote}  ${meter.rates[k]!.toFixed(0)} msg/s  total ${model.messages[k]!}${depth}`);
  }
  const wire = ticker.handler.latency.histogram;
  lines.push(
    `${stamp} all  ${meter.totalRate.toFixed(0)} msg/s  total ${model.total}  ${streamCounters(ticker)}` +
      (wire.count > 0 ? `  latency p50 ${micros(wire.percentile(50))} us p99 ${micros(wire.percentile(99))} us` : ''),
  );
  return lines;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** --json: one line per symbol per refresh. */
export function jsonLines(ticker: Ticker, meter: RateMeter, nowMs: number): string[] {
  const model = ticker.model;
  const lines: string[] = [];
  for (let k = 0; k < model.symbols.length; k++) {
    const tick: Record<string, unknown> = { type: 'tick', time: nowMs, symbol: model.symbols[k]! };
    if (model.kind === STREAM_TRADE) {
      tick['last'] = finiteOrNull(model.last[k]!);
      tick['lastQty'] = finiteOrNull(model.lastQuantity[k]!);
    } else {
      tick['bid'] = finiteOrNull(model.bid[k]!);
      tick['bidQty'] = finiteOrNull(model.bidQuantity[k]!);
      tick['ask'] = finiteOrNull(model.ask[k]!);
      tick['askQty'] = finiteOrNull(model.askQuantity[k]!);
    }
    tick['rate'] = Math.round(meter.rates[k]! * 10) / 10;
    tick['messages'] = model.messages[k]!;
    lines.push(JSON.stringify(tick));
  }
  return lines;
}

function histogramJson(histogram: RecordableHistogram): Record<string, number> | null {
  if (histogram.count === 0) return null;
  return { p50: histogram.percentile(50), p99: histogram.percentile(99), p999: histogram.percentile(99.9), max: histogram.max, count: histogram.count };
}

export interface SummaryData {
  /** The venue's name (MarketVenue.name). */
  venue: string;
  seconds: number;
  messages: number;
  rate: number;
  /** Delivered events the decoder could not read. */
  other: number;
  reconnects: number;
  /** Connections ended for silence or an unanswered ping. */
  silences: number;
  errors: number;
  /** Gaps the stream reported, and the ids they name. */
  gaps: number;
  missingIds: number;
  /** Make-before-break rollovers (serverShutdown, lifetime) and their handovers. */
  rollovers: number;
  handovers: number;
  /** Ids that restarted (venue restart) or went backwards. */
  resets: number;
  backwards: number;
  /** Streams resubscribed by the per-stream watchdog. */
  streamsResubscribed: number;
  /** Depth: books discarded and rebuilt from a new snapshot; snapshots loaded. */
  resyncs: number;
  snapshots: number;
  perSymbol: Record<string, number>;
  /** Nanoseconds. */
  latency: Record<string, number> | null;
  stages: Record<string, Record<string, number> | null>;
}

export function summaryData(ticker: Ticker, elapsedMs: number): SummaryData {
  const model = ticker.model;
  const report = ticker.report;
  const stages = ticker.stages;
  const perSymbol: Record<string, number> = {};
  model.symbols.forEach((symbol, k) => (perSymbol[symbol] = model.messages[k]!));
  const seconds = elapsedMs / 1000;
  let snapshots = 0;
  for (const book of ticker.books) snapshots += book.snapshotsLoaded;
  return {
    venue: ticker.venue.name,
    seconds: Math.round(seconds * 1000) / 1000,
    messages: model.total,
    rate: seconds > 0 ? Math.round((model.total / seconds) * 10) / 10 : 0,
    other: model.other,
    reconnects: report.reconnects,
    silences: report.silences,
    errors: ticker.errors,
    gaps: report.gaps,
    missingIds: report.missingIds,
    rollovers: report.rollovers,
    handovers: report.handovers,
    resets: report.resets,
    backwards: report.backwards,
    streamsResubscribed: report.streamsResubscribed,
    resyncs: ticker.resyncs,
    snapshots,
    perSymbol,
    latency: histogramJson(ticker.handler.latency.histogram),
    stages: {
      readToParsed: histogramJson(stages.readToParsed),
      parsedToDelivered: histogramJson(stages.parsedToDelivered),
      readToDelivered: histogramJson(stages.readToDelivered),
    },
  };
}

export function summaryLines(ticker: Ticker, elapsedMs: number, source: string): string[] {
  const data = summaryData(ticker, elapsedMs);
  const model = ticker.model;
  const lines = [
    `summary: ${ticker.venue.name} ${STREAM_NAMES[model.kind]} from ${source}, ${data.seconds.toFixed(1)} s`,
    `  messages    ${data.messages} (${data.rate.toFixed(1)} msg/s)${data.other > 0 ? `, ${data.other} other` : ''}`,
  ];
  for (let k = 0; k < model.symbols.length; k++) {
    const quote =
      model.kind === STREAM_TRADE
        ? `last ${num(model.last[k]!)} x ${num(model.lastQuantity[k]!)}`
        : `bid ${num(model.bid[k]!)} x ${num(model.bidQuantity[k]!)}  ask ${num(model.ask[k]!)} x ${num(model.askQuantity[k]!)}`;
    lines.push(`  ${model.symbols[k]!.padEnd(10)}  ${String(model.messages[k]!).padStart(8)} msgs  ${quote}`);
  }
  for (const line of latencyLines(ticker)) lines.push(`  ${line}`);
  lines.push(`  reconnects  ${data.reconnects} (${data.silences} after silence)  errors ${data.errors}`);
  lines.push(
    `  stream      gaps ${data.gaps} (${data.missingIds} ids missing)  rollovers ${data.rollovers} (${data.handovers} handed over)  ` +
      `resets ${data.resets}  backwards ${data.backwards}  resubscribed ${data.streamsResubscribed}`,
  );
  if (model.kind === STREAM_DEPTH) lines.push(`  books       resyncs ${data.resyncs}  snapshots ${data.snapshots}`);
  return lines;
}
