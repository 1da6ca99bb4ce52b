// Walks one SBE message of Binance's stream schema without reading its values: checks the header
// (schemaId and version on every message), the root block's and groups' lengths against the
// schema and against the bytes there are, and finds the groups and the symbol. The typed decoders
// and the stream decoder read fields at the positions it leaves; nothing is allocated (the
// DataView is made once per receive buffer, which a connection reuses).
import {
  BBA_BLOCK_LENGTH,
  DIFF_BLOCK_LENGTH,
  GROUP_SIZE16_LENGTH,
  GROUP_SIZE_LENGTH,
  HEADER_BLOCK_LENGTH,
  HEADER_LENGTH,
  HEADER_SCHEMA_ID,
  HEADER_TEMPLATE_ID,
  HEADER_VERSION,
  LEVEL_ENTRY_LENGTH,
  SBE_SCHEMA_ID,
  SBE_SCHEMA_VERSION,
  SNAPSHOT_BLOCK_LENGTH,
  TEMPLATE_BEST_BID_ASK,
  TEMPLATE_DEPTH_DIFF,
  TEMPLATE_DEPTH_SNAPSHOT,
  TEMPLATE_TRADES,
  TRADE_ENTRY_LENGTH,
  TRADES_BLOCK_LENGTH,
} from './schema.js';
import { SBE_MALFORMED, SBE_OK, SBE_TRUNCATED, SBE_UNKNOWN_SCHEMA, SBE_UNKNOWN_TEMPLATE, SbeError } from './sbe-error.js';

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/**
 * Which schema versions a decoder accepts. Binance: "`version` is incremented when a non-breaking
 * change is introduced" (sbe_faq.md) — fields appended to blocks, which the blockLength fields
 * let a reader skip. By default only the version the offsets were written from is accepted, so a
 * schema change is reported instead of guessed at; `maxVersion` opts into newer minor versions.
 */
export interface SbeVersionOptions {
  /** Highest `version` of schema 1 to decode (default SBE_SCHEMA_VERSION, 0). */
  maxVersion?: number;
}

/** Options every SBE decoder takes. */
export interface SbeDecoderOptions extends SbeVersionOptions {
  /** Fixed-point decimals of prices and quantities (default 8); the output objects must have the same. */
  scale?: number;
}

/** Validates SbeVersionOptions.maxVersion (construction time); returns it or the default. */
export function checkMaxVersion(options: SbeVersionOptions): number {
  const maxVersion = options.maxVersion ?? SBE_SCHEMA_VERSION;
  if (!Number.isInteger(maxVersion) || maxVersion < SBE_SCHEMA_VERSION || maxVersion > 0xffff) {
    throw new RangeError(`maxVersion must be an integer from ${SBE_SCHEMA_VERSION} to 65535, got ${maxVersion}`);
  }
  return maxVersion;
}

/** The layout of the last message walked; positions are indices into the message's Uint8Array. */
export class SbeFrame {
  /** SBE_* error of the last walk (SBE_OK when it succeeded). */
  error = SBE_OK;
  /** The header's templateId (NaN when the message was too short to hold a header). */
  templateId = NaN;
  /** The header's schemaId (Binance's stream schema: 1). */
  schemaId = NaN;
  /** The header's version (stream_1_0.xml: 0). */
  version = NaN;
  /** Root block: first byte and length (from the header). */
  root = 0;
  /** The root block's length from the header (at least the schema's for the template). */
  blockLength = 0;
  /** First group (trades, or bids): first entry, entry length, entries. */
  group0 = 0;
  /** Bytes per entry of the first group (its header's blockLength). */
  group0EntryLength = 0;
  /** Entries in the first group (numInGroup). */
  group0Count = 0;
  /** Second group (asks); count 0 for messages with one group or none. */
  group1 = 0;
  /** Bytes per entry of the second group. */
  group1EntryLength = 0;
  /** Entries in the second group. */
  group1Count = 0;
  /** The symbol's UTF-8 bytes. */
  symbolStart = 0;
  /** End (exclusive) of the symbol's bytes. */
  symbolEnd = 0;
  /** A DataView over the message's whole ArrayBuffer, and the message array's offset in it: field at index i is view.getX(base + i). */
  view: DataView = EMPTY_VIEW;
  /** The message array's byteOffset in `view`'s buffer. */
  base = 0;

  private readonly maxVersion: number;
  private buffer: ArrayBufferLike = EMPTY_VIEW.buffer;

  constructor(options: SbeVersionOptions = {}) {
    this.maxVersion = checkMaxVersion(options);
  }

  /** The last error as an object (allocates: for reports, not the data path). */
  lastError(): SbeError | null {
    return this.error === SBE_OK ? null : new SbeError(this.error, this.templateId, this.schemaId, this.version);
  }

