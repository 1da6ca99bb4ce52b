// What every SBE message decoder shares: its fixed-point scale, the frame walker (header, schema
// check, lengths, symbol), the exponents of the last message, and the error it keeps instead of
// throwing.
import { DEFAULT_SCALE, checkScale } from '../../market-json/fixed-point.js';
import { SbeFrame, type SbeDecoderOptions } from './frame.js';
import type { SbeError } from './sbe-error.js';

/** The base of the SBE message decoders (scale, frame walk, exponents, error). */
export abstract class SbeMessageDecoder {
  /** Fixed-point decimals of the prices and quantities it writes. */
  readonly scale: number;
  /** The last message's walk: header fields, symbol bytes (symbolStart..symbolEnd), `error`. */
  readonly frame: SbeFrame;
  /** The exponents of the last message (the venue's tick and lot precision). */
  priceExponent = 0;
  /** The quantity exponent of the last message. */
  qtyExponent = 0;

  constructor(options: SbeDecoderOptions = {}) {
    this.scale = checkScale(options.scale ?? DEFAULT_SCALE);
    this.frame = new SbeFrame(options);
  }

  /** SBE_* code of the last message (SBE_OK after a success). */
  get error(): number {
    return this.frame.error;
  }

  /** The last error as an SbeError (allocates: for reports), or null. */
  lastError(): SbeError | null {
    return this.frame.lastError();
  }

  protected fail(error: number): false {
    this.frame.error = error;
    return false;
  }
}
