// Steady state of the SBE decoders, and of the stream decoder that routes binary frames, allocates nothing: 300,000 messages of each kind
// (bestBidAsk -> TopOfBook, 4-trade TradesStreamEvents -> TradeTick via begin/next, 20+20-level
// DepthDiffStreamEvents -> DepthDiff) with zero garbage collections in the measured window. A
// control that allocates one small object per message through the same window must show
// collections, so the check can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopOfBook, TradeTick } from '../../../src/market/events.js';
import { StreamNameTable } from '../../../src/stream/name-table.js';
import { MESSAGE_DATA } from '../../../src/stream/venue.js';
import { SbeBestBidAskDecoder, SbeDepthDecoder, SbeStreamDecoder, SbeTradesDecoder } from '../../../src/venues/binance-sbe/index.js';
import { LevelBatch, SbeWriter, TradeBatch, writeBestBidAskEvent, writeDepthDiffEvent, writeTradesEvent } from '../../../simulator/venues/binance-sbe/sbe-writer.js';
import { measureSettled, measureWithControl } from '../../helpers/gc-window.js';
import { packBytes } from '../../helpers/pack.js';

const MESSAGES = 300_000;
const ROUND = 20_000;
const DISTINCT = 64;
const symbol = new TextEncoder().encode('BTCUSDT');

/** DISTINCT messages of each template laid end to end: [bestBidAsk..., trades..., depth...]. */
function corpus(): { data: Uint8Array; offsets: Int32Array } {
  const writer = new SbeWriter();
  const parts: Uint8Array[] = [];
  const trades = new TradeBatch();
  const bids = new LevelBatch();
  const asks = new LevelBatch();
  for (let k = 0; k < DISTINCT; k++) {
    writer.reset();
    // Ids and times past 2^31, as Binance's are.
    writeBestBidAskEvent(writer, symbol, 1_700_000_000_000_000 + k, 73_000_000_000 + k, -2, -5, 6_700_000 + k, 100 + k, 6_700_001 + k, 200 + k);
    parts.push(Uint8Array.from(writer.bytes()));
  }
  for (let k = 0; k < DISTINCT; k++) {
    trades.clear();
    for (let j = 0; j < 4; j++) trades.add(3_000_000_000 + 4 * k + j, 6_700_000 + j, 1 + k + j, j % 2 === 0);
    writer.reset();
    writeTradesEvent(writer, symbol, 1_700_000_000_000_000 + k, 1_700_000_000_000_000 + k, -2, -5, trades);
    parts.push(Uint8Array.from(writer.bytes()));
  }
  for (let k = 0; k < DISTINCT; k++) {
    bids.clear();
    asks.clear();
    for (let j = 0; j < 20; j++) {
      bids.add(6_700_000 - j * 50 - k, ((k + j * 13) % 400) * 1000);
      asks.add(6_700_001 + j * 50 + k, ((k * 3 + j * 7) % 400) * 1000);
    }
    writer.reset();
    writeDepthDiffEvent(writer, symbol, 1_700_000_000_000_000 + k, 73_000_000_000 + 40 * k, 73_000_000_039 + 40 * k, -2, -5, bids, asks);
    parts.push(Uint8Array.from(writer.bytes()));
  }
  return packBytes(parts);
}

test('300k messages of each SBE template decoded: 0 GCs; one object per message is caught', async () => {
  const { data, offsets } = corpus();
  const bestBidAsk = new SbeBestBidAskDecoder();
  const trades = new SbeTradesDecoder();
  const depth = new SbeDepthDecoder();
  const top = new TopOfBook();
  const tick = new TradeTick();
  // What the loops read is summed into a typed array: a double kept in a local of a long loop may
  // itself be boxed (Node 22+), which would measure the test, not the decoders.
  const sums = new Float64Array(1);
  const failures = new Int32Array(1);
  const handle = (n: number): void => {
    const k = n % (3 * DISTINCT);
    const start = offsets[k]!;
    const end = offsets[k + 1]!;
    if (k < DISTINCT) {
      if (bestBidAsk.decode(data, start, end, top)) sums[0] = sums[0]! + top.bidPrice - top.askPrice + top.updateId;
      else failures[0]!++;
    } else if (k < 2 * DISTINCT) {
      if (!trades.begin(data, start, end)) failures[0]!++;
      while (trades.next(tick)) sums[0] = sums[0]! + tick.price + tick.quantity + tick.tradeId;
    } else if (depth.decode(data, start, end)) {
      const diff = depth.diff;
      sums[0] = sums[0]! + diff.bids[0]! + diff.asks[2 * diff.askCount - 1]! + diff.finalUpdateId;
    } else {
      failures[0]!++;
    }
  };
  const run = (count: number): number => {
    for (let n = 0; n < count; n++) handle(n);
    return count;
  };
  const kept: Array<{ n: number }> = [];
  const runAllocating = (count: number): number => {
    for (let n = 0; n < count; n++) {
      handle(n);
      kept[n & 1023] = { n }; // escapes: a real allocation per message
    }
    return count;
  };

  const { clean, control } = await measureWithControl(() => run(ROUND), () => runAllocating(ROUND), (3 * MESSAGES) / ROUND);
  assert.equal(failures[0], 0, 'every message decoded');
  assert.ok(Number.isFinite(sums[0]!) && sums[0]! !== 0, 'the loop read the decoded values');
  console.log(`SBE: ${3 * MESSAGES} messages, ${clean.scavenges} scavenges, ${clean.others} other GCs; control (1 object/msg): ${control.scavenges} scavenges`);
  assert.ok(control.scavenges + control.others >= 1, 'the window sees the collections one object per message causes');
  assert.equal(clean.scavenges, 0, `expected no scavenge, saw ${clean.scavenges}`);
  assert.equal(clean.others, 0);
});

test('the stream decoder (template + symbol -> stream name, ids) over 900k binary frames: 0 GCs', async () => {
  const { data, offsets } = corpus();
  const table = new StreamNameTable();
  for (const name of ['btcusdt@bestBidAsk', 'btcusdt@trade', 'btcusdt@depth']) table.add(name);
  const decoder = new SbeStreamDecoder(table, () => new Uint8Array(64));
  const sums = new Float64Array(1);
  const failures = new Int32Array(1);
  const run = (count: number): number => {
    for (let n = 0; n < count; n++) {
      const k = n % (3 * DISTINCT);
      if (decoder.decodeBinary(data, offsets[k]!, offsets[k + 1]!) !== MESSAGE_DATA) failures[0]!++;
      else sums[0] = sums[0]! + decoder.stream + decoder.lastId - decoder.firstId;
    }
    return count;
  };
  const counts = await measureSettled(() => run(ROUND), (3 * MESSAGES) / ROUND);
  assert.equal(failures[0], 0, 'every frame named a subscribed stream');
  assert.ok(sums[0]! > 0, 'the loop read the stream and ids');
  console.log(`SBE stream decoder: ${3 * MESSAGES} frames, ${counts.scavenges} scavenges, ${counts.others} other GCs`);
  assert.equal(counts.scavenges, 0, `expected no scavenge, saw ${counts.scavenges}`);
  assert.equal(counts.others, 0);
});
