// Payload writers of the statistics streams, keys in the documented order (web-socket-streams.md):
// kline, 24hrMiniTicker, 24hrTicker, <window>Ticker, avgPrice, referencePrice, blockTrade.
// Prices and volumes are 8-decimal strings; times are `timeScale` times the millisecond value
// (1000 for timeUnit=MICROSECOND), event times are passed already in the connection's unit.
import { fragment, type JsonWriter } from './json-writer.js';
import type { TradeSummary } from './ledger.js';

const KLINE_E = fragment('{"e":"kline","E":');
const FIELD_S = fragment(',"s":"');
const KLINE_K = fragment('","k":{"t":');
const KLINE_CLOSE_TIME = fragment(',"T":');
const KLINE_SYMBOL = fragment(',"s":"');
const KLINE_INTERVAL = fragment('","i":"');
const KLINE_FIRST = fragment('","f":');
const KLINE_LAST = fragment(',"L":');
const KLINE_OPEN = fragment(',"o":"');
const FIELD_C = fragment('","c":"');
const FIELD_H = fragment('","h":"');
const FIELD_L = fragment('","l":"');
const FIELD_V = fragment('","v":"');
const KLINE_COUNT = fragment('","n":');
const KLINE_CLOSED = fragment(',"x":');
const KLINE_QUOTE = fragment(',"q":"');
const KLINE_TAKER_VOLUME = fragment('","V":"');
const KLINE_TAKER_QUOTE = fragment('","Q":"');
const KLINE_END = fragment('","B":"0"}}');
const MINI_E = fragment('{"e":"24hrMiniTicker","E":');
const MINI_C = fragment('","c":"');
const FIELD_O = fragment('","o":"');
const FIELD_Q_END = fragment('","q":"');
const QUOTE_BRACE = fragment('"}');
const TICKER_E = fragment('{"e":"24hrTicker","E":');
const TICKER_P = fragment('","p":"');
const TICKER_PERCENT = fragment('","P":"');
const TICKER_W = fragment('","w":"');
const TICKER_X = fragment('","x":"');
const TICKER_LAST_QUANTITY = fragment('","Q":"');
const TICKER_B = fragment('","b":"');
const TICKER_BQ = fragment('","B":"');
const TICKER_A = fragment('","a":"');
const TICKER_AQ = fragment('","A":"');
const TICKER_OPEN_TIME = fragment('","O":');
const TICKER_CLOSE_TIME = fragment(',"C":');
const TICKER_FIRST = fragment(',"F":');
const TICKER_LAST = fragment(',"L":');
const TICKER_COUNT = fragment(',"n":');
const WINDOW_E_OPEN = fragment('{"e":"');
const WINDOW_E_CLOSE = fragment('Ticker","E":');
const AVG_E = fragment('{"e":"avgPrice","E":');
const AVG_I = fragment('","i":"5m","w":"');
const AVG_T = fragment('","T":');
const REFERENCE_E = fragment('{"e":"referencePrice","s":"');
const REFERENCE_R = fragment('","r":');
const REFERENCE_T = fragment(',"t":');
const BLOCK_E = fragment('{"e":"blockTrade","E":');
const BLOCK_T = fragment('","t":');
const BLOCK_P = fragment(',"p":"');
const BLOCK_Q = fragment('","q":"');
const BLOCK_TIME = fragment('","T":');
const BLOCK_M = fragment(',"m":');
const NULL = fragment('null');
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

export interface KlineFields {
  symbol: string;
  interval: string;
  start: number;
  closeTime: number;
  closed: boolean;
}

