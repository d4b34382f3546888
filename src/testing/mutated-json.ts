import fc from 'fast-check';
import { moveDate, seededRandom } from './moved-dates.ts';
import { applyTextEdit, oddJsonValue, type TextEdit, textEdit } from './odd-input.ts';

/**
 * Recorded JSON bodies broken in a few places, as a careless or changed service would send them:
 * they reach far deeper into a parser than random text, which fails its first check.
 */

type JsonPath = (string | number)[];

/** How one node of a JSON document is changed; `at` picks the node (pickPath). */
type JsonChange =
  | { at: number; kind: 'delete' }
  | { at: number; kind: 'dates'; seed: number }
  | { at: number; kind: 'replace'; value: unknown }
  | { at: number; kind: 'copy'; from: number }
  | { at: number; kind: 'wrap' }
  | { at: number; kind: 'duplicate' }
  | { at: number; kind: 'edit'; edit: TextEdit }
  | { at: number; kind: 'add'; key: string; value: unknown };

const jsonChange: fc.Arbitrary<JsonChange> = fc.oneof(
  fc.record({ at: fc.nat(), kind: fc.constant('delete' as const) }),
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('replace' as const), value: oddJsonValue }) },
  fc.record({ at: fc.nat(), kind: fc.constant('copy' as const), from: fc.nat() }),
  fc.record({ at: fc.nat(), kind: fc.constant('wrap' as const) }),
  fc.record({ at: fc.nat(), kind: fc.constant('duplicate' as const) }),
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('edit' as const), edit: textEdit }) },
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), kind: fc.constant('dates' as const), seed: fc.nat() }) },
  fc.record({ at: fc.nat(), kind: fc.constant('add' as const), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'error', 'status', 'date'), fc.string({ maxLength: 8 })), value: oddJsonValue }),
);

/** Every node of a JSON document, the root first, as paths from the root. */
function pathsOf(value: unknown, path: JsonPath = [], paths: JsonPath[] = []): JsonPath[] {
  paths.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], paths));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], paths);
  return paths;
}

/**
 * The path `at` picks: first a field name (every item of an array counts as its array's name),
 * then one node of that name, so a field that appears once is picked as often as one in every event.
 */
function pickPath(paths: readonly JsonPath[], at: number): JsonPath {
  const byName = new Map<string, JsonPath[]>();
  for (const path of paths) {
    const name = path.findLast((key) => typeof key === 'string') ?? '';
    const named = typeof path.at(-1) === 'number' ? `${name}[]` : name;
    byName.set(named, [...(byName.get(named) ?? []), path]);
  }
  const groups = [...byName.values()];
  const group = groups[at % groups.length]!;
  return group[Math.floor(at / groups.length) % group.length]!;
}

function nodeAt(root: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

/** The document with the node at `path` replaced (`undefined` removes it). */
function withNode(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = nodeAt(root, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path.at(-1)!;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (value === undefined) parent.splice(key, 1);
    else parent[key] = value;
  } else if (value === undefined) delete (parent as Record<string, unknown>)[key];
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

/** Half of the dates and times the document writes, each moved (moved-dates.ts). */
function withMovedDates(root: unknown, random: () => number): unknown {
  for (const path of pathsOf(root)) {
    const node = nodeAt(root, path);
    const moved = typeof node === 'string' && random() < 0.5 ? moveDate(node, random) : undefined;
    if (moved !== undefined) root = withNode(root, path, moved);
  }
  return root;
}

function applyJsonChange(root: unknown, change: JsonChange): unknown {
  const paths = pathsOf(root);
  const path = pickPath(paths, change.at);
  const node = nodeAt(root, path);
  switch (change.kind) {
    case 'delete':
      return withNode(root, path, undefined);
    case 'dates':
      return withMovedDates(root, seededRandom(change.seed));
    case 'replace':
      return withNode(root, path, structuredClone(change.value));
    case 'copy':
      return withNode(root, path, structuredClone(nodeAt(root, pickPath(paths, change.from))));
    case 'wrap':
      return withNode(root, path, [node]);
    case 'duplicate': {
      const parent = path.length > 0 ? nodeAt(root, path.slice(0, -1)) : undefined;
      if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 0, structuredClone(node));
      return root;
    }
    case 'edit':
      return withNode(root, path, applyTextEdit(typeof node === 'string' ? node : (JSON.stringify(node) ?? ''), change.edit));
    case 'add':
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return root;
      return withNode(root, [...path, change.key], structuredClone(change.value));
  }
}

/**
 * One of the recorded bodies `texts` (JSON) changed in one to four places: a field dropped,
 * retyped, nulled, made huge, unicode or deeply nested, copied from elsewhere in the body,
 * an array item doubled, a date nudged out of range; or the body cut short.
 */
export function mutatedJson(texts: readonly string[]): fc.Arbitrary<string> {
  const documents = texts.map((text) => JSON.parse(text) as unknown);
  const changed = fc
    .tuple(fc.nat({ max: documents.length - 1 }), fc.array(jsonChange, { minLength: 1, maxLength: 4 }))
    .map(([index, changes]) => JSON.stringify(changes.reduce(applyJsonChange, structuredClone(documents[index]))) ?? '');
  const edited = fc.tuple(fc.constantFrom(...texts), textEdit).map(([text, edit]) => applyTextEdit(text, edit));
  return fc.oneof({ weight: 9, arbitrary: changed }, { weight: 1, arbitrary: edited });
}

/**
 * Every string a JSON text holds under the key `key` (or in an array there), at any depth (none when it is no JSON): the
 * numbers a mutated body answers for, so a test can ask for them and reach past the first check.
 */
export function stringsNamed(text: string, key: string): string[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  return pathsOf(root)
    .filter((path) => path.at(-1) === key || (typeof path.at(-1) === 'number' && path.at(-2) === key))
    .map((path) => nodeAt(root, path))
    .filter((value): value is string => typeof value === 'string');
}

