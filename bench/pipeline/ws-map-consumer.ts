// Baseline (b): `ws` + JSON.parse + a Map per book side, written as a careful user writes it from
// Binance's "How to manage a local order book correctly" (Spot web-socket-streams.md): buffer the
// diff events, fetch a REST snapshot, drop what it already holds, apply the rest, and start over
// on a gap. Prices and quantities are parseFloat'ed (what most users do); the best bid and ask are
// kept as the levels change (a rescan only when the best level goes), so the user callback reads
// them in O(1) like the other consumers' books: the baseline is not made slow on purpose.
import WebSocket from 'ws';
import type { BookDump, ConsumerSpec, PipelineConsumer, UserCallback } from './protocol.js';

interface DepthEvent {
  e: string;
  s: string;
  U: number;
  u: number;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
}

interface Snapshot {
  lastUpdateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

class MapBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  lastUpdateId = NaN;
  bestBid = -Infinity;
  bestAsk = Infinity;
  synced = false;
  fetching = false;
  buffer: DepthEvent[] = [];

  constructor(readonly symbol: string) {}

  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.lastUpdateId = NaN;
    this.bestBid = -Infinity;
    this.bestAsk = Infinity;
    this.synced = false;
  }

  setBid(price: number, quantity: number): void {
    if (quantity === 0) {
      this.bids.delete(price);
      if (price === this.bestBid) {
        let best = -Infinity;
        for (const candidate of this.bids.keys()) if (candidate > best) best = candidate;
        this.bestBid = best;
      }
    } else {
      this.bids.set(price, quantity);
      if (price > this.bestBid) this.bestBid = price;
    }
  }

  setAsk(price: number, quantity: number): void {
    if (quantity === 0) {
      this.asks.delete(price);
      if (price === this.bestAsk) {
        let best = Infinity;
        for (const candidate of this.asks.keys()) if (candidate < best) best = candidate;
        this.bestAsk = best;
      }
    } else {
      this.asks.set(price, quantity);
      if (price < this.bestAsk) this.bestAsk = price;
    }
  }

  apply(event: DepthEvent): void {
    for (const [price, quantity] of event.b) this.setBid(parseFloat(price), parseFloat(quantity));
    for (const [price, quantity] of event.a) this.setAsk(parseFloat(price), parseFloat(quantity));
    this.lastUpdateId = event.u;
  }
}

export class WsMapConsumer implements PipelineConsumer {
  private readonly books = new Map<string, MapBook>();
  private socket: WebSocket | null = null;
  events = 0;
  resyncs = 0;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly user: UserCallback,
  ) {
    for (const symbol of spec.symbols) this.books.set(symbol.toUpperCase(), new MapBook(symbol.toUpperCase()));
  }

  start(): Promise<void> {
    const streams = this.spec.symbols.map((symbol) => `${symbol}@depth@100ms`).join('/');
    const socket = new WebSocket(`${this.spec.wsUrl}/ws/${streams}`);
    this.socket = socket;
    socket.on('message', (data: Buffer) => this.onMessage(JSON.parse(data.toString()) as DepthEvent));
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }

  private onMessage(event: DepthEvent): void {
    if (event.e !== 'depthUpdate') return;
    const book = this.books.get(event.s);
    if (book === undefined) return;
    if (!book.synced) {
      book.buffer.push(event);
      if (!book.fetching) void this.sync(book);
      return;
    }
    if (event.u <= book.lastUpdateId) return;
    if (event.U > book.lastUpdateId + 1) {
      // "If the event's U is greater than the book's update ID + 1, something went wrong.
      // Discard your local order book and restart the process from the beginning."
      this.resyncs++;
      book.reset();
      book.buffer = [event];
      void this.sync(book);
      return;
    }
    book.apply(event);
    this.events++;
    this.user.onBook(book.bestBid, book.bestAsk);
  }

  private async sync(book: MapBook): Promise<void> {
    book.fetching = true;
    let snapshot: Snapshot;
    try {
      for (;;) {
        const response = await fetch(`${this.spec.restUrl}/api/v3/depth?symbol=${book.symbol}&limit=1000`);
        snapshot = (await response.json()) as Snapshot;
        // "If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back to step 3."
        if (snapshot.lastUpdateId >= book.buffer[0]!.U) break;
      }
    } finally {
      book.fetching = false;
    }
    book.reset();
    for (const [price, quantity] of snapshot.bids) book.setBid(parseFloat(price), parseFloat(quantity));
    for (const [price, quantity] of snapshot.asks) book.setAsk(parseFloat(price), parseFloat(quantity));
    book.lastUpdateId = snapshot.lastUpdateId;
    book.synced = true;
    const buffered = book.buffer;
    book.buffer = [];
    // Replayed through onMessage: stale events are dropped, a gap starts over.
    for (const event of buffered) this.onMessage(event);
  }

  syncedBooks(): number {
    let synced = 0;
    for (const book of this.books.values()) if (book.synced) synced++;
    return synced;
  }

  updateId(symbol: string): number {
    const book = this.books.get(symbol);
    return book?.synced === true ? book.lastUpdateId : NaN;
  }

  dump(symbol: string): BookDump {
    const book = this.books.get(symbol)!;
    return {
      updateId: book.lastUpdateId,
      bids: [...book.bids.entries()].sort((x, y) => y[0] - x[0]),
      asks: [...book.asks.entries()].sort((x, y) => x[0] - y[0]),
    };
  }

  close(): Promise<void> {
    this.socket?.terminate();
    return Promise.resolve();
  }
}
