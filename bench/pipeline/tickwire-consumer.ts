// Consumer (c): tickwire's client, its zero-allocation field extraction (jsonFields with a
// LevelIterator per side) and a book that allocates nothing per update, on the same raw
// `/ws/<symbol>@depth@100ms/...` stream and the same documented sync procedure as the baseline.
// While the library's own book and managed stream are not on main, the book is the bench's
// minimal one (minimal-book.ts).
import http from 'node:http';
import { connect, jsonFields, type Client, type LevelIterator } from 'tickwire';
import { SortedSide } from './minimal-book.js';
import type { BookDump, ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

const FIELD_SYMBOL = 0;
const FIELD_FIRST_ID = 1;
const FIELD_FINAL_ID = 2;
const FIELD_BIDS = 3;
const FIELD_ASKS = 4;
const SNAPSHOT_ID = 0;
const SNAPSHOT_BIDS = 1;
const SNAPSHOT_ASKS = 2;

const BOOK_UNSYNCED = 0;
const BOOK_FETCHING = 1;
const BOOK_SYNCED = 2;

class Book {
  readonly bids = new SortedSide(true);
  readonly asks = new SortedSide(false);
  state = BOOK_UNSYNCED;
  updateId = NaN;
  /** Diff events received while unsynced, copied (the receive buffer is reused). */
  pending: Uint8Array[] = [];

  constructor(
    readonly symbol: string,
    readonly symbolBytes: Uint8Array,
  ) {}

  apply(bids: LevelIterator, asks: LevelIterator, finalId: number): void {
    while (bids.next()) this.bids.set(bids.price(), bids.quantity());
    while (asks.next()) this.asks.set(asks.price(), asks.quantity());
    this.updateId = finalId;
  }
}

/** Symbol bytes -> book, by FNV-1a hash with linear probing: no string per message. */
class SymbolTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly books: readonly Book[]) {
    let size = 16;
    while (size < books.length * 4) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    books.forEach((book, index) => {
      let slot = SymbolTable.hash(book.symbolBytes, 0, book.symbolBytes.length) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
    });
  }

  static hash(data: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ data[i]!, 0x01000193);
    return hash >>> 0;
  }

  find(data: Uint8Array, start: number, end: number): Book | undefined {
    let slot = SymbolTable.hash(data, start, end) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return undefined;
      const book = this.books[index]!;
      const bytes = book.symbolBytes;
      if (bytes.length === end - start) {
        let same = true;
        for (let k = 0; k < bytes.length; k++) {
          if (bytes[k] !== data[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return book;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

function get(url: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

export class TickwireConsumer implements PipelineConsumer {
  events = 0;
  resyncs = 0;
  private readonly books: Book[];
  private readonly table: SymbolTable;
  private readonly fields = jsonFields(['s', 'U', 'u', 'b', 'a']);
  private readonly snapshotFields = jsonFields(['lastUpdateId', 'bids', 'asks']);
  private client: Client | null = null;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {
    const encoder = new TextEncoder();
    this.books = spec.symbols.map((symbol) => new Book(symbol.toUpperCase(), encoder.encode(symbol.toUpperCase())));
    this.table = new SymbolTable(this.books);
  }

  async start(): Promise<void> {
    const streams = this.spec.symbols.map((symbol) => `${symbol}@depth@100ms`).join('/');
    this.client = await connect(`${this.spec.wsUrl}/ws/${streams}`, {
      onMessage: (data, start, end) => this.onMessage(data, start, end),
    });
  }

  private onMessage(data: Uint8Array, start: number, end: number): void {
    const fields = this.fields;
    if (!fields.scan(data, start, end)) return;
    const book = this.table.find(data, fields.start(FIELD_SYMBOL), fields.end(FIELD_SYMBOL));
    if (book === undefined) return;
    if (book.state !== BOOK_SYNCED) {
      book.pending.push(data.slice(start, end));
      if (book.state === BOOK_UNSYNCED) void this.sync(book);
      return;
    }
    const finalId = fields.integer(FIELD_FINAL_ID);
    if (finalId <= book.updateId) return;
    if (fields.integer(FIELD_FIRST_ID) > book.updateId + 1) {
      this.resyncs++;
      book.state = BOOK_UNSYNCED;
      book.pending = [data.slice(start, end)];
      void this.sync(book);
      return;
    }
    book.apply(fields.levels(FIELD_BIDS), fields.levels(FIELD_ASKS), finalId);
    this.events++;
    this.user.onBook(book.bids.bestPrice, book.asks.bestPrice);
  }

  private async sync(book: Book): Promise<void> {
    book.state = BOOK_FETCHING;
    const snapshot = this.snapshotFields;
    for (;;) {
      const body = await get(`${this.spec.restUrl}/api/v3/depth?symbol=${book.symbol}&limit=1000`);
      if (!snapshot.scan(body)) throw new Error(`${book.symbol}: malformed snapshot`);
      this.fields.scan(book.pending[0]!);
      if (snapshot.integer(SNAPSHOT_ID) >= this.fields.integer(FIELD_FIRST_ID)) break;
    }
    book.bids.clear();
    book.asks.clear();
    book.apply(snapshot.levels(SNAPSHOT_BIDS), snapshot.levels(SNAPSHOT_ASKS), snapshot.integer(SNAPSHOT_ID));
    book.state = BOOK_SYNCED;
    const pending = book.pending;
    book.pending = [];
    for (const message of pending) this.onMessage(message, 0, message.length);
  }

  syncedBooks(): number {
    let synced = 0;
    for (const book of this.books) if (book.state === BOOK_SYNCED) synced++;
    return synced;
  }

  updateId(symbol: string): number {
    const book = this.books.find((candidate) => candidate.symbol === symbol);
    return book?.state === BOOK_SYNCED ? book.updateId : NaN;
  }

  dump(symbol: string): BookDump {
    const book = this.books.find((candidate) => candidate.symbol === symbol)!;
    return { updateId: book.updateId, bids: book.bids.levels(), asks: book.asks.levels() };
  }

  close(): Promise<void> {
    this.client?.terminate();
    return Promise.resolve();
  }
}
