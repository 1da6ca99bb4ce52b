// Kline periods (web-socket-streams.md, Kline/Candlestick Streams): the documented intervals,
// and the period containing a time, in UTC or shifted by a timezone offset ("Kline intervals
// open and close in the UTC+8 timezone ... E, t and T in the payload are Unix timestamps").

export const KLINE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday; weeks open on Monday, four days later. */
const FIRST_MONDAY = 4 * DAY;
/** Lengths of the fixed intervals (1w and 1M are calendar periods). */
const FIXED_MS: Record<string, number> = {
  '1s': SECOND,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
};

/** `@+08:00`: the only documented offset. */
export const UTC8_OFFSET_MS = 8 * HOUR;

/** Update speed: "1000ms for 1s, 2000ms for the other intervals". */
export function klineUpdateMs(interval: string): number {
  return interval === '1s' ? 1000 : 2000;
}

/** Start (inclusive) and end (the close time T: start of the next period - 1) of the period containing `time`. */
export function klinePeriod(interval: string, offsetMs: number, time: number): [number, number] {
  const local = time + offsetMs;
  let start: number;
  let next: number;
  if (interval === '1M') {
    const date = new Date(local);
    start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  } else if (interval === '1w') {
    start = Math.floor((local - FIRST_MONDAY) / WEEK) * WEEK + FIRST_MONDAY;
    next = start + WEEK;
  } else {
    const length = FIXED_MS[interval]!;
    start = Math.floor(local / length) * length;
    next = start + length;
  }
  return [start - offsetMs, next - offsetMs - 1];
}
