// Fault tests of Binance SBE streams over real sockets against the simulator's binance-sbe
// dialect (binary SBE events, JSON control): each asserts that every event the exchange sent on
// the streams with ids (trade, depth) reached the user exactly once or lies in a reported gap
// (Ledger.verifyContiguous, with the ids read from the SBE bytes by the test itself), and the
// table printed at the end gives the figures per case. Also: the simulator refuses a connection
// without the API-key header; a schema the client does not know is reported (typed error and
// unknown-message events) and its events become a gap, never data read with the wrong layout;
// the local book built from SBE diffs on the REST snapshot equals the exchange's after a gap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binanceSbe, binanceSbeMarket, type SbeError } from '../../../src/venues/binance-sbe/index.js';
import { FAULT_SYMBOLS, FaultScenarios } from '../../stream/fault-scenarios.js';
import { waitFor } from '../../stream/ledger.js';

const NAMES = FAULT_SYMBOLS.flatMap((symbol) => [`${symbol}@trade`, `${symbol}@depth`, `${symbol}@bestBidAsk`]);
const API_KEY = 'test-ed25519-api-key';

/** Ids [first, last] of an SBE event, read at the schema's offsets (independently of the library's decoders). */
function sbeIds(name: string, data: Uint8Array, start: number, end: number): [number, number] {
  const view = new DataView(data.buffer, data.byteOffset + start, end - start);
  const blockLength = view.getUint16(0, true);
  const template = view.getUint16(2, true);
  const int64 = (at: number): number => Number(view.getBigInt64(at, true));
  switch (template) {
    case 10000: {
      // trades: groupSizeEncoding (u16 blockLength, u32 numInGroup) after the root block; id first in each entry.
      const group = 8 + blockLength;
      const entryLength = view.getUint16(group, true);
      const count = view.getUint32(group + 2, true);
      return [int64(group + 6), int64(group + 6 + (count - 1) * entryLength)];
    }
    case 10001:
      return [int64(16), int64(16)];
    case 10003:
      return [int64(16), int64(24)];
    default:
      throw new Error(`${name}: template ${template} has no ids`);
  }
}

const faults = new FaultScenarios({ title: 'case (SBE)', simulator: 'binance-sbe', profile: binanceSbe({ apiKey: API_KEY }), names: NAMES, ids: sbeIds, bookStream: (symbol) => `${symbol}@depth` });

test('SBE: no API-key header, no connection (401); with it, live', async () => {
  const withKey = binanceSbe({ apiKey: API_KEY });
  const { connectionHeaders: _dropped, ...withoutHeaders } = withKey;
  const h = await faults.harness({ stream: { maxDelayMs: 50, venue: withoutHeaders }, live: false });
  await waitFor('refused attempts', () => h.ledger.count('connect-failed') >= 2);
  const failed = h.ledger.events.filter((event) => event.type === 'connect-failed');
  assert.ok(failed.every((event) => event.type === 'connect-failed' && event.status === 401));
  assert.equal(h.ledger.count('live'), 0);
  assert.equal(h.ledger.delivered, 0);
  assert.throws(() => binanceSbe({ apiKey: '' }), TypeError);
  assert.throws(() => binanceSbe({ apiKey: 'key\r\nX-Other: 1' }), TypeError);
});

test('SBE: TCP drop in the middle of a frame: reconnect, the missed ids reported', () => faults.dropMidFrame());

test('SBE: half-open silence is detected by the unanswered ping', () => faults.halfOpenSilence());

test('SBE: trade frames withheld while the others flow: stream-silent, resubscribed, the missed trades reported', async () => {
  const h = await faults.harness({ stream: { streamSilenceMs: 600 }, proxy: true });
  // Every TradesStreamEvent starts with blockLength 18, template 10000, schema 1, version 0.
  h.proxy!.filter = Buffer.from([18, 0, 0x10, 0x27, 1, 0, 0, 0]);
  await waitFor('stream-silent on both trade streams', () => h.ledger.count('stream-silent') >= 2);
  h.proxy!.filter = null;
  await faults.flowsAgain(h, 'btcusdt@trade');
  const row = await faults.finish(h, 'trade streams silent', `${h.proxy!.framesFiltered} frames withheld`);
  assert.ok(row.gaps >= 1);
});

test('SBE: close 1001: reconnect and report what was missed', () => faults.close1001());

test('SBE: serverShutdown (JSON text): make-before-break, no loss and no duplicates', async () => {
  await faults.serverShutdown('serverShutdown', 'handover by update id');
});

test('SBE: restart with 500 ms downtime: reconnect, the missed ids reported', async () => {
  await faults.restartWithDowntime();
});

test('SBE: 429 and 418 with Retry-After: no attempt before Retry-After', () => faults.refusedByProxyCase());

test('SBE: an unknown schema version is reported (SbeError + unknown-message), its events become a gap', async () => {
  const decodeErrors: SbeError[] = [];
  const h = await faults.harness({ stream: { venue: binanceSbe({ apiKey: API_KEY, onDecodeError: (error) => decodeErrors.push(error) }) } });
  await faults.afterSome(h);
  assert.equal(h.exchange.injectFault({ type: 'sbeSchema', version: 1 }), 1);
  await waitFor('refused messages', () => decodeErrors.length >= 20 && h.ledger.count('unknown-message') >= 20);
  const delivered = h.ledger.delivered;
  assert.ok(decodeErrors.every((error) => error.code === 'TW_ERR_SBE_UNKNOWN_SCHEMA' && error.version === 1 && error.schemaId === 1));
  h.exchange.injectFault({ type: 'sbeSchema', version: 0 });
  const row = await faults.finish(h, 'unknown schema version', `${decodeErrors.length} frames refused as TW_ERR_SBE_UNKNOWN_SCHEMA`);
  assert.ok(h.ledger.delivered > delivered);
  assert.ok(row.gaps >= 2, 'the depth and trade ids carried by the refused frames are reported missing');
});

test('SBE: injected gap with a local book: the range reported, the book resyncs and equals the exchange', () =>
  faults.bookResync((exchange, onGap) => {
    const market = binanceSbeMarket({ apiKey: API_KEY, snapshotIntervalMs: 20 });
    return {
      book: market.createOrderBook('BTCUSDT', { scale: 8, restUrl: exchange.restUrl, listener: { onGap: (_book, from, to) => onGap(from, to) }, requestSnapshot: () => {} }),
      depth: market.createBookDecoder(8),
      name: market.bookStream('BTCUSDT')!,
      gapInsideStreams: true,
    };
  }));
