import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../src/client/connect.js';
import type { Client } from '../../src/client/client.js';
import { startExchange } from '../../simulator/exchange.js';

const tlsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'tls');
const decoder = new TextDecoder();

/** tickwire's own client against the simulator: records parsed messages and the close. */
async function open(url: string, extra: { ca?: Buffer } = {}): Promise<{ client: Client; messages: any[]; closed: Promise<[number, string]> }> {
  const messages: any[] = [];
  let resolveClosed!: (value: [number, string]) => void;
  const closed = new Promise<[number, string]>((resolve) => (resolveClosed = resolve));
  const client = await connect(url, {
    ...extra,
    onMessage(data, start, end) {
      messages.push(JSON.parse(decoder.decode(data.subarray(start, end))));
    },
    onClose(code, reason) {
      resolveClosed([code, reason]);
    },
    onError() {},
  });
  return { client, messages, closed };
}

async function until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the tickwire client against the simulator', { timeout: 30_000 }, () => {
  it('receives combined streams, subscribes live and closes cleanly', async () => {
    const exchange = await startExchange({ rate: 500, symbols: ['btcusdt', 'ethusdt'] });
    try {
      const { client, messages, closed } = await open(`${exchange.url}/stream?streams=btcusdt@bookTicker`);
      await until(() => messages.length >= 20);
      assert.ok(messages.every((m) => m.stream === 'btcusdt@bookTicker' && typeof m.data.u === 'number'));
      client.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@trade'], id: 1 }));
      await until(() => messages.some((m) => m.id === 1));
      assert.deepEqual(
        messages.find((m) => m.id === 1),
        { result: null, id: 1 },
      );
      await until(() => messages.some((m) => m.stream === 'ethusdt@trade'));
      client.close(1000, 'bye');
      assert.equal((await closed)[0], 1000);
    } finally {
      await exchange.close();
    }
  });

  it('connects over wss:// trusting the test CA, and sees a dropped connection as 1006', async () => {
    const exchange = await startExchange({ rate: 200, tls: true, symbols: ['btcusdt'] });
    try {
      const { messages, closed } = await open(`${exchange.wssUrl}/ws/btcusdt@bookTicker`, { ca: readFileSync(join(tlsDir, 'ca.pem')) });
      await until(() => messages.length >= 5);
      assert.equal(messages[0].s, 'BTCUSDT');
      exchange.injectFault({ type: 'drop' });
      assert.equal((await closed)[0], 1006);
    } finally {
      await exchange.close();
    }
  });
});
