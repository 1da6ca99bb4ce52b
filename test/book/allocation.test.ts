// Steady state of a book allocates nothing: 1,000,000 depthUpdates (20+20 levels) decoded by
// BinanceDepthDecoder and applied by LocalOrderBook.onDiff to a book in sync, with zero garbage
// collections in the measured window, from an ordinary buffer and from kernel memory (where the
// WebAssembly level kernel reads the levels). A control run that allocates one small object per message
// through the same window must show collections, so the check can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOK_IN_SYNC, DIFF_APPLIED, LocalOrderBook } from '../../src/book/index.js';
import { BinanceDepthDecoder, binanceSnapshotDecoder } from '../../src/venues/binance/index.js';
import { GcWindow } from '../helpers/gc-window.js';
import { pack } from '../helpers/pack.js';
import { allocateKernelBuffer, kernelImplementation } from '../../src/kernels/index.js';

const MESSAGES = 1_000_000;
/** Per warm-up round; several rounds so every tier (Sparkplug, Maglev on Node 22+, TurboFan) has settled. */
const WARMUP = 100_000;
const DISTINCT = 64;
const encoder = new TextEncoder();
const gc = (globalThis as { gc?: () => void }).gc;

function level(price: number, quantity: number): string {
  return `["${price.toFixed(8)}","${quantity.toFixed(8)}"]`;
}


/** 64 distinct 20+20-level updates; some quantities are 0 (levels removed and added back). */
function depthUpdates(): string[] {
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids: string[] = [];
    const asks: string[] = [];
    for (let j = 0; j < 20; j++) {
      bids.push(level(67000 - j * 0.5 - k, ((k + j * 13) % 400) / 100));
      asks.push(level(67000.01 + j * 0.5 + k, ((k * 3 + j * 7) % 400) / 100));
    }
    texts.push(`{"e":"depthUpdate","E":${1700000000000 + k},"s":"BTCUSDT","U":1,"u":1,"b":[${bids.join(',')}],"a":[${asks.join(',')}]}`);
  }
  return texts;
}

function syncedBook(): LocalOrderBook {
  const book = new LocalOrderBook({ symbol: 'BTCUSDT', fetchSnapshot: () => new Promise(() => {}), decodeSnapshot: binanceSnapshotDecoder() });
  const bids = Array.from({ length: 1000 }, (_, j) => level(67000 - j * 0.25, 1 + (j % 7))).join(',');
  const asks = Array.from({ length: 1000 }, (_, j) => level(67000.01 + j * 0.25, 1 + (j % 5))).join(',');
  assert.equal(book.onSnapshotBody(encoder.encode(`{"lastUpdateId":0,"bids":[${bids}],"asks":[${asks}]}`)), true);
  assert.equal(book.state, BOOK_IN_SYNC);
  return book;
}

/** Where the decoder finds the messages: how a user's messages can arrive. */
type Placement = 'ordinary buffer' | 'one Buffer per message' | 'receive buffer';

/**
 * The corpus as views and ranges: one ordinary buffer holding every message (levels read by the
 * WebAssembly kernel after a range copy into kernel memory); one Buffer per message, as `ws`
 * delivers them (a whole-view copy); or kernel memory as the client receives it (read in place).
 */
function placed(placement: Placement): { views: Uint8Array[]; starts: Int32Array; ends: Int32Array } {
  const packed = pack(depthUpdates());
  const starts = packed.offsets.subarray(0, DISTINCT);
  const ends = packed.offsets.subarray(1, DISTINCT + 1);
  if (placement === 'one Buffer per message') {
    const views = Array.from({ length: DISTINCT }, (_, k) => Buffer.from(packed.data.subarray(starts[k]!, ends[k]!)));
    return { views, starts: new Int32Array(DISTINCT), ends: Int32Array.from(views, (view) => view.length) };
  }
  let data = packed.data;
  if (placement === 'receive buffer') {
    data = allocateKernelBuffer(packed.data.length);
    data.set(packed.data);
  }
  return { views: Array.from({ length: DISTINCT }, () => data), starts, ends };
}

