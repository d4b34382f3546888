import type { App } from '../../main.ts';
import type { SelectorCheck } from '../../robot-kit/define-robot.ts';
import { EXIT, InputError } from '../cli-error.ts';

/**
 * Logs in to a portal robot's portal and checks every selector it reads, one line per selector
 * (page, name, selector, and ok, MISSING, or PAGE NOT REACHED with why on the page's first line):
 * after a redesign, a manager reads which ones to fix in robots/<id>/selectors.ts. Exit 0 when
 * all match, 1 when any is missing or on a page not reached.
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
  const missing = checks.filter((check) => check.state === 'missing').length;
  const unreached = checks.filter((check) => check.state === 'page-not-reached');
  if (missing === 0 && unreached.length === 0) return EXIT.ok;
  const pages = new Set(unreached.map((check) => check.page)).size;
  const problems = [
    missing > 0 && `${missing} of ${checks.length} selectors no longer match: fix them in robots/${id}/selectors.ts`,
    pages > 0 && `${pages} ${pages === 1 ? 'page' : 'pages'} not reached: why is on each one's first line`,
  ];
  process.stderr.write(`parcelbot: ${id}: ${problems.filter(Boolean).join('; ')}\n`);
  return EXIT.failure;
}

const RESULT: Record<SelectorCheck['state'], string> = { found: 'ok', missing: 'MISSING', 'page-not-reached': 'PAGE NOT REACHED' };

/** `page  name  selector  result` columns; a page not reached says why on its first line. */
function formatChecks(checks: readonly SelectorCheck[]): string {
  const width = (pick: (check: SelectorCheck) => string) => Math.max(0, ...checks.map((check) => pick(check).length));
  const [page, name, selector] = [width((check) => check.page), width((check) => check.name), width((check) => check.selector)];
  const explained = new Set<string>();
  return checks
    .map((check) => {
      const why = check.reason && !explained.has(check.page) ? ` (${check.reason})` : '';
      if (check.reason) explained.add(check.page);
      return `${check.page.padEnd(page)}  ${check.name.padEnd(name)}  ${check.selector.padEnd(selector)}  ${RESULT[check.state]}${why}\n`;
    })
    .join('');
}
