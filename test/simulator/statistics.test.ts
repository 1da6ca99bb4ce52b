// The statistics streams (klines, tickers, avgPrice, referencePrice, blockTrade and the
// all-market arrays): every documented name served, payloads shaped like the docs' examples,
// and figures that add up exactly to the trades the same connection received.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { klinePeriod, KLINE_INTERVALS } from '../../simulator/kline.js';
import { SPLIT, TradeLedger, TradeSummary } from '../../simulator/ledger.js';
import { GLOBAL_STREAM_NAMES, streamNamesFor } from '../../simulator/streams.js';
import { assertSameShape, Recorder, withExchange } from './helpers.js';

// web-socket-streams.md payload examples (the kline example is the same for @+08:00).
const DOC_EXAMPLES = {
  kline: {
    e: 'kline', E: 1672515782136, s: 'BNBBTC',
    k: { t: 1672515780000, T: 1672515839999, s: 'BNBBTC', i: '1m', f: 100, L: 200, o: '0.0010', c: '0.0020', h: '0.0025', l: '0.0015', v: '1000', n: 100, x: false, q: '1.0000', V: '500', Q: '0.500', B: '123456' },
  },
  miniTicker: { e: '24hrMiniTicker', E: 1672515782136, s: 'BNBBTC', c: '0.0025', o: '0.0010', h: '0.0025', l: '0.0010', v: '10000', q: '18' },
  ticker: {
    e: '24hrTicker', E: 1672515782136, s: 'BNBBTC', p: '0.0015', P: '250.00', w: '0.0018', x: '0.0009', c: '0.0025', Q: '10', b: '0.0024', B: '10', a: '0.0026', A: '100',
    o: '0.0010', h: '0.0025', l: '0.0010', v: '10000', q: '18', O: 0, C: 86400000, F: 0, L: 18150, n: 18151,
  },
  windowTicker: { e: '1hTicker', E: 1672515782136, s: 'BNBBTC', p: '0.0015', P: '250.00', o: '0.0010', h: '0.0025', l: '0.0010', c: '0.0025', w: '0.0018', v: '10000', q: '18', O: 0, C: 1675216573749, F: 0, L: 18150, n: 18151 },
  avgPrice: { e: 'avgPrice', E: 1693907033000, s: 'BTCUSDT', i: '5m', w: '25776.86000000', T: 1693907032213 },
  referencePrice: { e: 'referencePrice', s: 'BAZUSD', r: '1.00', t: 1770313263917 },
  blockTrade: { e: 'blockTrade', E: 1772506983582, s: 'BNBBTC', t: 582, p: '0.052', q: '5838', T: 1772506983321, m: true },
};
/** Fields the docs show as digits that are not unsigned 8-decimal amounts (p, the price change, is signed). */
const NOT_DECIMAL = new Set(['e', 'i', 'P', 'B', 'p']);
const SIGNED_DECIMAL = /^-?\d+\.\d{8}$/;

const UNIT = 100_000_000n;
/** "65000.12000000" -> 6500012000000n (1e-8 units), exact. */
function units(text: string): bigint {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole!) * UNIT + BigInt(fraction.padEnd(8, '0'));
  return text.startsWith('-') ? -value : value;
}