for (const placement of ['ordinary buffer', 'one Buffer per message', 'receive buffer'] as const) test(`1M depth updates decoded into a book in sync, from ${placement === 'receive buffer' ? 'the receive buffer (kernel memory)' : placement === 'ordinary buffer' ? 'an ordinary buffer' : placement}: 0 GCs, flat heap; one object per message is caught`, async () => {
  const { views, starts, ends } = placed(placement);
  const decoder = new BinanceDepthDecoder();
  const book = syncedBook();
  book.book.updateId = 73_000_000_000;
  const diff = decoder.diff;
  // Binance's update ids are past 2^31 (not small integers for V8): kept in a typed array so the
  // test itself boxes nothing.
  const ids = new Float64Array([73_000_000_001]);
  let notApplied = 0;
  // What the loops read from the book is summed into a typed array: a double accumulated in a
  // local or a closure variable may itself be boxed (Node 22+), which would measure the test.
  const sums = new Float64Array(1);
  const run = (count: number): number => {
    let applied = 0;
    for (let n = 0; n < count; n++) {
      const k = n & (DISTINCT - 1);
      if (!decoder.decode(views[k]!, starts[k]!, ends[k]!)) {
        notApplied++;
        continue;
      }
      const id = ids[0]!;
      diff.firstUpdateId = id;
      diff.finalUpdateId = id + 9;
      ids[0] = id + 10;
      if (book.onDiff(diff) !== DIFF_APPLIED) notApplied++;
      else applied++;
      sums[0] = sums[0]! + book.bids.best[0]! - book.asks.best[0]!;
    }
    return applied;
  };
  // The control: the same loop plus one small object per message (its own function, so its
  // optimized code never replaces the clean loop's).
  const kept: Array<{ n: number }> = [];
  const runAllocating = (count: number): number => {
    let applied = 0;
    for (let n = 0; n < count; n++) {
      const k = n & (DISTINCT - 1);
      if (!decoder.decode(views[k]!, starts[k]!, ends[k]!)) continue;
      const id = ids[0]!;
      diff.firstUpdateId = id;
      diff.finalUpdateId = id + 9;
      ids[0] = id + 10;
      book.onDiff(diff);
      kept[n & 1023] = { n }; // escapes: a real allocation per message
      applied++;
    }
    return applied;
  };

  const measure = async (count: number, loop: (count: number) => number): Promise<{ scavenges: number; others: number; growth: number; applied: number }> => {
    gc?.();
    const window = new GcWindow();
    window.begin();
    const heapBefore = process.memoryUsage().heapUsed;
    const applied = loop(count);
    const heapAfter = process.memoryUsage().heapUsed;
    window.end();
    const counts = await window.collect();
    return { ...counts, growth: heapAfter - heapBefore, applied };
  };

  // Several calls: the first is optimized on-stack mid-loop; later ones start in final code.
  for (let round = 0; round < 4; round++) run(WARMUP);
  runAllocating(WARMUP);
  const clean = await measure(MESSAGES, run);
  const control = await measure(MESSAGES, runAllocating);

  assert.equal(notApplied, 0);
  assert.equal(decoder.generalPathCount, 0, 'every message took the single-pass parser');
  if (kernelImplementation === 'simd') {
    // outside kernel memory every message is copied in for the kernel (on Node 20, a range of a
    // buffer from its second sighting on); in it, none is
    if (placement === 'receive buffer') assert.equal(decoder.stagedCount, 0);
    else assert.ok(decoder.stagedCount >= 4 * WARMUP + 2 * MESSAGES, `staged ${decoder.stagedCount}`);
  }
  assert.equal(clean.applied, MESSAGES);
  assert.ok(Number.isFinite(sums[0]!) && sums[0]! !== 0, 'the loop read the top of the book');
  console.log(`1M depth updates into the book: ${clean.scavenges} scavenges, ${clean.others} other GCs, heap growth ${clean.growth} bytes; control (1 object/msg): ${control.scavenges} scavenges`);
  assert.ok(control.scavenges + control.others >= 1, 'the window sees the collections one object per message causes');
  assert.equal(clean.scavenges, 0, `expected no scavenge, saw ${clean.scavenges}`);
  assert.equal(clean.others, 0);
  assert.ok(clean.growth < 1024 * 1024, `heap grew by ${clean.growth} bytes`);
});
