import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { CarrierSettings } from '../promise/carrier-settings.ts';
import { type Rule, rulesFileSchema } from './rule-schema.ts';
import { type RulesFileProblem, RulesFileError } from './rules-file-error.ts';
import type { Thresholds } from './thresholds.ts';
import { formatPath, locate } from './yaml-positions.ts';

/** A checked rules file, ready for evaluateRules. */
export interface RuleSet {
  /** The file it was read from, for messages. */
  source: string;
  rules: readonly Rule[];
  /** Per-carrier verdict settings overriding the built-in ones (`carriers:`). */
  carriers: Readonly<Record<string, Partial<CarrierSettings>>>;
  thresholds: Thresholds;
}

function kindOf(input: unknown): string {
  if (input === null || input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'a map' : `${typeof input} ${JSON.stringify(input)}`;
}

/** zod's own wording ("Invalid input: expected string, received number") said for a person editing YAML. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return issue.input === undefined ? 'missing: add it' : `expected ${issue.expected === 'object' ? 'a map' : issue.expected}, got ${kindOf(issue.input)}`;
  }
  return issue.message;
}

function problemsOf(issues: readonly z.core.$ZodIssue[], place: (path: readonly PropertyKey[], atKey?: boolean) => RulesFileProblemAt): RulesFileProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => place([...issue.path, key], true).say(`unknown key: ${issue.message}`));
    }
    if (issue.code === 'invalid_key') return [place(issue.path, true).say(issue.issues[0]?.message ?? 'not a valid name here')];
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      return [place([]).say('a rules file is a map with version: 1 and rules: (a list); see src/rules/default-rules.yaml')];
    }
    return [place(issue.path).say(messageOf(issue))];
  });
}

/** Rule ids given twice. Read from the raw file, so they are reported along with every other problem. */
function duplicateIds(raw: unknown): { path: PropertyKey[]; message: string }[] {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const seen = new Map<unknown, number>();
  return rules.flatMap((rule: unknown, index) => {
    const id = (rule as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return [];
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
      return [];
    }
    return [{ path: ['rules', index, 'id'], message: `duplicate id "${id}" (also rules[${first}]): give each rule its own id` }];
  });
}

interface RulesFileProblemAt {
  say(message: string): RulesFileProblem;
}

/**
 * Reads a rules file's text. Throws RulesFileError with every problem, each at its line and
 * column: YAML syntax first (nothing else is checked in a file that does not parse), then the
 * schema. Pure: the caller reads the file.
 */
export function parseRules(text: string, file: string, thresholds: Thresholds): RuleSet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => ({ file, ...lines.linePos(error.pos[0]), message: `${error.message.replace(/\s+/g, ' ').trim()} (YAML syntax)` }));
    throw new RulesFileError(file, problems);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml library's guard (a ReferenceError) against aliases of aliases that expand to millions of nodes.
    if (!(error instanceof ReferenceError)) throw error;
    throw new RulesFileError(file, [{ file, line: 1, col: 1, message: 'its aliases (*name) expand to too much: write the values out (YAML syntax)' }]);
  }
  const parsed = rulesFileSchema(thresholds).safeParse(raw, { reportInput: true });
  const duplicates = duplicateIds(raw);
  if (!parsed.success || duplicates.length > 0) {
    const place = (path: readonly PropertyKey[], atKey = false): RulesFileProblemAt => {
      const { position, found } = locate(doc, lines, path, atKey);
      // A single value written where a list is accepted (`verdict: lated`) is named without its [0].
      const shown = path.slice(found.length).every((segment) => typeof segment === 'number') ? found : path;
      const where = shown.length > 0 ? `${formatPath(shown)}: ` : '';
      return { say: (message) => ({ file, ...position, message: `${where}${message}` }) };
    };
    const problems = [
      ...(parsed.success ? [] : problemsOf(parsed.error.issues, place)),
      ...duplicates.map((duplicate) => place(duplicate.path).say(duplicate.message)),
    ].sort((a, b) => a.line - b.line || a.col - b.col);
    throw new RulesFileError(file, problems);
  }
  return { source: file, rules: parsed.data.rules, carriers: parsed.data.carriers, thresholds };
}
