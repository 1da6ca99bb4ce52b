// Sends the statistics streams (klines, tickers, avgPrice, referencePrice and the all-market
// arrays) on their update speed, from the trade ledger's buckets.
import { TO_MICROSECONDS, TO_MILLISECONDS, type Fanout } from './fanout.js';
import type { JsonWriter } from './json-writer.js';
import { klinePeriod } from './kline.js';
import { TradeSummary, type TradeLedger } from './ledger.js';
import type { SymbolMarket } from './market.js';
import type { StreamEntry, StreamRegistry } from './registry.js';
import {
  writeAvgPrice,
  writeKline,
  writeMiniTicker,
  writeReferencePrice,
  writeTicker,
  writeWindowTicker,
  type KlineFields,
  type TickerWindow,
  type TopOfBook,
} from './statistics-payloads.js';
import {
  KIND_ALL_MINI_TICKERS,
  KIND_ALL_WINDOW_TICKERS,
  KIND_AVG_PRICE,
  KIND_KLINE,
  KIND_MINI_TICKER,
  KIND_REFERENCE_PRICE,
  KIND_TICKER,
  KIND_WINDOW_TICKER,
} from './streams.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** avgPrice: "Average price interval" 5m. */
const AVG_PRICE_WINDOW_MS = 5 * MINUTE_MS;
const WINDOW_MS: Record<string, number> = { '1h': 3_600_000, '4h': 4 * 3_600_000, '1d': DAY_MS };
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

type PayloadWriter = (writer: JsonWriter, eventTime: number, timeScale: number) => void;

export class StatisticsPublisher {
  private readonly fanout: Fanout;
  private readonly registry: StreamRegistry;
  private readonly summary = new TradeSummary();
  private readonly kline: KlineFields = { symbol: '', interval: '', start: 0, closeTime: 0, closed: false };
  private readonly window: TickerWindow = { symbol: '', openTime: 0, closeTime: 0 };
  private readonly top: TopOfBook = { bidPrice: 0, bidQuantity: 0, askPrice: 0, askQuantity: 0 };
  private readonly changed: number[] = [];

  constructor(fanout: Fanout, registry: StreamRegistry) {
    this.fanout = fanout;
    this.registry = registry;
  }

  /** Sends one statistics stream's event(s) for time `now` (ms; `nowMicros` for microsecond subscribers). */
  emit(entry: StreamEntry, now: number, nowMicros: number): void {
    switch (entry.spec.kind) {
      case KIND_KLINE:
        return this.emitKline(entry, now, nowMicros);
      case KIND_MINI_TICKER:
      case KIND_TICKER:
      case KIND_WINDOW_TICKER:
      case KIND_AVG_PRICE:
      case KIND_REFERENCE_PRICE: {
        const market = entry.market!;
        const ledger = this.registry.ledgerOf(market);
        return this.send(entry, now, nowMicros, (writer, eventTime, scale) => this.writeSymbol(writer, entry.spec.kind, entry.spec.variant, market, ledger, now, eventTime, scale));
      }
      case KIND_ALL_MINI_TICKERS:
      case KIND_ALL_WINDOW_TICKERS:
        return this.emitAll(entry, now, nowMicros);
    }
  }

  private emitKline(entry: StreamEntry, now: number, nowMicros: number): void {
    const market = entry.market!;
    const ledger = this.registry.ledgerOf(market);
    const { variant, offsetMs } = entry.spec;
    const [start, closeTime] = klinePeriod(variant, offsetMs, now);
    const kline = this.kline;
    kline.symbol = market.upperSymbol;
    kline.interval = variant;
    // The period just ended goes out once more, final and closed ("x": true).
    if (entry.periodStart !== 0 && entry.periodStart < start) {
      const previousClose = klinePeriod(variant, offsetMs, entry.periodStart)[1];
      const previousStart = entry.periodStart;
      this.send(entry, now, nowMicros, (writer, eventTime, scale) => {
        kline.start = previousStart;
        kline.closeTime = previousClose;
        kline.closed = true;
        writeKline(writer, eventTime, scale, kline, ledger.summarize(previousStart, previousClose, this.summary));
      });
    }
    entry.periodStart = start;
    this.send(entry, now, nowMicros, (writer, eventTime, scale) => {
      kline.start = start;
      kline.closeTime = closeTime;
      kline.closed = false;
      writeKline(writer, eventTime, scale, kline, ledger.summarize(start, now, this.summary));
    });
  }

