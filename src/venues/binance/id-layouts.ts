// Where each kind of Binance Spot event keeps its sequence ids (web-socket-streams.md payloads).

/** No id: klines, tickers, avgPrice, `!...@arr`. */
export const ID_LAYOUT_NONE = 0;
/** depthUpdate: "U" first update id, "u" final update id; the next event's U is u + 1. */
export const ID_LAYOUT_DEPTH_DIFF = 1;
/** trade: "t" trade id. */
export const ID_LAYOUT_TRADE = 2;
/** aggTrade: "a" aggregate trade id. */
export const ID_LAYOUT_AGG_TRADE = 3;
/** bookTicker: "u" order book update id (grows, not contiguous). */
export const ID_LAYOUT_BOOK_TICKER = 4;
/** Partial book depth: "lastUpdateId". */
export const ID_LAYOUT_PARTIAL_DEPTH = 5;
