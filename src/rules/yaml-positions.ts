import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

export interface Located {
  position: Position;
  /** The part of the path found in the document: a scalar written where a list is accepted stops it early. */
  found: readonly PropertyKey[];
}

/** A node's start; a key with nothing after it (`then:`) is pointed at by its key. */
function startOf(node: Node | null | undefined, key: Node | undefined): number | undefined {
  const empty = isScalar(node) && node.value === null;
  return (empty ? key?.range?.[0] : node?.range?.[0]) ?? key?.range?.[0];
}

/**
 * Where a path (`['rules', 2, 'when', 'verdict']`) is written in a YAML document: the deepest node
 * found, or the key itself with `atKey` (an unknown key is pointed at by its name). A path that
 * goes past what the document has (a missing key) points at the last map found.
 */
export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[], atKey = false): Located {
  let node: Node | null | undefined = doc.contents;
  let offset = startOf(node, undefined) ?? 0;
  const found: PropertyKey[] = [];
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const key = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value as Node | null;
      offset = (last && atKey ? key?.range?.[0] : startOf(node, key)) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | undefined;
      if (!node) break;
      offset = startOf(node, undefined) ?? offset;
    } else {
      break;
    }
    found.push(segment);
  }
  return { position: lines.linePos(offset), found };
}

/** `rules[2].when.verdict` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`)).join('');
}
