// Steady state of the OKX path allocates nothing: 300,000 pushes of each kind through the stream
// decoder and the venue decoders — books updates (10+10 levels) into an in-band LocalOrderBook in
// sync with the CRC-32 checksum verified on every update, trades into TradeTick (begin/next),
// bbo-tbt into TopOfBook — with zero garbage collections in the measured window. A control that
// allocates one small object per message through the same window must show collections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOK_IN_SYNC, DepthDiff, OrderBook } from '../../../src/book/index.js';
import { TopOfBook, TradeTick } from '../../../src/market/events.js';
import { StreamNameTable } from '../../../src/stream/name-table.js';
import { MESSAGE_DATA } from '../../../src/stream/venue.js';
import { OkxBookDecoder, OkxChecksum, OkxChecksumVerifier, OkxTopOfBookDecoder, OkxTradeIterator, okxOrderBook, okxPublic } from '../../../src/venues/okx/index.js';
import { measureWithControl } from '../../helpers/gc-window.js';
import { pack } from '../../helpers/pack.js';

const MESSAGES = 300_000;
const ROUND = 20_000;
const DISTINCT = 64;
const LEVELS = 10;
const INST = 'BTC-USDT';

const price = (tenths: number): string => (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1));
const size = (k: number, j: number): string => String(((k * 7 + j * 13) % 50) / 4); // some 0: removals

/** Snapshot levels (tenths of a unit): 50 per side around 67,000. */
const SNAPSHOT_BIDS = Array.from({ length: 50 }, (_, j) => [670_000 - j, `${1 + (j % 7)}`] as const);
const SNAPSHOT_ASKS = Array.from({ length: 50 }, (_, j) => [670_001 + j, `${1 + (j % 5)}`] as const);

function books(action: string, bids: ReadonlyArray<readonly [number, string]>, asks: ReadonlyArray<readonly [number, string]>, checksum: number, prev: number, seq: number): string {
  const side = (levels: ReadonlyArray<readonly [number, string]>): string => levels.map(([p, q]) => `["${price(p)}","${q}","0","1"]`).join(',');
  return `{"arg":{"channel":"books","instId":"${INST}"},"action":"${action}","data":[{"asks":[${side(asks)}],"bids":[${side(bids)}],"ts":"1700000000000","checksum":${checksum},"prevSeqId":${prev},"seqId":${seq}}]}`;
}

/**
 * The snapshot, then DISTINCT updates that each set the same top 10 levels per side: the book
 * after update k depends on update k alone, so its checksum holds every time the corpus repeats.
 */
function corpus(): { texts: string[]; snapshot: string } {
  const decoder = new OkxBookDecoder();
  const checksum = new OkxChecksum();
  const encoder = new TextEncoder();
  const bookOf = (text: string, base: OrderBook | null): OrderBook => {
    const payload = encoder.encode(JSON.stringify((JSON.parse(text) as { data: unknown }).data));
    assert.ok(decoder.decode(payload, 0, payload.length));
    const book = new OrderBook();
    if (base === null) book.load(decoder.diff, 1);
    else {
      book.load(snapshotDiff, 1);
      book.apply(decoder.diff);
    }
    return book;
  };
  const snapshotText = books('snapshot', SNAPSHOT_BIDS, SNAPSHOT_ASKS, 0, -1, 1);
  const snapshotBook = bookOf(snapshotText, null);
  const snapshotDiff = new DepthDiff();
  snapshotDiff.copyFrom(decoder.diff);
  const snapshot = books('snapshot', SNAPSHOT_BIDS, SNAPSHOT_ASKS, checksum.compute(snapshotBook), -1, 1);
  const texts: string[] = [];
  for (let k = 0; k < DISTINCT; k++) {
    const bids = Array.from({ length: LEVELS }, (_, j) => [670_000 - j, size(k, j)] as const);
    const asks = Array.from({ length: LEVELS }, (_, j) => [670_001 + j, size(k + 3, j)] as const);
    const provisional = books('update', bids, asks, 0, 1, 2);
    const after = bookOf(provisional, snapshotBook);
    texts.push(books('update', bids, asks, checksum.compute(after), 1, 2));
    texts.push(
      `{"arg":{"channel":"trades","instId":"${INST}"},"data":[{"instId":"${INST}","tradeId":"${3_000_000_000 + k}","px":"${price(670_000 + k)}","sz":"0.${k + 1}","side":"${k % 2 === 0 ? 'buy' : 'sell'}","ts":"${1_700_000_000_000 + k}","count":"1","source":"0","seqId":${5_000_000_000 + k}}]}`,
    );
    texts.push(`{"arg":{"channel":"bbo-tbt","instId":"${INST}"},"data":[{"asks":[["${price(670_001 + k)}","${k + 1}","0","2"]],"bids":[["${price(670_000 - k)}","${k + 2}","0","2"]],"ts":"${1_700_000_000_000 + k}","seqId":${5_000_000_000 + k}}]}`);
  }
  return { texts, snapshot };
}

