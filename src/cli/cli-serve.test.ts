import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli, startCli } from '../../fixtures/cli/run-cli.ts';
import { TERMINAL_AVAILABLE, typeInTerminal } from '../../fixtures/cli/run-in-terminal.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { parsePasswordHash, type ScryptHash, verifyPassword } from '../api/password-hash.ts';

// `parcelbot serve` and `parcelbot hash-password`, spawned.

const { world } = useCliEnvs();
const SLOW_MS = 150_000;
const AGENT_KEY = 'agent-key-serve-5d8e1a7c3b9f2064';
const ADMIN_KEY = 'admin-key-serve-8c1f4e7a2d6b9035';

describe('parcelbot serve', () => {
  it('serves the API with in-process workers (the follow-ups\' too), runs a sweep asked over the API, logs without keys or e-mail addresses, and stops on SIGTERM with exit 0', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const keys = `agent:${AGENT_KEY},admin:${ADMIN_KEY}`;
    const serve = startCli(['serve', '--with-workers'], { ...env, PORT: '0', PARCELBOT_API_KEYS: keys, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { timeoutMs: 140_000 });
    await serve.waitForStderr(/^parcelbot serve: listening on http:\/\/127\.0\.0\.1:\d+, with workers/m);
    const url = /listening on (http:\/\/[\d.:]+)/.exec(serve.stderr())?.[1] ?? '';
    const headers = { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' };

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { checks: { queues: Record<string, { workers: number }> } }).checks.queues).toMatchObject({ 'track-laposte': { workers: 1 }, followups: { workers: 1 } });
    const lookup = await fetch(`${url}/api/lookups?wait=30`, { method: 'POST', headers, body: JSON.stringify({ trackingNumber: numberFor('in-transit') }) });
    expect(lookup.status).toBe(200);
    expect(((await lookup.json()) as { lookups: unknown[] }).lookups[0]).toMatchObject({ state: 'done', answer: { status: 'in_transit' } });
    const search = await fetch(`${url}/api/shipments?q=${encodeURIComponent('camille.martin@example.com')}`, { headers });
    expect(search.status).toBe(200);

    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const started = await fetch(`${url}/api/sweeps`, { method: 'POST', headers: admin });
    expect(started.status).toBe(202);
    const sweep = (await started.json()) as { id: string; trigger: string; state: string };
    expect(sweep).toMatchObject({ trigger: 'api', state: 'running' });
    await expect.poll(async () => ((await (await fetch(`${url}/api/sweeps/${sweep.id}`, { headers: admin })).json()) as { state: string }).state, { timeout: 60_000, interval: 200 }).toBe('done');

    serve.signal('SIGTERM');
    const stopped = await serve.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toMatch(/"path":"\/api\/shipments","status":200/);
    expect(stopped.stderr).not.toContain(AGENT_KEY);
    expect(stopped.stderr).not.toContain(ADMIN_KEY);
    expect(stopped.stderr).toMatch(/"sweepId":"[\w-]+","requestedBy":"key:[0-9a-f]{10}","msg":"sweep started over the API"/);
    expect(stopped.stderr).not.toContain('camille');
    expect(stopped.stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    { label: 'no key and no user', env: {} as Record<string, string>, says: /^parcelbot: nobody could use the app: set PARCELBOT_API_KEYS/ },
    { label: 'a malformed key list', env: { PARCELBOT_API_KEYS: `chief:${AGENT_KEY}` }, says: /^parcelbot: PARCELBOT_API_KEYS: entry 1: expected role:key/ },
  ])('refuses to start with $label: exit 2, one line', { timeout: SLOW_MS }, async ({ env, says }) => {
    const { env: base } = await world();
    const line = expectOneLineFailure(await runCli(['serve'], { ...base, PORT: '0', ...env }), 2, 'serve');
    expect(line).toMatch(says);
    expect(line).not.toContain(AGENT_KEY);
  });
});

describe('parcelbot hash-password', () => {
  it('prints a hash of the password read on stdin, and refuses a short one', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const made = await runCli(['hash-password'], env, { input: 'correct horse battery staple\n' });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}\n$/);
    const short = expectOneLineFailure(await runCli(['hash-password'], env, { input: 'secret\n' }), 2, 'short password');
    expect(short).toBe('parcelbot: password: expected at least 10 characters on stdin');
  });

  it.skipIf(!TERMINAL_AVAILABLE)('at a terminal, asks on stderr and reads one line without showing it', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const password = 'correct horse battery staple';
    // Typed with a slip erased by Backspace, then Enter, as at a keyboard.
    const { code, screen } = await typeInTerminal(['hash-password'], env, /password \(not shown\): /, `${password}x\u007f\r`);
    expect(code, screen).toBe(0);
    expect(screen).not.toContain('horse');
    const hash = parsePasswordHash(/scrypt\$\S+/.exec(screen)?.[0] ?? '');
    expect(hash, screen).toBeDefined();
    expect(await verifyPassword(password, hash as ScryptHash)).toBe(true);
  });
});
