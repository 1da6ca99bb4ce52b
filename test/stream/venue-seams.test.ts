// The stream layer's venue seams over real loopback sockets, against the toy venue
// (toy-venue.ts): upgrade headers, binary data frames, acknowledgements per stream without ids,
// the application-level heartbeat and its timeout, resubscribe with in-band snapshots, venue
// resets and the second request limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManagedStream, type StreamEvent } from '../../src/index.js';
import { waitFor } from './ledger.js';
import { ToyServer, toyPayloadId, toyVenue, type ToyVenueOptions } from './toy-venue.js';

interface Delivered {
  name: string;
  id: number;
  snapshot: boolean;
}

async function withToy(
  venueOptions: ToyVenueOptions,
  streamOptions: Partial<ConstructorParameters<typeof ManagedStream>[0]>,
  body: (server: ToyServer, stream: ManagedStream, delivered: Delivered[], events: StreamEvent[]) => Promise<void>,
): Promise<void> {
  const server = await ToyServer.start();
  const delivered: Delivered[] = [];
  const events: StreamEvent[] = [];
  const stream: ManagedStream = new ManagedStream({
    venue: toyVenue(venueOptions),
    url: server.url,
    initialDelayMs: 20,
    maxDelayMs: 50,
    onMessage: (index, data, start, end) => delivered.push({ name: stream.streamName(index), ...toyPayloadId(data, start, end) }),
    onEvent: (event) => events.push(event),
    ...streamOptions,
  });
  try {
    await body(server, stream, delivered, events);
  } finally {
    await stream.stop();
    await server.close();
  }
}

/** Every id of `name` from the first delivered to the last, once each (snapshots may repeat the last id). */
function assertContiguous(delivered: Delivered[], name: string): void {
  const ids = delivered.filter((item) => item.name === name);
  for (let k = 1; k < ids.length; k++) {
    const { id, snapshot } = ids[k]!;
    const previous = ids[k - 1]!.id;
    if (snapshot) assert.ok(id >= previous, `${name}: snapshot ${id} after ${previous}`);
    else assert.equal(id, previous + 1, `${name}: event ${id} after ${previous}`);
  }
}

test('upgrade headers from the profile, binary data frames, one answer per stream without ids', async () => {
  await withToy({ apiKey: 'key-1' }, { client: { headers: { 'X-Other': 'yes' } } }, async (server, stream, delivered, events) => {
    // Five names in requests of two: three requests, five answers, none carrying an id.
    const names = ['a.1', 'a.2', 'a.3', 'a.4', 'a.5'];
    stream.subscribe(names);
    stream.start();
    await waitFor('live', () => events.some((event) => event.type === 'live'));
    assert.equal(server.sessions[0]!.headers['x-toy-key'], 'key-1');
    assert.equal(server.sessions[0]!.headers['x-other'], 'yes', "the user's own headers stay");
    assert.deepEqual(server.requests('subscribe'), [['a.1', 'a.2'], ['a.3', 'a.4'], ['a.5']]);
    for (let k = 0; k < 20; k++) server.tick();
    await waitFor('20 events per stream', () => delivered.filter((item) => !item.snapshot).length === 100);
    for (const name of names) {
      const ids = delivered.filter((item) => item.name === name).map((item) => item.id);
      assert.deepEqual(ids, Array.from({ length: 21 }, (_, k) => k), `${name}: the snapshot (0), then 1..20 from binary frames`);
    }
    assert.equal(events.filter((event) => event.type === 'unknown-message' || event.type === 'gap').length, 0);
  });
});

test('a refusal without an id ends the oldest unanswered request', async () => {
  await withToy({}, {}, async (server, stream, _delivered, events) => {
    server.refusePrefix = 'bad';
    stream.subscribe(['bad.1']);
    stream.start();
    await waitFor('refused', () => events.some((event) => event.type === 'request-rejected'));
    const rejected = events.find((event) => event.type === 'request-rejected');
    assert.ok(rejected?.type === 'request-rejected');
    assert.deepEqual(rejected.names, ['bad.1']);
    assert.equal(rejected.code, 60018);
    assert.match(rejected.message, /no such channel/);
    await waitFor('live once nothing is unanswered', () => events.some((event) => event.type === 'live'));
  });
});

test('application heartbeat every interval, answered by pong (never delivered); no answer ends the connection as pong-timeout', async () => {
  const heartbeat = { message: 'ping', intervalMs: 40, whenQuiet: false };
  await withToy({ heartbeat }, { pongTimeoutMs: 400, silenceMs: 0 }, async (server, stream, delivered, events) => {
    stream.subscribe(['b.1']);
    stream.start();
    await waitFor('live', () => events.some((event) => event.type === 'live'));
    // Data flows the whole time: a heartbeat every interval goes out anyway, and is answered.
    server.flow(5);
    await waitFor('5 heartbeats answered', () => server.pings >= 5);
    assert.equal(events.filter((event) => event.type === 'closed').length, 0);
    assert.equal(events.filter((event) => event.type === 'unknown-message').length, 0, 'pong is classified, not unknown');
    assert.ok(delivered.every((item) => item.name === 'b.1'), 'only events were delivered');
    // Now the venue stops answering while data keeps flowing: data is no answer to a heartbeat.
    server.answerPings = false;
    await waitFor('closed for a missing pong', () => events.some((event) => event.type === 'closed'));
    const closed = events.find((event) => event.type === 'closed');
    assert.ok(closed?.type === 'closed');
    assert.equal(closed.reason, 'pong-timeout');
    server.answerPings = true;
    await waitFor('live again', () => events.filter((event) => event.type === 'live').length === 2);
  });
});

