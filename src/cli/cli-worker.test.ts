import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { mkdir, readdir } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { loadDemoParcels } from '../../fixtures/demo/demo-parcels.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { groupAlive, runCli, startCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { cpusOf } from '../infra/background-cpus.ts';
import { createApp } from '../main.ts';
import { BACKGROUND_NICENESS } from '../infra/background-priority.ts';

// The long-running `parcelbot worker` and the self-contained `parcelbot demo`, spawned.

const { world } = useCliEnvs();
/** Several spawns, each starting tsx and maybe PGlite: generous, for a loaded CI machine. */
const SLOW_MS = 150_000;
const onPostgres = Boolean(process.env.DATABASE_URL);

/** pino's JSON lines among what a process wrote on stderr. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('parcelbot worker', () => {
  it('answers a track through the queue, holds the embedded store, and stops on SIGTERM with exit 0', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const worker = startCli(['worker', '--concurrency', '2'], { ...env, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, { timeoutMs: 140_000 });
    await worker.waitForStderr(/^parcelbot worker: working .*\btrack-laposte\b/m);

    // With PGlite the worker holds the data dir: this track can only succeed if the worker answers it.
    const track = await runCli(['track', numberFor('in-transit'), '--json'], env);
    expect(track.code, track.stderr).toBe(0);
    expect(JSON.parse(track.stdout)).toMatchObject({ trackingNumber: numberFor('in-transit'), carrier: 'laposte', status: 'in_transit' });
    const done = logLines(worker.stderr()).filter((line) => line.msg === 'track job done');
    expect(done).toEqual([expect.objectContaining({ robot: 'laposte', origin: 'agent', jobId: expect.stringMatching(/^lookup-/) })]);

    if (!onPostgres) {
      const busy = expectOneLineFailure(await runCli(['import', 'fixtures/imports/valid-shipments.csv'], env), 1, 'import while the worker runs');
      expect(busy).toContain(`is open in process ${worker.pid}`);
      expect(busy).toMatch(/stop that process, or set DATABASE_URL/);
    }

    const stopping = Date.now();
    worker.signal('SIGTERM');
    const stopped = await worker.exited;
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe('');
    expect(await waitUntil(() => !groupAlive(worker.pid), 2000)).toBe(true);
  });

  // The CPUs this test's processes may use; a background worker leaves the last one to agents while they look parcels up (BACKGROUND_CPUS=auto).
  const cpus = allowedCpus(process.pid);
  const allButLast = cpus.length > 1 ? cpus.slice(0, -1) : cpus;
  /** Whether every thread of the process may run on exactly `expected`. */
  const onCpus = (pid: number, expected: number[]): boolean => readdirSync(`/proc/${pid}/task`).every((thread) => allowedCpus(pid, Number(thread)).join() === expected.join());

  it.each([
    ['agents', 'by default', /^lookup-[a-z-]+$/, 0, {}, cpus],
    // No agent has looked a parcel up yet: every CPU (the next test follows one).
    ['background', 'by default', /^(track-[a-z-]+|followups)$/, BACKGROUND_NICENESS, {}, cpus],
    ['background', 'BACKGROUND_CPUS=all', /^(track-[a-z-]+|followups)$/, BACKGROUND_NICENESS, { BACKGROUND_CPUS: 'all' }, cpus],
  ] as const)('--lane %s (%s) works only its queues, at its niceness, on its CPUs', { timeout: SLOW_MS }, async (lane, _setting, queueName, niceness, settings, expectedCpus) => {
    const { env } = await world();
    const worker = startCli(['worker', '--lane', lane], { ...env, ...settings }, { timeoutMs: 140_000 });
    const working = /^parcelbot worker: working (.*) \(Ctrl-C to stop\)$/m;
    await worker.waitForStderr(working);
    const queues = (working.exec(worker.stderr())?.[1] ?? '').split(', ');
    expect(queues).toContain(lane === 'agents' ? 'lookup-laposte' : 'track-laposte');
    for (const name of queues) expect(name).toMatch(queueName);
    expect(getPriority(worker.pid)).toBe(niceness);
    // Every thread of it (Linux's niceness is a thread's): the garbage collector's and compiler's too.
    expect(new Set(threadNicenesses(worker.pid))).toEqual(new Set([niceness]));
    // Every thread again: Linux keeps CPU affinity per thread too.
    for (const thread of readdirSync(`/proc/${worker.pid}/task`)) expect(allowedCpus(worker.pid, Number(thread))).toEqual(expectedCpus);
    worker.signal('SIGTERM');
    const stopped = await worker.exited;
    expect(stopped.code, `${stopped.signal} ${stopped.stderr}`).toBe(0);
  });

  it.skipIf(cpus.length < 2)('--lane background (by default) leaves the last CPU to agents from their look-up until AGENTS_AWAY_AFTER after it', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const worker = startCli(['worker', '--lane', 'background'], { ...env, AGENTS_AWAY_AFTER: '3s' }, { timeoutMs: 140_000 });
    await worker.waitForStderr(/^parcelbot worker: working /m);
    expect(onCpus(worker.pid, cpus)).toBe(true);
    // An agent's look-up asked in another process, as the API's or the CLI's would be: nobody
    // answers it here (no agents' worker), what matters is that it was asked.
    const desk = await createApp({ env: { ...env, LOG_LEVEL: 'silent' } });
    const askedAt = Date.now();
    try {
      await desk.queues.addAgentLookup('laposte', numberFor('in-transit'), 'test-agent');
    } finally {
      await desk.close();
    }
    expect(await waitUntil(() => onCpus(worker.pid, allButLast), 10_000)).toBe(true);
    // Back on every CPU once no look-up came for AGENTS_AWAY_AFTER, not before.
    expect(await waitUntil(() => onCpus(worker.pid, cpus), 20_000)).toBe(true);
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(2900);
    worker.signal('SIGTERM');
    const stopped = await worker.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
  });

  it('refuses BACKGROUND_CPUS naming a CPU this machine does not give it, with one line', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const missing = (cpus.at(-1) ?? 0) + 1;
    const refused = await runCli(['worker', '--lane', 'background'], { ...env, BACKGROUND_CPUS: `0,${missing}` });
    expect(expectOneLineFailure(refused, 2, 'a CPU it does not have')).toBe(
      `parcelbot: BACKGROUND_CPUS=0,${missing}: CPU ${missing} is not among this process's CPUs (${cpus.join(',')}); choose among them, or set BACKGROUND_CPUS=all`,
    );
  });
});