interface Trade {
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

/** The exact figures of a list of trades, as the streams must report them. */
function expected(trades: Trade[]) {
  let volume = 0n;
  let quote = 0n;
  let takerVolume = 0n;
  let takerQuote = 0n;
  for (const trade of trades) {
    const price = units(trade.p);
    const quantity = units(trade.q);
    volume += quantity;
    quote += (price * quantity) / UNIT;
    if (!trade.m) {
      takerVolume += quantity;
      takerQuote += (price * quantity) / UNIT;
    }
  }
  const prices = trades.map((trade) => units(trade.p));
  return {
    count: trades.length,
    first: trades[0]!.t,
    last: trades.at(-1)!.t,
    open: prices[0]!,
    close: prices.at(-1)!,
    high: prices.reduce((a, b) => (b > a ? b : a)),
    low: prices.reduce((a, b) => (b < a ? b : a)),
    volume,
    quote,
    takerVolume,
    takerQuote,
  };
}

describe('statistics streams', { timeout: 60_000 }, () => {
  it('serves every documented stream name, by URL and by SUBSCRIBE', async () => {
    // More than 5 requests in a second: lift the incoming-message limit for this one.
    await withExchange({ symbols: ['btcusdt'], limits: { maxIncomingPerSecond: 0 } }, async (exchange) => {
      const names = [...streamNamesFor('btcusdt'), ...GLOBAL_STREAM_NAMES];
      for (const name of ['btcusdt@kline_1m@+08:00', 'btcusdt@ticker_4h', 'btcusdt@avgPrice', '!miniTicker@arr', '!ticker_1d@arr', 'btcusdt@kline_1M']) {
        assert.ok(names.includes(name), name);
      }
      const client = new Recorder(`${exchange.url}/ws`);
      await client.opened;
      assert.deepEqual(await client.request({ method: 'SUBSCRIBE', params: names, id: 1 }), { result: null, id: 1 });
      assert.deepEqual((await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).result, names);
      for (const bad of ['btcusdt@kline_2m', 'btcusdt@ticker_2h', 'btcusdt@kline_1m@+09:00', '!ticker@arr', '!bookTicker']) {
        assert.deepEqual(await client.request({ method: 'SUBSCRIBE', params: [bad], id: 3 }), { error: { code: 2, msg: 'Invalid request: invalid stream' }, id: 3 }, bad);
      }
      await client.close();
      // `+` in a query is usually left unescaped: it must not turn into a space.
      const combined = new Recorder(`${exchange.url}/stream?streams=btcusdt@kline_1s@+08:00`);
      const event = await combined.waitFor((m) => m.stream === 'btcusdt@kline_1s@+08:00');
      assert.equal(event.data.k.i, '1s');
      await combined.close();
    });
  });

  it('sends payloads with the documented keys, order and types; 8-decimal amounts', async () => {
    await withExchange({ rate: 400, symbols: ['btcusdt', 'ethusdt'] }, async (exchange) => {
      const streams = ['kline_1m', 'kline_1d@+08:00', 'miniTicker', 'ticker', 'ticker_1h', 'avgPrice', 'referencePrice', 'blockTrade'].map((name) => `btcusdt@${name}`);
      const client = new Recorder(`${exchange.url}/stream?streams=${[...streams, '!miniTicker@arr', '!ticker_4h@arr'].join('/')}`);
      const of = (stream: string) => client.waitFor((m) => m.stream === stream, 0, 15_000).then((m) => m.data);
      assertSameShape(await of('btcusdt@kline_1m'), DOC_EXAMPLES.kline, 'kline', NOT_DECIMAL);
      assertSameShape(await of('btcusdt@kline_1d@+08:00'), DOC_EXAMPLES.kline, 'kline+08', NOT_DECIMAL);
      assertSameShape(await of('btcusdt@miniTicker'), DOC_EXAMPLES.miniTicker, 'miniTicker', NOT_DECIMAL);
      const ticker = await of('btcusdt@ticker');
      assertSameShape(ticker, DOC_EXAMPLES.ticker, 'ticker', NOT_DECIMAL);
      assert.match(ticker.p, SIGNED_DECIMAL);
      assert.match(ticker.P, /^-?\d+\.\d{3}$/);
      const window = await of('btcusdt@ticker_1h');
      assertSameShape(window, DOC_EXAMPLES.windowTicker, 'ticker_1h', NOT_DECIMAL);
      assert.match(window.p, SIGNED_DECIMAL);
      assert.equal(window.e, '1hTicker');
      assert.match(window.P, /^-?\d+\.\d{3}$/);
      assertSameShape(await of('btcusdt@avgPrice'), DOC_EXAMPLES.avgPrice, 'avgPrice', NOT_DECIMAL);
      assertSameShape(await of('btcusdt@referencePrice'), DOC_EXAMPLES.referencePrice, 'referencePrice', NOT_DECIMAL);
      // One trade in 1000 is a block trade: at 400 updates/s that is a few seconds away.
      assertSameShape(await of('btcusdt@blockTrade'), DOC_EXAMPLES.blockTrade, 'blockTrade', NOT_DECIMAL);
      const all = (await of('!miniTicker@arr')) as unknown[];
      assert.ok(all.length >= 1 && all.length <= 2);
      for (const item of all) assertSameShape(item, DOC_EXAMPLES.miniTicker, 'miniTicker@arr', NOT_DECIMAL);
      const windows = (await of('!ticker_4h@arr')) as Array<{ e: string }>;
      for (const item of windows) assertSameShape(item, { ...DOC_EXAMPLES.windowTicker, e: '4hTicker' }, 'ticker_4h@arr', NOT_DECIMAL);
      assert.ok(windows.every((item) => item.e === '4hTicker'));
      await client.close();
    });
  });

  it('klines, tickers and avgPrice add up exactly to the trades sent on the same connection', async () => {
    await withExchange({ rate: 300, symbols: ['btcusdt'], seed: 3 }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/stream?streams=btcusdt@trade/btcusdt@kline_1s/btcusdt@ticker_1h/btcusdt@miniTicker/btcusdt@avgPrice`);
      const trades = () => client.messages.filter((m: any) => m.stream === 'btcusdt@trade').map((m: any) => m.data as Trade);
      // A closed 1 s kline whose whole period came after the connection opened.
      const opened = Date.now();
      const closed = await client.waitFor((m) => m.stream === 'btcusdt@kline_1s' && m.data.k.x === true && m.data.k.t > opened + 1000 && m.data.k.n > 0, 0, 15_000);
      const k = closed.data.k;
      assert.equal(k.T, k.t + 999);
      const inPeriod = trades().filter((trade) => trade.T >= k.t && trade.T <= k.T);
      const want = expected(inPeriod);
      assert.equal(k.n, want.count);
      assert.equal(k.f, want.first);
      assert.equal(k.L, want.last);
      assert.equal(k.L - k.f + 1, k.n, 'consecutive trade ids');
      assert.deepEqual([units(k.o), units(k.h), units(k.l), units(k.c)], [want.open, want.high, want.low, want.close]);
      assert.deepEqual([units(k.v), units(k.q), units(k.V), units(k.Q)], [want.volume, want.quote, want.takerVolume, want.takerQuote]);

      // The rolling tickers cover every trade since the start: all trades before them in order.
      const windowMessage = await client.waitFor((m) => m.stream === 'btcusdt@ticker_1h' && m.data.n > 0, client.messages.indexOf(closed));
      const before = client.messages.slice(0, client.messages.indexOf(windowMessage)).filter((m: any) => m.stream === 'btcusdt@trade').map((m: any) => m.data as Trade);
      const all = expected(before);
      const w = windowMessage.data;
      assert.equal(w.n, all.count);
      assert.deepEqual([w.F, w.L], [all.first, all.last]);
      assert.deepEqual([units(w.o), units(w.h), units(w.l), units(w.c)], [all.open, all.high, all.low, all.close]);
      assert.deepEqual([units(w.v), units(w.q)], [all.volume, all.quote]);
      assert.equal(units(w.p), all.close - all.open);
      assert.equal(Number(w.P) + 0, 0 + Math.round(Number(((all.close - all.open) * 100_000n * 10n) / all.open) / 10) / 1000);
      // w = q / v, to the 8th decimal.
      const weighted = Number(all.quote) / Number(all.volume);
      assert.ok(Math.abs(Number(units(w.w)) / 1e8 - weighted) < 1e-8 * 2 + weighted * 1e-12, `${w.w} vs ${weighted}`);
      assert.ok(units(w.l) <= units(w.w) && units(w.w) <= units(w.h));
      assert.equal(w.C - w.O <= 3_600_000 + 59_999, true);
      assert.equal(w.O % 60_000, 0, 'O starts on a minute');
      await client.close();
    });
  });

  it('timeUnit=MICROSECOND: every time field of the statistics streams in microseconds', async () => {
    await withExchange({ rate: 200, symbols: ['btcusdt'] }, async (exchange) => {
      const client = new Recorder(`${exchange.url}/stream?streams=btcusdt@kline_1s/btcusdt@ticker/btcusdt@avgPrice&timeUnit=MICROSECOND`);
      const milli = new Recorder(`${exchange.url}/ws/btcusdt@kline_1s`);
      const kline = (await client.waitFor((m) => m.stream === 'btcusdt@kline_1s' && m.data.k.n > 0)).data;
      assert.ok(kline.E > 1e15, 'E in microseconds');
      assert.equal(kline.k.t % 1_000_000, 0, 't on a second, in microseconds');
      assert.equal(kline.k.T, kline.k.t + 999_999);
      const ticker = (await client.waitFor((m) => m.stream === 'btcusdt@ticker')).data;
      assert.ok(ticker.E > 1e15 && ticker.O > 1e15 && ticker.C > 1e15);
      assert.equal(ticker.C - ticker.O, 86_400_000_000);
      const average = (await client.waitFor((m) => m.stream === 'btcusdt@avgPrice' && m.data.T > 0)).data;
      assert.ok(average.T > 1e15 && average.T <= average.E);
      // The same stream in milliseconds on another connection.
      const plain = await milli.waitFor((m) => m.e === 'kline');
      assert.ok(plain.E < 1e14 && plain.k.T === plain.k.t + 999);
      await Promise.all([client.close(), milli.close()]);
    });
  });

  it('GET /api/v3/exchangeInfo: the documented shape for the simulated symbols, with symbol/symbols filters', async () => {
    await withExchange({}, async (exchange) => {
      const get = async (query: string) => {
        const response = await fetch(`${exchange.restUrl}/api/v3/exchangeInfo${query}`);
        return { status: response.status, body: (await response.json()) as any };
      };
      const { status, body } = await get('');
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body), ['timezone', 'serverTime', 'rateLimits', 'exchangeFilters', 'symbols']);
      assert.equal(body.timezone, 'UTC');
      assert.deepEqual(body.symbols.map((symbol: any) => symbol.symbol), ['BTCUSDT', 'ETHUSDT', 'BNBUSDT']);
      const btc = body.symbols[0];
      assert.deepEqual([btc.baseAsset, btc.quoteAsset, btc.status], ['BTC', 'USDT', 'TRADING']);
      const price = btc.filters.find((filter: any) => filter.filterType === 'PRICE_FILTER');
      const lot = btc.filters.find((filter: any) => filter.filterType === 'LOT_SIZE');
      assert.deepEqual(Object.keys(price), ['filterType', 'minPrice', 'maxPrice', 'tickSize']);
      assert.equal(price.tickSize, '0.01000000');
      assert.deepEqual(Object.keys(lot), ['filterType', 'minQty', 'maxQty', 'stepSize']);
      assert.equal(lot.stepSize, '0.00001000');
      // The book's levels sit on that grid.
      const depth = (await (await fetch(`${exchange.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { bids: string[][] };
      for (const [levelPrice, quantity] of depth.bids) {
        assert.equal(units(levelPrice!) % units(price.tickSize), 0n);
        assert.equal(units(quantity!) % units(lot.stepSize), 0n);
      }
      assert.deepEqual((await get('?symbol=ETHUSDT')).body.symbols.map((symbol: any) => symbol.symbol), ['ETHUSDT']);
      const two = await get(`?symbols=${encodeURIComponent('["BNBUSDT","BTCUSDT"]')}`);
      assert.deepEqual(two.body.symbols.map((symbol: any) => symbol.symbol), ['BNBUSDT', 'BTCUSDT']);
      assert.deepEqual(await get('?symbol=XRPUSDT'), { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    });
  });

  it('kline periods: UTC and +08:00 days, Monday weeks, calendar months', () => {
    const at = Date.UTC(2024, 1, 29, 17, 30, 12, 345); // Thursday 2024-02-29 17:30:12.345 UTC (Friday 01:30 in UTC+8)
    const utc8 = 8 * 3_600_000;
    assert.deepEqual(klinePeriod('1m', 0, at), [Date.UTC(2024, 1, 29, 17, 30), Date.UTC(2024, 1, 29, 17, 31) - 1]);
    assert.deepEqual(klinePeriod('1s', 0, at), [Date.UTC(2024, 1, 29, 17, 30, 12), Date.UTC(2024, 1, 29, 17, 30, 13) - 1]);
    assert.deepEqual(klinePeriod('1d', 0, at), [Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1) - 1]);
    assert.deepEqual(klinePeriod('1d', utc8, at), [Date.UTC(2024, 2, 1) - utc8, Date.UTC(2024, 2, 2) - utc8 - 1]);
    assert.deepEqual(klinePeriod('1w', 0, at), [Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4) - 1]); // Monday 26 Feb
    assert.deepEqual(klinePeriod('1M', 0, at), [Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1) - 1]); // leap February
    assert.deepEqual(klinePeriod('1M', utc8, at), [Date.UTC(2024, 2, 1) - utc8, Date.UTC(2024, 3, 1) - utc8 - 1]); // already March in UTC+8
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(...KLINE_INTERVALS), fc.boolean(), (time, interval, shifted) => {
        const [start, end] = klinePeriod(interval, shifted ? utc8 : 0, time);
        assert.ok(start <= time && time <= end);
        assert.deepEqual(klinePeriod(interval, shifted ? utc8 : 0, end + 1)[0], end + 1, 'periods tile the time line');
      }),
    );
  });

  it('ledger: exact sums past 2^53 and bucket aggregation equal a plain sum over the trades', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 3 * 3_600_000 }), ticks: fc.integer({ min: 1, max: 10_000_000 }), lots: fc.integer({ min: 1, max: 100_000 }), maker: fc.boolean() }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 3 * 60 }),
        (raw, fromMinute) => {
          const base = Date.UTC(2025, 0, 1);
          const trades = raw.map((trade) => ({ ...trade, time: base + trade.offset })).sort((a, b) => a.time - b.time);
          // tick 0.01 (1e6 units), lot 1e-5 (1e3 units): big prices and quantities push the quote sums past 2^53.
          const ledger = new TradeLedger(6_500_000_000_000, 1_000_000, 1_000);
          ledger.active = true;
          trades.forEach((trade, index) => ledger.record(trade.time, trade.ticks * 1_000_000, trade.lots * 1_000, trade.maker, index + 1));
          const start = base + fromMinute * 60_000;
          const end = base + 3 * 3_600_000 + 59_999;
          const summary = ledger.summarize(start, end, new TradeSummary());
          const inside = trades.map((trade, index) => ({ ...trade, id: index + 1 })).filter((trade) => trade.time >= start);
          assert.equal(summary.count, inside.length);
          if (inside.length === 0) return;
          const volume = inside.reduce((sum, trade) => sum + BigInt(trade.lots * 1_000), 0n);
          const quote = inside.reduce((sum, trade) => sum + (BigInt(trade.ticks * 1_000_000) * BigInt(trade.lots * 1_000)) / UNIT, 0n);
          assert.equal(BigInt(summary.volumeHigh) * BigInt(SPLIT) + BigInt(summary.volumeLow), volume);
          assert.equal(BigInt(summary.quoteHigh) * BigInt(SPLIT) + BigInt(summary.quoteLow), quote);
          assert.equal(summary.firstId, inside[0]!.id);
          assert.equal(summary.lastId, inside.at(-1)!.id);
          assert.equal(summary.high, Math.max(...inside.map((trade) => trade.ticks)) * 1_000_000);
        },
      ),
      { numRuns: 200 },
    );
  });
});
