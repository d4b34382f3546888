import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type RuleSet, parseRules } from './parse-rules.ts';
import { RulesFileError } from './rules-file-error.ts';
import type { Thresholds } from './thresholds.ts';

/** The rules shipped with parcelbot: the reference flow of seed 001 (README, "Promises and rules"). */
export const DEFAULT_RULES_FILE = fileURLToPath(new URL('./default-rules.yaml', import.meta.url));

/** Reads and checks a rules file (`PARCELBOT_RULES`, else the default one). Throws RulesFileError. */
export async function loadRules(file: string | undefined, thresholds: Thresholds): Promise<RuleSet> {
  const path = file ?? DEFAULT_RULES_FILE;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file: check the path (PARCELBOT_RULES)' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new RulesFileError(path, [{ file: path, line: 1, col: 1, message: reason }]);
  }
  return parseRules(text, path, thresholds);
}
