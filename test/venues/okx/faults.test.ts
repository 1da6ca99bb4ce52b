// Fault tests for OKX over real sockets: the managed stream with the okxPublic profile against
// the simulator's OKX dialect. Each case asserts that every message the exchange sent reached the
// user once or lies in a reported gap: trades by contiguous trade ids (Ledger.verifyContiguous),
// books by their chain (verifyChained: each update's prevSeqId is the last seqId delivered, or a
// gap ending at it was reported; a snapshot after a resubscribe or reconnect comes after a gap
// over the updates it replaces). The table printed at the end gives the figures per case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonFields } from '../../../src/index.js';
import { DataArrayWalker, okxPublic } from '../../../src/venues/okx/index.js';
import type { LedgerCheck } from '../../stream/fault-report.js';
import { FaultScenarios } from '../../stream/fault-scenarios.js';
import type { Ledger } from '../../stream/ledger.js';

const INSTRUMENTS = ['BTC-USDT', 'ETH-USDT'];
const NAMES = INSTRUMENTS.flatMap((inst) => [`books:${inst}`, `trades:${inst}`, `bbo-tbt:${inst}`]);

const walker = new DataArrayWalker();
const bookIds = jsonFields(['seqId', 'prevSeqId'], { optional: ['prevSeqId'] });
const tradeIds = jsonFields(['tradeId', 'count']);

/** The test's own reading of a push's ids (the `data` array): books [prevSeqId + 1, seqId], trades [first - count + 1, last]. */
function okxIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  if (!walker.begin(data, start, end)) throw new Error(`${name}: not a data array`);
  let first = NaN;
  let last = NaN;
  while (walker.next()) {
    if (name.startsWith('trades:')) {
      if (!tradeIds.scan(data, walker.objectStart, walker.objectEnd)) throw new Error(`${name}: unreadable trade`);
      if (Number.isNaN(first)) first = tradeIds.integer(0) - tradeIds.integer(1) + 1;
      last = tradeIds.integer(0);
    } else {
      if (!bookIds.scan(data, walker.objectStart, walker.objectEnd)) throw new Error(`${name}: unreadable book push`);
      last = bookIds.integer(0);
      first = name.startsWith('books:') ? (bookIds.has(1) ? bookIds.integer(1) : -1) + 1 : last;
    }
  }
  return [first, last];
}

/**
 * The books chain: from the first event on, each update names the last seqId delivered (a gap
 * reported just before it may end there instead), and a snapshot (first = 0) is never newer
 * than what was delivered or reported. Returns the events and the ids reported missing.
 */
function verifyChained(ledger: Ledger): { events: number; missing: number; gaps: number } {
  let events = 0;
  let missing = 0;
  let gaps = 0;
  for (const stream of ledger.streams.values()) {
    if (!stream.name.startsWith('books:')) continue;
    let last = NaN;
    for (const [first, end, kind] of stream.entries) {
      if (kind === 'reset') {
        last = NaN;
        continue;
      }
      if (kind === 'gap') {
        if (first !== last + 1) throw new Error(`${stream.name}: gap [${first}, ${end}] does not start after ${last}`);
        missing += end - first + 1;
        gaps++;
        last = end;
        continue;
      }
      events++;
      if (Number.isNaN(last)) {
        last = end;
        continue;
      }
      if (first === 0) {
        if (end > last) throw new Error(`${stream.name}: snapshot ${end} after ${last} with no gap reported`);
      } else if (first - 1 !== last) {
        throw new Error(`${stream.name}: update names ${first - 1}, the last seqId delivered was ${last}: lost or duplicated silently`);
      }
      last = end;
    }
  }
  return { events, missing, gaps };
}

/** Trades by contiguous trade ids, books by their chain. */
const check: LedgerCheck = (ledger) => {
  const trades = ledger.verifyContiguous(/^trades:/);
  const books = verifyChained(ledger);
  assert.equal(trades.duplicated, 0);
  return { missing: trades.missing + books.missing, duplicated: trades.duplicated };
};

const faults = new FaultScenarios({
  title: 'case (OKX)',
  simulator: 'okx',
  profile: okxPublic,
  names: NAMES,
  ids: okxIds,
  // The simulator's symbol btcusdt is the instrument BTC-USDT.
  bookStream: (symbol) => `books:${symbol.slice(0, -4).toUpperCase()}-USDT`,
  check,
});

test('OKX: TCP drop mid-frame: reconnect, a new books snapshot after a gap over what it replaces', () => faults.dropMidFrame());

test('OKX: half-open silence detected by the unanswered ping', () => faults.halfOpenSilence());

test('OKX: close 1001: reconnect and report what was missed', () => faults.close1001());

test('OKX: the 64008 service-upgrade notice: make-before-break with no loss and no duplicate', async () => {
  const { h } = await faults.serverShutdown('upgrade notice (64008)', 'handover by seqId / tradeId');
  const rollover = h.ledger.events.find((event) => event.type === 'rollover');
  assert.ok(rollover?.type === 'rollover' && rollover.reason === 'server-shutdown');
});

test('OKX: injected gap: a books update never sent, its seqIds reported up to the prevSeqId that names it', () => faults.injectedGap('injected gap (2 books updates)'));

test('OKX: injected bad checksum: every push delivered once, no gap (the book, not the stream, checks it)', async () => {
  const h = await faults.harness();
  await faults.afterSome(h);
  assert.equal(h.exchange.injectFault({ type: 'checksum', symbol: 'btcusdt' }), 1);
  const row = await faults.finish(h, 'bad checksum', 'delivered as sent');
  assert.equal(row.gaps, 0);
});

test('OKX: one stream silent (silenceStream): reported and resubscribed; the new snapshot comes after a gap', async () => {
  const row = await faults.silencedBySimulator('trades:BTC-USDT');
  assert.ok(row.gaps >= 1, 'the trades made while silent are reported missing');
});

test('OKX: the connection limit (3 a second): 429 + Retry-After on reconnect, never a 418', async () => {
  await faults.limitedBySimulatorCase();
});

test('OKX: exchange restart (500 ms down): reconnect, the ids missed reported', async () => {
  await faults.restartWithDowntime();
});
