// CRC-32 and the OKX book checksum: the standard check value, the docs' two check strings with
// their values, the checksum computed from a book against the string it stands for, and the
// verifier's rules (checked, skipped for 0 / absent / unverifiable text, mismatch).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEPTH_DIFF, DEPTH_SNAPSHOT, DepthDiff, OrderBook } from '../../../src/book/index.js';
import { crc32, OKX_CHECKSUM_UNVERIFIABLE, OkxChecksum, OkxChecksumVerifier, okxChecksumText } from '../../../src/venues/okx/index.js';

const encoder = new TextEncoder();

/** A book from [price, size] text pairs, best first. */
function book(bids: Array<[string, string]>, asks: Array<[string, string]>, scale = 8): OrderBook {
  const diff = new DepthDiff(scale);
  const toUnits = (text: string): number => {
    const [whole, fraction = ''] = text.split('.');
    return Number(whole) * 10 ** scale + Number(fraction.padEnd(scale, '0') || '0');
  };
  diff.growBids(bids.length);
  diff.growAsks(asks.length);
  bids.forEach(([p, q], k) => {
    diff.bids[2 * k] = toUnits(p);
    diff.bids[2 * k + 1] = toUnits(q);
  });
  asks.forEach(([p, q], k) => {
    diff.asks[2 * k] = toUnits(p);
    diff.asks[2 * k + 1] = toUnits(q);
  });
  diff.bidCount = bids.length;
  diff.askCount = asks.length;
  const result = new OrderBook(scale);
  result.load(diff, 1);
  return result;
}

describe('crc32', () => {
  it('gives the CRC-32 check value of "123456789" (0xCBF43926) as a signed integer', () => {
    assert.equal(crc32(encoder.encode('123456789')), 0xcbf43926 | 0);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('gives the docs examples: "3366.1:7:3366.8:9:3366:6:3368:8" and "3366.1:7:3366.8:9:3368:8:3372:8"', () => {
    assert.equal(crc32(encoder.encode('3366.1:7:3366.8:9:3366:6:3368:8')), -1881014294);
    assert.equal(crc32(encoder.encode('3366.1:7:3366.8:9:3368:8:3372:8')), 831078360);
  });
});

describe('OkxChecksum', () => {
  it('builds the docs check strings from books and computes their CRC', () => {
    const first = book(
      [['3366.1', '7'], ['3366', '6']],
      [['3366.8', '9'], ['3368', '8']],
    );
    assert.equal(okxChecksumText(first), '3366.1:7:3366.8:9:3366:6:3368:8');
    assert.equal(new OkxChecksum().compute(first), -1881014294);
    const second = book([['3366.1', '7']], [['3366.8', '9'], ['3368', '8'], ['3372', '8']]);
    assert.equal(okxChecksumText(second), '3366.1:7:3366.8:9:3368:8:3372:8');
    assert.equal(new OkxChecksum().compute(second), 831078360);
  });

  it('uses 25 levels per side at most, and equals the CRC of its own text for any book and scale', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 })), { maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 })), { maxLength: 40 }),
        (scale, bids, asks) => {
          const diff = new DepthDiff(scale);
          diff.growBids(bids.length).set(bids.flat());
          diff.growAsks(asks.length).set(asks.flat());
          diff.bidCount = bids.length;
          diff.askCount = asks.length;
          const target = new OrderBook(scale);
          target.load(diff, 1);
          const text = okxChecksumText(target);
          assert.ok(text.split(':').length <= 4 * 25);
          assert.equal(new OkxChecksum().compute(target), crc32(encoder.encode(text)));
        },
      ),
    );
  });
});

describe('OkxChecksumVerifier', () => {
  const target = book([['3366.1', '7'], ['3366', '6']], [['3366.8', '9'], ['3368', '8']]);
  const diff = (checksum: number, kind = DEPTH_DIFF): DepthDiff => {
    const d = new DepthDiff();
    d.kind = kind;
    d.checksum = checksum;
    return d;
  };

  it('accepts the matching checksum and refuses another', () => {
    const verifier = new OkxChecksumVerifier();
    assert.equal(verifier.verify(target, diff(-1881014294)), true);
    assert.equal(verifier.verify(target, diff(-1881014293)), false);
    assert.deepEqual([verifier.verified, verifier.mismatches, verifier.skipped], [1, 1, 0]);
  });

  it("skips OKX's deprecated 0, an absent checksum, and text it cannot rebuild until the next snapshot", () => {
    const verifier = new OkxChecksumVerifier();
    assert.equal(verifier.verify(target, diff(0)), true);
    assert.equal(verifier.verify(target, diff(NaN)), true);
    assert.equal(verifier.verify(target, diff(OKX_CHECKSUM_UNVERIFIABLE)), true);
    assert.equal(verifier.verify(target, diff(12345)), true); // still unverifiable: a level is spelled otherwise
    assert.equal(verifier.skipped, 4);
    assert.equal(verifier.verify(target, diff(12345, DEPTH_SNAPSHOT)), false); // a snapshot restores checking
    assert.equal(verifier.mismatches, 1);
  });
});
