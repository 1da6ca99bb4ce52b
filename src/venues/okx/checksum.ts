// OKX's order book checksum, computed from a local OrderBook without allocating. OKX v5 docs,
// WS / Order book channel, "Checksum" (quoted as they stood before the deprecation below):
//
//   "Use the first 25 bids and asks in the full load to form a string (where a colon connects
//    the price and size in an ask or a bid), and then calculate the CRC32 value (32-bit signed
//    integer)."
//   "When the bid and ask depth data exceeds 25 levels, each of them will intercept 25 levels of
//    data, and the string to be checked is queued in a way that the bid and ask depth data are
//    alternately arranged. Such as: bid[price:size]:ask[price:size]:bid[price:size]:ask[price:size]..."
//   "When the bid or ask depth data is less than 25 levels, the missing depth data will be
//    ignored. Such as: bid[price:size]:ask[price:size]:asks[price:size]:asks[price:size]..."
//   Examples: "3366.1:7:3366.8:9:3366:6:3368:8" and "3366.1:7:3366.8:9:3368:8:3372:8".
//
// And since 2026 (the same page, push data parameters): "checksum | Integer | ~~Checksum~~
// (Deprecated). The field remains in the push for books, books-l2-tbt, and books50-l2-tbt, but
// its value is fixed to 0 and must no longer be used for integrity verification. Please use
// seqId/prevSeqId to verify data continuity and accuracy." So a checksum of 0 is not checked
// (a real CRC is 0 once in 2^32 books; skipping that one costs nothing), any other value is.
//
// The string uses the price and size text as OKX sent it. The book keeps fixed-point units, not
// text, so the text is rebuilt from the units in OKX's spelling: the docs' levels are written
// without trailing fraction zeros and without a dot for whole numbers ("8477", "3366", "415",
// "0.12060306"). OkxBookDecoder checks that every level it reads is spelled that way; a message
// that is not (e.g. "0.5000") is marked OKX_CHECKSUM_UNVERIFIABLE, and the verifier stops
// checking until the next snapshot rather than failing books that are right.

import { DEPTH_SNAPSHOT, type DepthDiff } from '../../book/depth-diff.js';
import type { OrderBook } from '../../book/order-book.js';
import type { BookSide } from '../../book/book-side.js';
import { POW10 } from '../../market-json/fixed-point.js';
import { CRC32_INITIAL, CRC32_TABLE } from './crc32.js';

/** Levels per side in the checksum string. */
export const OKX_CHECKSUM_LEVELS = 25;
/**
 * DepthDiff.checksum of a message whose level text is not in OKX's canonical spelling (a trailing
 * fraction zero, a leading zero): the book's text cannot be rebuilt from units, so no checksum
 * can be verified until the next snapshot.
 */
export const OKX_CHECKSUM_UNVERIFIABLE = Infinity;

const CHAR_0 = 0x30;
const CHAR_DOT = 0x2e;
const CHAR_COLON = 0x3a;
/** 2^31: below it a value's digits come from int32 division. */
const SMALL = 2147483648;

const TABLE = CRC32_TABLE;

/**
 * Computes OKX checksums of books. One per book (it keeps scratch state); `compute()` allocates
 * nothing: the CRC state and the digits of each value live in typed arrays, and values are read
 * from the book's arrays, never passed as doubles (which V8 would box).
 */
export class OkxChecksum {
  /** Element 0: the running CRC state. */
  private readonly state = new Int32Array(1);
  /** Digits of one value, least significant first. */
  private readonly digits = new Uint8Array(24);

  /** The checksum (signed 32-bit) of the top 25 levels per side of `book`. */
  compute(book: OrderBook): number {
    this.state[0] = CRC32_INITIAL;
    const bids = book.bids;
    const asks = book.asks;
    const scale = book.scale;
    const levels = Math.min(OKX_CHECKSUM_LEVELS, Math.max(bids.count, asks.count));
    let first = true;
    for (let rank = 0; rank < levels; rank++) {
      if (rank < bids.count) {
        this.level(bids, rank, scale, first);
        first = false;
      }
      if (rank < asks.count) {
        this.level(asks, rank, scale, first);
        first = false;
      }
    }
    return ~this.state[0]! | 0;
  }

  /** `price:size` of the level at `rank` (0 = best), preceded by ':' unless it is the first. */
  private level(side: BookSide, rank: number, scale: number, first: boolean): void {
    const index = side.indexOfRank(rank);
    if (!first) this.byte(CHAR_COLON);
    this.units(side.prices, index, scale);
    this.byte(CHAR_COLON);
    this.units(side.quantities, index, scale);
  }

  private byte(value: number): void {
    const c = this.state[0]!;
    this.state[0] = TABLE[(c ^ value) & 0xff]! ^ (c >>> 8);
  }

