// OKX v5 public pushes written from the simulated market, in the compact layout OKX's servers
// send and with the fields of the docs' examples (WS / Order book channel, WS / Trades channel,
// WS / Tickers channel):
//
//   {"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],..],
//    "bids":[..],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]}
//   {"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[..],"ts":"..","seqId":363996337}]}
//   {"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9",
//    "sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","source":"0","seqId":1234}]}
//   {"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"9999.99",
//    "lastSz":"0.1","askPx":"9999.99","askSz":"11","bidPx":"8888.88","bidSz":"5",..,"ts":"1597026383085"}]}
//
// Prices and sizes are written as OKX's examples spell them: no trailing fraction zeros, no dot
// for whole numbers ("8477", "0.12060306"). The book checksum is computed the way the docs
// describe it ("the first 25 bids and asks [...] bid[price:size]:ask[price:size]:..." -> CRC32,
// signed), over that same text, with tickwire/okx's crc32.
import { crc32 } from 'tickwire/okx';
import { UNIT } from '../../decimal.js';
import { fragment, JsonWriter } from '../../json-writer.js';
import { SIDE_ASK, SIDE_BID, type SymbolMarket } from '../../market.js';

const ARG_CHANNEL = fragment('{"arg":{"channel":"');
const INST_ID = fragment('","instId":"');
const ACTION_SNAPSHOT = fragment('"},"action":"snapshot","data":[{');
const ACTION_UPDATE = fragment('"},"action":"update","data":[{');
const NO_ACTION = fragment('"},"data":[{');
const ASKS = fragment('"asks":');
const BIDS = fragment(',"bids":');
const TS = fragment(',"ts":"');
const CHECKSUM = fragment('","checksum":');
const PREV_SEQ_ID = fragment(',"prevSeqId":');
const SEQ_ID = fragment(',"seqId":');
const SEQ_ID_AFTER_TS = fragment('","seqId":');
const END = fragment('}]}');
const LEVEL_OPEN = fragment('["');
const LEVEL_MIDDLE = fragment('","');
/** The deprecated third entry ("always 0") and the number of orders (the simulator keeps one per level). */
const LEVEL_CLOSE = fragment('","0","1"]');
const TRADE_INST_ID = fragment('"instId":"');
const TRADE_ID = fragment('","tradeId":"');
const PX = fragment('","px":"');
const SZ = fragment('","sz":"');
const SIDE_BUY = fragment('","side":"buy"');
const SIDE_SELL = fragment('","side":"sell"');
const TRADE_TAIL = fragment('","count":"1","source":"0","seqId":');
const TICKER_HEAD = fragment('"instType":"SPOT","instId":"');
const LAST = fragment('","last":"');
const LAST_SZ = fragment('","lastSz":"');
const ASK_PX = fragment('","askPx":"');
const ASK_SZ = fragment('","askSz":"');
const BID_PX = fragment('","bidPx":"');
const BID_SZ = fragment('","bidSz":"');
const TICKER_TS = fragment('","ts":"');
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const DOT = 0x2e;
const ZERO = 0x30;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Levels per side of the `books` channel ("400 depth levels will be pushed in the initial full snapshot"). */
export const BOOKS_DEPTH = 400;
/** Levels per side of `books5`. */
export const BOOKS5_DEPTH = 5;
/** Levels per side in the checksum. */
const CHECKSUM_LEVELS = 25;

/** The OKX instrument id of a simulated symbol: "BTCUSDT" with its split -> "BTC-USDT". */
export function okxInstrumentId(base: string, quote: string): string {
  return `${base}-${quote}`;
}

/** 1e-8 units in OKX's spelling: "8477", "8476.98", "0.12060306". */
export function writeOkxUnits(writer: JsonWriter, units: number): void {
  const whole = Math.floor(units / UNIT);
  writer.uint(whole);
  let fraction = units - whole * UNIT;
  if (fraction === 0) return;
  writer.byte(DOT);
  for (let divisor = UNIT / 10; fraction > 0; divisor /= 10) {
    const digit = Math.floor(fraction / divisor);
    writer.byte(ZERO + digit);
    fraction -= digit * divisor;
  }
}

/** writeOkxUnits as a string (Exchange.book() and tests). */
export function writeOkxUnitsText(units: number): string {
  const writer = new JsonWriter();
  writeOkxUnits(writer, units);
  return writer.toString();
}

/** `{"arg":{"channel":"<channel>","instId":"<instId>"` up to the data object's opening brace. */
function writeHead(writer: JsonWriter, channel: Uint8Array, instId: Uint8Array, action: Uint8Array): void {
  writer.bytes(ARG_CHANNEL);
  writer.bytes(channel);
  writer.bytes(INST_ID);
  writer.bytes(instId);
  writer.bytes(action);
}

/** `[["price","size","0","1"],...]` for [tick, quantity] pairs, best first. */
function writeLevels(writer: JsonWriter, levels: ReadonlyArray<readonly [number, number]>, tickUnits: number): void {
  writer.byte(OPEN_BRACKET);
  for (let index = 0; index < levels.length; index++) {
    if (index > 0) writer.byte(COMMA);
    const [tick, quantity] = levels[index]!;
    writer.bytes(LEVEL_OPEN);
    writeOkxUnits(writer, tick * tickUnits);
    writer.bytes(LEVEL_MIDDLE);
    writeOkxUnits(writer, quantity);
    writer.bytes(LEVEL_CLOSE);
  }
  writer.byte(CLOSE_BRACKET);
}

