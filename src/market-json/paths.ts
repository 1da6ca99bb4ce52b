// Compiles the wanted field paths into a flat key trie, once, so the scanner matches keys with
// integer arrays and byte compares only. Node 0 is the top-level object; the children of node n are
// the nodes firstChild[n] .. firstChild[n] + childCount[n] - 1, each with its key as UTF-8 bytes.

/**
 * Where a field sits in the message: a key (`'u'`), a dotted path into nested objects
 * (`'data.b'`), or the keys as an array when a key itself contains a dot (`['data', 'b']`).
 */
export type FieldPath = string | readonly string[];

/** Thrown by jsonFields() when a field path is empty, malformed or repeated (at setup, never per message). */
export class MarketJsonPathError extends TypeError {
  /** Stable error code. */
  readonly code = 'TW_ERR_MARKET_JSON_PATH';
  constructor(message: string) {
    super(message);
    this.name = 'MarketJsonPathError';
  }
}

export interface CompiledPaths {
  readonly fieldCount: number;
  readonly nodeCount: number;
  /** Field index recorded when the node's key matches, or -1 for an intermediate node. */
  readonly nodeField: Int32Array;
  readonly firstChild: Int32Array;
  readonly childCount: Int32Array;
  /** keyBytes[keyStart[n], keyEnd[n]) is node n's key in UTF-8. */
  readonly keyBytes: Uint8Array;
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  /** subtreeFields[subtreeStart[n], subtreeEnd[n]) = fields at or below node n (cleared on a duplicate key). */
  readonly subtreeFields: Int32Array;
  readonly subtreeStart: Int32Array;
  readonly subtreeEnd: Int32Array;
  /** The keys of each field path, for `index()` and messages. */
  readonly names: readonly string[];
  /**
   * Key lookup without a loop over every child: childByFirstByte[n * KEY_TABLE_WIDTH + b] is the
   * first child of n whose key starts with byte b (slot 256: the empty key), -1 if none; the
   * other children with the same first byte follow through nextSameFirstByte.
   */
  readonly childByFirstByte: Int32Array;
  readonly nextSameFirstByte: Int32Array;
  /** 1 when the node has fields below it, which a duplicate of its key must clear. */
  readonly hasDescendantFields: Uint8Array;
}

/** 256 possible first bytes plus one slot for the empty key. */
export const KEY_TABLE_WIDTH = 257;

interface BuildNode {
  key: string;
  field: number;
  children: BuildNode[];
}

/** 'data.b' -> ['data', 'b']; an array is taken as the keys themselves (for keys containing dots). */
function splitPath(path: FieldPath): readonly string[] {
  if (typeof path === 'string') return path.split('.');
  return path;
}

export function pathName(path: FieldPath): string {
  return typeof path === 'string' ? path : path.join('.');
}

export function compilePaths(paths: readonly FieldPath[]): CompiledPaths {
  const root: BuildNode = { key: '', field: -1, children: [] };
  paths.forEach((path, field) => {
    const keys = splitPath(path);
    if (keys.length === 0) throw new MarketJsonPathError(`jsonFields: path ${field} is empty`);
    let node = root;
    for (const key of keys) {
      if (typeof key !== 'string') throw new MarketJsonPathError(`jsonFields: path ${field} has a non-string key`);
      let child = node.children.find((c) => c.key === key);
      if (child === undefined) {
        child = { key, field: -1, children: [] };
        node.children.push(child);
      }
      node = child;
    }
    if (node.field !== -1) throw new MarketJsonPathError(`jsonFields: path '${pathName(path)}' is listed twice`);
    node.field = field;
  });

  // Breadth-first numbering keeps every node's children contiguous.
  const order: BuildNode[] = [root];
  const first: number[] = [];
  for (let n = 0; n < order.length; n++) {
    const node = order[n]!;
    first.push(order.length);
    for (const child of node.children) order.push(child);
  }

  const encoder = new TextEncoder();
  const nodeCount = order.length;
  const nodeField = new Int32Array(nodeCount);
  const firstChild = new Int32Array(nodeCount);
  const childCount = new Int32Array(nodeCount);
  const keyStart = new Int32Array(nodeCount);
  const keyEnd = new Int32Array(nodeCount);
  const encodedKeys = order.map((node) => encoder.encode(node.key));
  const keyBytes = new Uint8Array(encodedKeys.reduce((sum, key) => sum + key.length, 0));
  let offset = 0;
  order.forEach((node, n) => {
    nodeField[n] = node.field;
    firstChild[n] = first[n]!;
    childCount[n] = node.children.length;
    const key = encodedKeys[n]!;
    keyBytes.set(key, offset);
    keyStart[n] = offset;
    offset += key.length;
    keyEnd[n] = offset;
  });

  const subtree: number[] = [];
  const subtreeStart = new Int32Array(nodeCount);
  const subtreeEnd = new Int32Array(nodeCount);
  const collect = (node: BuildNode, out: number[]): void => {
    if (node.field !== -1) out.push(node.field);
    for (const child of node.children) collect(child, out);
  };
  order.forEach((node, n) => {
    subtreeStart[n] = subtree.length;
    collect(node, subtree);
    subtreeEnd[n] = subtree.length;
  });

  const childByFirstByte = new Int32Array(nodeCount * KEY_TABLE_WIDTH).fill(-1);
  const nextSameFirstByte = new Int32Array(nodeCount).fill(-1);
  const hasDescendantFields = new Uint8Array(nodeCount);
  // Walk children in reverse so each chain lists them in declaration order.
  for (let n = nodeCount - 1; n >= 0; n--) {
    for (let child = firstChild[n]! + childCount[n]! - 1; child >= firstChild[n]!; child--) {
      const length = keyEnd[child]! - keyStart[child]!;
      const slot = n * KEY_TABLE_WIDTH + (length === 0 ? 256 : keyBytes[keyStart[child]!]!);
      nextSameFirstByte[child] = childByFirstByte[slot]!;
      childByFirstByte[slot] = child;
    }
    hasDescendantFields[n] = subtreeEnd[n]! - subtreeStart[n]! > (nodeField[n] === -1 ? 0 : 1) ? 1 : 0;
  }

  return {
    childByFirstByte,
    nextSameFirstByte,
    hasDescendantFields,
    fieldCount: paths.length,
    nodeCount,
    nodeField,
    firstChild,
    childCount,
    keyBytes,
    keyStart,
    keyEnd,
    subtreeFields: Int32Array.from(subtree),
    subtreeStart,
    subtreeEnd,
    names: paths.map(pathName),
  };
}
