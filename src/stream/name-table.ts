// Stream names to dense indices, looked up straight from the bytes of a message: FNV-1a over the
// name's bytes into an open-addressed table, then a byte compare. No string per message.
import type { StreamNameLookup } from './venue.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

function hashBytes(data: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ data[index]!, FNV_PRIME);
  return hash >>> 0;
}

export class StreamNameTable implements StreamNameLookup {
  /** Names by index (an index, once given, keeps its name for the table's life). */
  readonly names: string[] = [];
  private readonly encoded: Uint8Array[] = [];
  /** Open addressing: slot -> index + 1 (0: empty). Kept at most half full. */
  private slots = new Int32Array(64);

  get size(): number {
    return this.names.length;
  }

  /** The index of `name`, adding it when new. */
  add(name: string): number {
    const bytes = encoder.encode(name);
    const found = this.find(bytes, 0, bytes.length);
    if (found >= 0) return found;
    const index = this.names.length;
    this.names.push(name);
    this.encoded.push(bytes);
    if ((index + 1) * 2 > this.slots.length) this.grow();
    else this.place(index);
    return index;
  }

  /** The index of a name added before, or -1. */
  indexOf(name: string): number {
    const bytes = encoder.encode(name);
    return this.find(bytes, 0, bytes.length);
  }

  find(data: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hashBytes(data, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const candidate = this.encoded[entry - 1]!;
      if (candidate.length !== length) continue;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (candidate[k] !== data[start + k]) {
          same = false;
          break;
        }
      }
      if (same) return entry - 1;
    }
  }

  private place(index: number): void {
    const bytes = this.encoded[index]!;
    const mask = this.slots.length - 1;
    let slot = hashBytes(bytes, 0, bytes.length) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let index = 0; index < this.encoded.length; index++) this.place(index);
  }
}
