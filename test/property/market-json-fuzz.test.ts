// Hostile input: random bytes and mutated valid messages. scan() must never throw, must finish
// (the test timeout bounds it), and must accept exactly what JSON.parse accepts for the same bytes.
// The level iterator must also finish on whatever arrays those documents contain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonFields, SCAN_MALFORMED, SCAN_TOO_DEEP } from '../../src/market-json/index.js';
import { jsonDocument, PATHS, prng, serialize } from './market-json-arbitraries.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parses(bytes: Uint8Array): boolean {
  try {
    JSON.parse(decoder.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

const fields = jsonFields(PATHS, { optional: PATHS });
const levelFields = jsonFields(['b', 'data.b'], { optional: ['b', 'data.b'] });

/** scan() verdict must match JSON.parse; levels() must terminate. */
function check(bytes: Uint8Array): void {
  const ok = fields.scan(bytes);
  if (fields.status !== SCAN_TOO_DEEP) {
    assert.equal(ok, parses(bytes), `scan=${ok} (status ${fields.status}) for ${JSON.stringify(decoder.decode(bytes))}`);
  }
  if (!ok) assert.ok(fields.status === SCAN_MALFORMED || fields.status === SCAN_TOO_DEEP);
  if (levelFields.scan(bytes)) {
    for (let k = 0; k < 2; k++) {
      const levels = levelFields.levels(k);
      let steps = 0;
      while (levels.next()) {
        levels.price();
        levels.quantity();
        assert.ok(++steps <= bytes.length, 'each level consumes bytes');
      }
    }
  }
}

const MUTATIONS = 6;

/** Applies 1-4 random byte edits: replace, insert, delete, truncate, duplicate a slice. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  let out = Array.from(bytes);
  const edits = 1 + Math.floor(random() * 4);
  const interesting = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x2d, 0x2e, 0x65, 0x30, 0x75, 0x00, 0x0a, 0xff];
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const byte = random() < 0.7 ? interesting[Math.floor(random() * interesting.length)]! : Math.floor(random() * 256);
    switch (Math.floor(random() * MUTATIONS)) {
      case 0:
        if (at < out.length) out[at] = byte;
        break;
      case 1:
        out.splice(at, 0, byte);
        break;
      case 2:
        out.splice(at, 1 + Math.floor(random() * 3));
        break;
      case 3:
        out = out.slice(0, at);
        break;
      case 4: {
        const length = Math.floor(random() * 8);
        out.splice(at, 0, ...out.slice(at, at + length));
        break;
      }
      default:
        out.splice(at, 0, 0x5c); // a stray backslash
    }
  }
  return Uint8Array.from(out);
}

test('random bytes: never throws, verdict equals JSON.parse', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => check(bytes)),
    { numRuns: 3000 },
  );
  const alphabet = fc.constantFrom(...'{}[]",:\\ 0123456789-+.eEtrufalsn\tu"sb'.split('').map((c) => c.charCodeAt(0)));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 48 }), (codes) => check(Uint8Array.from(codes))),
    { numRuns: 5000 },
  );
});

test('mutated valid documents: never throws, verdict equals JSON.parse', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(jsonDocument, fc.nat(), (doc, seed) => {
      const random = prng(seed);
      const valid = encoder.encode(serialize(doc, random, 0.2));
      check(valid);
      for (let k = 0; k < 8; k++) check(mutate(valid, random));
    }),
    { numRuns: 800 },
  );
});

test('mutated depth updates: never throws, levels always finish', { timeout: 60_000 }, () => {
  const base = encoder.encode(
    '{"e":"depthUpdate","E":1,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"],["0.0023", "1e-3", 4]],"data":{"b":[[1,2]]}}',
  );
  fc.assert(
    fc.property(fc.nat(), (seed) => {
      const random = prng(seed);
      check(mutate(base, random));
    }),
    { numRuns: 3000 },
  );
});
