import { loadConfig } from '../../config.ts';
import type { RobotRegistry } from '../../robot-kit/registry.ts';
import { loadRules } from '../../rules/load-rules.ts';
import { formatProblem, RulesFileError } from '../../rules/rules-file-error.ts';
import { thresholdsFromConfig } from '../../rules/thresholds.ts';
import { EXIT } from '../cli-error.ts';

/**
 * Checks a rules file (the configured one when none is named) without Redis or a store: every
 * problem on stdout as file:line:col, a summary line on stderr, exit 2; `ok: N rules` and exit 0.
 */
export async function rulesCheckCommand(registry: RobotRegistry, env: NodeJS.ProcessEnv, file: string | undefined): Promise<number> {
  const { core } = loadConfig(env, registry.all());
  try {
    const ruleSet = await loadRules(file ?? core.PARCELBOT_RULES, thresholdsFromConfig(core));
    process.stdout.write(`ok: ${ruleSet.rules.length} rules in ${ruleSet.source}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof RulesFileError)) throw error;
    for (const problem of error.problems) process.stdout.write(`${formatProblem(problem)}\n`);
    const count = error.problems.length;
    process.stderr.write(`parcelbot: ${count} ${count === 1 ? 'problem' : 'problems'} in ${error.file}\n`);
    return EXIT.badInput;
  }
}
