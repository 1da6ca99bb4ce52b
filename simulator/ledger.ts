// Trade statistics for the kline, ticker and avgPrice streams: every trade lands in a
// one-second, a one-minute and a one-hour bucket; a stream's figures are the sum of the buckets
// of its period (klines) or window (tickers), read at most once per second per stream.
//
// Volumes are exact integers of 1e-8 units kept as two doubles (value = high * SPLIT + low,
// low < SPLIT), since a day at the simulator's max rate passes 2^53 units.

/** Base of the two-part exact sums. */
export const SPLIT = 1e15;

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A fixed-duration bucket ring (struct of arrays: no object per bucket). */
class BucketRing {
  readonly durationMs: number;
  readonly capacity: number;
  /** Bucket number (time / duration) held by each slot; -1: empty. */
  readonly number: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly firstId: Float64Array;
  readonly lastId: Float64Array;
  readonly count: Float64Array;
  /** Exact sums, [high, low] pairs at 2 * slot: base volume, quote volume, taker-buy base and quote. */
  readonly volume: Float64Array;
  readonly quote: Float64Array;
  readonly takerVolume: Float64Array;
  readonly takerQuote: Float64Array;

  constructor(durationMs: number, capacity: number) {
    this.durationMs = durationMs;
    this.capacity = capacity;
    this.number = new Float64Array(capacity).fill(-1);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.firstId = new Float64Array(capacity);
    this.lastId = new Float64Array(capacity);
    this.count = new Float64Array(capacity);
    this.volume = new Float64Array(capacity * 2);
    this.quote = new Float64Array(capacity * 2);
    this.takerVolume = new Float64Array(capacity * 2);
    this.takerQuote = new Float64Array(capacity * 2);
  }

  record(time: number, price: number, quantity: number, quote: number, takerBuy: boolean, tradeId: number): void {
    const number = Math.floor(time / this.durationMs);
    const slot = number % this.capacity;
    if (this.number[slot] !== number) {
      this.number[slot] = number;
      this.open[slot] = price;
      this.high[slot] = price;
      this.low[slot] = price;
      this.firstId[slot] = tradeId;
      this.count[slot] = 0;
      this.volume.fill(0, slot * 2, slot * 2 + 2);
      this.quote.fill(0, slot * 2, slot * 2 + 2);
      this.takerVolume.fill(0, slot * 2, slot * 2 + 2);
      this.takerQuote.fill(0, slot * 2, slot * 2 + 2);
    } else {
      if (price > this.high[slot]!) this.high[slot] = price;
      if (price < this.low[slot]!) this.low[slot] = price;
    }
    this.close[slot] = price;
    this.lastId[slot] = tradeId;
    this.count[slot]!++;
    addExact(this.volume, slot, quantity);
    addExact(this.quote, slot, quote);
    if (takerBuy) {
      addExact(this.takerVolume, slot, quantity);
      addExact(this.takerQuote, slot, quote);
    }
  }
}

function addExact(pairs: Float64Array, slot: number, value: number): void {
  const at = slot * 2 + 1;
  let low = pairs[at]! + value;
  if (low >= SPLIT) {
    const carry = Math.floor(low / SPLIT);
    pairs[at - 1]! += carry;
    low -= carry * SPLIT;
  }
  pairs[at] = low;
}

/** The figures of one period or window (reused: one instance per reader). */
export class TradeSummary {
  /** Trades in the range; 0: open/high/low/close are the last price before it. */
  count = 0;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  /** First and last trade id; -1 when there was no trade. */
  firstId = -1;
  lastId = -1;
  volumeHigh = 0;
  volumeLow = 0;
  quoteHigh = 0;
  quoteLow = 0;
  takerVolumeHigh = 0;
  takerVolumeLow = 0;
  takerQuoteHigh = 0;
  takerQuoteLow = 0;

  /** Volume-weighted average price in units (quote / volume), or the close without volume. */
  weightedAverage(): number {
    const volume = this.volumeHigh * SPLIT + this.volumeLow;
    if (volume === 0) return this.close;
    return Math.round(((this.quoteHigh * SPLIT + this.quoteLow) / volume) * 1e8);
  }
}

function addPair(summary: TradeSummary, field: 'volume' | 'quote' | 'takerVolume' | 'takerQuote', pairs: Float64Array, slot: number): void {
  const highKey = `${field}High` as const;
  const lowKey = `${field}Low` as const;
  let low = summary[lowKey] + pairs[slot * 2 + 1]!;
  let high = summary[highKey] + pairs[slot * 2]!;
  if (low >= SPLIT) {
    low -= SPLIT;
    high += 1;
  }
  summary[lowKey] = low;
  summary[highKey] = high;
}

/** Retention: a 1d window that starts on a minute, and the longest kline (1M with +08:00). */
const SECONDS_KEPT = 8;
const MINUTES_KEPT = 24 * 60 + 2;
const HOURS_KEPT = 32 * 24 + 9;

