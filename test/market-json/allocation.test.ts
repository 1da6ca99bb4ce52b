// Steady state allocates nothing: 1,000,000 bookTicker scans (plus numberInto, integerInto and
// equals reads) and 100,000 depth updates (levels walked) from a preallocated buffer, with the GC
// activity observed through PerformanceObserver and the heap measured before and after.
//
// Each message goes through a handler function, as in an application (a socket's onMessage),
// and the doubles read go into a Float64Array (the application's state). A double kept in a
// local of one long loop instead is boxed by V8 12+ (Node 22 and later) on every iteration once
// that loop runs in on-stack-replaced code compiled concurrently, if the loop also calls a
// function that is not inlined (scan() does): a loop without any tickwire call allocates the
// same 16 bytes per iteration there. That would measure the loop, not the extractor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalFallbackCount } from '../../src/market-json/decimal.js';
import { jsonFields, type JsonFields } from '../../src/market-json/index.js';
import { GcWindow, warmUntilFlat } from '../helpers/gc-window.js';
import { pack } from '../helpers/pack.js';

const MESSAGES = 1_000_000;
const DEPTH_UPDATES = 100_000;
const DISTINCT = 1024;
/**
 * Messages per round. The warm-up repeats rounds until the heap stays flat, and the measured
 * window is made of the same rounds: a driver loop first entered in the window would be compiled
 * there (on-stack replacement goes through Maglev, whose code boxes the handler's doubles until
 * Turbofan's arrives), and a full GC drops the cached on-stack-replacement code; so the GC runs
 * before the warm-up, not between it and the window.
 */
const ROUND = 20_000;

const encoder = new TextEncoder();

/** `interleaved`: odd messages put "s" before "u", so no two consecutive messages share a key order. */
function bookTickers(interleaved = false): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bid = (60000 + k * 0.37).toFixed(8);
    const ask = (60000 + k * 0.37 + 0.01).toFixed(8);
    const symbol = k % 3 === 0 ? 'BTCUSDT' : 'ETHUSDT';
    const head = interleaved && k % 2 === 1 ? `"s":"${symbol}","u":${400900217 + k}` : `"u":${400900217 + k},"s":"${symbol}"`;
    texts.push(`{${head},"b":"${bid}","B":"${((k % 97) / 7).toFixed(8)}","a":"${ask}","A":"${((k % 13) * 1.25).toFixed(8)}"}`);
  }
  return texts;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Adds b, B, a, A and u of the last scan, read through numberInto / integerInto, to checksum[0].
 * Returns nothing: no double crosses a call here either, inlined or not.
 */
function addBookTicker(fields: JsonFields, values: Float64Array, checksum: Float64Array): void {
  fields.numberInto(1, values, 1);
  fields.numberInto(2, values, 2);
  fields.numberInto(3, values, 3);
  fields.numberInto(4, values, 4);
  fields.integerInto(5, values, 5);
  checksum[0]! += values[1]! - values[3]! + values[2]! + values[4]! + values[5]!;
}

test('1M bookTicker scans: no more than a couple of young-gen GCs, flat heap', async () => {
  const { data, offsets } = pack(bookTickers());
  const fields = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);
  const btcusdt = encoder.encode('BTCUSDT');
  let btc = 0;
  let failures = 0;
  // A double in a closure variable would be boxed at every store: the sum lives in a typed array.
  const checksum = new Float64Array(1);
  // numberInto / integerInto: no double crosses a call, so nothing is boxed whatever V8 decides
  // to inline. number() is only allocation-free where it is inlined, and V8 stops counting it as
  // always-inlinable once it has been optimized on its own first (its optimized code then
  // includes the reader, over the small-function size). With number() here, about one run in
  // twelve on Node 20 saw 8 scavenges in this window, and --trace-turbo-inlining showed
  // number() left as a call in onMessage.
  const values = new Float64Array(6);
  const onMessage = (k: number): void => {
    if (!fields.scan(data, offsets[k]!, offsets[k + 1]!)) {
      failures++;
      return;
    }
    addBookTicker(fields, values, checksum);
    if (fields.equals(0, btcusdt)) btc++;
  };
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) onMessage(n & (DISTINCT - 1));
  };

  gc?.();
  warmUntilFlat(round);
  btc = 0;
  const gcWindow = new GcWindow();
  gcWindow.begin();
  const fallbacksBefore = decimalFallbackCount();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let r = 0; r < MESSAGES / ROUND; r++) round();
  const heapAfter = process.memoryUsage().heapUsed;
  gcWindow.end();
  const counts = await gcWindow.collect();

  assert.equal(failures, 0);
  // One stream, one key order: the measured messages all took the shape pass (src/market-json/shape.ts),
  // so this test covers its decimals read during the scan as well as the general scanner's lazy reads.
  const shapeHits = (fields as unknown as { shape: { hits: number } }).shape.hits;
  assert.ok(shapeHits >= MESSAGES, `shape pass taken ${shapeHits} times`);
  assert.equal(decimalFallbackCount(), fallbacksBefore, 'fixed 8-decimal prices never take the allocating fallback');
  assert.ok(Number.isFinite(checksum[0]));
  assert.ok(btc > MESSAGES / 4 && btc < MESSAGES / 2, `symbol compare matched ${btc} times`);
  const growth = heapAfter - heapBefore;
  console.log(`1M bookTicker scans: ${counts.scavenges} scavenges, ${counts.others} other GCs, heap growth ${growth} bytes`);
  assert.ok(counts.scavenges <= 2, `expected at most 2 scavenges, saw ${counts.scavenges}`);
  assert.equal(counts.others, 0);
  assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
});

