// The simulator's venue seam (simulator/venues/dialect.ts) with a small dialect written here:
// binary payloads through the fan-out, a text ping/pong control message, an in-band snapshot on
// subscribe, the idle rule (no server pings; a silent client is closed), the venue-neutral gap
// fault on a dialect's diff stream, and Binance-only faults refused elsewhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { startExchange } from '../../../simulator/exchange.js';
import { TO_ALL } from '../../../simulator/fanout.js';
import type { StreamCatalogue, StreamEntry } from '../../../simulator/registry.js';
import { BINANCE_LIMITS } from '../../../simulator/session.js';
import type { VenueDialect } from '../../../simulator/venues/dialect.js';

const KIND_TOP = 0;
const KIND_DIFF = 1;

const catalogue: StreamCatalogue = {
  namesFor: (symbol) => [`top.${symbol}`, `diff.${symbol}`],
  globalNames: [],
  parse(name, symbols) {
    const [kind, symbol] = name.split('.');
    if (symbol === undefined || !symbols.has(symbol)) return null;
    return { name, symbol, kind: kind === 'top' ? KIND_TOP : KIND_DIFF, levels: 0, intervalMs: kind === 'top' ? 0 : 100, variant: '', offsetMs: 0 };
  },
  isDiff: (spec) => spec.kind === KIND_DIFF,
  usesLedger: () => false,
  isBinary: (spec) => spec.kind === KIND_TOP,
};

/** Binary top of book: [updateId u32 LE][bid tick u32 LE]; diff events as text `first-last`. */
const testDialect: VenueDialect = {
  name: 'test-venue',
  limits: { ...BINANCE_LIMITS, pingIntervalMs: 0, maxIncomingPerSecond: 0 },
  catalogue,
  create(context) {
    const { registry, fanout } = context;
    const send = (entry: StreamEntry): void => {
      const diff = entry.diff!;
      if (!diff.pending || entry.silenced) return;
      if (entry.dropEvents > 0) entry.dropEvents--;
      else {
        fanout.begin(entry).ascii(`${diff.firstUpdateId}-${entry.market!.updateId}`);
        fanout.publish(entry, TO_ALL);
      }
      diff.clear();
    };
    return {
      timerIntervalsMs: [100],
      sessionRules: { idleTimeoutMs: 300, idleCloseCode: 4000, lifetimeNotice: null },
      listener: {
        onTop(market) {
          const entry = registry.get(`top.${market.symbol}`)!;
          if (entry.subscribers.length === 0) return;
          const writer = fanout.begin(entry);
          const at = writer.reserve(8);
          writer.buffer.writeUInt32LE(market.updateId, at);
          writer.buffer.writeUInt32LE(market.bestBidTick, at + 4);
          fanout.publish(entry, TO_ALL);
        },
        onTrade() {},
      },
      readClock() {},
      emitTimed() {
        for (const entry of registry.diffStreams()) send(entry);
      },
      flushDiffs() {
        for (const entry of registry.diffStreams()) send(entry);
      },
      openConnection(request) {
        if (request.path !== '/v1') return 404;
        return { combined: false, microseconds: false, streams: [] };
      },
      onSubscribed(session, entry) {
        if (entry.diff !== null) session.connection.sendText(`snapshot ${entry.market!.updateId}`);
      },
      onMessage(session, data, start, end, isText) {
        const text = Buffer.from(data.buffer, data.byteOffset + start, end - start).toString();
        if (isText && text === 'ping') return session.connection.sendText('pong');
        if (isText && text.startsWith('sub ')) {
          const entry = registry.get(text.slice(4));
          if (entry === undefined) return session.connection.sendText('error');
          registry.subscribe(session, entry);
          if (entry.diff !== null) session.connection.sendText(`snapshot ${entry.market!.updateId}`);
        }
      },
      rest: (request) => (request.path === '/v1/time' ? { status: 200, body: 'now' } : undefined),
      book: (market) => ({ lastUpdateId: market.updateId, bids: [], asks: [], extra: { venue: 'test' } }),
    };
  },
};

