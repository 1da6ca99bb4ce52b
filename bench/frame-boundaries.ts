// The raw readers' "parser": finds WebSocket frame boundaries in a byte stream and nothing else
// (no UTF-8 check, no control-frame rules, no fragmentation). It is the floor a WebSocket client
// on Node cannot go below: the socket read plus the least work that still counts messages.

/** Receives a complete data frame's payload; the view is valid only during the call. */
export type PayloadSink = (data: Uint8Array, start: number, end: number) => void;

const OPCODE_CLOSE = 0x8;
/** RFC 6455 5.2: the longest header is 2 + 8 (64-bit length) + 4 (masking key). */
const MAX_HEADER = 14;
/** Payloads split across reads are copied here only when a sink wants the bytes. */
const SCRATCH_BYTES = 64 * 1024;

export class FrameBoundaries {
  /** Complete data frames seen. */
  messages = 0;
  /** A close frame was seen. */
  closed = false;

  private readonly sink: PayloadSink | null;
  private readonly header = new Uint8Array(MAX_HEADER);
  private headerHave = 0;
  private inPayload = false;
  private remaining = 0;
  private opcode = 0;
  private readonly scratch: Uint8Array;
  private scratchHave = 0;
  /** The current payload is being copied into scratch (it spans reads and a sink wants it). */
  private copying = false;

  constructor(sink: PayloadSink | null) {
    this.sink = sink;
    this.scratch = new Uint8Array(sink === null ? 0 : SCRATCH_BYTES);
  }

  push(data: Uint8Array, start: number, end: number): void {
    let position = start;
    while (position < end) {
      if (this.inPayload) {
        position = this.continuePayload(data, position, end);
        continue;
      }
      // Fast case: the whole header is in this read.
      if (this.headerHave === 0 && end - position >= 2) {
        const length7 = (data[position + 1] as number) & 0x7f;
        const headerLength = headerLengthOf(data[position + 1] as number);
        if (end - position >= headerLength) {
          const payload = payloadLengthOf(data, position, length7);
          this.beginFrame((data[position] as number) & 0x0f, payload);
          position += headerLength;
          position = this.startPayload(data, position, end);
          continue;
        }
      }
      position = this.collectHeader(data, position, end);
    }
  }

  /** General case: the header spans reads; keep its bytes until it is complete. */
  private collectHeader(data: Uint8Array, position: number, end: number): number {
    while (position < end) {
      this.header[this.headerHave++] = data[position++] as number;
      if (this.headerHave >= 2 && this.headerHave === headerLengthOf(this.header[1] as number)) {
        const payload = payloadLengthOf(this.header, 0, (this.header[1] as number) & 0x7f);
        this.headerHave = 0;
        this.beginFrame((this.header[0] as number) & 0x0f, payload);
        return this.startPayload(data, position, end);
      }
    }
    return position;
  }

  private beginFrame(opcode: number, payload: number): void {
    this.opcode = opcode;
    this.remaining = payload;
  }

  private startPayload(data: Uint8Array, position: number, end: number): number {
    if (end - position >= this.remaining) {
      const payloadEnd = position + this.remaining;
      this.endFrame(data, position, payloadEnd);
      return payloadEnd;
    }
    this.inPayload = true;
    this.copying = this.sink !== null && this.remaining <= SCRATCH_BYTES;
    this.scratchHave = 0;
    return this.continuePayload(data, position, end);
  }

  private continuePayload(data: Uint8Array, position: number, end: number): number {
    const take = Math.min(this.remaining, end - position);
    if (this.copying) {
      // Byte loop, not subarray + set: a view would allocate, and this is at most once per read.
      const scratch = this.scratch;
      let at = this.scratchHave;
      for (let i = position; i < position + take; i++) scratch[at++] = data[i] as number;
      this.scratchHave = at;
    }
    this.remaining -= take;
    position += take;
    if (this.remaining === 0) {
      this.inPayload = false;
      this.endFrame(this.scratch, 0, this.scratchHave);
    }
    return position;
  }

  private endFrame(data: Uint8Array, start: number, end: number): void {
    if (this.opcode === OPCODE_CLOSE) {
      this.closed = true;
      return;
    }
    if (this.opcode >= 0x8) return; // ping/pong: not a message
    this.messages++;
    if (this.sink !== null) this.sink(data, start, end);
  }
}

function headerLengthOf(byte1: number): number {
  const length7 = byte1 & 0x7f;
  const lengthBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  return 2 + lengthBytes + ((byte1 & 0x80) !== 0 ? 4 : 0);
}

function payloadLengthOf(data: Uint8Array, headerStart: number, length7: number): number {
  if (length7 < 126) return length7;
  if (length7 === 126) return ((data[headerStart + 2] as number) << 8) | (data[headerStart + 3] as number);
  // RFC 6455 5.2: 64-bit length, most significant bit 0; lengths above 2^53 cannot occur here.
  const high =
    (data[headerStart + 2] as number) * 0x1000000 +
    (((data[headerStart + 3] as number) << 16) | ((data[headerStart + 4] as number) << 8) | (data[headerStart + 5] as number));
  const low =
    (data[headerStart + 6] as number) * 0x1000000 +
    (((data[headerStart + 7] as number) << 16) | ((data[headerStart + 8] as number) << 8) | (data[headerStart + 9] as number));
  return high * 0x100000000 + low;
}
