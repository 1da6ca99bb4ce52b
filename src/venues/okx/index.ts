// Public surface of the OKX v5 venue (`tickwire/okx`): the public-channel profile for the
// managed stream, zero-allocation decoders for books, top of book and trades, the book sequence
// rule and checksum verifier, and the CRC-32 they use.
export { okxPublic, OKX_PING_TEXT, OKX_PONG_TEXT, OKX_IDLE_LIMIT_MS, OKX_PING_AFTER_MS, OKX_MAX_ARGS_BYTES, OKX_REQUESTS_PER_HOUR } from './profile.js';
export {
  okxStreamName,
  parseOkxStreamName,
  okxIdLayout,
  OKX_LAYOUT_NONE,
  OKX_LAYOUT_BOOK,
  OKX_LAYOUT_BOOK_SNAPSHOT,
  OKX_LAYOUT_TRADES,
} from './channels.js';
export { OkxStreamDecoder } from './stream-decoder.js';
export { OkxBookDecoder, isCanonicalDecimal } from './book-decoder.js';
export { OkxTopOfBookDecoder, OkxTradeIterator } from './events.js';
export { DataArrayWalker } from './data-array.js';
export { okxSequence } from './sequence.js';
export { OkxChecksum, OkxChecksumVerifier, okxChecksumText, OKX_CHECKSUM_LEVELS, OKX_CHECKSUM_UNVERIFIABLE } from './checksum.js';
export { crc32, crc32Update, crc32Byte, crc32Final, CRC32_INITIAL } from './crc32.js';
export { okxMarket, okxOrderBook } from './market.js';
export type { OkxMarketOptions, OkxOrderBookOptions } from './market.js';
