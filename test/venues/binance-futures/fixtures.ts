// The response examples of Binance's USDⓈ-M futures docs (developers.binance.com, derivatives),
// as printed there with the // comments removed. Aggregate Trade Streams prints a trailing comma
// after "m": true (not JSON); it is left out here.
export const DOC_DEPTH_UPDATE =
  '{"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}';
export const DOC_BOOK_TICKER =
  '{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';
export const DOC_MARK_PRICE =
  '{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}';
export const DOC_AGG_TRADE = '{"e":"aggTrade","E":123456789,"s":"BTCUSDT","a":5933014,"p":"0.001","q":"100","f":100,"l":105,"T":123456785,"m":true}';
/** GET /fapi/v1/depth response example. */
export const DOC_REST_DEPTH =
  '{"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}';

const encoder = new TextEncoder();
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
