import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExchange } from '../../simulator/exchange.js';
import { formatUnits, parseUnits } from '../../simulator/decimal.js';
import { SymbolMarket } from '../../simulator/market.js';
import { JsonWriter } from '../../simulator/json-writer.js';
import { DEFAULT_SYMBOLS } from '../../simulator/exchange.js';
import { payloadText, writeBookSnapshot, writeBookTicker, writeTrade } from '../../simulator/streams.js';
import { assertSameShape, Recorder } from './helpers.js';

const tlsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'tls');

// Payload examples from binance/binance-spot-api-docs web-socket-streams.md and rest-api.md.
// The simulator must produce the same keys, in the same order, with the same JSON types.
const DOC_EXAMPLES: Record<string, unknown> = {
  bookTicker: { u: 400900217, s: 'BNBUSDT', b: '25.35190000', B: '31.21000000', a: '25.36520000', A: '40.66000000' },
  trade: { e: 'trade', E: 1672515782136, s: 'BNBBTC', t: 12345, p: '0.001', q: '100', T: 1672515782136, m: true, M: true },
  aggTrade: { e: 'aggTrade', E: 1672515782136, s: 'BNBBTC', a: 12345, p: '0.001', q: '100', f: 100, l: 105, T: 1672515782136, m: true, M: true },
  depthUpdate: { e: 'depthUpdate', E: 1672515782136, s: 'BNBBTC', U: 157, u: 160, b: [['0.0024', '10']], a: [['0.0026', '100']] },
  partialDepth: { lastUpdateId: 160, bids: [['0.0024', '10']], asks: [['0.0026', '100']] },
  restDepth: { lastUpdateId: 1027024, bids: [['4.00000000', '431.00000000']], asks: [['4.00000200', '12.00000000']] },
  serverShutdown: { e: 'serverShutdown', E: 1770123456789 },
};

