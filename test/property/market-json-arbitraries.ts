// Random JSON for the market-json property tests: a small AST that allows duplicate keys, and a
// serializer that picks whitespace, escapes and number spellings from a seeded PRNG, so every
// generated document is valid JSON with many byte-level spellings. The oracle is always
// JSON.parse of the bytes as decoded text, never the AST (duplicate keys, escapes, -0 ...).
import fc from 'fast-check';

export type JsonNode =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly text: string }
  | { readonly t: 'lit'; readonly v: 'true' | 'false' | 'null' }
  | { readonly t: 'arr'; readonly items: readonly JsonNode[] }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, JsonNode])[] };

/** Keys drawn mostly from the wanted paths' keys, so matches (and duplicates) are frequent. */
export const KEYS = ['s', 'b', 'u', 'data', 'x', 'y', 'B', 'é', 'z', 'stream', '', 'a b', 'k"q', 'sl\\'];

/** The paths every property test extracts. */
export const PATHS = ['s', 'b', 'u', 'data.s', 'data.b', 'data.x.y', 'stream', 'é', 'k"q', 'data'];

/** RFC 8259 6 number text, including long mantissas and exponents. */
export const jsonNumberText = fc.stringMatching(/^-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?$/);

/** What exchanges put in quotes: fixed decimals, plus the looser forms parseFloat also reads. */
export const decimalText = fc.oneof(
  jsonNumberText,
  fc.stringMatching(/^[0-9]{1,9}\.[0-9]{8}$/),
  fc.stringMatching(/^[+-]?[0-9]{0,20}\.?[0-9]{0,20}([eE][+-]?[0-9]{1,3})?$/),
);

const stringValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  decimalText,
  fc.constantFrom('BTCUSDT', 'btcusdt@bookTicker', 'x"y', 'a\\b', '\u0000\u001f', '\ud83d\ude00', '\ud800'),
);

export const jsonNode: fc.Arbitrary<JsonNode> = fc.letrec<{ node: JsonNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringValue.map((v): JsonNode => ({ t: 'str', v })),
    jsonNumberText.map((text): JsonNode => ({ t: 'num', text })),
    fc.constantFrom('true', 'false', 'null').map((v): JsonNode => ({ t: 'lit', v })),
    fc.array(tie('node'), { maxLength: 4 }).map((items): JsonNode => ({ t: 'arr', items })),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 6 })
      .map((entries): JsonNode => ({ t: 'obj', entries })),
  ),
})).node;

/** A top-level object, the shape market messages have. */
export const jsonDocument: fc.Arbitrary<JsonNode> = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), jsonNode), { maxLength: 8 })
  .map((entries): JsonNode => ({ t: 'obj', entries }));

/** Small deterministic PRNG (mulberry32) driving the serializer's choices. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITESPACE = ['', '', '', ' ', '\n', '\t', '\r\n  ', '  '];
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}

export function quote(text: string, random: () => number, escapeRate: number): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    const mustEscape = ch === '"' || ch === '\\' || code < 0x20;
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      // A surrogate pair is written whole: both halves raw, or both as \u escapes.
      out += random() >= escapeRate ? text.slice(i, i + 2) : '\\u' + hex4(code) + '\\u' + hex4(next);
      i++;
      continue;
    }
    if (!mustEscape && random() >= escapeRate) {
      out += ch;
      continue;
    }
    const roll = random();
    if (SHORT_ESCAPES[ch] !== undefined && roll < 0.6) out += SHORT_ESCAPES[ch];
    else if (ch === '/' && roll < 0.6) out += '\\/';
    else {
      const hex = hex4(code);
      out += '\\u' + (roll < 0.8 ? hex : hex.toUpperCase());
    }
  }
  return out + '"';
}

export function serialize(node: JsonNode, random: () => number, escapeRate = 0.1): string {
  const ws = (): string => WHITESPACE[Math.floor(random() * WHITESPACE.length)]!;
  switch (node.t) {
    case 'str':
      return quote(node.v, random, escapeRate);
    case 'num':
      return node.text;
    case 'lit':
      return node.v;
    case 'arr':
      if (node.items.length === 0) return '[' + ws() + ']';
      return '[' + node.items.map((item) => ws() + serialize(item, random, escapeRate) + ws()).join(',') + ']';
    case 'obj':
      if (node.entries.length === 0) return '{' + ws() + '}';
      return (
        '{' +
        node.entries
          .map(([key, value]) => ws() + quote(key, random, escapeRate) + ws() + ':' + ws() + serialize(value, random, escapeRate) + ws())
          .join(',') +
        '}'
      );
  }
}

/** The value JSON.parse gives at `keys`, or undefined when a step is missing or not an object. */
export function lookup(root: unknown, keys: readonly string[]): { found: boolean; value: unknown } {
  let value: unknown = root;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<string, unknown>)[key];
  }
  return { found: true, value };
}

/** The decimal grammar parseDecimal accepts; for these texts it must equal parseFloat. */
export const STRICT_DECIMAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
