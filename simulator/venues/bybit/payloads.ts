// Bybit v5 public payloads, written straight into the simulator's JsonWriter (no string per
// event), in the layouts of Bybit's docs (docs/v5/websocket/public/orderbook.mdx, trade.mdx,
// ticker.mdx) with the key order the docs print:
//
//   {"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT",
//    "b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},"cts":1672304484976}
//   {"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,
//    "s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-...","BT":false,"seq":1783284617}]}
//   {"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT",...,"bid1Price":"66666.60",...},"cs":9532239429,"ts":1760325052630}
//
// "Spot (all levels) & Futures (Level 1): the "ts" field appears before the "type" field";
// "Futures (all other levels): the "ts" field appears after the "type" field" — written so.
// Prices and sizes are the simulator's 8-decimal strings ("16493.50000000"): the same values.
import { fragment, type JsonWriter } from '../../json-writer.js';

const TOPIC = fragment('{"topic":"');
const TYPE_SNAPSHOT = fragment('","type":"snapshot"');
const TYPE_DELTA = fragment('","type":"delta"');
const TS_AFTER_TOPIC = fragment('","ts":');
const TYPE_SNAPSHOT_AFTER_TS = fragment(',"type":"snapshot"');
const TYPE_DELTA_AFTER_TS = fragment(',"type":"delta"');
const TS = fragment(',"ts":');
const BOOK_DATA = fragment(',"data":{"s":"');
const BIDS = fragment('","b":[');
const ASKS = fragment('],"a":[');
const UPDATE_ID = fragment('],"u":');
const SEQ = fragment(',"seq":');
const CTS = fragment('},"cts":');
const LEVEL_OPEN = fragment('["');
const LEVEL_MIDDLE = fragment('","');
const LEVEL_CLOSE = fragment('"]');
const TRADES_OPEN = fragment(',"data":[');
const TRADE_TIME = fragment('{"T":');
const TRADE_SYMBOL = fragment(',"s":"');
const SIDE_BUY = fragment('","S":"Buy","v":"');
const SIDE_SELL = fragment('","S":"Sell","v":"');
const TRADE_PRICE = fragment('","p":"');
const TICK_PLUS = fragment('","L":"PlusTick","i":"');
const TICK_MINUS = fragment('","L":"MinusTick","i":"');
const TRADE_ID_ONLY = fragment('","i":"');
const BLOCK_TRADE = fragment('","BT":false,"seq":');
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const HEX = fragment('0123456789abcdef');

/** One book side's levels as [price units, quantity units] pairs, best first. */
export type Levels = ReadonlyArray<readonly [number, number]>;

export interface OrderbookMessage {
  topic: string;
  symbol: string;
  snapshot: boolean;
  /** Spot (all levels) and level 1 put "ts" before "type". */
  tsFirst: boolean;
  ts: number;
  bids: Levels;
  asks: Levels;
  u: number;
  seq: number;
  cts: number;
}

/** `orderbook.{depth}.{symbol}` (a size of 0 deletes the level: "The delta data has size=0"). */
export function writeOrderbook(writer: JsonWriter, message: OrderbookMessage): void {
  writer.bytes(TOPIC);
  writer.ascii(message.topic);
  if (message.tsFirst) {
    writer.bytes(TS_AFTER_TOPIC);
    writer.uint(message.ts);
    writer.bytes(message.snapshot ? TYPE_SNAPSHOT_AFTER_TS : TYPE_DELTA_AFTER_TS);
  } else {
    writer.bytes(message.snapshot ? TYPE_SNAPSHOT : TYPE_DELTA);
    writer.bytes(TS);
    writer.uint(message.ts);
  }
  writer.bytes(BOOK_DATA);
  writer.ascii(message.symbol);
  writer.bytes(BIDS);
  writeLevels(writer, message.bids);
  writer.bytes(ASKS);
  writeLevels(writer, message.asks);
  writer.bytes(UPDATE_ID);
  writer.uint(message.u);
  writer.bytes(SEQ);
  writer.uint(message.seq);
  writer.bytes(CTS);
  writer.uint(message.cts);
  writer.byte(CLOSE_OBJECT);
}

function writeLevels(writer: JsonWriter, levels: Levels): void {
  for (let index = 0; index < levels.length; index++) {
    if (index > 0) writer.byte(COMMA);
    const level = levels[index]!;
    writer.bytes(LEVEL_OPEN);
    writer.units(level[0]);
    writer.bytes(LEVEL_MIDDLE);
    writer.units(level[1]);
    writer.bytes(LEVEL_CLOSE);
  }
}

