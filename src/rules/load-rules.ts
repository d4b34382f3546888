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
  const refuse = (message: string) => new RulesFileError(path, [{ file: path, line: 1, col: 1, message }]);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOENT' ? 'no such file: check the path (PARCELBOT_RULES)' : `cannot be read (${code ?? 'error'}): check the path (PARCELBOT_RULES)`);
  }
  let text: string;
  try {
    // Strictly: a Latin-1 "café" read as UTF-8 would become "caf\ufffd" in every reason the rule gives.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse('not valid UTF-8: save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  }
  return parseRules(text, path, thresholds);
}