test('bookTickers in two interleaved key orders (general scanner, lazy reads): flat heap', async () => {
  const { data, offsets } = pack(bookTickers(true));
  const fields = jsonFields(['s', 'b', 'B', 'a', 'A', 'u']);
  let failures = 0;
  const checksum = new Float64Array(1);
  // numberInto / integerInto, as in the test above: with number() this window saw 3 and 4
  // scavenges on CI (Node 20), both windows, V8 having left number() as a call.
  const values = new Float64Array(6);
  const onMessage = (k: number): void => {
    if (!fields.scan(data, offsets[k]!, offsets[k + 1]!)) {
      failures++;
      return;
    }
    addBookTicker(fields, values, checksum);
  };
  const round = (): void => {
    for (let n = 0; n < ROUND; n++) onMessage(n & (DISTINCT - 1));
  };
  // A window a loaded machine disturbs (compilation landing inside it) is measured again once
  // after more warm-up; a per-message allocation fails both.
  const measure = async (): Promise<{ scavenges: number; others: number; growth: number; hits: number }> => {
    gc?.();
    warmUntilFlat(round);
    const hitsBefore = (fields as unknown as { shape: { hits: number } }).shape.hits;
    const gcWindow = new GcWindow();
    gcWindow.begin();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let r = 0; r < MESSAGES / 2 / ROUND; r++) round();
    const heapAfter = process.memoryUsage().heapUsed;
    gcWindow.end();
    const counts = await gcWindow.collect();
    return { ...counts, growth: heapAfter - heapBefore, hits: (fields as unknown as { shape: { hits: number } }).shape.hits - hitsBefore };
  };
  let counts = await measure();
  console.log(`500k interleaved bookTicker scans: ${counts.scavenges} scavenges, heap growth ${counts.growth} bytes`);
  if (counts.scavenges > 2 || counts.growth >= 1024 * 1024) {
    counts = await measure();
    console.log(`measured again: ${counts.scavenges} scavenges, heap growth ${counts.growth} bytes`);
  }
  const growth = counts.growth;
  assert.equal(failures, 0);
  assert.ok(Number.isFinite(checksum[0]));
  assert.equal(counts.hits, 0, 'no two consecutive messages share a key order: the general scanner did all the work');
  assert.ok(counts.scavenges <= 2, `expected at most 2 scavenges, saw ${counts.scavenges}`);
  assert.equal(counts.others, 0);
  assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
});

test('depth updates: walking levels allocates nothing', async () => {
  const texts: string[] = [];
  for (let k = 0; k < 256; k++) {
    const level = (price: number): string => `["${price.toFixed(8)}","${((k * 7 + price) % 50).toFixed(3)}"]`;
    const bids = Array.from({ length: 20 }, (_, j) => level(30000 - j * 0.5 - k)).join(',');
    const asks = Array.from({ length: 20 }, (_, j) => level(30001 + j * 0.5 + k)).join(',');
    texts.push(`{"e":"depthUpdate","E":${1700000000000 + k},"s":"BTCUSDT","U":${157 + k * 4},"u":${160 + k * 4},"b":[${bids}],"a":[${asks}]}`);
  }
  const { data, offsets } = pack(texts);
  const fields = jsonFields(['E', 'U', 'u', 'b', 'a']);
  let levels = 0;
  const notional = new Float64Array(1);
  // The Into forms, for the reason given in the first test.
  const values = new Float64Array(4);
  const onMessage = (k: number): void => {
    if (!fields.scan(data, offsets[k]!, offsets[k + 1]!)) return;
    fields.integerInto(2, values, 2);
    fields.integerInto(1, values, 3);
    notional[0]! += values[2]! - values[3]!;
    const bids = fields.levels(3);
    while (bids.next()) {
      bids.priceInto(values, 0);
      bids.quantityInto(values, 1);
      notional[0]! += values[0]! * values[1]!;
      levels++;
    }
    const asks = fields.levels(4);
    while (asks.next()) {
      asks.priceInto(values, 0);
      asks.quantityInto(values, 1);
      notional[0]! -= values[0]! * values[1]!;
      levels++;
    }
  };
  const round = (): void => {
    for (let n = 0; n < 5_000; n++) onMessage(n & 255);
  };
  gc?.();
  warmUntilFlat(round);
  levels = 0;
  const gcWindow = new GcWindow();
  gcWindow.begin();
  const heapBefore = process.memoryUsage().heapUsed;
  // 100k updates: enough that one 32-byte object per update (3.2 MB) breaks both bounds.
  for (let r = 0; r < DEPTH_UPDATES / 5_000; r++) round();
  const heapAfter = process.memoryUsage().heapUsed;
  gcWindow.end();
  const counts = await gcWindow.collect();
  assert.equal(levels, DEPTH_UPDATES * 40);
  assert.ok(Number.isFinite(notional[0]));
  const growth = heapAfter - heapBefore;
  console.log(`${DEPTH_UPDATES} depth updates (${DEPTH_UPDATES * 40} levels): ${counts.scavenges} scavenges, heap growth ${growth} bytes`);
  assert.ok(counts.scavenges <= 2, `expected at most 2 scavenges, saw ${counts.scavenges}`);
  assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
});

test('control: the GC observer does see young-generation collections', async () => {
  const gcWindow = new GcWindow();
  gcWindow.begin();
  let keep: unknown = null;
  for (let n = 0; n < 2_000_000; n++) keep = { n, text: `x${n}` };
  assert.ok(keep !== null);
  gcWindow.end();
  const counts = await gcWindow.collect();
  assert.ok(counts.scavenges > 0, 'allocating 2M objects must trigger scavenges');
});
