import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { numberFor as fedexNumber } from '../../fixtures/fedex/testing.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';

// `parcelbot import` and `parcelbot sweep`, spawned. Runs of one world are sequential: the
// embedded store is one process's at a time.

const { world, fixtures } = useCliEnvs();
/** Several spawns, each starting tsx and maybe PGlite: generous, for a loaded CI machine. */
const SLOW_MS = 150_000;

/** The `  line N: field: reason` lines of an import report, as "N field". */
function reportedProblems(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}line (\d+): (\w+): \S.*$/gm)].map((match) => `${match[1]} ${match[2]}`);
}

/** The `  <status>  <count>` lines of a sweep summary. */
function statusCounts(stdout: string): Record<string, number> {
  return Object.fromEntries([...stdout.matchAll(/^ {2}([a-z_]+) +(\d+)$/gm)].map((match) => [match[1], Number(match[2])]));
}

describe('parcelbot import', () => {
  // fixtures/imports/some-bad-rows.csv: lines 2 and 11 are good, every other one has one fault.
  const badRows = ['3 tracking_number', '4 carrier', '5 customer_email', '6 declared_value', '7 promised_date', '8 promised_to', '9 tracking_number', '10 tracking_number'];

  it('imports the good rows and lists the bad ones by line and field; --strict imports nothing', { timeout: SLOW_MS }, async () => {
    const { env } = await world();

    const strict = await runCli(['import', 'fixtures/imports/some-bad-rows.csv', '--strict'], env);
    expect(strict.code, strict.stderr).toBe(2);
    expect(strict.stdout).toMatch(/^nothing imported \(--strict\): 8 of 10 rows are bad$/m);
    expect(reportedProblems(strict.stdout)).toEqual(badRows);

    // Had --strict let line 2 through, its number (also in this file) would come back "updated".
    const valid = await runCli(['import', 'fixtures/imports/valid-shipments.csv', '--json'], env);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(valid.stdout)).toEqual({ rows: 3, inserted: 3, updated: 0, problems: [], refused: false });

    const lenient = await runCli(['import', 'fixtures/imports/some-bad-rows.csv'], env);
    expect(lenient.code, lenient.stderr).toBe(2);
    expect(lenient.stdout).toMatch(/^imported 2 of 10 rows: 1 new, 1 updated, 8 bad rows skipped$/m);
    expect(reportedProblems(lenient.stdout)).toEqual(badRows);
    expect(lenient.stdout).toMatch(/^ {2}line 4: carrier: unknown carrier "dhl-express"/m);
    expect(lenient.stderr).toBe('');
  });

  it('exit 2 with one line for a file it cannot read at all', { timeout: SLOW_MS }, async () => {
    const cases = [
      { file: 'fixtures/imports/unknown-column.csv', says: /unknown-column\.csv: unknown column "tracking": the columns are tracking_number, carrier/ },
      { file: 'fixtures/imports/no-such-file.csv', says: /no-such-file\.csv: no such file/ },
    ];
    // One world each: every import opens the (embedded) store, which one process holds at a time.
    const results = await Promise.all(cases.map((entry) => world().then(({ env }) => runCli(['import', entry.file], env))));
    cases.forEach((entry, i) => {
      const line = expectOneLineFailure(results[i]!, 2, entry.file);
      expect(line).toMatch(entry.says);
    });
  });
});

describe('output piped into a reader that leaves early', () => {
  it('ends quietly with the exit code of the command, its rows committed (parcelbot import file | head -1)', { timeout: SLOW_MS }, async () => {
    const { env, dataDir } = await world();
    const file = path.join(dataDir, 'mostly-bad.csv');
    // 1500 report lines (~150 kB) overflow a pipe's 64 kB: the import writes on after head has gone.
    const badRows = Array.from({ length: 1500 }, (_, i) => `${numberFor('in-transit')},no-such-carrier,CMD-${i}`);
    await writeFile(file, ['tracking_number,carrier,order_ref', `${numberFor('delivered')},laposte,CMD-GOOD`, ...badRows].join('\n'));

    const piped = await runCli(['import', file], env, { pipeTo: 'head -1' });
    expect(piped.stdout).toBe('imported 1 of 1501 rows: 1 new, 0 updated, 1500 bad rows skipped\n');
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(2);

    // The app was closed (the embedded store unlocked) and the good row stayed.
    const again = await runCli(['import', file, '--json'], env, { pipeTo: 'head -c 40' });
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/^\{"rows":1501,"inserted":0,"updated":1,/);
  });
});

describe('parcelbot sweep', () => {
  it('tracks every shipment due and sums them up by status; --json gives checked, byStatus, failed', { timeout: SLOW_MS }, async () => {
    const { env, dataDir } = await world();
    const file = path.join(dataDir, 'scenarios.csv');
    const scenarios = ['in-transit', 'delivered', 'held-in-customs', 'problem'];
    await writeFile(file, ['tracking_number,carrier,order_ref', ...scenarios.map((scenario, i) => `${numberFor(scenario)},laposte,CMD-${i + 1}`)].join('\n'));

    const imported = await runCli(['import', file], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('imported 4 of 4 rows: 4 new, 0 updated\n');

    const sweep = await runCli(['sweep'], env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toMatch(/^sweep \S+: 4 parcels checked, 0 failed, 0 refused$/m);
    expect(statusCounts(sweep.stdout)).toEqual({ in_transit: 1, delivered: 1, on_hold: 1, delivery_delayed: 1 });

    // Every parcel was just checked: none is due again yet, and the next sweep checks nothing.
    const json = await runCli(['sweep', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(1);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ state: 'done', trigger: 'manual', enqueued: 0, checked: 0, failed: 0, byStatus: {} });
    expect(summary.sweepId).not.toBe(/^sweep (\S+):/m.exec(sweep.stdout)?.[1]);
  });

  it('says so when no worker will check the parcels it left in a held queue (FedEx daily quota spent)', { timeout: SLOW_MS }, async () => {
    // Never waits for the hold, however near 00:00 GMT (when FedEx's quota comes back) the test runs.
    const { env, dataDir } = await world({ SWEEP_MAX_RATE_LIMIT_WAIT: '0s' });
    const file = path.join(dataDir, 'fedex.csv');
    await writeFile(file, `tracking_number,carrier,order_ref\n${fedexNumber('in-transit')},fedex,CMD-1\n`);
    expect((await runCli(['import', file], env)).code).toBe(0);
    fixtures().fedex.setFaults({ fault: 'daily-quota' });
    try {
      const sweep = await runCli(['sweep'], env);
      expect(sweep.code, sweep.stderr).toBe(0);
      expect(sweep.stdout).toMatch(/^left waiting in queues held by a rate limit \(checked once the hold lifts\): fedex 1 parcels until /m);
      expect(sweep.stderr).toMatch(/^parcelbot: no worker serves fedex now: the parcels left waiting are checked once the hold lifts only if a worker runs then/m);
    } finally {
      fixtures().fedex.setFaults({});
    }
  });
});
