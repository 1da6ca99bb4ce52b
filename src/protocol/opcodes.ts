// RFC 6455 5.2: frame opcodes and the bits of the first two header bytes.
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

export const FIN_BIT = 0x80;
export const RSV_BITS = 0x70;
export const OPCODE_MASK = 0x0f;
export const MASK_BIT = 0x80;
export const LENGTH_MASK = 0x7f;

/** RFC 6455 5.5: control frames carry at most 125 payload bytes. */
export const MAX_CONTROL_PAYLOAD = 125;
/** 7-bit length values that announce a 16-bit or 64-bit extended length. */
export const LENGTH_16 = 126;
export const LENGTH_64 = 127;