  /** `!miniTicker@arr`, `!ticker_<w>@arr`: "only tickers that have changed will be present in the array". */
  private emitAll(entry: StreamEntry, now: number, nowMicros: number): void {
    const { markets, ledgers } = this.registry;
    const changed = this.changed;
    changed.length = 0;
    for (let index = 0; index < markets.length; index++) {
      const trades = ledgers[index]!.trades;
      if (trades === entry.seenTrades[index]) continue;
      entry.seenTrades[index] = trades;
      changed.push(index);
    }
    if (changed.length === 0 || entry.subscribers.length === 0) return;
    const kind = entry.spec.kind === KIND_ALL_MINI_TICKERS ? KIND_MINI_TICKER : KIND_WINDOW_TICKER;
    this.send(entry, now, nowMicros, (writer, eventTime, scale) => {
      writer.byte(OPEN_BRACKET);
      for (let position = 0; position < changed.length; position++) {
        if (position !== 0) writer.byte(COMMA);
        const index = changed[position]!;
        this.writeSymbol(writer, kind, entry.spec.variant, markets[index]!, ledgers[index]!, now, eventTime, scale);
      }
      writer.byte(CLOSE_BRACKET);
    });
  }

  private writeSymbol(writer: JsonWriter, kind: number, variant: string, market: SymbolMarket, ledger: TradeLedger, now: number, eventTime: number, scale: number): void {
    const summary = this.summary;
    const window = this.window;
    window.symbol = market.upperSymbol;
    window.closeTime = now;
    switch (kind) {
      case KIND_MINI_TICKER:
        writeMiniTicker(writer, eventTime, market.upperSymbol, ledger.summarize(minuteStart(now - DAY_MS), now, summary));
        return;
      case KIND_TICKER: {
        // 24 h rolling: the figures come from minute buckets, so the data may start up to 59.999 s before O.
        window.openTime = now - DAY_MS;
        const from = minuteStart(window.openTime);
        const top = this.top;
        top.bidPrice = market.bestBidTick * market.tickUnits;
        top.bidQuantity = market.bestBidQuantity;
        top.askPrice = market.bestAskTick * market.tickUnits;
        top.askQuantity = market.bestAskQuantity;
        writeTicker(writer, eventTime, scale, window, ledger.summarize(from, now, summary), ledger.priceBeforeMinute(from), ledger.lastQuantity, top);
        return;
      }
      case KIND_WINDOW_TICKER:
        // "The open time O always starts on a minute, while the closing time C is the current time".
        window.openTime = minuteStart(now - WINDOW_MS[variant]!);
        writeWindowTicker(writer, eventTime, scale, variant, window, ledger.summarize(window.openTime, now, summary));
        return;
      case KIND_AVG_PRICE:
        writeAvgPrice(writer, eventTime, scale, market.upperSymbol, ledger.summarize(minuteStart(now - AVG_PRICE_WINDOW_MS), now, summary).weightedAverage(), ledger.lastTime);
        return;
      case KIND_REFERENCE_PRICE:
        writeReferencePrice(writer, market.upperSymbol, ledger.lastPrice, eventTime);
        return;
    }
  }

  /** Writes and publishes once per time unit that has subscribers. */
  private send(entry: StreamEntry, now: number, nowMicros: number, write: PayloadWriter): void {
    if (entry.subscribers.length > entry.microSubscribers) {
      write(this.fanout.begin(entry), now, 1);
      this.fanout.publish(entry, TO_MILLISECONDS);
    }
    if (entry.microSubscribers !== 0) {
      write(this.fanout.begin(entry), nowMicros, 1000);
      this.fanout.publish(entry, TO_MICROSECONDS);
    }
  }
}

function minuteStart(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}