  /** values[index] (fixed-point units at `scale`) in OKX's spelling: no trailing fraction zeros. */
  private units(values: Float64Array, index: number, scale: number): void {
    const value = values[index]!;
    const unit = POW10[scale]!;
    let whole = Math.floor(value / unit);
    let fraction = value - whole * unit;
    // The division may round: bring the split back to 0 <= fraction < unit exactly.
    if (fraction < 0) {
      whole -= 1;
      fraction += unit;
    } else if (fraction >= unit) {
      whole += 1;
      fraction -= unit;
    }
    if (whole < SMALL && unit <= SMALL) this.smallUnits(whole, fraction, scale);
    else this.largeUnits(whole, fraction, scale);
  }

  /** Both parts below 2^31: digits by integer division (the common case: bench/okx.ts). */
  private smallUnits(wholeValue: number, fractionValue: number, scale: number): void {
    const digits = this.digits;
    let whole = wholeValue | 0;
    let count = 0;
    do {
      const next = (whole / 10) | 0;
      digits[count++] = whole - next * 10;
      whole = next;
    } while (whole > 0);
    let c = this.state[0]!;
    while (count > 0) c = TABLE[(c ^ (CHAR_0 + digits[--count]!)) & 0xff]! ^ (c >>> 8);
    let fraction = fractionValue | 0;
    if (fraction !== 0) {
      // Drop the trailing zeros, then the `kept` fraction digits (leading zeros included).
      let kept = scale;
      while (fraction % 10 === 0) {
        fraction = (fraction / 10) | 0;
        kept--;
      }
      for (let k = 0; k < kept; k++) {
        const next = (fraction / 10) | 0;
        digits[k] = fraction - next * 10;
        fraction = next;
      }
      c = TABLE[(c ^ CHAR_DOT) & 0xff]! ^ (c >>> 8);
      while (kept > 0) c = TABLE[(c ^ (CHAR_0 + digits[--kept]!)) & 0xff]! ^ (c >>> 8);
    }
    this.state[0] = c;
  }

  /** Parts of 2^31 or more: the same digits by float64 division (exact below 2^53). */
  private largeUnits(wholeValue: number, fractionValue: number, scale: number): void {
    const digits = this.digits;
    let whole = wholeValue;
    let count = 0;
    do {
      const next = Math.floor(whole / 10);
      digits[count++] = whole - next * 10;
      whole = next;
    } while (whole > 0);
    let c = this.state[0]!;
    while (count > 0) c = TABLE[(c ^ (CHAR_0 + digits[--count]!)) & 0xff]! ^ (c >>> 8);
    let fraction = fractionValue;
    if (fraction !== 0) {
      for (let k = 0; k < scale; k++) {
        const next = Math.floor(fraction / 10);
        digits[k] = fraction - next * 10;
        fraction = next;
      }
      let low = 0;
      while (digits[low] === 0) low++;
      c = TABLE[(c ^ CHAR_DOT) & 0xff]! ^ (c >>> 8);
      for (let k = scale - 1; k >= low; k--) c = TABLE[(c ^ (CHAR_0 + digits[k]!)) & 0xff]! ^ (c >>> 8);
    }
    this.state[0] = c;
  }
}

/** The checksum string of a book (allocates: tests and diagnostics). */
export function okxChecksumText(book: OrderBook): string {
  const parts: string[] = [];
  const text = (side: BookSide, rank: number): string => `${canonical(side.price(rank), book.scale)}:${canonical(side.quantity(rank), book.scale)}`;
  for (let rank = 0; rank < OKX_CHECKSUM_LEVELS; rank++) {
    if (rank < book.bids.count) parts.push(text(book.bids, rank));
    if (rank < book.asks.count) parts.push(text(book.asks, rank));
  }
  return parts.join(':');
}

function canonical(units: number, scale: number): string {
  const text = String(units).padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * Checks the book against the venue's checksum after each diff (LocalOrderBookOptions.verify):
 * true when it matches or cannot be checked, false (the book resyncs) when it differs.
 */
export class OkxChecksumVerifier {
  /** Checksums compared and found equal. */
  verified = 0;
  /** Checksums that differed from the book's (each made the book resync). */
  mismatches = 0;
  /** Messages not checked: no checksum, OKX's deprecated 0, or text the book cannot reproduce. */
  skipped = 0;
  private readonly checksum = new OkxChecksum();
  /** False from a message in non-canonical spelling until the next snapshot. */
  private textReliable = true;

  /** The LocalOrderBook `verify` option (bound: pass it as is). */
  readonly verify = (book: OrderBook, diff: DepthDiff): boolean => {
    const expected = diff.checksum;
    if (diff.kind === DEPTH_SNAPSHOT) this.textReliable = true;
    if (expected === OKX_CHECKSUM_UNVERIFIABLE) this.textReliable = false;
    if (!this.textReliable || expected !== expected || expected === 0) {
      this.skipped++;
      return true;
    }
    if (this.checksum.compute(book) === expected) {
      this.verified++;
      return true;
    }
    this.mismatches++;
    return false;
  };

  /** Forget the spelling state (a new snapshot is coming). */
  reset(): void {
    this.textReliable = true;
  }
}
