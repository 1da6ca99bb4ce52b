// Binance USD-M futures payloads, keys in the order of the derivatives docs' response examples.
// Each writer appends one complete JSON object to the JsonWriter, with no string built per event.
import { fragment, type JsonWriter } from '../../json-writer.js';
import type { DepthDiff, SymbolMarket } from '../../market.js';
import {
  DEPTH_A,
  DEPTH_B,
  SNAPSHOT_ASKS,
  SNAPSHOT_BIDS,
  writeAggTradeFields,
  writeBookTickerQuotes,
  writeDiffSides,
  writeTopSides,
} from '../../streams.js';

const FIELD_E_TIME = fragment(',"E":');
const FIELD_T_TIME = fragment(',"T":');
const FIELD_S = fragment(',"s":"');
const BOOK_TICKER_E = fragment('{"e":"bookTicker","u":');
const DEPTH_E = fragment('{"e":"depthUpdate","E":');
const DEPTH_FIRST = fragment('","U":');
const DEPTH_LAST = fragment(',"u":');
const DEPTH_PREVIOUS = fragment(',"pu":');
const SNAPSHOT_ID = fragment('{"lastUpdateId":');
const MARK_PRICE_E = fragment('{"e":"markPriceUpdate","E":');
const MARK_P = fragment('","p":"');
const MARK_INDEX = fragment('","i":"');
const MARK_SETTLE = fragment('","P":"');
const MARK_FUNDING = fragment('","r":"');
const MARK_NEXT_FUNDING = fragment('","T":');
const CLOSE_BRACE = 0x7d;

/** Ids of one depth event: U (first), u (final) and pu (the previous event's u). */
export interface DepthIds {
  first: number;
  final: number;
  previous: number;
}

/**
 * `{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000",
 * "B":"31.21000000","a":"25.36520000","A":"40.66000000"}` (Individual Symbol Book Ticker Streams).
 */
export function writeUsdmBookTicker(writer: JsonWriter, market: SymbolMarket, updateId: number, eventTime: number, transactionTime: number): void {
  writer.bytes(BOOK_TICKER_E);
  writer.uint(updateId);
  writer.bytes(FIELD_E_TIME);
  writer.uint(eventTime);
  writer.bytes(FIELD_T_TIME);
  writer.uint(transactionTime);
  writeBookTickerQuotes(writer, market);
}

/**
 * `{"e":"aggTrade","E":123456789,"s":"BTCUSDT","a":5933014,"p":"0.001","q":"100","f":100,"l":105,
 * "T":123456785,"m":true}` (Aggregate Trade Streams; the USD-M event has no "M").
 */
export function writeUsdmAggTrade(writer: JsonWriter, market: SymbolMarket, eventTime: number, priceUnits: number, quantityUnits: number, buyerIsMaker: boolean): void {
  writeAggTradeFields(writer, market, eventTime, priceUnits, quantityUnits, buyerIsMaker);
  writer.byte(CLOSE_BRACE);
}

function writeDepthHead(writer: JsonWriter, market: SymbolMarket, ids: DepthIds, eventTime: number, transactionTime: number): void {
  writer.bytes(DEPTH_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_T_TIME);
  writer.uint(transactionTime);
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(DEPTH_FIRST);
  writer.uint(ids.first);
  writer.bytes(DEPTH_LAST);
  writer.uint(ids.final);
  writer.bytes(DEPTH_PREVIOUS);
  writer.uint(ids.previous);
}

/**
 * `{"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,
 * "b":[["0.0024","10"]],"a":[["0.0026","100"]]}` (Diff. Book Depth Streams) from the changes in `diff`.
 */
export function writeUsdmDepthUpdate(writer: JsonWriter, market: SymbolMarket, diff: DepthDiff, ids: DepthIds, eventTime: number, transactionTime: number): void {
  writeDepthHead(writer, market, ids, eventTime, transactionTime);
  writeDiffSides(writer, market, diff);
}

/** Partial Book Depth Streams: the same depthUpdate shape, holding the top `levels` of each side. */
export function writeUsdmPartialDepth(writer: JsonWriter, market: SymbolMarket, levels: number, ids: DepthIds, eventTime: number, transactionTime: number): void {
  writeDepthHead(writer, market, ids, eventTime, transactionTime);
  writeTopSides(writer, market, levels, DEPTH_B, DEPTH_A);
}

/**
 * GET /fapi/v1/depth: `{"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,
 * "bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}`.
 */
export function writeUsdmSnapshot(writer: JsonWriter, market: SymbolMarket, lastUpdateId: number, limit: number, eventTime: number, transactionTime: number): void {
  writer.bytes(SNAPSHOT_ID);
  writer.uint(lastUpdateId);
  writer.bytes(FIELD_E_TIME);
  writer.uint(eventTime);
  writer.bytes(FIELD_T_TIME);
  writer.uint(transactionTime);
  writeTopSides(writer, market, limit, SNAPSHOT_BIDS, SNAPSHOT_ASKS);
}

/** Mark price figures of one symbol, 1e-8 units. */
export interface MarkPriceFigures {
  markUnits: number;
  indexUnits: number;
  settleUnits: number;
  /** Funding rate, 1e-8 units (signed). */
  fundingUnits: number;
  nextFundingTime: number;
}

/**
 * `{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091",
 * "P":"11784.25641265","r":"0.00038167","T":1562306400000}` (Mark Price Stream).
 */
export function writeUsdmMarkPrice(writer: JsonWriter, market: SymbolMarket, figures: MarkPriceFigures, eventTime: number): void {
  writer.bytes(MARK_PRICE_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(market.upperSymbol);
  writer.bytes(MARK_P);
  writer.units(figures.markUnits);
  writer.bytes(MARK_INDEX);
  writer.units(figures.indexUnits);
  writer.bytes(MARK_SETTLE);
  writer.units(figures.settleUnits);
  writer.bytes(MARK_FUNDING);
  writer.signedUnits(figures.fundingUnits);
  writer.bytes(MARK_NEXT_FUNDING);
  writer.uint(figures.nextFundingTime);
  writer.byte(CLOSE_BRACE);
}