export interface TradeRecord {
  /** Fill time (ms). */
  time: number;
  priceUnits: number;
  quantityUnits: number;
  /** The taker bought (lifted the ask). */
  takerBuy: boolean;
  /** The simulator's trade number; written as a UUID (tradeUuid). */
  number: number;
  /** Cross sequence at the trade. */
  seq: number;
}

/** `publicTrade.{symbol}`: one message holding `trades` (linear adds the tick direction `L`). */
export function writeTrades(writer: JsonWriter, topic: string, symbol: string, ts: number, trades: readonly TradeRecord[], tickDirection: boolean): void {
  writer.bytes(TOPIC);
  writer.ascii(topic);
  writer.bytes(TYPE_SNAPSHOT);
  writer.bytes(TS);
  writer.uint(ts);
  writer.bytes(TRADES_OPEN);
  for (let index = 0; index < trades.length; index++) {
    const trade = trades[index]!;
    if (index > 0) writer.byte(COMMA);
    writer.bytes(TRADE_TIME);
    writer.uint(trade.time);
    writer.bytes(TRADE_SYMBOL);
    writer.ascii(symbol);
    writer.bytes(trade.takerBuy ? SIDE_BUY : SIDE_SELL);
    writer.units(trade.quantityUnits);
    writer.bytes(TRADE_PRICE);
    writer.units(trade.priceUnits);
    writer.bytes(tickDirection ? (trade.takerBuy ? TICK_PLUS : TICK_MINUS) : TRADE_ID_ONLY);
    writeTradeUuid(writer, trade.number);
    writer.bytes(BLOCK_TRADE);
    writer.uint(trade.seq);
    writer.byte(CLOSE_OBJECT);
  }
  writer.byte(CLOSE_ARRAY);
  writer.byte(CLOSE_OBJECT);
}

/**
 * The simulator's trade number as a UUID-shaped id (the docs' `i` is a UUID string):
 * 00000000-0000-4000-8000-<number as 12 hex digits>. tradeNumberOfUuid reads it back (tests).
 */
export function writeTradeUuid(writer: JsonWriter, number: number): void {
  writer.ascii('00000000-0000-4000-8000-');
  for (let shift = 44; shift >= 0; shift -= 4) writer.byte(HEX[Math.floor(number / 2 ** shift) % 16]!);
}

/** The trade number inside an id written by writeTradeUuid; NaN for any other id. */
export function tradeNumberOfUuid(id: string): number {
  const match = /^00000000-0000-4000-8000-([0-9a-f]{12})$/.exec(id);
  return match === null ? NaN : parseInt(match[1]!, 16);
}

/** A ticker field: its key and value in units (NaN: not written). */
export interface TickerField {
  key: Uint8Array;
  value: number;
  signed: boolean;
}

/** `tickers.{symbol}`: snapshot (every field) or delta (the changed ones). */
export function writeTicker(writer: JsonWriter, topic: string, symbol: string, snapshot: boolean, tsFirst: boolean, ts: number, cs: number, fields: readonly TickerField[]): void {
  writer.bytes(TOPIC);
  writer.ascii(topic);
  if (tsFirst) {
    writer.bytes(TS_AFTER_TOPIC);
    writer.uint(ts);
    writer.bytes(snapshot ? TYPE_SNAPSHOT_AFTER_TS : TYPE_DELTA_AFTER_TS);
    writer.ascii(',"cs":');
    writer.uint(cs);
  } else {
    writer.bytes(snapshot ? TYPE_SNAPSHOT : TYPE_DELTA);
  }
  writer.ascii(',"data":{"symbol":"');
  writer.ascii(symbol);
  writer.byte(QUOTE);
  for (const field of fields) {
    if (field.value !== field.value) continue;
    writer.byte(COMMA);
    writer.bytes(field.key);
    if (field.signed) writer.signedUnits(field.value);
    else writer.units(field.value);
    writer.byte(QUOTE);
  }
  writer.byte(CLOSE_OBJECT);
  if (!tsFirst) {
    writer.ascii(',"cs":');
    writer.uint(cs);
    writer.bytes(TS);
    writer.uint(ts);
  }
  writer.byte(CLOSE_OBJECT);
}

/** `"<name>":"` for a ticker field key. */
export function tickerKey(name: string): Uint8Array {
  return fragment(`"${name}":"`);
}
