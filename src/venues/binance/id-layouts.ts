// Where each kind of Binance Spot event keeps its sequence ids (web-socket-streams.md payloads).

/**
 * No sequence to check: klines, tickers, avgPrice, `!...@arr`, and partial depth (`@depth5`...):
 * a periodic snapshot whose `lastUpdateId` repeats while the book is unchanged, so neither a
 * repeat nor a jump means anything was lost.
 */
export const ID_LAYOUT_NONE = 0;
/** depthUpdate: "U" first update id, "u" final update id; the next event's U is u + 1. */
export const ID_LAYOUT_DEPTH_DIFF = 1;
/** trade: "t" trade id. */
export const ID_LAYOUT_TRADE = 2;
/** aggTrade: "a" aggregate trade id. */
export const ID_LAYOUT_AGG_TRADE = 3;
/** bookTicker: "u" order book update id (grows, not contiguous). */
export const ID_LAYOUT_BOOK_TICKER = 4;
/**
 * USD-M futures depthUpdate: "pu" is the previous event's "u" and U need not follow it, so the
 * event reports first = pu + 1, last = u (SEQUENCE_CONTIGUOUS then checks pu against the last u).
 */
export const ID_LAYOUT_PREVIOUS_LINKED_DEPTH = 5;
