// The simulator with perMessageDeflate on: ws clients that offer compression receive valid,
// compressed bookTicker events; clients that do not still get plain ones from the same exchange.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { startExchange } from '../../simulator/exchange.js';
import { Recorder } from '../simulator/helpers.js';

const DECIMAL = /^\d+\.\d{8}$/;

/** Every message is a raw bookTicker event of `symbol`, bid below ask, update ids increasing. */
function assertBookTickers(messages: unknown[], symbol: string): void {
  let lastId = -1;
  for (const message of messages) {
    const event = message as Record<string, unknown>;
    assert.deepEqual(Object.keys(event), ['u', 's', 'b', 'B', 'a', 'A']);
    assert.equal(event['s'], symbol);
    assert.ok(Number.isInteger(event['u']) && (event['u'] as number) > lastId, `update id ${String(event['u'])} after ${lastId}`);
    lastId = event['u'] as number;
    for (const field of ['b', 'B', 'a', 'A']) assert.match(event[field] as string, DECIMAL, `field ${field}`);
    assert.ok(Number(event['b']) < Number(event['a']), `bid ${String(event['b'])} >= ask ${String(event['a'])}`);
  }
}

function bytesRead(recorder: Recorder): number {
  return (recorder.socket as unknown as { _socket: Socket })._socket.bytesRead;
}

describe('simulator with permessage-deflate', { timeout: 30_000 }, () => {
  it('delivers valid bookTicker JSON, compressed, to a ws client with compression; plain to one without', async () => {
    const exchange = await startExchange({ rate: 500, symbols: ['btcusdt'], perMessageDeflate: { threshold: 0 } });
    try {
      const compressed = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`, { perMessageDeflate: { threshold: 0 } });
      const plain = new Recorder(`${exchange.url}/ws/btcusdt@bookTicker`, { perMessageDeflate: false });
      await Promise.all([compressed.opened, plain.opened]);
      assert.equal(compressed.socket.extensions, 'permessage-deflate');
      assert.equal(plain.socket.extensions, '');
      await compressed.waitFor(() => compressed.messages.length >= 200);
      await plain.waitFor(() => plain.messages.length >= 200);
      assertBookTickers(compressed.messages, 'BTCUSDT');
      assertBookTickers(plain.messages, 'BTCUSDT');

      // Control requests and answers are compressed too (the client sends them compressed).
      const answer = await compressed.request({ method: 'LIST_SUBSCRIPTIONS', id: 7 });
      assert.deepEqual(answer, { result: ['btcusdt@bookTicker'], id: 7 });

      // Context takeover lets each ~100-byte event refer back to the previous ones.
      const [compressedCount, compressedBytes] = [compressed.raw.length, bytesRead(compressed)];
      const compressedText = compressed.raw.reduce((sum, text) => sum + text.length, 0);
      assert.ok(compressedBytes < compressedText * 0.8, `${compressedBytes} bytes on the wire for ${compressedCount} events of ${compressedText} bytes`);
      const plainText = plain.raw.reduce((sum, text) => sum + text.length, 0);
      assert.ok(bytesRead(plain) >= plainText, 'the plain client got fewer bytes than its events hold');

      assert.equal((await compressed.close())[0], 1005);
      assert.equal((await plain.close())[0], 1005);
    } finally {
      await exchange.close();
    }
  });

  it('is off by default: an offer is declined', async () => {
    const exchange = await startExchange({ rate: 200, symbols: ['ethusdt'] });
    try {
      const client = new Recorder(`${exchange.url}/ws/ethusdt@bookTicker`, { perMessageDeflate: { threshold: 0 } });
      await client.opened;
      assert.equal(client.socket.extensions, '');
      await client.waitFor(() => client.messages.length >= 20);
      assertBookTickers(client.messages, 'ETHUSDT');
      await client.close();
    } finally {
      await exchange.close();
    }
  });
});