test('300k OKX pushes of each kind (books with checksum into a book, trades, bbo-tbt): 0 GCs; one object per message is caught', async () => {
  const { texts, snapshot } = corpus();
  const encoder = new TextEncoder();
  const { data, offsets } = pack(texts);
  const table = new StreamNameTable();
  const names = [`books:${INST}`, `trades:${INST}`, `bbo-tbt:${INST}`];
  const layouts = new Uint8Array(names.map((name) => okxPublic.idLayout(name)));
  for (const name of names) table.add(name);
  const stream = okxPublic.createDecoder(table, () => layouts);
  const books = new OkxBookDecoder();
  const trades = new OkxTradeIterator();
  const tops = new OkxTopOfBookDecoder();
  const top = new TopOfBook();
  const tick = new TradeTick();
  let resyncs = 0;
  const verifier = new OkxChecksumVerifier();
  const book = okxOrderBook({ symbol: INST, verifier, requestSnapshot: () => resyncs++ });
  const snapshotBytes = encoder.encode(snapshot);
  assert.equal(stream.decode(snapshotBytes, 0, snapshotBytes.length), MESSAGE_DATA);
  assert.ok(books.decode(snapshotBytes, stream.payloadStart, stream.payloadEnd));
  book.onDiff(books.diff);
  assert.equal(book.state, BOOK_IN_SYNC);

  const sums = new Float64Array(1);
  const failures = new Int32Array(1);
  const handle = (n: number): void => {
    const k = n % texts.length;
    if (stream.decode(data, offsets[k]!, offsets[k + 1]!) !== MESSAGE_DATA) {
      failures[0]!++;
      return;
    }
    const start = stream.payloadStart;
    const end = stream.payloadEnd;
    switch (stream.stream) {
      case 0: {
        if (!books.decode(data, start, end)) {
          failures[0]!++;
          return;
        }
        // The corpus repeats: renumber so each update follows on from the book.
        const diff = books.diff;
        diff.previousUpdateId = book.book.updateId;
        diff.finalUpdateId = book.book.updateId + 1;
        book.onDiff(diff);
        sums[0] = sums[0]! + book.bids.best[0]!;
        return;
      }
      case 1:
        if (!trades.begin(data, start, end)) failures[0]!++;
        while (trades.next(tick)) sums[0] = sums[0]! + tick.price + tick.tradeId;
        return;
      default:
        if (tops.decode(data, start, end, top)) sums[0] = sums[0]! + top.bidPrice - top.askPrice + top.updateId;
        else failures[0]!++;
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
      kept[n & 1023] = { n };
    }
    return count;
  };

  const { clean, control } = await measureWithControl(() => run(ROUND), () => runAllocating(ROUND), (3 * MESSAGES) / ROUND);
  assert.equal(failures[0], 0, 'every push decoded');
  assert.equal(resyncs, 0, 'every checksum matched: the book never asked for a snapshot');
  assert.equal(book.state, BOOK_IN_SYNC);
  assert.ok(verifier.verified > 2 * MESSAGES && verifier.skipped === 0, `checksums verified: ${verifier.verified}, skipped ${verifier.skipped}`);
  assert.ok(Number.isFinite(sums[0]!) && sums[0]! !== 0, 'the loop read the decoded values');
  console.log(`OKX: ${3 * MESSAGES} pushes, ${clean.scavenges} scavenges, ${clean.others} other GCs; control (1 object/msg): ${control.scavenges} scavenges`);
  assert.ok(control.scavenges + control.others >= 1, 'the window sees the collections one object per message causes');
  assert.equal(clean.scavenges, 0, `expected no scavenge, saw ${clean.scavenges}`);
  assert.equal(clean.others, 0);
});