  /**
   * Walks data[start, end): true when it is a complete message of a known template, with every
   * length consistent; otherwise false with `error` set.
   */
  walk(data: Uint8Array, start: number, end: number): boolean {
    if (data.buffer !== this.buffer) {
      this.buffer = data.buffer;
      this.view = new DataView(data.buffer);
    }
    const view = this.view;
    const base = (this.base = data.byteOffset);
    this.templateId = this.schemaId = this.version = NaN;
    if (start < 0 || end > data.length || end - start < HEADER_LENGTH) return this.fail(SBE_TRUNCATED);
    const blockLength = view.getUint16(base + start + HEADER_BLOCK_LENGTH, true);
    const templateId = (this.templateId = view.getUint16(base + start + HEADER_TEMPLATE_ID, true));
    const schemaId = (this.schemaId = view.getUint16(base + start + HEADER_SCHEMA_ID, true));
    const version = (this.version = view.getUint16(base + start + HEADER_VERSION, true));
    if (schemaId !== SBE_SCHEMA_ID || version > this.maxVersion) return this.fail(SBE_UNKNOWN_SCHEMA);
    const root = start + HEADER_LENGTH;
    this.root = root;
    this.blockLength = blockLength;
    this.group0Count = this.group1Count = 0;
    this.group0 = this.group1 = root + blockLength;
    let at = root + blockLength;
    switch (templateId) {
      case TEMPLATE_TRADES:
        if (blockLength < TRADES_BLOCK_LENGTH) return this.fail(SBE_MALFORMED);
        // `trades` uses the default dimensionType, groupSizeEncoding (uint32 numInGroup).
        at = this.group(at, end, GROUP_SIZE_LENGTH, TRADE_ENTRY_LENGTH, 0);
        break;
      case TEMPLATE_BEST_BID_ASK:
        if (blockLength < BBA_BLOCK_LENGTH) return this.fail(SBE_MALFORMED);
        break;
      case TEMPLATE_DEPTH_SNAPSHOT:
      case TEMPLATE_DEPTH_DIFF:
        if (blockLength < (templateId === TEMPLATE_DEPTH_DIFF ? DIFF_BLOCK_LENGTH : SNAPSHOT_BLOCK_LENGTH)) return this.fail(SBE_MALFORMED);
        // `bids` and `asks`: dimensionType="groupSize16Encoding".
        at = this.group(at, end, GROUP_SIZE16_LENGTH, LEVEL_ENTRY_LENGTH, 0);
        if (at >= 0) at = this.group(at, end, GROUP_SIZE16_LENGTH, LEVEL_ENTRY_LENGTH, 1);
        break;
      default:
        return this.fail(SBE_UNKNOWN_TEMPLATE);
    }
    if (at < 0) return false;
    // data `symbol`: varString8, a uint8 length and the bytes.
    if (at >= end) return this.fail(SBE_TRUNCATED);
    const symbolEnd = at + 1 + data[at]!;
    if (symbolEnd > end) return this.fail(SBE_TRUNCATED);
    // The symbol is the last element of every message in this version: anything after it is
    // garbage (a newer minor version may append var data, so it is allowed there).
    if (symbolEnd !== end && version === SBE_SCHEMA_VERSION) return this.fail(SBE_MALFORMED);
    this.symbolStart = at + 1;
    this.symbolEnd = symbolEnd;
    this.error = SBE_OK;
    return true;
  }

  /** Reads a group header at `at` and checks its entries fit; returns the position after them, or -1. */
  private group(at: number, end: number, headerLength: number, minEntryLength: number, which: number): number {
    if (at + headerLength > end) return this.fail(SBE_TRUNCATED) ? 0 : -1;
    const view = this.view;
    const base = this.base;
    const entryLength = view.getUint16(base + at, true);
    const count = headerLength === GROUP_SIZE_LENGTH ? view.getUint32(base + at + 2, true) : view.getUint16(base + at + 2, true);
    if (entryLength < minEntryLength) return this.fail(SBE_MALFORMED) ? 0 : -1;
    // groupSizeEncoding's numInGroup has maxValue="2147483647".
    if (count > 0x7fffffff) return this.fail(SBE_MALFORMED) ? 0 : -1;
    const first = at + headerLength;
    // count * entryLength < 2^31 * 2^16 = 2^47: exact.
    const after = first + count * entryLength;
    if (after > end) return this.fail(SBE_TRUNCATED) ? 0 : -1;
    if (which === 0) {
      this.group0 = first;
      this.group0EntryLength = entryLength;
      this.group0Count = count;
    } else {
      this.group1 = first;
      this.group1EntryLength = entryLength;
      this.group1Count = count;
    }
    return after;
  }

  private fail(error: number): false {
    this.error = error;
    return false;
  }
}
