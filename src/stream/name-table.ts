// Stream names to dense indices, looked up straight from the bytes of a message: FNV-1a over the
// name's bytes into an open-addressed table, then a byte compare. No string per message.
//
// Layout: every name's bytes sit end to end in one pool, found by offset, and each slot keeps the
// full hash of its name beside the index. A lookup then touches three typed arrays (the slots,
// their hashes, the pool), whose lines stay warm across messages, instead of one Uint8Array
// object per name: with a hundred streams each message's name was another object, and its
// header and bytes two more cache misses (perf of the pipeline bench).
import type { StreamNameLookup } from './venue.js';
import { grownArray } from '../memory/growth.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

function hashBytes(data: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ data[index]!, FNV_PRIME);
  return hash | 0;
}

/**
 * Names to dense indices (0, 1, 2, ... in the order added), found again straight from the bytes of
 * a message without making a string: the managed stream routes by it, and an application on the
 * bare client can route each message to its per-symbol state the same way (`find(data,
 * symbolStart, symbolEnd)` with the span a decoder reports). Names are never removed.
 */
export class StreamNameTable implements StreamNameLookup {
  /** Names by index (an index, once given, keeps its name for the table's life). */
  readonly names: string[] = [];
  /** Every name's UTF-8 bytes end to end; name i is pool[nameStarts[i], nameStarts[i + 1]). */
  private pool = new Uint8Array(1024);
  /** Small integers only, so V8 keeps them unboxed in the array's elements. */
  private readonly nameStarts: number[] = [0];
  /** Open addressing: slot -> index + 1 (0: empty). Kept at most half full. */
  private slots = new Int32Array(64);
  /** The hash of the name in each slot (compared before its bytes). */
  private slotHashes = new Int32Array(64);

  /** Number of names. */
  get size(): number {
    return this.names.length;
  }

  /** The index of `name`, adding it when new. */
  add(name: string): number {
    const bytes = encoder.encode(name);
    const found = this.find(bytes, 0, bytes.length);
    if (found >= 0) return found;
    const index = this.names.length;
    const start = this.nameStarts[index]!;
    const end = start + bytes.length;
    if (end > this.pool.length) this.pool = grownArray(this.pool, end);
    this.pool.set(bytes, start);
    this.nameStarts.push(end);
    this.names.push(name);
    if ((index + 1) * 2 > this.slots.length) this.grow();
    else this.place(index);
    return index;
  }

  /** The index of a name added before, or -1. */
  indexOf(name: string): number {
    const bytes = encoder.encode(name);
    return this.find(bytes, 0, bytes.length);
  }

  /** The index of the name whose UTF-8 bytes are data[start, end), or -1. Allocates nothing. */
  find(data: Uint8Array, start: number, end: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    const hash = hashBytes(data, start, end);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      if (this.slotHashes[slot] !== hash) continue;
      const nameStart = this.nameStarts[entry - 1]!;
      if (this.nameStarts[entry]! - nameStart !== length) continue;
      const pool = this.pool;
      let k = 0;
      while (k < length && pool[nameStart + k] === data[start + k]) k++;
      if (k === length) return entry - 1;
    }
  }

  private place(index: number): void {
    const start = this.nameStarts[index]!;
    const hash = hashBytes(this.pool, start, this.nameStarts[index + 1]!);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index + 1;
    this.slotHashes[slot] = hash;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.slotHashes = new Int32Array(this.slots.length);
    for (let index = 0; index < this.names.length; index++) this.place(index);
  }
}