/** One symbol's trades, bucketed. Off until a statistics stream is first subscribed. */
export class TradeLedger {
  active = false;
  /** Last trade: price (units), quantity (units), time (ms); price 0 before the first trade. */
  lastPrice = 0;
  lastQuantity = 0;
  lastTime = 0;
  /** Trades recorded since activation (the all-market streams send symbols that changed). */
  trades = 0;
  private readonly seconds = new BucketRing(SECOND_MS, SECONDS_KEPT);
  private readonly minutes = new BucketRing(MINUTE_MS, MINUTES_KEPT);
  private readonly hours = new BucketRing(HOUR_MS, HOURS_KEPT);
  /** The price before the first trade (the market's starting mid). */
  private readonly initialPrice: number;
  /** quote = ticks * lots * this (integer units whenever tick * lot >= 1e-8). */
  private readonly quotePerTickLot: number;
  private readonly tickUnits: number;
  private readonly lotUnits: number;

  constructor(initialPrice: number, tickUnits: number, lotUnits: number) {
    this.initialPrice = initialPrice;
    this.tickUnits = tickUnits;
    this.lotUnits = lotUnits;
    this.quotePerTickLot = (tickUnits * lotUnits) / 1e8;
  }

  record(time: number, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean, tradeId: number): void {
    this.lastPrice = priceUnits;
    this.lastQuantity = quantityUnits;
    this.lastTime = time;
    if (!this.active) return;
    this.trades++;
    // Exact quote volume in 1e-8 units: price * quantity / 1e8, from integer ticks and lots.
    const quote = Math.floor((priceUnits / this.tickUnits) * (quantityUnits / this.lotUnits) * this.quotePerTickLot);
    // The taker is the buyer when the buyer is not the maker.
    const takerBuy = !buyerIsMaker;
    this.seconds.record(time, priceUnits, quantityUnits, quote, takerBuy, tradeId);
    this.minutes.record(time, priceUnits, quantityUnits, quote, takerBuy, tradeId);
    this.hours.record(time, priceUnits, quantityUnits, quote, takerBuy, tradeId);
  }

  /**
   * Sums the trades of [startMs, endMs] into `summary`, from the coarsest buckets that fit the
   * range: its start on a bucket boundary, and its end either at one or after the last trade.
   * Every kline period starts on a second, a minute or an hour, and every ticker window on a
   * minute.
   */
  summarize(startMs: number, endMs: number, summary: TradeSummary): TradeSummary {
    const ring = this.ringFor(startMs, endMs);
    summary.count = 0;
    summary.firstId = -1;
    summary.lastId = -1;
    summary.volumeHigh = summary.volumeLow = summary.quoteHigh = summary.quoteLow = 0;
    summary.takerVolumeHigh = summary.takerVolumeLow = summary.takerQuoteHigh = summary.takerQuoteLow = 0;
    const first = Math.floor(startMs / ring.durationMs);
    const last = Math.floor(endMs / ring.durationMs);
    const from = Math.max(first, last - ring.capacity + 1);
    for (let number = from; number <= last; number++) {
      const slot = number % ring.capacity;
      if (ring.number[slot] !== number) continue;
      if (summary.count === 0) {
        summary.open = ring.open[slot]!;
        summary.high = ring.high[slot]!;
        summary.low = ring.low[slot]!;
        summary.firstId = ring.firstId[slot]!;
      } else {
        if (ring.high[slot]! > summary.high) summary.high = ring.high[slot]!;
        if (ring.low[slot]! < summary.low) summary.low = ring.low[slot]!;
      }
      summary.close = ring.close[slot]!;
      summary.lastId = ring.lastId[slot]!;
      summary.count += ring.count[slot]!;
      addPair(summary, 'volume', ring.volume, slot);
      addPair(summary, 'quote', ring.quote, slot);
      addPair(summary, 'takerVolume', ring.takerVolume, slot);
      addPair(summary, 'takerQuote', ring.takerQuote, slot);
    }
    if (summary.count === 0) {
      const price = this.closeBefore(ring, first);
      summary.open = summary.high = summary.low = summary.close = price;
    }
    return summary;
  }

  private ringFor(startMs: number, endMs: number): BucketRing {
    for (const ring of [this.hours, this.minutes]) {
      const duration = ring.durationMs;
      const fits = startMs % duration === 0 && ((endMs + 1) % duration === 0 || endMs >= this.lastTime);
      if (fits && (endMs - startMs) / duration < ring.capacity - 1) return ring;
    }
    return this.seconds;
  }

  /** The last price before bucket `number` of `ring` (the "first trade(F)-1 price"). */
  closeBefore(ring: BucketRing | null, number: number): number {
    const searched = ring ?? this.minutes;
    for (let back = number - 1; back > number - searched.capacity; back--) {
      const slot = ((back % searched.capacity) + searched.capacity) % searched.capacity;
      if (searched.number[slot] === back) return searched.close[slot]!;
    }
    // Nothing retained before the range: the last trade if it came before it, else the start.
    if (this.lastPrice !== 0 && this.lastTime < number * searched.durationMs) return this.lastPrice;
    return this.initialPrice;
  }

  /** closeBefore for a time that starts a minute (ticker windows). */
  priceBeforeMinute(startMs: number): number {
    return this.closeBefore(this.minutes, Math.floor(startMs / MINUTE_MS));
  }
}