/** The CPUs a process's thread (its main one by default) may run on, from /proc. */
function allowedCpus(pid: number, thread = pid): number[] {
  return cpusOf(/Cpus_allowed_list:\s+(\S+)/.exec(readFileSync(`/proc/${pid}/task/${thread}/status`, 'utf8'))?.[1] ?? '');
}

/** The niceness of each thread of a process, from /proc (field 19 of a thread's stat). */
function threadNicenesses(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((thread) => {
    const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('parcelbot demo', () => {
  // 50 La Poste parcels at first; every carrier added brings its own (fixtures/demo/parcels.json).
  const parcels = loadDemoParcels().length;

  it('runs the whole loop on every demo parcel, exits 0 and leaves no process behind', { timeout: SLOW_MS }, async () => {
    const { dataDir, env } = await world();
    const { DATABASE_URL: _ignoredByTheDemo, ...demoEnv } = env;
    // Chromium (the relay portal's robot) keeps its profile under TMPDIR: under the data dir,
    // its command line names the data dir too, so the process check below covers it.
    const tmp = path.join(dataDir, 'tmp');
    await mkdir(tmp);
    const demo = startCli(['demo'], { ...demoEnv, TMPDIR: tmp, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, { timeoutMs: 60_000 });
    const result = await demo.exited;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^tracking number +product +scenario +channel +status\b/m);
    expect(parcels).toBeGreaterThanOrEqual(50);
    expect(result.stdout).toMatch(new RegExp(`^imported ${parcels} demo orders from `, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^sweep \\S+: ${parcels} parcels checked, 0 failed, 0 refused$`, 'm'));
    expect(result.stdout.match(/^[0-9A-Z]{8,40} {2}/gm)).toHaveLength(parcels);
    // Read in a browser from the relay carrier's portal.
    expect(result.stdout).toMatch(/^RP4629183056 +Relay Max +collected +web +delivered\b/m);
    expect(result.stdout).toMatch(/^RP5718302945 +Relay Max +lost +web +lost +carrier_parcel_lost +lost_suspected\b/m);
    expect(result.stderr).not.toMatch(/browser disconnected/);
    // The default rules acted on the late parcels: follow-ups made against the simulators, some done.
    expect(result.stdout).toMatch(/^follow-ups decided by the rules: [1-9]\d*$/m);
    expect(result.stdout).toMatch(/^ +[1-9]\d* +reshipment done$/m);
    expect(result.stdout).toMatch(/^ +[1-9]\d* +customer email done$/m);
    // Marketplace orders are refunded through Mirakl, whose simulator holds the demo's orders; only
    // Amazon orders' refunds fail (the Amazon robot does not refund: an exception for a person). How
    // many the rules refund depends on the day the demo runs (its parcels' promises follow today).
    expect(result.stdout).toMatch(/^ +[1-9]\d* +refund done$/m);
    const refundsFailed = Number(/^ +(\d+) +refund failed$/m.exec(result.stdout)?.[1] ?? 0);
    expect(refundsFailed).toBe(result.stderr.match(/"msg":"the amazon robot cannot refund: /g)?.length ?? 0);
    // The command it gives for the cases waiting for a manager lists them, from the demo's own store.
    const [, waiting, demoDir] = /^(\d+) wait for a manager's approval: PARCELBOT_DATA_DIR=(\S+) parcelbot followups --state awaiting_approval$/m.exec(result.stdout) ?? [];
    expect(demoDir, result.stdout).toBe(path.join(dataDir, 'demo'));
    const listed = await runCli(['followups', '--state', 'awaiting_approval', '--json'], { ...demoEnv, PARCELBOT_DATA_DIR: demoDir! });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(Number(waiting));

    // The simulators and the store live in the demo's process, a private Redis would be its
    // child: none of them may outlive it.
    expect(await waitUntil(() => !groupAlive(demo.pid), 2000)).toBe(true);
    const commandLines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(commandLines).not.toContain(dataDir);
    expect((await readdir(tmp)).filter((name) => name.startsWith('playwright'))).toEqual([]);
  });
});
