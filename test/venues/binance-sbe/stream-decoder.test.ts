// The SBE stream decoder names each binary event's stream from its template and symbol, reads
// its ids for the sequence check, classifies JSON control answers and serverShutdown, and turns
// every refused binary message into MESSAGE_UNKNOWN plus a typed error for the callback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamNameTable } from '../../../src/stream/name-table.js';
import { MESSAGE_ACK, MESSAGE_DATA, MESSAGE_REJECT, MESSAGE_SHUTDOWN, MESSAGE_UNKNOWN } from '../../../src/stream/venue.js';
import { SbeStreamDecoder } from '../../../src/venues/binance-sbe/stream-decoder.js';
import type { SbeError } from '../../../src/venues/binance-sbe/index.js';
import * as fx from './fixtures.js';

function decoderFor(names: string[], errors: SbeError[] = []): { decoder: SbeStreamDecoder; table: StreamNameTable } {
  const table = new StreamNameTable();
  for (const name of names) table.add(name);
  const decoder = new SbeStreamDecoder(table, () => new Uint8Array(64), { onDecodeError: (error) => errors.push(error) });
  return { decoder, table };
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('SbeStreamDecoder', () => {
  it('names the stream from template + lower-cased symbol and reads the ids', () => {
    const { decoder, table } = decoderFor(['bnbusdt@bestBidAsk', 'bnbbtc@trade', 'bnbbtc@depth', 'bnbbtc@depth20']);
    assert.equal(decoder.decodeBinary(fx.BEST_BID_ASK, 0, fx.BEST_BID_ASK.length), MESSAGE_DATA);
    assert.equal(decoder.stream, table.indexOf('bnbusdt@bestBidAsk'));
    assert.deepEqual([decoder.firstId, decoder.lastId, decoder.payloadStart, decoder.payloadEnd], [400900217, 400900217, 0, fx.BEST_BID_ASK.length]);
    assert.equal(decoder.decodeBinary(fx.TRADES, 0, fx.TRADES.length), MESSAGE_DATA);
    assert.equal(decoder.stream, table.indexOf('bnbbtc@trade'));
    assert.deepEqual([decoder.firstId, decoder.lastId], [12345, 12346]);
    assert.equal(decoder.decodeBinary(fx.DEPTH_DIFF, 0, fx.DEPTH_DIFF.length), MESSAGE_DATA);
    assert.equal(decoder.stream, table.indexOf('bnbbtc@depth'));
    assert.deepEqual([decoder.firstId, decoder.lastId], [157, 160]);
    assert.equal(decoder.decodeBinary(fx.DEPTH_SNAPSHOT, 0, fx.DEPTH_SNAPSHOT.length), MESSAGE_DATA);
    assert.equal(decoder.stream, table.indexOf('bnbbtc@depth20'));
    assert.ok(Number.isNaN(decoder.firstId) && Number.isNaN(decoder.lastId));
  });

  it('an event of a stream not subscribed is unknown (not an error)', () => {
    const errors: SbeError[] = [];
    const { decoder } = decoderFor(['btcusdt@trade'], errors);
    assert.equal(decoder.decodeBinary(fx.TRADES, 0, fx.TRADES.length), MESSAGE_UNKNOWN);
    assert.equal(errors.length, 0);
  });

  it('refused binary messages are unknown, counted, and reported as SbeError', () => {
    const errors: SbeError[] = [];
    const { decoder } = decoderFor(['bnbusdt@bestBidAsk'], errors);
    const future = fx.sbe([...fx.header(50, 10001, 1, 1), ...fx.BEST_BID_ASK_FIELDS.slice(4)]);
    assert.equal(decoder.decodeBinary(future, 0, future.length), MESSAGE_UNKNOWN);
    assert.equal(decoder.decodeBinary(fx.BEST_BID_ASK, 0, 20), MESSAGE_UNKNOWN);
    assert.equal(decoder.refused, 2);
    assert.deepEqual(errors.map((error) => [error.code, error.version]), [['TW_ERR_SBE_UNKNOWN_SCHEMA', 1], ['TW_ERR_SBE_TRUNCATED', 0]]);
  });

  it('an id past 2^53 is delivered without ids (the stream reports it unreadable)', () => {
    const { decoder } = decoderFor(['bnbusdt@bestBidAsk']);
    const huge = fx.sbe(fx.BEST_BID_ASK_FIELDS.map((field, k) => (k === 5 ? (['i64', 2n ** 60n] as const) : field)));
    assert.equal(decoder.decodeBinary(huge, 0, huge.length), MESSAGE_DATA);
    assert.ok(Number.isNaN(decoder.lastId));
  });

  it('a callback that throws does not escape: it becomes a process warning', async () => {
    const table = new StreamNameTable();
    const decoder = new SbeStreamDecoder(table, () => new Uint8Array(64), {
      onDecodeError: () => {
        throw new Error('user bug');
      },
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      assert.equal(decoder.decodeBinary(fx.BEST_BID_ASK, 0, 3), MESSAGE_UNKNOWN);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, ['user bug']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('JSON text: acks, rejects and serverShutdown; JSON data is not an SBE event', () => {
    const { decoder } = decoderFor(['bnbusdt@bestBidAsk']);
    const ack = text('{"result":null,"id":7}');
    assert.equal(decoder.decode(ack, 0, ack.length), MESSAGE_ACK);
    assert.equal(decoder.requestId, 7);
    const reject = text('{"error":{"code":2,"msg":"Invalid request"},"id":8}');
    assert.equal(decoder.decode(reject, 0, reject.length), MESSAGE_REJECT);
    assert.deepEqual([decoder.requestId, decoder.errorCode, decoder.errorText()], [8, 2, 'Invalid request']);
    // sbe-market-data-streams.md, Server Shutdown: {"e": "serverShutdown", "E": 1770123456789}
    const shutdown = text('{"e":"serverShutdown","E":1770123456789}');
    assert.equal(decoder.decode(shutdown, 0, shutdown.length), MESSAGE_SHUTDOWN);
    const json = text('{"stream":"bnbusdt@bestBidAsk","data":{"u":1}}');
    assert.equal(decoder.decode(json, 0, json.length), MESSAGE_UNKNOWN);
  });
});