function collect(socket: WebSocket): Array<{ binary: boolean; data: Buffer }> {
  const received: Array<{ binary: boolean; data: Buffer }> = [];
  socket.on('message', (data: Buffer, isBinary: boolean) => received.push({ binary: isBinary, data }));
  return received;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 8000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('simulator venue seam', () => {
  it('refuses an unknown venue name and names the default one', async () => {
    await assert.rejects(startExchange({ venue: 'nowhere' }), RangeError);
    const exchange = await startExchange({ venue: 'binance-spot', symbols: ['btcusdt'] });
    try {
      assert.equal(exchange.venue, 'binance-spot');
    } finally {
      await exchange.close();
    }
  });

  it('serves a dialect: binary payloads, control messages, in-band snapshot, gap, REST, book', async () => {
    const exchange = await startExchange({ venue: testDialect, symbols: ['btcusdt'], rate: 200 });
    try {
      assert.equal(exchange.venue, 'test-venue');
      const socket = new WebSocket(`${exchange.url}/v1`);
      const received = collect(socket);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send('ping');
      // The dialect's idle rule closes a client that sends nothing for 300 ms.
      const keepAlive = setInterval(() => socket.send('ping'), 100);
      socket.once('close', () => clearInterval(keepAlive));
      socket.send('sub top.btcusdt');
      socket.send('sub diff.btcusdt');
      await until(() => received.filter((message) => message.binary).length >= 5, 'binary top-of-book events');
      const texts = (): string[] => received.filter((message) => !message.binary && message.data.toString() !== 'pong').map((message) => message.data.toString());
      await until(() => texts().filter((text) => /^\d+-\d+$/.test(text)).length >= 2, 'diff events');
      assert.equal(received.find((message) => !message.binary)!.data.toString(), 'pong');
      assert.match(texts()[0]!, /^snapshot \d+$/);
      // The diffs chain from the snapshot: each first id is the previous last id + 1.
      let last = Number(texts()[0]!.slice(9));
      const diffs = (): Array<[number, number]> => texts().filter((text) => /^\d+-\d+$/.test(text)).map((text) => text.split('-').map(Number) as [number, number]);
      for (const [first, final] of diffs()) {
        assert.equal(first, last + 1);
        last = final;
      }
      const binary = received.find((message) => message.binary)!.data;
      assert.equal(binary.length, 8);
      // Gap fault on the dialect's diff stream: the next event is dropped, so ids skip.
      const before = diffs().length;
      assert.equal(exchange.injectFault({ type: 'gap', symbol: 'btcusdt' }), 1);
      await until(() => diffs().length >= before + 2, 'diff events after the gap');
      const after = diffs().slice(before - 1);
      assert.ok(after.some(([first], index) => index > 0 && first > after[index - 1]![1] + 1), 'a skipped id range');
      assert.throws(() => exchange.injectFault({ type: 'serverShutdown' }), RangeError);
      assert.deepEqual(exchange.book('btcusdt').extra, { venue: 'test' });
      const response = await fetch(`${exchange.restUrl}/v1/time`);
      assert.equal(await response.text(), 'now');
      assert.equal((await fetch(`${exchange.restUrl}/api/v3/depth?symbol=BTCUSDT`)).status, 404);
      socket.close();
    } finally {
      await exchange.close();
    }
  });

  it('closes a client that sends nothing for the idle timeout, and keeps one that pings', async () => {
    const exchange = await startExchange({ venue: testDialect, symbols: ['btcusdt'] });
    try {
      const quiet = new WebSocket(`${exchange.url}/v1`);
      const pinging = new WebSocket(`${exchange.url}/v1`);
      const quietClosed = new Promise<number>((resolve) => quiet.once('close', resolve));
      let pingingClosed = false;
      pinging.once('close', () => (pingingClosed = true));
      await new Promise((resolve) => pinging.once('open', resolve));
      const timer = setInterval(() => pinging.send('ping'), 50);
      try {
        assert.equal(await quietClosed, 4000);
        assert.equal(pingingClosed, false);
      } finally {
        clearInterval(timer);
      }
      assert.equal(await new Promise((resolve) => pinging.once('close', resolve)), 4000);
    } finally {
      await exchange.close();
    }
  });

  it('refuses a path the dialect does not serve (404)', async () => {
    const exchange = await startExchange({ venue: testDialect, symbols: ['btcusdt'] });
    try {
      const socket = new WebSocket(`${exchange.url}/ws/btcusdt@trade`);
      const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
      assert.equal(status, 404);
    } finally {
      await exchange.close();
    }
  });
});
