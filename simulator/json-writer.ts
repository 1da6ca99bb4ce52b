import { UNIT } from './decimal.js';

/** First size of the writer's buffer; it doubles when a payload (a 5000-level book) needs more. */
const INITIAL_BYTES = 64 * 1024;

/** ASCII bytes of a constant JSON fragment, encoded once at load time. */
export function fragment(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;

/** "00".."99" as ASCII pairs: two digits per division (the writer's hottest loop). */
const DIGIT_PAIRS = new Uint8Array(200);
for (let value = 0; value < 100; value++) {
  DIGIT_PAIRS[value * 2] = ZERO + Math.floor(value / 10);
  DIGIT_PAIRS[value * 2 + 1] = ZERO + (value % 10);
}

/**
 * Writes ASCII JSON straight into a reusable byte buffer: constant fragments are copied, and
 * integers and 8-decimal quantities are written digit by digit. No string is built per event,
 * which is what lets the simulator outrun the clients it feeds (bench/simulator-rate.ts).
 */
export class JsonWriter {
  buffer: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  position = 0;

  reset(): void {
    this.position = 0;
  }

  /** Copies a constant fragment. */
  bytes(data: Uint8Array): void {
    const length = data.length;
    this.ensure(length);
    const buffer = this.buffer;
    let at = this.position;
    if (length < 24) {
      for (let index = 0; index < length; index++) buffer[at++] = data[index]!;
    } else {
      buffer.set(data, at);
      at += length;
    }
    this.position = at;
  }

  /**
   * Binary payloads (SBE): makes room for `bytes` more bytes, advances past them and returns
   * where they start; the caller fills `buffer` (read it after this call: it may have grown).
   */
  reserve(bytes: number): number {
    this.ensure(bytes);
    const start = this.position;
    this.position = start + bytes;
    return start;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  /** A short ASCII string known not to need escaping (symbols, stream names). */
  ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let at = this.position;
    for (let index = 0; index < text.length; index++) buffer[at++] = text.charCodeAt(index);
    this.position = at;
  }

  /** A non-negative integer below 2^53 (ids, millisecond times). */
  uint(value: number): void {
    this.ensure(16);
    if (value < 1_000_000_000) {
      this.smallUint(value);
      return;
    }
    const high = Math.floor(value / 1_000_000_000);
    this.smallUint(high);
    this.padded(value - high * 1_000_000_000, 9);
  }

  /** Integer 1e-8 units as Binance's decimal string body, e.g. 2535190000 -> 25.35190000. */
  units(value: number): void {
    this.ensure(24);
    const whole = Math.floor(value / UNIT);
    this.uint(whole);
    this.buffer[this.position++] = DOT;
    this.padded(value - whole * UNIT, 8);
  }

  /** An integer that may be negative (ids that are -1 when absent). */
  int(value: number): void {
    if (value < 0) this.byte(MINUS);
    this.uint(Math.abs(value));
  }

  /** Signed 1e-8 units: "-0.00150000". */
  signedUnits(value: number): void {
    if (value < 0) this.byte(MINUS);
    this.units(Math.abs(value));
  }

  /** An exact sum kept as high * 1e15 + low units (ledger.ts), as the 8-decimal string body. */
  unitsPair(high: number, low: number): void {
    this.ensure(32);
    // high * 1e15 units = high * 1e7 wholes; low < 1e15, so both parts are exact doubles.
    const lowWhole = Math.floor(low / UNIT);
    this.uint(high * 1e7 + lowWhole);
    this.buffer[this.position++] = DOT;
    this.padded(low - lowWhole * UNIT, 8);
  }

  /** A signed integer scaled by 10^decimals written with that many decimals: (-95960, 3) -> -95.960. */
  signedFixed(scaled: number, decimals: number): void {
    this.ensure(32);
    let value = scaled;
    if (value < 0) {
      this.buffer[this.position++] = MINUS;
      value = -value;
    }
    const divisor = 10 ** decimals;
    const whole = Math.floor(value / divisor);
    this.uint(whole);
    this.buffer[this.position++] = DOT;
    this.padded(value - whole * divisor, decimals);
  }

  /** seconds * 1e9 + nanoseconds as one integer (the digits of process.hrtime.bigint()). */
  nanoseconds(seconds: number, nanoseconds: number): void {
    this.ensure(32);
    if (seconds === 0) {
      this.uint(nanoseconds);
      return;
    }
    this.uint(seconds);
    this.padded(nanoseconds, 9);
  }

  boolean(value: boolean): void {
    this.ascii(value ? 'true' : 'false');
  }

  toString(start = 0, end = this.position): string {
    return this.buffer.toString('latin1', start, end);
  }

  private smallUint(value: number): void {
    let digits = 1;
    for (let limit = 10; value >= limit && digits < 10; limit *= 10) digits++;
    this.padded(value, digits);
  }

  /** Writes `value` (< 10^digits, digits <= 9 so integer math stays in 32 bits), zero-padded. */
  private padded(value: number, digits: number): void {
    const buffer = this.buffer;
    const first = this.position;
    let rest = value | 0;
    let at = first + digits - 1;
    while (at > first) {
      const quotient = (rest / 100) | 0;
      const pair = (rest - quotient * 100) << 1;
      buffer[at] = DIGIT_PAIRS[pair + 1]!;
      buffer[at - 1] = DIGIT_PAIRS[pair]!;
      rest = quotient;
      at -= 2;
    }
    if (at === first) buffer[at] = ZERO + rest;
    this.position = first + digits;
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}
