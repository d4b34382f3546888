import { afterEach, describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { startLocalSite } from '../../fixtures/testing/local-site.ts';

// `parcelbot portal check <robot>`, the real binary spawned against the seller-portal simulator,
// switched to its redesigned layout from this process through the simulator's control route.

const { world, fixtures } = useCliEnvs();
const SLOW_MS = 120_000;

const control = (path: string, body: unknown) =>
  fetch(`${fixtures().url}/_control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
afterEach(async () => {
  await control('reset', {});
});

/** `page  name  selector  ok|MISSING|PAGE NOT REACHED (why)` lines, columns padded with spaces. */
function parseLines(stdout: string): { page: string; name: string; selector: string; result: string }[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const match = /^(login|orders|order|refund form)\s+(\S+)\s+(.+?)\s+(ok|MISSING|PAGE NOT REACHED(?: \(.+\))?)$/.exec(line);
      if (!match) throw new Error(`not a check line: ${line}`);
      return { page: match[1]!, name: match[2]!, selector: match[3]!, result: match[4]! };
    });
}

describe('parcelbot portal check', () => {
  it('prints one line per selector, all ok, and exits 0 on the portal as it is; --json prints the array', { timeout: SLOW_MS }, async () => {
    const [text, json] = await Promise.all([
      world().then(({ env }) => runCli(['portal', 'check', 'seller-portal'], env)),
      world().then(({ env }) => runCli(['portal', 'check', 'Seller-Portal', '--json'], env)),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe('');
    const lines = parseLines(text.stdout);
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.every((line) => line.result === 'ok')).toBe(true);
    expect(new Set(lines.map((line) => line.page))).toEqual(new Set(['login', 'orders', 'order', 'refund form']));
    expect(lines).toContainEqual({ page: 'orders', name: 'row.ref', selector: 'table#orders > tbody > tr.order-row .order-ref', result: 'ok' });

    expect(json.code, json.stderr).toBe(0);
    const checks = JSON.parse(json.stdout) as { page: string; name: string; selector: string; state: string }[];
    expect(checks.map(({ page, name, selector }) => ({ page, name, selector }))).toEqual(lines.map(({ page, name, selector }) => ({ page, name, selector })));
    expect(checks.every((check) => check.state === 'found')).toBe(true);
    // Each world has its own Redis prefix, hence its own stored session: one sign-in each.
    expect(fixtures()['seller-portal'].stats().logins).toMatchObject({ succeeded: 2, refused: 0 });
  });

  it('after a redesign, marks each selector that no longer matches MISSING and exits 1', { timeout: SLOW_MS }, async () => {
    expect((await control('seller-portal/faults', { fault: 'changed-layout' })).status).toBe(204);
    const { env } = await world();
    const [text, json] = await Promise.all([runCli(['portal', 'check', 'seller-portal'], env), runCli(['portal', 'check', 'seller-portal', '--json'], env)]);

    expect(text.code, text.stderr).toBe(1);
    const lines = parseLines(text.stdout);
    const missing = lines.filter((line) => line.result === 'MISSING');
    expect(missing).toContainEqual({ page: 'orders', name: 'table', selector: 'table#orders', result: 'MISSING' });
    expect(missing).toContainEqual({ page: 'order', name: 'root', selector: '#order-detail', result: 'MISSING' });
    expect(missing).toContainEqual({ page: 'refund form', name: 'form', selector: 'form#refund-form', result: 'MISSING' });
    // Field names survive the redesign: the sign-in still works, and its selectors still match.
    expect(lines.filter((line) => line.page === 'login').every((line) => line.result === 'ok')).toBe(true);
    expect(text.stderr).toBe(`parcelbot: seller-portal: ${missing.length} of ${lines.length} selectors no longer match: fix them in robots/seller-portal/selectors.ts\n`);

    expect(json.code).toBe(1);
    const checks = JSON.parse(json.stdout) as { state: string }[];
    expect(checks.filter((check) => check.state === 'missing')).toHaveLength(missing.length);
  });

  it('says which pages it could not reach and why, apart from selectors missing, and exits 1', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    // Signed in first: the session is kept in Redis, so the next check only opens its pages.
    expect((await runCli(['portal', 'check', 'seller-portal'], env)).code).toBe(0);
    expect((await control('seller-portal/faults', { fault: 'http-500', times: 2 })).status).toBe(204);
    const result = await runCli(['portal', 'check', 'seller-portal'], env);

    expect(result.code, result.stderr).toBe(1);
    const lines = parseLines(result.stdout);
    expect(lines.every((line) => line.result.startsWith('PAGE NOT REACHED'))).toBe(true);
    expect(result.stdout).toMatch(/^login\s+form\s+.+\s+PAGE NOT REACHED \(check login page: the portal answered HTTP 500\)$/m);
    expect(result.stdout).toMatch(/^order\s+root\s+.+\s+PAGE NOT REACHED \(no order link on the orders page\)$/m);
    // The reason once per page, on its first line.
    expect(result.stdout.match(/\(check login page:/g)).toHaveLength(1);
    expect(result.stderr).toBe("parcelbot: seller-portal: 4 pages not reached: why is on each one's first line\n");
  });

  it('exits 2 for a robot without a portal check, naming the robots that have one', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const [laposte, unknown] = await Promise.all([runCli(['portal', 'check', 'laposte'], env), runCli(['portal', 'check', 'nope'], env)]);
    expect(expectOneLineFailure(laposte, 2, 'laposte')).toMatch(/^parcelbot: portal check: robot "laposte" has no portal check: expected one of .*\bseller-portal\b/);
    expect(expectOneLineFailure(unknown, 2, 'unknown')).toMatch(/^parcelbot: portal check: unknown robot "nope": expected one of .*\bseller-portal\b/);
  });

  it('exits 1 with one line when the portal sends its sign-in page to another host, loading nothing from there', { timeout: SLOW_MS }, async () => {
    const elsewhere = await startLocalSite((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<form id="login-form"></form>'));
    try {
      const { env } = await world();
      // Signed in first, the session kept in Redis: the next check signs in no more, and only its sign-in page is sent away.
      const first = await runCli(['portal', 'check', 'seller-portal'], env);
      expect(first.code, first.stderr).toBe(0);
      expect((await control('seller-portal/config', { signInMovedTo: `${elsewhere.url}/sso/login` })).status).toBe(204);
      const moved = await runCli(['portal', 'check', 'seller-portal'], env);
      expect(expectOneLineFailure(moved, 1, 'moved')).toBe(`parcelbot: check login page: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`);
      expect(elsewhere.requests).toEqual([]);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('exits 1 with one line when the portal refuses the login, without printing the password', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ SELLER_PORTAL_PASSWORD: 'not-the-password-42' });
    const result = await runCli(['portal', 'check', 'seller-portal'], env);
    const line = expectOneLineFailure(result, 1, 'refused');
    expect(line).toMatch(/^parcelbot: submit login: the seller portal refused the sign-in: Incorrect e-mail or password\.$/);
    expect(line).not.toContain('not-the-password-42');
  });
});
