// With the native engine, inflating compressed messages allocates nothing per message in steady
// state (the output buffer is reused): market data that arrives compressed stays GC-quiet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PerMessageDeflate } from '../../src/extensions/deflate-codec.js';
import { selectEngineKind } from '../../src/extensions/zlib-engine.js';
import { GcWindow } from '../helpers/gc-window.js';

const PARAMS = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };
const WARMUP = 5_000;
const MEASURED = 20_000;

test('native engine: 20,000 inflates of 1 KiB messages, no scavenge, flat heap', { skip: selectEngineKind() !== 'native' }, async () => {
  const server = new PerMessageDeflate(PARAMS, 'server', { threshold: 0 });
  const client = new PerMessageDeflate(PARAMS, 'client', { threshold: 0 });
  const compressed: Buffer[] = [];
  for (let index = 0; index < WARMUP + MEASURED; index++) {
    let text = '';
    for (let field = 0; text.length < 1024; field++) text += `{"E":${index * 31 + field},"p":"${43000 + ((index * 7919 + field * 104729) % 5000) / 100}","q":"${(index + field) % 977}"},`;
    const bytes = Buffer.from(text.slice(0, 1024));
    const length = server.compress(bytes, 0, bytes.length);
    compressed.push(Buffer.from(server.compressedOutput.subarray(0, length)));
  }
  const gcWindow = new GcWindow();
  let total = 0;
  for (let index = 0; index < WARMUP; index++) total += client.inflate(compressed[index]!, 0, compressed[index]!.length, 1 << 20);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  gcWindow.begin();
  for (let index = WARMUP; index < WARMUP + MEASURED; index++) total += client.inflate(compressed[index]!, 0, compressed[index]!.length, 1 << 20);
  gcWindow.end();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const { scavenges, others } = await gcWindow.collect();
  server.close();
  client.close();
  assert.equal(total, (WARMUP + MEASURED) * 1024);
  assert.ok(scavenges + others <= 1, `${scavenges + others} GCs during ${MEASURED} inflates`);
  // The GC count is the signal; the heap bound (as in the other allocation tests) leaves room for JIT settling.
  assert.ok(heapGrowth < 1024 * 1024, `heap grew ${heapGrowth} bytes`);
});
