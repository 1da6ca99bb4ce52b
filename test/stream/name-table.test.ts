// StreamNameTable: names in, dense indices out, found again from the bytes of a message (a range
// of a larger buffer), across growth of the pool and the slot table; anything not added is -1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StreamNameTable } from '../../src/index.js';

const encoder = new TextEncoder();

describe('StreamNameTable', () => {
  it('gives each new name the next index, the same index again, and finds names inside a larger buffer', () => {
    const table = new StreamNameTable();
    assert.equal(table.add('btcusdt@depth@100ms'), 0);
    assert.equal(table.add('ethusdt@depth@100ms'), 1);
    assert.equal(table.add('btcusdt@depth@100ms'), 0);
    assert.equal(table.size, 2);
    assert.deepEqual(table.names, ['btcusdt@depth@100ms', 'ethusdt@depth@100ms']);
    const message = encoder.encode('{"stream":"ethusdt@depth@100ms","data":{}}');
    assert.equal(table.find(message, 11, 30), 1);
    assert.equal(table.find(message, 11, 29), -1, 'a prefix is another name');
    assert.equal(table.indexOf('btcusdt@depth'), -1);
    assert.equal(table.indexOf(''), -1);
    assert.equal(table.add(''), 2, 'the empty name is a name like any other');
    assert.equal(table.find(message, 5, 5), 2);
  });

  it('finds every added name and nothing else, through growth, with names of any bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 300 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 30 }), (names, others) => {
        const table = new StreamNameTable();
        names.forEach((name, index) => assert.equal(table.add(name), index));
        // a name added twice keeps its index
        names.forEach((name, index) => assert.equal(table.add(name), index));
        assert.equal(table.size, names.length);
        names.forEach((name, index) => {
          const bytes = encoder.encode(`xx${name}yy`);
          assert.equal(table.find(bytes, 2, bytes.length - 2), index, name);
          assert.equal(table.indexOf(name), index);
        });
        for (const other of others) assert.equal(table.indexOf(other), names.indexOf(other), other);
      }),
      { numRuns: 100 },
    );
  });

  it('holds 1,500 stream names (the two-connection case) and a long name past the first pool', () => {
    const table = new StreamNameTable();
    for (let k = 0; k < 1500; k++) assert.equal(table.add(`sym${k}usdt@depth@100ms`), k);
    const long = 'x'.repeat(5000);
    assert.equal(table.add(long), 1500);
    for (let k = 0; k < 1500; k += 7) assert.equal(table.indexOf(`sym${k}usdt@depth@100ms`), k);
    assert.equal(table.indexOf(long), 1500);
    assert.equal(table.indexOf('sym1500usdt@depth@100ms'), -1);
  });
});
