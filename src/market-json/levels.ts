// Walks an array of [price, quantity, ...] levels (Binance `b`/`a`, `bids`/`asks`) in place. One
// iterator object per field, reused for every message: `next()` moves to the next level and
// records where its first two entries are; `price()`/`quantity()` parse them on demand.
//
// The iterator only runs over arrays that JsonFields.scan() has fully validated, so it skips
// values by bracket counting instead of re-validating; every step still advances and stops at the
// array's end, so even a buffer overwritten behind its back cannot make it loop forever.

import { findStringStopScalar, skipWhitespace } from './byte-scan.js';
import { numberSlot } from './decimal.js';
import { KIND_MISSING, KIND_NUMBER, KIND_STRING, readNumber } from './values.js';

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_MINUS = 0x2d;
const CHAR_LBRACKET = 0x5b;
const CHAR_RBRACKET = 0x5d;
const CHAR_LBRACE = 0x7b;
const CHAR_RBRACE = 0x7d;
const KIND_OTHER = 8;
const CHAR_SPACE = 0x20;

const EMPTY = new Uint8Array(0);

/** Index of the closing quote of a validated string body starting at `from`, or `end`. */
function closingQuote(data: Uint8Array, from: number, end: number): number {
  let i = from;
  for (;;) {
    i = findStringStopScalar(data, i, end);
    if (i >= end || data[i] === CHAR_QUOTE) return i;
    i += data[i] === CHAR_BACKSLASH ? 2 : 1; // after \ the next byte is never the closing quote
  }
}

/** Index just past the validated value starting at `pos` (never less than pos + 1 when pos < end). */
function skipValue(data: Uint8Array, pos: number, end: number): number {
  const c = data[pos]!;
  if (c === CHAR_QUOTE) return Math.min(closingQuote(data, pos + 1, end) + 1, end);
  if (c === CHAR_LBRACKET || c === CHAR_LBRACE) {
    let depth = 0;
    for (; pos < end; pos++) {
      const b = data[pos]!;
      if (b === CHAR_QUOTE) pos = closingQuote(data, pos + 1, end);
      else if (b === CHAR_LBRACKET || b === CHAR_LBRACE) depth++;
      else if ((b === CHAR_RBRACKET || b === CHAR_RBRACE) && --depth === 0) return pos + 1;
    }
    return end;
  }
  // A number or literal: up to the next delimiter.
  let i = pos + 1;
  while (i < end) {
    const b = data[i]!;
    if (b === CHAR_COMMA || b === CHAR_RBRACKET || b === CHAR_RBRACE || b <= 0x20) break;
    i++;
  }
  return i;
}

/**
 * Walks an array of `[price, quantity, ...]` levels (Binance `b`/`a`, `bids`/`asks`) in place,
 * one level per next(); price() and quantity() parse the current level on demand. Obtained from
 * JsonFields.levels(), one reusable iterator per field.
 */
export class LevelIterator {
  private data: Uint8Array = EMPTY;
  private pos = 0;
  /** Index of the array's closing bracket. */
  private end = 0;
  private priceKind = KIND_MISSING;
  private pricePlain = false;
  private quantityKind = KIND_MISSING;
  private quantityPlain = false;
  /** Raw value ranges of the current level (inside the quotes for strings). */
  /** Start of the current level's price text (inside the quotes for a string). */
  priceStart = 0;
  /** End (exclusive) of the current level's price text. */
  priceEnd = 0;
  /** Start of the current level's quantity text (inside the quotes for a string). */
  quantityStart = 0;
  /** End (exclusive) of the current level's quantity text. */
  quantityEnd = 0;
  /** 0-based index of the current level; -1 before the first next(). */
  index = -1;
  /** True when next() stopped on an entry that is not an array of at least two values. */
  malformed = false;

  /** Points the iterator at the array `data[start, end)` (brackets included); start === end = empty. */
  reset(data: Uint8Array, start: number, end: number): this {
    this.data = data;
    this.pos = start + 1;
    this.end = end > start ? end - 1 : start;
    this.index = -1;
    this.malformed = false;
    this.priceKind = KIND_MISSING;
    this.quantityKind = KIND_MISSING;
    this.pricePlain = false;
    this.quantityPlain = false;
    return this;
  }

