// OKX public channels as stream names. An OKX subscription is an argument object
// {"channel":"books","instId":"BTC-USDT"}; the managed stream names streams by string, so one
// stream is `<channel>:<instId>` ("books:BTC-USDT"), turned back into the argument object by the
// profile and matched in pushes by the decoder (which joins `arg.channel` and `arg.instId` the
// same way, in a scratch buffer).
//
// OKX v5 docs, WS / Order book channel: "Use books for 400 depth levels, books5 for 5 depth
// levels, bbo-tbt tick-by-tick 1 depth level, books50-l2-tbt tick-by-tick 50 depth levels, and
// books-l2-tbt for tick-by-tick 400 depth levels." "prevSeqId [...] Only applicable to books,
// books-l2-tbt, books50-l2-tbt". WS / Trades channel: "trades"; WS / Tickers channel: "tickers".

/** No sequence checked (tickers). */
export const OKX_LAYOUT_NONE = 0;
/** Incremental books (books, books-l2-tbt, books50-l2-tbt): seqId chained by prevSeqId. */
export const OKX_LAYOUT_BOOK = 1;
/** Snapshot books (books5, bbo-tbt): seqId only, repeated while nothing changes. */
export const OKX_LAYOUT_BOOK_SNAPSHOT = 2;
/** trades: tradeId, the last of `count` aggregated trades. */
export const OKX_LAYOUT_TRADES = 3;

/** The channels this package decodes, by layout. */
const CHANNELS: ReadonlyMap<string, number> = new Map([
  ['books', OKX_LAYOUT_BOOK],
  ['books-l2-tbt', OKX_LAYOUT_BOOK],
  ['books50-l2-tbt', OKX_LAYOUT_BOOK],
  ['books5', OKX_LAYOUT_BOOK_SNAPSHOT],
  ['bbo-tbt', OKX_LAYOUT_BOOK_SNAPSHOT],
  ['trades', OKX_LAYOUT_TRADES],
  ['tickers', OKX_LAYOUT_NONE],
]);

/**
 * Instrument ids as OKX spells them: upper-case letters and digits joined by '-' ("BTC-USDT",
 * "BTC-USDT-SWAP", "BTC-USD-250328").
 */
const INSTRUMENT_ID = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

/** The stream name of `channel` for instrument `instId`: "books:BTC-USDT". */
export function okxStreamName(channel: string, instId: string): string {
  return `${channel}:${instId}`;
}

/** [channel, instId] of a stream name, or null when it is not `<known channel>:<instId>`. */
export function parseOkxStreamName(name: string): [string, string] | null {
  const colon = name.indexOf(':');
  if (colon <= 0) return null;
  const channel = name.slice(0, colon);
  const instId = name.slice(colon + 1);
  if (!CHANNELS.has(channel) || !INSTRUMENT_ID.test(instId)) return null;
  return [channel, instId];
}

/** The OKX_LAYOUT_* of a stream name (OKX_LAYOUT_NONE for names that are not OKX streams). */
export function okxIdLayout(name: string): number {
  const parsed = parseOkxStreamName(name);
  return parsed === null ? OKX_LAYOUT_NONE : CHANNELS.get(parsed[0])!;
}
