import type { App } from '../../main.ts';
import type { SelectorCheck } from '../../robot-kit/define-robot.ts';
import { EXIT, InputError } from '../cli-error.ts';

/**
 * Logs in to a portal robot's portal and checks every selector it reads, one line per selector
 * (page, name, selector, ok or MISSING): after a redesign, a manager reads which ones to fix in
 * robots/<id>/selectors.ts. Exit 0 when all match, 1 when any is missing.
 */
export async function portalCheckCommand(app: App, robotId: string, options: { json?: boolean }): Promise<number> {
  const id = robotId.toLowerCase();
  const checkable = app.registry
    .all()
    .filter((definition) => definition.kind === 'portal' && typeof app.robot(definition.id).checkPortal === 'function')
    .map((definition) => definition.id);
  if (!checkable.includes(id)) {
    const what = app.registry.find(id) ? `robot "${id}" has no portal check` : `unknown robot "${robotId.slice(0, 40)}"`;
    throw new InputError(`portal check: ${what}: expected one of ${checkable.join(', ') || '(no robot has one)'}`);
  }
  const checks = await app.robot(id).checkPortal!();
  process.stdout.write(options.json ? `${JSON.stringify(checks)}\n` : formatChecks(checks));
  const missing = checks.filter((check) => !check.found).length;
  if (missing === 0) return EXIT.ok;
  process.stderr.write(`parcelbot: ${id}: ${missing} of ${checks.length} selectors no longer match: fix them in robots/${id}/selectors.ts\n`);
  return EXIT.failure;
}

function formatChecks(checks: readonly SelectorCheck[]): string {
  const width = (pick: (check: SelectorCheck) => string) => Math.max(0, ...checks.map((check) => pick(check).length));
  const [page, name, selector] = [width((check) => check.page), width((check) => check.name), width((check) => check.selector)];
  return checks.map((check) => `${check.page.padEnd(page)}  ${check.name.padEnd(name)}  ${check.selector.padEnd(selector)}  ${check.found ? 'ok' : 'MISSING'}\n`).join('');
}