const checksumText = new JsonWriter();

/** OKX's checksum of the market's book: CRC32 (signed) of its top 25 levels per side, interleaved. */
export function okxMarketChecksum(market: SymbolMarket): number {
  const bids = market.topLevels(SIDE_BID, CHECKSUM_LEVELS);
  const asks = market.topLevels(SIDE_ASK, CHECKSUM_LEVELS);
  const writer = checksumText;
  writer.reset();
  const tickUnits = market.tickUnits;
  for (let rank = 0; rank < CHECKSUM_LEVELS; rank++) {
    for (const side of [bids, asks]) {
      const level = side[rank];
      if (level === undefined) continue;
      if (writer.position > 0) writer.byte(COLON);
      writeOkxUnits(writer, level[0] * tickUnits);
      writer.byte(COLON);
      writeOkxUnits(writer, level[1]);
    }
  }
  return crc32(writer.buffer, 0, writer.position);
}

/** What one book push carries besides its levels. */
export interface BookPushIds {
  /** Order book generation time, ms. */
  ts: number;
  /** The checksum field; null for channels without one (books5, bbo-tbt). */
  checksum: number | null;
  /** -1 for a snapshot; null for channels without one (books5, bbo-tbt). */
  prevSeqId: number | null;
  seqId: number;
}

/**
 * A book push: `books` snapshot or update (action and prevSeqId), or a `books5`/`bbo-tbt`
 * snapshot (no action, no checksum, no prevSeqId). `bids`/`asks`: [tick, quantity] best first;
 * a quantity of 0 deletes the level ("If the size is 0, delete this depth data").
 */
export function writeOkxBookPush(
  writer: JsonWriter,
  channel: Uint8Array,
  instId: Uint8Array,
  bids: ReadonlyArray<readonly [number, number]>,
  asks: ReadonlyArray<readonly [number, number]>,
  tickUnits: number,
  ids: BookPushIds,
): void {
  const action = ids.prevSeqId === null ? NO_ACTION : ids.prevSeqId === -1 ? ACTION_SNAPSHOT : ACTION_UPDATE;
  writeHead(writer, channel, instId, action);
  writer.bytes(ASKS);
  writeLevels(writer, asks, tickUnits);
  writer.bytes(BIDS);
  writeLevels(writer, bids, tickUnits);
  writer.bytes(TS);
  writer.uint(ids.ts);
  if (ids.checksum !== null) {
    writer.bytes(CHECKSUM);
    writer.int(ids.checksum);
    if (ids.prevSeqId !== null) {
      writer.bytes(PREV_SEQ_ID);
      writer.int(ids.prevSeqId);
    }
    writer.bytes(SEQ_ID);
  } else {
    writer.bytes(SEQ_ID_AFTER_TS);
  }
  writer.uint(ids.seqId);
  writer.bytes(END);
}

/** A `trades` push of one trade (the simulator's trades fill one maker order each: count 1). */
export function writeOkxTradePush(
  writer: JsonWriter,
  channel: Uint8Array,
  instId: Uint8Array,
  tradeId: number,
  priceUnits: number,
  quantityUnits: number,
  takerBuys: boolean,
  ts: number,
  seqId: number,
): void {
  writeHead(writer, channel, instId, NO_ACTION);
  writer.bytes(TRADE_INST_ID);
  writer.bytes(instId);
  writer.bytes(TRADE_ID);
  writer.uint(tradeId);
  writer.bytes(PX);
  writeOkxUnits(writer, priceUnits);
  writer.bytes(SZ);
  writeOkxUnits(writer, quantityUnits);
  writer.bytes(takerBuys ? SIDE_BUY : SIDE_SELL);
  writer.bytes(TS);
  writer.uint(ts);
  writer.bytes(TRADE_TAIL);
  writer.uint(seqId);
  writer.bytes(END);
}

/** A `tickers` push: last trade and the best bid and ask. */
export function writeOkxTickerPush(writer: JsonWriter, channel: Uint8Array, instId: Uint8Array, market: SymbolMarket, lastPriceUnits: number, lastSizeUnits: number, ts: number): void {
  writeHead(writer, channel, instId, NO_ACTION);
  writer.bytes(TICKER_HEAD);
  writer.bytes(instId);
  writer.bytes(LAST);
  writeOkxUnits(writer, lastPriceUnits);
  writer.bytes(LAST_SZ);
  writeOkxUnits(writer, lastSizeUnits);
  writer.bytes(ASK_PX);
  writeOkxUnits(writer, market.bestAskTick * market.tickUnits);
  writer.bytes(ASK_SZ);
  writeOkxUnits(writer, market.bestAskQuantity);
  writer.bytes(BID_PX);
  writeOkxUnits(writer, market.bestBidTick * market.tickUnits);
  writer.bytes(BID_SZ);
  writeOkxUnits(writer, market.bestBidQuantity);
  writer.bytes(TICKER_TS);
  writer.uint(ts);
  writer.byte(QUOTE);
  writer.bytes(END);
}
