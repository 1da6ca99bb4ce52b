// Errors of the SBE decoders. A decoder never throws on bytes from the wire: it returns false and
// keeps a numeric code in `error` (no allocation on the data path); `lastError()` turns it into an
// SbeError when someone wants an object (the stream layer's report, a log line). One bad message
// never closes the connection, so there is no close code: the managed stream reports it as an
// event and goes on (docs/errors.md, "SBE decoding errors").

/** `error` when the last message decoded. */
export const SBE_OK = 0;
/** Shorter than its header, block, group or var-data lengths say. */
export const SBE_TRUNCATED = 1;
/** schemaId or version is not one this decoder was built for (stream_1_0.xml: id 1, version 0). */
export const SBE_UNKNOWN_SCHEMA = 2;
/** A templateId this decoder does not read (or no template of the schema at all). */
export const SBE_UNKNOWN_TEMPLATE = 3;
/** Inconsistent bytes: a block or group entry shorter than the schema's, trailing bytes, an invalid enum value, a negative id. */
export const SBE_MALFORMED = 4;
/** A decimal that cannot be held exactly in fixed-point units at the decoder's scale, or an id or time of 2^53 or more. */
export const SBE_NOT_EXACT = 5;
/** The output object's `scale` differs from the decoder's (a programming error, reported like the rest). */
export const SBE_SCALE_MISMATCH = 6;

/** The string codes of SbeError (docs/errors.md, "SBE decoding errors"). */
export type SbeErrorCode =
  | 'TW_ERR_SBE_TRUNCATED'
  | 'TW_ERR_SBE_UNKNOWN_SCHEMA'
  | 'TW_ERR_SBE_UNKNOWN_TEMPLATE'
  | 'TW_ERR_SBE_MALFORMED'
  | 'TW_ERR_SBE_NOT_EXACT'
  | 'TW_ERR_SBE_SCALE_MISMATCH';

const CODES: readonly SbeErrorCode[] = [
  'TW_ERR_SBE_TRUNCATED', // placeholder for SBE_OK, never used
  'TW_ERR_SBE_TRUNCATED',
  'TW_ERR_SBE_UNKNOWN_SCHEMA',
  'TW_ERR_SBE_UNKNOWN_TEMPLATE',
  'TW_ERR_SBE_MALFORMED',
  'TW_ERR_SBE_NOT_EXACT',
  'TW_ERR_SBE_SCALE_MISMATCH',
];

const MESSAGES: readonly string[] = [
  'no error',
  'message shorter than its lengths say',
  'unknown SBE schema id or version',
  'SBE template not read by this decoder',
  'malformed SBE message',
  'value not exact at the fixed-point scale (or 2^53 or more)',
  "output scale differs from the decoder's",
];

/** The string code of a numeric SBE_* error. */
export function sbeErrorCode(error: number): SbeErrorCode {
  return CODES[error] ?? 'TW_ERR_SBE_MALFORMED';
}

/** A message the SBE decoders refused, as an object (made on demand by lastError(), never on the data path). */
export class SbeError extends Error {
  /** The stable string code to match on. */
  readonly code: SbeErrorCode;
  /** The header's fields (NaN when the message was too short to hold them). */
  readonly templateId: number;
  /** The header's schemaId (NaN when too short). */
  readonly schemaId: number;
  /** The header's version (NaN when too short). */
  readonly version: number;

  constructor(error: number, templateId: number, schemaId: number, version: number) {
    const detail = Number.isNaN(schemaId) ? '' : ` (template ${templateId}, schema ${schemaId}:${version})`;
    super(`${MESSAGES[error] ?? MESSAGES[SBE_MALFORMED]!}${detail}`);
    this.name = 'SbeError';
    this.code = sbeErrorCode(error);
    this.templateId = templateId;
    this.schemaId = schemaId;
    this.version = version;
  }
}