describe('simulator payload formats against the Binance documentation', { timeout: 30_000 }, async () => {
  const exchange = await startExchange({ rate: 400, seed: 7 });
  after(() => exchange.close());

  it('formats prices and quantities with 8 decimals', () => {
    assert.equal(formatUnits(2_535_190_000), '25.35190000');
    assert.equal(formatUnits(1), '0.00000001');
    assert.equal(formatUnits(0), '0.00000000');
    assert.equal(formatUnits(6_500_000_000_000), '65000.00000000');
    assert.equal(parseUnits('25.35190000'), 2_535_190_000);
    assert.equal(parseUnits('4'), 400_000_000);
  });

  it('writes integers and 8-decimal quantities byte by byte exactly like String() and formatUnits()', () => {
    const writer = new JsonWriter();
    const numbers = [0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 1_000_000_001, 1_672_515_782_136, 2 ** 53 - 1];
    for (let seed = 1; seed < 2000; seed++) numbers.push(Math.floor((seed * 2_654_435_761) % 2 ** 52) / 2 ** (seed % 40));
    for (const value of numbers.map(Math.floor)) {
      writer.reset();
      writer.uint(value);
      assert.equal(writer.toString(), String(value));
      writer.reset();
      writer.units(value);
      assert.equal(writer.toString(), formatUnits(value));
    }
    for (const [seconds, nanoseconds] of [[0, 0], [0, 5], [1, 0], [1, 5], [123456, 999_999_999], [4_000_000, 1], process.hrtime()] as Array<[number, number]>) {
      writer.reset();
      writer.nanoseconds(seconds, nanoseconds);
      assert.equal(writer.toString(), String(BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds)));
    }
  });

  it('sends raw bookTicker, trade, aggTrade, depth and partial depth payloads shaped like the docs', async () => {
    const streams = ['bnbusdt@bookTicker', 'bnbusdt@trade', 'bnbusdt@aggTrade', 'bnbusdt@depth@100ms', 'bnbusdt@depth5@100ms', 'bnbusdt@depth20@100ms'];
    const client = new Recorder(`${exchange.url}/ws/${streams.join('/')}`);
    const bookTicker = await client.waitFor((m) => 'u' in m && !('e' in m));
    const trade = await client.waitFor((m) => m.e === 'trade');
    const aggTrade = await client.waitFor((m) => m.e === 'aggTrade');
    const depth = await client.waitFor((m) => m.e === 'depthUpdate');
    const partial5 = await client.waitFor((m) => 'lastUpdateId' in m && m.bids.length === 5);
    const partial20 = await client.waitFor((m) => 'lastUpdateId' in m && m.bids.length === 20);
    assertSameShape(bookTicker, DOC_EXAMPLES['bookTicker']);
    assertSameShape(trade, DOC_EXAMPLES['trade']);
    assertSameShape(aggTrade, DOC_EXAMPLES['aggTrade']);
    assertSameShape(depth, DOC_EXAMPLES['depthUpdate']);
    assertSameShape(partial5, DOC_EXAMPLES['partialDepth']);
    assertSameShape(partial20, DOC_EXAMPLES['partialDepth']);
    assert.equal((bookTicker as { s: string }).s, 'BNBUSDT');
    assert.equal(trade.M, true);
    assert.equal(aggTrade.f, aggTrade.l);
    assert.ok(depth.U <= depth.u);
    // Raw payloads carry no extra fields: no stamp unless asked for.
    assert.ok(client.raw.every((text) => !text.includes('T_ns')));
    await client.close();
  });

  it('keeps bid < ask in every bookTicker and partial book', async () => {
    const client = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker/btcusdt@depth10@100ms`);
    await client.waitFor((m) => 'lastUpdateId' in m);
    await client.waitFor(() => client.messages.length >= 100);
    for (const message of client.messages as any[]) {
      if ('u' in message) assert.ok(parseUnits(message.b) < parseUnits(message.a), `bid ${message.b} < ask ${message.a}`);
      else {
        assert.ok(parseUnits(message.bids[0][0]) < parseUnits(message.asks[0][0]));
        for (let index = 1; index < message.bids.length; index++) assert.ok(parseUnits(message.bids[index][0]) < parseUnits(message.bids[index - 1][0]));
        for (let index = 1; index < message.asks.length; index++) assert.ok(parseUnits(message.asks[index][0]) > parseUnits(message.asks[index - 1][0]));
      }
    }
    const ids = (client.messages as any[]).filter((m) => 'u' in m).map((m) => m.u as number);
    for (let index = 1; index < ids.length; index++) assert.ok(ids[index]! > ids[index - 1]!);
    await client.close();
  });

  it('wraps combined streams as {"stream":...,"data":...}', async () => {
    const client = new Recorder(`${exchange.url}/stream?streams=ethusdt@bookTicker/ethusdt@depth5@100ms`);
    const ticker = await client.waitFor((m) => m.stream === 'ethusdt@bookTicker');
    const partial = await client.waitFor((m) => m.stream === 'ethusdt@depth5@100ms');
    assert.deepEqual(Object.keys(ticker), ['stream', 'data']);
    assertSameShape(ticker.data, DOC_EXAMPLES['bookTicker']);
    assertSameShape(partial.data, DOC_EXAMPLES['partialDepth']);
    assert.ok(client.raw[0]!.startsWith('{"stream":"ethusdt@'));
    await client.close();
  });

  it('writes time fields in microseconds for timeUnit=MICROSECOND, milliseconds otherwise', async () => {
    const micro = new Recorder(`${exchange.url}/ws/ethusdt@trade/ethusdt@depth@100ms?timeUnit=MICROSECOND`);
    const milli = new Recorder(`${exchange.url}/ws/ethusdt@trade/ethusdt@depth@100ms`);
    await Promise.all([micro.opened, milli.opened]);
    // The two connections joined at slightly different times: compare a trade both received.
    const firstMicro = await micro.waitFor((m) => m.e === 'trade');
    const firstMilli = await milli.waitFor((m) => m.e === 'trade');
    const shared = Math.max(firstMicro.t, firstMilli.t);
    const microTrade = await micro.waitFor((m) => m.e === 'trade' && m.t === shared);
    const milliTrade = await milli.waitFor((m) => m.e === 'trade' && m.t === shared);
    assert.equal(Math.floor(microTrade.E / 1000), milliTrade.E);
    assert.equal(microTrade.T, microTrade.E);
    assert.ok(Math.abs(microTrade.E / 1000 - Date.now()) < 60_000, 'E is a microsecond Unix time');
    assertSameShape(microTrade, DOC_EXAMPLES['trade']);
    const microDepth = await micro.waitFor((m) => m.e === 'depthUpdate');
    assert.ok(microDepth.E > 1e15);
    assert.ok((await milli.waitFor((m) => m.e === 'depthUpdate')).E < 1e14);
    await Promise.all([micro.close(), milli.close()]);
    const bad = new Recorder(`${exchange.url}/ws/ethusdt@trade?timeUnit=NANOSECOND`);
    await assert.rejects(bad.opened);
  });

  it('serves GET /api/v3/depth like the REST API, with its errors', async () => {
    const response = await fetch(`${exchange.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=1000`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { bids: unknown[]; asks: unknown[] };
    assertSameShape(body, DOC_EXAMPLES['restDepth']);
    assert.ok(body.bids.length > 100 && body.asks.length > 100);
    const small = (await (await fetch(`${exchange.restUrl}/api/v3/depth?symbol=BTCUSDT`)).json()) as { bids: unknown[] };
    assert.equal(small.bids.length, 100, 'default limit is 100');
    const bad = await fetch(`${exchange.restUrl}/api/v3/depth?symbol=NOPE`);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { code: -1121, msg: 'Invalid symbol.' });
    const missing = await fetch(`${exchange.restUrl}/api/v3/depth`);
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { code: number }).code, -1102);
  });

  it('adds the T_ns send stamp only when asked, as the last field', async () => {
    const startedAt = process.hrtime.bigint();
    const stamped = await startExchange({ rate: 200, stamp: true });
    try {
      const client = new Recorder(`${stamped.url}/stream?streams=btcusdt@bookTicker/btcusdt@trade`);
      await client.waitFor((m) => m.stream === 'btcusdt@trade');
      const ticker = client.raw.find((text) => text.includes('bookTicker'))!;
      assert.match(ticker, /,"T_ns":\d{10,}\}\}$/);
      const data = (JSON.parse(ticker) as { data: object }).data;
      assert.deepEqual(Object.keys(data), [...Object.keys(DOC_EXAMPLES['bookTicker'] as object), 'T_ns']);
      const stamp = BigInt(/"T_ns":(\d+)/.exec(ticker)![1]!);
      assert.ok(stamp <= process.hrtime.bigint());
      assert.ok(stamp >= startedAt, 'the stamp is process.hrtime.bigint() at send time');
      await client.close();
    } finally {
      await stamped.close();
    }
  });

  it('is deterministic per seed', () => {
    const run = (seed: number): string[] => {
      const states: string[] = [];
      const listener = {
        onTop: (market: SymbolMarket) => states.push(payloadText((writer) => writeBookTicker(writer, market))),
        onTrade: (market: SymbolMarket, price: number, quantity: number, maker: boolean) =>
          states.push(payloadText((writer) => writeTrade(writer, market, 0, price, quantity, maker))),
      };
      const market = new SymbolMarket(DEFAULT_SYMBOLS[0]!, seed, 200, listener);
      for (let step = 0; step < 2000; step++) market.step();
      states.push(payloadText((writer) => writeBookSnapshot(writer, market, 1000)));
      return states;
    };
    assert.deepEqual(run(42), run(42));
    const other = run(43);
    assert.notDeepEqual(run(42), other);
  });

  it('refuses symbols that cannot make stream names, and prices too close to zero for the book', async () => {
    await assert.rejects(startExchange({ symbols: ['btc-usd'] }), RangeError);
    await assert.rejects(startExchange({ symbols: ['btcusdt', 'BTCUSDT'] }), RangeError);
    await assert.rejects(startExchange({ symbols: [{ symbol: 'tiny', price: 1, tickSize: 0.01, lotSize: 1, maxLots: 10 }] }), RangeError);
  });

  it('serves wss:// with the fixture certificate signed by the test CA', async () => {
    const secure = await startExchange({ rate: 100, tls: true });
    try {
      assert.match(secure.wssUrl!, /^wss:\/\/localhost:\d+$/);
      const client = new Recorder(`${secure.wssUrl}/ws/btcusdt@bookTicker`, { ca: readFileSync(join(tlsDir, 'ca.pem')) });
      const ticker = await client.waitFor((m) => 'u' in m);
      assertSameShape(ticker, DOC_EXAMPLES['bookTicker']);
      await client.close();
    } finally {
      await secure.close();
    }
  });
});