export function writeKline(writer: JsonWriter, eventTime: number, timeScale: number, kline: KlineFields, summary: TradeSummary): void {
  writer.bytes(KLINE_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(kline.symbol);
  writer.bytes(KLINE_K);
  writer.uint(kline.start * timeScale);
  writer.bytes(KLINE_CLOSE_TIME);
  writer.uint(kline.closeTime * timeScale + (timeScale - 1));
  writer.bytes(KLINE_SYMBOL);
  writer.ascii(kline.symbol);
  writer.bytes(KLINE_INTERVAL);
  writer.ascii(kline.interval);
  writer.bytes(KLINE_FIRST);
  writer.int(summary.firstId);
  writer.bytes(KLINE_LAST);
  writer.int(summary.lastId);
  writer.bytes(KLINE_OPEN);
  writer.units(summary.open);
  writer.bytes(FIELD_C);
  writer.units(summary.close);
  writer.bytes(FIELD_H);
  writer.units(summary.high);
  writer.bytes(FIELD_L);
  writer.units(summary.low);
  writer.bytes(FIELD_V);
  writer.unitsPair(summary.volumeHigh, summary.volumeLow);
  writer.bytes(KLINE_COUNT);
  writer.uint(summary.count);
  writer.bytes(KLINE_CLOSED);
  writer.boolean(kline.closed);
  writer.bytes(KLINE_QUOTE);
  writer.unitsPair(summary.quoteHigh, summary.quoteLow);
  writer.bytes(KLINE_TAKER_VOLUME);
  writer.unitsPair(summary.takerVolumeHigh, summary.takerVolumeLow);
  writer.bytes(KLINE_TAKER_QUOTE);
  writer.unitsPair(summary.takerQuoteHigh, summary.takerQuoteLow);
  writer.bytes(KLINE_END);
}

export function writeMiniTicker(writer: JsonWriter, eventTime: number, symbol: string, summary: TradeSummary): void {
  writer.bytes(MINI_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(symbol);
  writer.bytes(MINI_C);
  writer.units(summary.close);
  writeOpenHighLow(writer, summary);
  writeVolumes(writer, summary);
  writer.bytes(QUOTE_BRACE);
}

/** `,"o":..,"h":..,"l":..` (the quote before "o" is the previous field's closing quote). */
function writeOpenHighLow(writer: JsonWriter, summary: TradeSummary): void {
  writer.bytes(FIELD_O);
  writer.units(summary.open);
  writer.bytes(FIELD_H);
  writer.units(summary.high);
  writer.bytes(FIELD_L);
  writer.units(summary.low);
}

/** `,"v":..,"q":..` (base and quote volume, exact). */
function writeVolumes(writer: JsonWriter, summary: TradeSummary): void {
  writer.bytes(FIELD_V);
  writer.unitsPair(summary.volumeHigh, summary.volumeLow);
  writer.bytes(FIELD_Q_END);
  writer.unitsPair(summary.quoteHigh, summary.quoteLow);
}

/** Price change "p" and percent "P" (3 decimals, as the REST ticker's "-95.960"). */
function writeChange(writer: JsonWriter, summary: TradeSummary): void {
  const change = summary.close - summary.open;
  writer.bytes(TICKER_P);
  writer.signedUnits(change);
  writer.bytes(TICKER_PERCENT);
  writer.signedFixed(summary.open === 0 ? 0 : Math.round((change * 100_000) / summary.open), 3);
}

export interface TickerWindow {
  symbol: string;
  openTime: number;
  closeTime: number;
}

export interface TopOfBook {
  bidPrice: number;
  bidQuantity: number;
  askPrice: number;
  askQuantity: number;
}

/** `24hrTicker`: the 24 h rolling window, with the last trade, the top of book and the price before the window. */
export function writeTicker(
  writer: JsonWriter,
  eventTime: number,
  timeScale: number,
  window: TickerWindow,
  summary: TradeSummary,
  priceBefore: number,
  lastQuantity: number,
  top: TopOfBook,
): void {
  writer.bytes(TICKER_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(window.symbol);
  writeChange(writer, summary);
  writer.bytes(TICKER_W);
  writer.units(summary.weightedAverage());
  writer.bytes(TICKER_X);
  writer.units(priceBefore);
  writer.bytes(FIELD_C);
  writer.units(summary.close);
  writer.bytes(TICKER_LAST_QUANTITY);
  writer.units(lastQuantity);
  writer.bytes(TICKER_B);
  writer.units(top.bidPrice);
  writer.bytes(TICKER_BQ);
  writer.units(top.bidQuantity);
  writer.bytes(TICKER_A);
  writer.units(top.askPrice);
  writer.bytes(TICKER_AQ);
  writer.units(top.askQuantity);
  writeOpenHighLow(writer, summary);
  writeVolumes(writer, summary);
  writeWindowEnd(writer, timeScale, window, summary);
}

/** `1hTicker` / `4hTicker` / `1dTicker`. */
export function writeWindowTicker(writer: JsonWriter, eventTime: number, timeScale: number, label: string, window: TickerWindow, summary: TradeSummary): void {
  writer.bytes(WINDOW_E_OPEN);
  writer.ascii(label);
  writer.bytes(WINDOW_E_CLOSE);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(window.symbol);
  writeChange(writer, summary);
  writeOpenHighLow(writer, summary);
  writer.bytes(FIELD_C);
  writer.units(summary.close);
  writer.bytes(TICKER_W);
  writer.units(summary.weightedAverage());
  writeVolumes(writer, summary);
  writeWindowEnd(writer, timeScale, window, summary);
}

function writeWindowEnd(writer: JsonWriter, timeScale: number, window: TickerWindow, summary: TradeSummary): void {
  writer.bytes(TICKER_OPEN_TIME);
  writer.uint(window.openTime * timeScale);
  writer.bytes(TICKER_CLOSE_TIME);
  writer.uint(window.closeTime * timeScale);
  writer.bytes(TICKER_FIRST);
  writer.int(summary.firstId);
  writer.bytes(TICKER_LAST);
  writer.int(summary.lastId);
  writer.bytes(TICKER_COUNT);
  writer.uint(summary.count);
  writer.byte(CLOSE_BRACE);
}

/** `avgPrice`: the volume-weighted average over the last 5 minutes, and the last trade time. */
export function writeAvgPrice(writer: JsonWriter, eventTime: number, timeScale: number, symbol: string, average: number, lastTradeTime: number): void {
  writer.bytes(AVG_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(symbol);
  writer.bytes(AVG_I);
  writer.units(average);
  writer.bytes(AVG_T);
  writer.uint(lastTradeTime * timeScale);
  writer.byte(CLOSE_BRACE);
}

/** `referencePrice`: "r" is null when there is no reference price (before the first trade). */
export function writeReferencePrice(writer: JsonWriter, symbol: string, price: number, time: number): void {
  writer.bytes(REFERENCE_E);
  writer.ascii(symbol);
  writer.bytes(REFERENCE_R);
  if (price === 0) {
    writer.bytes(NULL);
  } else {
    writer.byte(QUOTE);
    writer.units(price);
    writer.byte(QUOTE);
  }
  writer.bytes(REFERENCE_T);
  writer.uint(time);
  writer.byte(CLOSE_BRACE);
}

export function writeBlockTrade(
  writer: JsonWriter,
  eventTime: number,
  symbol: string,
  blockTradeId: number,
  priceUnits: number,
  quantityUnits: number,
  tradeTime: number,
  buyerIsMaker: boolean,
): void {
  writer.bytes(BLOCK_E);
  writer.uint(eventTime);
  writer.bytes(FIELD_S);
  writer.ascii(symbol);
  writer.bytes(BLOCK_T);
  writer.uint(blockTradeId);
  writer.bytes(BLOCK_P);
  writer.units(priceUnits);
  writer.bytes(BLOCK_Q);
  writer.units(quantityUnits);
  writer.bytes(BLOCK_TIME);
  writer.uint(tradeTime);
  writer.bytes(BLOCK_M);
  writer.boolean(buyerIsMaker);
  writer.byte(CLOSE_BRACE);
}