  /** Moves to the next level; false at the end of the array (or on a malformed level, see `malformed`). */
  next(): boolean {
    const data = this.data;
    const end = this.end;
    let pos = this.pos;
    if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    if (pos >= end) return false;
    if (this.index >= 0) {
      if (data[pos] !== CHAR_COMMA) return this.stop();
      pos++;
      if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    }
    if (pos >= end || data[pos] !== CHAR_LBRACKET) return this.stop();
    pos++;
    if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    if (pos >= end || data[pos] === CHAR_RBRACKET) return this.stop();

    pos = this.readEntry(data, pos, end, true);
    if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    if (pos >= end || data[pos] !== CHAR_COMMA) return this.stop();
    pos++;
    if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    if (pos >= end) return this.stop();
    pos = this.readEntry(data, pos, end, false);
    if (pos < end && data[pos]! <= CHAR_SPACE) pos = skipWhitespace(data, pos, end);
    // Extra entries (some venues send [price, qty, count] or more) are skipped.
    while (pos < end && data[pos] === CHAR_COMMA) {
      pos = skipWhitespace(data, pos + 1, end);
      if (pos >= end) return this.stop();
      pos = skipWhitespace(data, skipValue(data, pos, end), end);
    }
    if (pos >= end || data[pos] !== CHAR_RBRACKET) return this.stop();
    this.pos = pos + 1;
    this.index++;
    return true;
  }

  /** The current level's price (first entry), as parseFloat would read it; NaN if not a number. */
  price(): number {
    // Two lines on purpose: small enough to be inlined into any caller (values.ts says why).
    this.readPrice();
    return numberSlot[0]!;
  }

  /** The current level's quantity (second entry). */
  quantity(): number {
    this.readQuantity();
    return numberSlot[0]!;
  }

  /**
   * price() stored into target[index]: no double crosses a call, so nothing is boxed whether or
   * not V8 inlines this (price() is allocation-free only where it is inlined; see JsonFields.numberInto).
   */
  priceInto(target: Float64Array, index: number): void {
    this.readPrice();
    target[index] = numberSlot[0]!;
  }

  /** quantity() stored into target[index] (see priceInto). */
  quantityInto(target: Float64Array, index: number): void {
    this.readQuantity();
    target[index] = numberSlot[0]!;
  }

  private readPrice(): void {
    readNumber(this.data, this.pricePlain, this.priceKind, this.priceStart, this.priceEnd);
  }

  private readQuantity(): void {
    readNumber(this.data, this.quantityPlain, this.quantityKind, this.quantityStart, this.quantityEnd);
  }

  private stop(): false {
    this.malformed = true;
    this.pos = this.end;
    return false;
  }

  private readEntry(data: Uint8Array, pos: number, end: number, isPrice: boolean): number {
    const c = data[pos]!;
    let kind: number;
    let start: number;
    let stop: number;
    let escaped = false;
    let next: number;
    if (c === CHAR_QUOTE) {
      kind = KIND_STRING;
      start = pos + 1;
      stop = start;
      // The string was validated by scan(): only the closing quote and escapes matter here.
      for (let b = 0; stop < end && (b = data[stop]!) !== CHAR_QUOTE; ) {
        if (b === CHAR_BACKSLASH) {
          escaped = true;
          stop++; // the escaped byte is never the closing quote
        }
        stop++;
      }
      if (stop > end) stop = end;
      next = stop + 1;
    } else {
      start = pos;
      next = skipValue(data, pos, end);
      stop = next;
      kind = c === CHAR_MINUS || (c - 0x30) >>> 0 <= 9 ? KIND_NUMBER : KIND_OTHER;
    }
    const plain = kind === KIND_NUMBER || (kind === KIND_STRING && !escaped);
    if (isPrice) {
      this.priceKind = kind;
      this.priceStart = start;
      this.priceEnd = stop;
      this.pricePlain = plain;
    } else {
      this.quantityKind = kind;
      this.quantityStart = start;
      this.quantityEnd = stop;
      this.quantityPlain = plain;
    }
    return next;
  }
}
