// Wire pieces shared by the benchmark sender and the benchmark clients: the bookTicker message
// template, unmasked frame building, the send-time stamp, and the raw clients' upgrade request.
// Deliberately independent of src/: the harness must measure tickwire, not reuse it.
import { createHash } from 'node:crypto';

/** RFC 6455 1.3: the GUID appended to Sec-WebSocket-Key before hashing. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/**
 * A Binance bookTicker stream message up to the stamp. The sender appends the send time in
 * nanoseconds (CLOCK_MONOTONIC, process.hrtime.bigint()) and the closing brace.
 */
export const MESSAGE_PREFIX =
  '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000","T":';
const PREFIX_BYTES = Buffer.from(MESSAGE_PREFIX, 'latin1');

/** Longest decimal stamp: 2^64 has 20 digits. */
const MAX_STAMP_DIGITS = 20;
/** Largest frame the sender writes: 2-byte header (payload < 126) + prefix + stamp + '}'. */
export const MAX_MESSAGE_FRAME = 2 + PREFIX_BYTES.length + MAX_STAMP_DIGITS + 1;

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const FIN = 0x80;

/**
 * Writes one unmasked text frame carrying the message with `stamp` into `out` at `offset`;
 * returns the offset after it. `stamp` is a non-negative integer that fits in a double.
 */
export function writeMessageFrame(out: Buffer, offset: number, stamp: number): number {
  const digits = stampDigits(stamp);
  const payloadLength = PREFIX_BYTES.length + digits + 1;
  // RFC 6455 5.2: a payload length of 0-125 fits the 7-bit length field.
  out[offset] = FIN | OPCODE_TEXT;
  out[offset + 1] = payloadLength;
  let position = offset + 2;
  position += PREFIX_BYTES.copy(out, position);
  let value = stamp;
  for (let i = position + digits - 1; i >= position; i--) {
    out[i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  position += digits;
  out[position] = 0x7d; // '}'
  return position + 1;
}

function stampDigits(stamp: number): number {
  let digits = 1;
  while (stamp >= 10) {
    stamp = Math.floor(stamp / 10);
    digits++;
  }
  return digits;
}

/** A close frame with status 1000 (RFC 6455 7.4.1 normal closure), unmasked. */
export const CLOSE_FRAME = Buffer.from([FIN | OPCODE_CLOSE, 2, 0x03, 0xe8]);

/**
 * Reads the stamp from the end of a message in data[start, end): the digits between the last
 * ':' and the closing '}'. Returns -1 when there is none. No string, no JSON.parse.
 */
export function parseStamp(data: Uint8Array, start: number, end: number): number {
  let position = end - 1;
  while (position >= start && data[position] !== 0x3a) position--;
  if (position < start) return -1;
  let value = 0;
  for (let i = position + 1; i < end; i++) {
    const digit = (data[i] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** The same as parseStamp for clients that only get a string (Node's WebSocket). */
export function parseStampString(text: string): number {
  let position = text.length - 1;
  while (position >= 0 && text.charCodeAt(position) !== 0x3a) position--;
  if (position < 0) return -1;
  let value = 0;
  for (let i = position + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** Monotonic nanoseconds as a double (exact below 2^53 ns, i.e. 104 days of uptime). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** The raw clients' upgrade request (RFC 6455 4.1). The key is fixed: the raw clients do not check the accept. */
export function upgradeRequest(host: string, port: number, path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\n` +
    `Host: ${host}:${port}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
    'Sec-WebSocket-Version: 13\r\n\r\n'
  );
}

/** Index just past the first CRLFCRLF in data[start, end), or -1. */
export function endOfHead(data: Uint8Array, start: number, end: number): number {
  for (let i = start; i + 3 < end; i++) {
    if (data[i] === 0x0d && data[i + 1] === 0x0a && data[i + 2] === 0x0d && data[i + 3] === 0x0a) return i + 4;
  }
  return -1;
}
