// The I/O worker's spill queue. When the ring is full the worker pauses the socket, but the
// messages of the read in progress still come out of the parser: they wait here, in order,
// until the consumer frees space. Bounded by one socket read (receiveBufferBytes) plus one
// message, since reading stops at the first spill. Grows by doubling, never shrinks, so a
// repeatedly full ring allocates nothing after the first episodes.

const INITIAL_BYTES = 64 * 1024;
/** Spill record header: [u32 length][u32 flags], unpadded. */
const HEADER_BYTES = 8;

export class Overflow {
  /** Spilled records; the head record's payload is bytes[headStart, headEnd). */
  bytes = new Uint8Array(INITIAL_BYTES);
  headStart = 0;
  headEnd = 0;
  headFlags = 0;
  private view = new DataView(this.bytes.buffer);
  private head = 0;
  private tail = 0;
  /** Records queued. */
  count = 0;

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Queues a copy of data[start, end) with flags. */
  push(data: Uint8Array, start: number, end: number, flags: number): void {
    const length = end - start;
    this.reserve(HEADER_BYTES + length);
    this.view.setUint32(this.tail, length, true);
    this.view.setUint32(this.tail + 4, flags, true);
    this.bytes.set(data.subarray(start, end), this.tail + HEADER_BYTES);
    this.tail += HEADER_BYTES + length;
    this.count++;
    if (this.count === 1) this.loadHead();
  }

  /** Drops the head record (after it was written to the ring). */
  shift(): void {
    this.head = this.headEnd;
    this.count--;
    if (this.count === 0) {
      this.head = 0;
      this.tail = 0;
    } else {
      this.loadHead();
    }
  }

  private loadHead(): void {
    const length = this.view.getUint32(this.head, true);
    this.headFlags = this.view.getUint32(this.head + 4, true);
    this.headStart = this.head + HEADER_BYTES;
    this.headEnd = this.headStart + length;
  }

  private reserve(bytes: number): void {
    if (this.tail + bytes <= this.bytes.length) return;
    const live = this.tail - this.head;
    let size = this.bytes.length;
    while (size < live + bytes) size *= 2;
    if (size === this.bytes.length) {
      this.bytes.copyWithin(0, this.head, this.tail); // compact in place
    } else {
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(this.head, this.tail), 0);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.tail = live;
    this.head = 0;
    if (this.count > 0) this.loadHead();
  }
}
