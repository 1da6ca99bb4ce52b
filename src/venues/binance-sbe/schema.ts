// Binance's SBE market-data stream schema, as fixed byte offsets. Source: binance-spot-api-docs,
// sbe/schemas/stream_1_0.xml (`package="spot_stream" id="1" version="0" byteOrder="littleEndian"`),
// the schema sbe-market-data-streams.md names: "SBE schema used for decoding the streams can be
// found here". Every message is:
//
//   messageHeader  blockLength u16 | templateId u16 | schemaId u16 | version u16      (8 bytes)
//   root block     blockLength bytes of fixed fields (offsets below)
//   groups         each: groupSizeEncoding (blockLength u16, numInGroup u32)          (6 bytes)
//                  or groupSize16Encoding (blockLength u16, numInGroup u16)           (4 bytes),
//                  then numInGroup entries of blockLength bytes
//   var data       symbol: varString8 = length u8, then that many UTF-8 bytes
//
// Offsets are relative to the start of the root block (after the header) or of a group entry.
// The blockLength fields of the header and of every group header are read from the message and
// used to step (the SBE way to skip fields a newer minor version appends); the lengths below are
// the minimum this schema version defines, and a message with less is malformed.
//
// Decimals: `mantissa64` (int64) with an `exponent8` (int8) named by mbx:exponent — "The exponent
// field will always precede the mantissa field" — the value is mantissa * 10^exponent.

/** `<sbe:messageSchema id="1">`: incremented by Binance on a breaking change. */
export const SBE_SCHEMA_ID = 1;
/** `version="0"`: incremented on a non-breaking change (fields appended). */
export const SBE_SCHEMA_VERSION = 0;

/** messageHeader: blockLength, templateId, schemaId, version (uint16 each). */
export const HEADER_LENGTH = 8;
export const HEADER_BLOCK_LENGTH = 0;
export const HEADER_TEMPLATE_ID = 2;
export const HEADER_SCHEMA_ID = 4;
export const HEADER_VERSION = 6;

/** groupSizeEncoding: blockLength uint16, numInGroup uint32 (maxValue 2147483647). */
export const GROUP_SIZE_LENGTH = 6;
/** groupSize16Encoding: blockLength uint16, numInGroup uint16. */
export const GROUP_SIZE16_LENGTH = 4;
/** varString8: length uint8, then the bytes. */
export const VAR_STRING8_LENGTH_BYTES = 1;

/** `<sbe:message name="TradesStreamEvent" id="10000">`: stream `<symbol>@trade`. */
export const TEMPLATE_TRADES = 10000;
/** `<sbe:message name="BestBidAskStreamEvent" id="10001">`: stream `<symbol>@bestBidAsk`. */
export const TEMPLATE_BEST_BID_ASK = 10001;
/** `<sbe:message name="DepthSnapshotStreamEvent" id="10002">`: stream `<symbol>@depth20`. */
export const TEMPLATE_DEPTH_SNAPSHOT = 10002;
/** `<sbe:message name="DepthDiffStreamEvent" id="10003">`: stream `<symbol>@depth`. */
export const TEMPLATE_DEPTH_DIFF = 10003;

// TradesStreamEvent root: eventTime, transactTime (utcTimestampUs = int64), priceExponent,
// qtyExponent (int8); then group `trades` (groupSizeEncoding), then data `symbol`.
export const TRADES_EVENT_TIME = 0;
export const TRADES_TRANSACT_TIME = 8;
export const TRADES_PRICE_EXPONENT = 16;
export const TRADES_QTY_EXPONENT = 17;
export const TRADES_BLOCK_LENGTH = 18;
// A `trades` entry: id (int64), price, qty (mantissa64), isBuyerMaker (boolEnum uint8);
// isBestMatch is `presence="constant"` (True) and takes no bytes.
export const TRADE_ID = 0;
export const TRADE_PRICE = 8;
export const TRADE_QTY = 16;
export const TRADE_IS_BUYER_MAKER = 24;
export const TRADE_ENTRY_LENGTH = 25;

// BestBidAskStreamEvent root: eventTime, bookUpdateId (int64), priceExponent, qtyExponent (int8),
// bidPrice, bidQty, askPrice, askQty (mantissa64); then data `symbol`.
export const BBA_EVENT_TIME = 0;
export const BBA_BOOK_UPDATE_ID = 8;
export const BBA_PRICE_EXPONENT = 16;
export const BBA_QTY_EXPONENT = 17;
export const BBA_BID_PRICE = 18;
export const BBA_BID_QTY = 26;
export const BBA_ASK_PRICE = 34;
export const BBA_ASK_QTY = 42;
export const BBA_BLOCK_LENGTH = 50;

// DepthSnapshotStreamEvent root: eventTime, bookUpdateId (int64), priceExponent, qtyExponent;
// then groups `bids` and `asks` (groupSize16Encoding), then data `symbol`.
export const SNAPSHOT_EVENT_TIME = 0;
export const SNAPSHOT_BOOK_UPDATE_ID = 8;
export const SNAPSHOT_PRICE_EXPONENT = 16;
export const SNAPSHOT_QTY_EXPONENT = 17;
export const SNAPSHOT_BLOCK_LENGTH = 18;

// DepthDiffStreamEvent root: eventTime, firstBookUpdateId, lastBookUpdateId (int64),
// priceExponent, qtyExponent; then groups `bids` and `asks` (groupSize16Encoding), then `symbol`.
export const DIFF_EVENT_TIME = 0;
export const DIFF_FIRST_UPDATE_ID = 8;
export const DIFF_LAST_UPDATE_ID = 16;
export const DIFF_PRICE_EXPONENT = 24;
export const DIFF_QTY_EXPONENT = 25;
export const DIFF_BLOCK_LENGTH = 26;

// A `bids` / `asks` entry: price, qty (mantissa64).
export const LEVEL_PRICE = 0;
export const LEVEL_QTY = 8;
export const LEVEL_ENTRY_LENGTH = 16;

/** boolEnum: `<validValue name="False">0</validValue> <validValue name="True">1</validValue>`. */
export const BOOL_FALSE = 0;
export const BOOL_TRUE = 1;
