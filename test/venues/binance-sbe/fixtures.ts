// SBE messages built field by field from stream_1_0.xml (binance-spot-api-docs), with BigInt
// little-endian writes: independent of both the library's decoder and the simulator's writer.
// Binance's SBE page has no example payloads, so the values are those of the JSON docs'
// examples (bookTicker, trade, depthUpdate, partial depth), which the SBE streams mirror.

export type Field = readonly ['u8' | 'i8' | 'u16' | 'u32' | 'i64', number | bigint] | readonly ['str', string];

export function sbe(fields: readonly Field[]): Uint8Array {
  const out: number[] = [];
  for (const [type, value] of fields) {
    if (type === 'str') {
      const bytes = new TextEncoder().encode(value);
      out.push(bytes.length, ...bytes);
      continue;
    }
    const width = type === 'u8' || type === 'i8' ? 1 : type === 'u16' ? 2 : type === 'u32' ? 4 : 8;
    let big = BigInt(value);
    if (big < 0n) big += 1n << BigInt(8 * width);
    for (let k = 0; k < width; k++) out.push(Number((big >> BigInt(8 * k)) & 0xffn));
  }
  return Uint8Array.from(out);
}

/** messageHeader: blockLength, templateId, schemaId 1, version 0. */
export function header(blockLength: number, templateId: number, schemaId = 1, version = 0): Field[] {
  return [
    ['u16', blockLength],
    ['u16', templateId],
    ['u16', schemaId],
    ['u16', version],
  ];
}

/**
 * web-socket-streams.md bookTicker example: {"u":400900217,"s":"BNBUSDT","b":"25.35190000",
 * "B":"31.21000000","a":"25.36520000","A":"40.66000000"}, as a BestBidAskStreamEvent with
 * priceExponent -4 and qtyExponent -2 (and an eventTime, which SBE adds).
 */
export const BEST_BID_ASK_EVENT_TIME = 1_672_515_782_136_123;
export const BEST_BID_ASK_FIELDS: Field[] = [
  ...header(50, 10001),
  ['i64', BEST_BID_ASK_EVENT_TIME],
  ['i64', 400900217],
  ['i8', -4],
  ['i8', -2],
  ['i64', 253519],
  ['i64', 3121],
  ['i64', 253652],
  ['i64', 4066],
  ['str', 'BNBUSDT'],
];
export const BEST_BID_ASK = sbe(BEST_BID_ASK_FIELDS);

/**
 * trade example: {"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100",
 * "T":1672515782136,"m":true,"M":true} plus a second trade, as one TradesStreamEvent (µs times).
 */
export const TRADES_FIELDS: Field[] = [
  ...header(18, 10000),
  ['i64', 1_672_515_782_136_000],
  ['i64', 1_672_515_782_135_500],
  ['i8', -3],
  ['i8', 0],
  ['u16', 25],
  ['u32', 2],
  ['i64', 12345],
  ['i64', 1],
  ['i64', 100],
  ['u8', 1],
  ['i64', 12346],
  ['i64', 2],
  ['i64', 7],
  ['u8', 0],
  ['str', 'BNBBTC'],
];
export const TRADES = sbe(TRADES_FIELDS);

/**
 * depthUpdate example: {"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,
 * "b":[["0.0024","10"]],"a":[["0.0026","100"]]} as a DepthDiffStreamEvent (exponents -4, 0).
 */
export const DEPTH_DIFF = sbe([
  ...header(26, 10003),
  ['i64', 1_672_515_782_136_000],
  ['i64', 157],
  ['i64', 160],
  ['i8', -4],
  ['i8', 0],
  ['u16', 16],
  ['u16', 1],
  ['i64', 24],
  ['i64', 10],
  ['u16', 16],
  ['u16', 1],
  ['i64', 26],
  ['i64', 100],
  ['str', 'BNBBTC'],
]);

/**
 * Partial depth example: {"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}
 * as a DepthSnapshotStreamEvent (`<symbol>@depth20`), plus a second bid level.
 */
export const DEPTH_SNAPSHOT = sbe([
  ...header(18, 10002),
  ['i64', 1_672_515_782_136_000],
  ['i64', 160],
  ['i8', -4],
  ['i8', 0],
  ['u16', 16],
  ['u16', 2],
  ['i64', 24],
  ['i64', 10],
  ['i64', 23],
  ['i64', 5],
  ['u16', 16],
  ['u16', 1],
  ['i64', 26],
  ['i64', 100],
  ['str', 'BNBBTC'],
]);

export function text(data: Uint8Array, start: number, end: number): string {
  return new TextDecoder().decode(data.subarray(start, end));
}