test('a when-quiet heartbeat goes out once nothing arrives, and its answer keeps the connection', async () => {
  const heartbeat = { message: 'ping', intervalMs: 60, whenQuiet: true };
  await withToy({ heartbeat }, { pongTimeoutMs: 2_000, silenceMs: 5_000 }, async (server, stream, _delivered, events) => {
    stream.subscribe(['c.1']);
    stream.start();
    await waitFor('live', () => events.some((event) => event.type === 'live'));
    await waitFor('3 heartbeats on a quiet connection', () => server.pings >= 3);
    assert.equal(events.filter((event) => event.type === 'closed').length, 0);
    assert.equal(stream.connectionCount, 1);
  });
});

test('resubscribe: unsubscribe + subscribe one stream, a fresh in-band snapshot (even at the same id), reported once, no gap', async () => {
  await withToy({}, {}, async (server, stream, delivered, events) => {
    const [book] = stream.subscribe(['d.book', 'd.other']) as [number, number];
    stream.start();
    await waitFor('live', () => events.some((event) => event.type === 'live'));
    for (let k = 0; k < 10; k++) server.tick();
    await waitFor('10 events each', () => delivered.filter((item) => !item.snapshot).length === 20);
    // A quiet market: the new snapshot repeats the last id, and must still be delivered.
    assert.equal(stream.resubscribe(book, 'book-resync'), true);
    assert.equal(stream.resubscribe(book, 'book-resync'), false, 'one resubscribe per stream at a time');
    await waitFor('the fresh snapshot', () => delivered.filter((item) => item.name === 'd.book' && item.snapshot).length === 2);
    const snapshots = delivered.filter((item) => item.name === 'd.book' && item.snapshot);
    assert.equal(snapshots[1]!.id, 10);
    assert.deepEqual(server.requests('subscribe'), [['d.book', 'd.other'], ['d.book']]);
    const resubscribes = events.filter((event) => event.type === 'resubscribe');
    assert.deepEqual(resubscribes, [{ type: 'resubscribe', stream: book, name: 'd.book', reason: 'book-resync' }]);
    // Answered: the next one may go (while events flow; those missed between unsubscribe and
    // subscribe are covered by the snapshot, so no gap is reported).
    assert.equal(stream.resubscribe(book), true);
    for (let k = 0; k < 5; k++) server.tick();
    await waitFor('the third snapshot', () => delivered.filter((item) => item.name === 'd.book' && item.snapshot).length === 3);
    for (let k = 0; k < 5; k++) server.tick();
    await waitFor('events after', () => delivered.filter((item) => item.name === 'd.book').at(-1)?.id === 20);
    await waitFor('the other stream', () => delivered.filter((item) => item.name === 'd.other').at(-1)?.id === 20);
    assertContiguous(delivered, 'd.other');
    assert.equal(delivered.filter((item) => item.name === 'd.other').length, 21, 'the other stream was not touched');
    assert.deepEqual(server.requests('unsubscribe'), [['d.book'], ['d.book']]);
    assertContiguous(delivered, 'd.book');
    assert.equal(events.filter((event) => event.type === 'gap').length, 0);
    assert.equal(stream.resubscribe(99), false, 'not a stream');
  });
});

test('a snapshot older than the last id on the same connection is a venue reset: reported and delivered', async () => {
  await withToy({}, {}, async (server, stream, delivered, events) => {
    const [index] = stream.subscribe(['e.1']) as [number];
    stream.start();
    await waitFor('live', () => events.some((event) => event.type === 'live'));
    for (let k = 0; k < 5; k++) server.tick();
    await waitFor('5 events', () => delivered.length === 6);
    server.snapshot('e.1', 1); // Bybit: "u = 1 ... due to the restart of the service"
    server.tick();
    await waitFor('after the reset', () => delivered.length === 8);
    assert.deepEqual(delivered.slice(-2).map((item) => [item.id, item.snapshot]), [[1, true], [2, false]]);
    assert.deepEqual(events.filter((event) => event.type === 'reset'), [{ type: 'reset', stream: index, name: 'e.1', previous: 5, received: 1 }]);
    assert.equal(events.filter((event) => event.type === 'gap').length, 0);
  });
});

test("the venue's longer request limit holds requests back (3 per minute here)", async () => {
  await withToy({ limits: { maxRequestsPerWindow: 3, requestWindowMs: 60_000, maxStreamsPerRequest: 1 } }, {}, async (server, stream, _delivered, events) => {
    stream.subscribe(['f.1', 'f.2', 'f.3', 'f.4']);
    stream.start();
    await waitFor('three answered', () => server.sessions[0]?.subscribed.size === 3);
    // Let the client's timers run a while: the fourth request cannot go before a minute has passed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.requests('subscribe').length, 3);
    assert.equal(events.some((event) => event.type === 'live'), false, 'not live while a subscription waits');
  });
});
