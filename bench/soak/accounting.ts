// Exact delivery accounting for one stream whose events carry consecutive ids (the simulator's
// trade `t` and bookTicker `u` both advance by one per event): which ids arrived, how often.
// A sliding window of WINDOW_IDS ids is kept in a preallocated ring, so the soak's own memory stays
// flat however long it runs; an id that leaves the window unseen is counted missing then. Ids may
// arrive out of order (two connections overlapping) by up to the window's size.

/** Ids tracked at once per stream: far more than can be in flight across a reconnect. */
export const WINDOW_IDS = 1 << 20;

export class IdAccount {
  /** Events delivered (duplicates included). */
  received = 0;
  /** Deliveries of an id already delivered. */
  duplicated = 0;
  /** Ids that left the window (or the final range) without being delivered. */
  missing = 0;
  /** Deliveries of an id older than the window (cannot be classified: counted apart). */
  tooLate = 0;
  /** First id delivered (NaN before any). */
  first = NaN;
  /** Highest id delivered. */
  highest = NaN;
  private readonly seen = new Uint8Array(WINDOW_IDS);
  /** Every id below this has left the window (and was counted). */
  private floor = NaN;

  record(id: number): void {
    this.received++;
    if (Number.isNaN(this.first)) {
      this.first = this.highest = id;
      this.floor = id;
    }
    if (id < this.floor) {
      this.tooLate++;
      return;
    }
    if (id > this.highest) {
      this.advance(id - WINDOW_IDS + 1);
      this.highest = id;
    }
    const slot = id & (WINDOW_IDS - 1);
    if (this.seen[slot] !== 0) this.duplicated++;
    else this.seen[slot] = 1;
  }

  /** Closes the books at `last` (the final id the source sent): every id up to it not delivered is missing. */
  finish(last: number): void {
    if (Number.isNaN(this.first)) return;
    this.advance(Math.max(last, this.highest) + 1);
  }

  /** Distinct ids delivered. */
  get distinct(): number {
    return this.received - this.duplicated - this.tooLate;
  }

  /** Moves the window's floor up to `to`, counting the ids it passes that were never delivered. */
  private advance(to: number): void {
    if (to <= this.floor) return;
    // Ids in [floor, floor + WINDOW_IDS) own their slot; higher ones were never recorded
    // (highest < floor + WINDOW_IDS always holds), so they are missing without a look.
    const end = Math.min(to, this.floor + WINDOW_IDS);
    for (let id = this.floor; id < end; id++) {
      const slot = id & (WINDOW_IDS - 1);
      if (this.seen[slot] === 0) this.missing++;
      this.seen[slot] = 0;
    }
    this.missing += to - end;
    this.floor = to;
  }
}
