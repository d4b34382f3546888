import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { type CliResult, runCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { redactUrl } from '../infra/redact-url.ts';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { closedPort } from '../../fixtures/testing/closed-port.ts';

// The real binary, spawned: `node bin/parcelbot.js ...`, judged by exit code, stdout and stderr.

const { world, fixtures } = useCliEnvs();
/** Several spawns, each starting tsx and maybe PGlite: generous, for a loaded CI machine. */
const SLOW_MS = 150_000;

/** The codes of a scenario's events, newest first (scenario files list them oldest first). */
function scenarioCodesNewestFirst(scenario: string): string[] {
  const file = new URL(`../../fixtures/laposte/scenarios/${scenario}.json`, import.meta.url);
  const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: { code: string }[] };
  return events.map((event) => event.code).reverse();
}

describe('parcelbot --help', () => {
  it('exits 0 and lists every command; track --help gives the exit codes', async () => {
    const { env } = await world();
    const [help, trackHelp] = await Promise.all([runCli(['--help'], env), runCli(['track', '--help'], env)]);
    expect(help.code).toBe(0);
    for (const command of ['track', 'import', 'sweep', 'worker', 'demo']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    expect(trackHelp.code).toBe(0);
    expect(trackHelp.stdout).toMatch(/0 found, 3 unknown to the carrier, 2 bad input, 1 any other failure/);
  });
});

describe('parcelbot track', () => {
  it('prints the status, the events newest first and both suggested answers; --json prints one object', { timeout: SLOW_MS }, async () => {
    const inTransit = numberFor('in-transit');
    const delivered = numberFor('delivered');
    const [text, json, done] = await Promise.all([
      world().then(({ env }) => runCli(['track', inTransit], env)),
      world().then(({ env }) => runCli(['track', inTransit, '--json'], env)),
      world().then(({ env }) => runCli(['track', delivered.toLowerCase(), '--carrier', 'LaPoste'], env)),
    ]);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${inTransit}\\s+laposte\\b`));
    expect(text.stdout).toMatch(/^status\s+in_transit\b/m);
    const lines = text.stdout.split('\n');
    const start = lines.findIndex((line) => /^events \(newest first/.test(line));
    expect(start).toBeGreaterThan(0);
    const eventLines = lines.slice(start + 1, lines.indexOf('', start));
    const events = eventLines.map((line) => /^\s+(\S+)\s+([A-Z]{2}\d)\s+(\S+)\s+\S/.exec(line));
    expect(events.every(Boolean), eventLines.join('\n')).toBe(true);
    expect(events.map((match) => match?.[2])).toEqual(scenarioCodesNewestFirst('in-transit'));
    const times = events.map((match) => Date.parse(match?.[1] ?? ''));
    expect(times.every((time, i) => !Number.isNaN(time) && (i === 0 || time < (times[i - 1] ?? 0)))).toBe(true);
    const fr = /^suggested answer \(fr\): (\S.*)$/m.exec(text.stdout)?.[1];
    const en = /^suggested answer \(en\): (\S.*)$/m.exec(text.stdout)?.[1];
    expect(fr).toBeTruthy();
    expect(en).toBeTruthy();
    expect(fr).not.toBe(en);

    expect(json.code, json.stderr).toBe(0);
    const jsonLines = json.stdout.trimEnd().split('\n');
    expect(jsonLines).toHaveLength(1);
    const body = JSON.parse(jsonLines[0] ?? '');
    expect(body).toMatchObject({
      trackingNumber: inTransit,
      carrier: 'laposte',
      status: 'in_transit',
      estimatedDelivery: { from: expect.any(String), to: expect.any(String) },
      answer: { fr, en },
    });
    for (const event of body.events) {
      expect(event).toMatchObject({ at: expect.any(String), code: expect.stringMatching(/^[A-Z]{2}\d$/), label: expect.stringMatching(/\S/), status: expect.any(String) });
    }
    expect(body.events.map((event: { code: string }) => event.code)).toEqual(scenarioCodesNewestFirst('in-transit'));
    expect(body.events[0].status).toBe('in_transit');
    const jsonTimes = body.events.map((event: { at: string }) => Date.parse(event.at));
    expect(jsonTimes).toEqual([...jsonTimes].sort((a, b) => b - a));

    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`^${delivered}\\s+laposte\\b`));
    expect(done.stdout).toMatch(/^status\s+delivered\b/m);
    expect(done.stdout).toMatch(/^delivered\s+\S/m);
  });

  it('exits 3 with one line on stderr for a number the carrier does not know', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const result = await runCli(['track', '6A99999999999'], env);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^parcelbot: 6A99999999999: unknown to laposte\b/);
  });

  it('says until when the carrier makes it wait when no answer comes in time', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    fixtures().laposte.setFaults({ fault: 'rate-limited', retryAfterSeconds: 3600 });
    try {
      const result = await runCli(['track', numberFor('in-transit'), '--wait', '5'], env);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^parcelbot: no answer within 5 s: laposte asked to wait \(rate limit\) until \d{4}-\d{2}-\d{2} \d{2}:\d{2}\b.*: the look-up stays queued as job lookup-\S+\n$/);
    } finally {
      fixtures().laposte.resetFaults();
    }
  });
});

describe('bad input', () => {
  const number = numberFor('in-transit');
  const huge = '6'.repeat(5000);
  const cases: { label: string; args: string[]; says?: RegExp; mustNotEcho?: string }[] = [
    { label: 'empty number', args: ['track', ''], says: /got nothing/ },
    { label: '5,000-character number', args: ['track', huge], says: /at most 40 characters/, mustNotEcho: '6'.repeat(41) },
    { label: 'HTML', args: ['track', '<script>alert(1)</script>'], mustNotEcho: '<script>' },
    { label: 'SQL injection', args: ['track', "1'; DROP TABLE shipments;--"], mustNotEcho: 'DROP' },
    { label: 'Cyrillic look-alike', args: ['track', '6\u041012345678901'], mustNotEcho: '\u0410' },
    { label: 'fullwidth digits', args: ['track', '６Ａ１２３４５６７８９０１'], mustNotEcho: '６' },
    { label: 'unknown carrier', args: ['track', number, '--carrier', 'nope'], says: /--carrier: unknown carrier "nope": expected one of .*\blaposte\b/ },
    { label: 'robot that tracks nothing', args: ['track', number, '--carrier', 'seller-portal'], says: /--carrier: seller-portal tracks no parcels: expected one of .*\brelay-portal\b/ },
    { label: 'La Poste number of the wrong length', args: ['track', '6A123', '--carrier', 'laposte'], says: /La Poste numbers have 11 to 15/ },
    { label: 'missing argument', args: ['track'], says: /missing required argument 'number'/ },
    { label: 'huge --wait', args: ['track', number, '--wait', '9'.repeat(5000)], says: /--wait/, mustNotEcho: '9'.repeat(41) },
    // Past 2^31-1 ms Node's timer fires at once: the look-up would give up before it started.
    { label: '--wait past a day', args: ['track', number, '--wait', '2147484'], says: /--wait <seconds>.*expected a whole number from 1 to 86400/ },
    { label: '--limit past a bigint', args: ['sweeps', '--limit', '1e23'], says: /--limit <n>.*expected a whole number from 1 to 10000/ },
    { label: '--concurrency past WORKER_CONCURRENCY\'s bound', args: ['worker', '--concurrency', '501'], says: /--concurrency <n>.*expected a whole number from 1 to 500/ },
  ];

  it('exits 2 with one short parcelbot: line, no stack trace and no echo of what was typed', async () => {
    const { env } = await world();
    const results = await Promise.all(cases.map((entry) => runCli(entry.args, env)));
    cases.forEach((entry, i) => {
      const result = results[i] as CliResult;
      const line = expectOneLineFailure(result, 2, entry.label);
      expect(line.length, `${entry.label}: line length`).toBeLessThan(300);
      if (entry.says) expect(line, entry.label).toMatch(entry.says);
      if (entry.mustNotEcho) expect(result.stderr, `${entry.label}: echo`).not.toContain(entry.mustNotEcho);
    });
  });
});

describe('configuration errors', () => {
  const key = 'sk-LEAKCHECK-7f3a91c2e5';
  const cases: { variable: string; env: Record<string, string>; secret?: string }[] = [
    { variable: 'LAPOSTE_API_URL', env: { LAPOSTE_API_URL: 'not-a-url' } },
    { variable: 'WORKER_CONCURRENCY', env: { WORKER_CONCURRENCY: 'abc' } },
    { variable: 'DATABASE_URL', env: { DATABASE_URL: 'mysql://admin:hunter2-db-secret@db.internal/shop' }, secret: 'hunter2-db-secret' },
    { variable: 'LOG_LEVEL', env: { LOG_LEVEL: 'loud' } },
    { variable: 'WORKER_CONCURRENCY', env: { LAPOSTE_API_KEY: key, WORKER_CONCURRENCY: 'abc' }, secret: key },
    { variable: 'LAPOSTE_API_KEY', env: { LAPOSTE_API_KEY: `${key} pasted twice ${key}` }, secret: key },
    // ioredis would SELECT NaN (an uncaught error), or fail to decode the password ("URI malformed").
    { variable: 'REDIS_URL', env: { REDIS_URL: 'redis://127.0.0.1:6379/abc' } },
    { variable: 'REDIS_URL', env: { REDIS_URL: 'redis://:s3cret%zz-LEAKCHECK@127.0.0.1:6379' }, secret: 's3cret' },
    { variable: 'DATABASE_URL', env: { DATABASE_URL: 'postgres://app:s3cret%zz-LEAKCHECK@127.0.0.1:5432/parcelbot' }, secret: 's3cret' },
  ];

  it('exit 2 with one line naming the variable, never its value', async () => {
    // Nothing here gets as far as the store: one world will do.
    const { env } = await world();
    const results = await Promise.all(cases.map((entry) => runCli(['track', numberFor('in-transit')], { ...env, ...entry.env })));
    cases.forEach((entry, i) => {
      const result = results[i] as CliResult;
      const line = expectOneLineFailure(result, 2, entry.variable);
      expect(line).toMatch(new RegExp(`^parcelbot: ${entry.variable}: \\S`));
      for (const value of [entry.secret, ...Object.values(entry.env)]) {
        if (value && value.length > 4) expect(result.stderr, `${entry.variable} echoes its value`).not.toContain(value);
      }
    });
  });
});

describe('a data dir that cannot hold the store', () => {
  it('exit 2 with one line naming PARCELBOT_DATA_DIR, for a file at that path or above it', { timeout: SLOW_MS }, async () => {
    const { env, dataDir } = await world();
    // The data dir holds the embedded store: on the PostgreSQL pass too, this command opens PGlite.
    const { DATABASE_URL: _usesTheEmbeddedStore, ...embedded } = env;
    const file = path.join(dataDir, 'not-a-dir');
    await writeFile(file, '');
    const results = await Promise.all([file, path.join(file, 'below')].map((dir) => runCli(['sweeps'], { ...embedded, PARCELBOT_DATA_DIR: dir })));
    for (const [i, dir] of [file, path.join(file, 'below')].entries()) {
      expect(expectOneLineFailure(results[i] as CliResult, 2, dir)).toBe(
        `parcelbot: PARCELBOT_DATA_DIR: ${dir} is not a directory (a file stands at that path or above it): point it at a directory this user can create or write`,
      );
    }
  });
});

describe('carrier faults', () => {
  it('exit 1 with one line when the carrier is unreachable or refuses the key, which is never shown', { timeout: SLOW_MS }, async () => {
    const port = await closedPort();
    const wrongKey = 'wrong-key-LEAKCHECK-91xq';
    const [unreachable, refused] = await Promise.all([
      world({ LAPOSTE_API_URL: `http://127.0.0.1:${port}/laposte`, TRACK_ATTEMPTS: '2', TRACK_BACKOFF_MS: '10' }).then(({ env }) =>
        runCli(['track', numberFor('in-transit')], env),
      ),
      world({ LAPOSTE_API_KEY: wrongKey }).then(({ env }) => runCli(['track', numberFor('in-transit')], env)),
    ]);

    const cannotReach = expectOneLineFailure(unreachable, 1, 'unreachable');
    expect(cannotReach).toMatch(new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}`));

    const noEntry = expectOneLineFailure(refused, 1, 'wrong key');
    expect(noEntry).toMatch(/credentials/);
    expect(refused.stderr + refused.stdout).not.toContain(wrongKey);
  });
});

describe('infrastructure faults', () => {
  it('exit 1 with one line when REDIS_URL does not answer, without showing its password', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ REDIS_URL: 'redis://parcelbot:hunter2-LEAKCHECK@127.0.0.1:1', LOG_LEVEL: 'info' });
    const result = await runCli(['track', numberFor('in-transit')], env);
    const line = expectOneLineFailure(result, 1, 'redis down');
    expect(line).toBe('parcelbot: Redis at redis://***@127.0.0.1:1 does not answer: check REDIS_URL, or unset it to use a local Redis');
  });

  it('exit 1 with one line when Redis refuses the database REDIS_URL names, rather than writing to database 0', { timeout: SLOW_MS }, async () => {
    const url = new URL(TEST_REDIS_URL);
    url.pathname = '/99';
    const { env } = await world({ REDIS_URL: url.href, LOG_LEVEL: 'info' });
    const line = expectOneLineFailure(await runCli(['track', numberFor('in-transit')], env), 1, 'redis database refused');
    expect(line).toBe(`parcelbot: Redis at ${redactUrl(url.href)} refuses database 99 (ERR DB index is out of range): check REDIS_URL`);
  });

  it('exit 1 with one line naming DATABASE_URL when PostgreSQL does not answer, without showing its password', { timeout: SLOW_MS }, async () => {
    const port = await closedPort();
    const { env } = await world({ DATABASE_URL: `postgres://parcelbot:hunter2-LEAKCHECK@127.0.0.1:${port}/parcelbot`, PARCELBOT_DB_SCHEMA: 'never_created' });
    const line = expectOneLineFailure(await runCli(['sweeps'], env), 1, 'postgres down');
    expect(line).toBe(`parcelbot: PostgreSQL at postgres://***@127.0.0.1:${port}/parcelbot: connection refused: check DATABASE_URL, or unset it to use the embedded store`);
  });
});
