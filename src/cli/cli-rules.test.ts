import { describe, expect, it } from 'vitest';
import { type CliEnv, useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { scan } from '../../fixtures/rules/testing.ts';
import { DEFAULT_RULES_FILE } from '../rules/load-rules.ts';
import { openDatabase } from '../store/open-database.ts';
import { createStore } from '../store/store.ts';

// `parcelbot rules check` and `parcelbot rules explain`, spawned. Runs of one world are
// sequential: the embedded store is one process's at a time.

const { world } = useCliEnvs();
const SLOW_MS = 150_000;
const MISTAKES = 'fixtures/rules/several-mistakes.yaml';
const NUMBER = '6A12345678901';

describe('parcelbot rules check', () => {
  it('says ok with the number of rules for the default file, and for a good custom one', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const [configured, named] = await Promise.all([runCli(['rules', 'check'], env), runCli(['rules', 'check', 'fixtures/rules/valid-marketplace-rules.yaml'], env)]);
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.stdout).toBe(`ok: 12 rules in ${DEFAULT_RULES_FILE}\n`);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toBe('ok: 2 rules in fixtures/rules/valid-marketplace-rules.yaml\n');
  });

  it('prints every problem as file:line:col and exits 2; the configured file (PARCELBOT_RULES) by default', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ PARCELBOT_RULES: MISTAKES });
    const [configured, named] = await Promise.all([runCli(['rules', 'check'], env), runCli(['rules', 'check', MISTAKES], { ...env, PARCELBOT_RULES: '' })]);
    for (const result of [configured, named]) {
      expect(result.code, result.stderr).toBe(2);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(14);
      for (const line of lines) expect(line).toMatch(new RegExp(`^${MISTAKES}:\\d+:\\d+: \\S`));
      expect(lines[1]).toBe(`${MISTAKES}:9:16: rules[0].when.trigger: "chek" is not a trigger: expected one of lookup, check, sweep`);
      expect(result.stderr).toBe(`parcelbot: 14 problems in ${MISTAKES}\n`);
    }
  });

  it('stops every other command at start on a bad rules file, in one line, exit 2', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ PARCELBOT_RULES: MISTAKES });
    const result = await runCli(['codes', '--unmapped'], env);
    expect(expectOneLineFailure(result, 2, 'codes with bad rules')).toMatch(
      new RegExp(`^parcelbot: ${MISTAKES}:4:30: carriers\\.laposte\\.scan_gap_hours: expected hours: a number above 0 \\(and 13 more: run parcelbot rules check ${MISTAKES}\\)$`),
    );
  });
});

/** A stored parcel: imported from an order file, then two scans and one agent look-up, written to the CLI's store. */
async function storeLateParcel(cli: CliEnv): Promise<void> {
  const imported = await runCli(['import', 'fixtures/rules/late-parcel.csv'], cli.env);
  expect(imported.code, imported.stderr).toBe(0);
  const db = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.dataDir, schema: cli.schema ?? 'public' });
  try {
    const store = createStore(db);
    const events = [scan('2026-05-21T06:40:00+02:00'), scan('2026-05-19T08:10:00+02:00', 'picked_up')];
    await store.tracking.recordSnapshot({ trackingNumber: NUMBER, carrier: 'laposte', status: 'in_transit', events, isFinal: false, unmappedCodes: [] }, new Date('2026-05-21T07:00:00Z'));
    await store.lookups.start({ jobId: 'lookup-1', trackingNumber: NUMBER, carrier: 'laposte', requestedBy: 'agent-7', requestedAt: new Date('2026-05-20T08:00:00Z') });
  } finally {
    await db.close();
  }
}

describe('parcelbot rules explain', () => {
  it('prints the verdict and every rule, matched or not and why, and the decisions with their times', { timeout: SLOW_MS }, async () => {
    const cli = await world();
    await storeLateParcel(cli);

    const check = await runCli(['rules', 'explain', NUMBER, '--at', '2026-05-26T09:00:00+02:00'], cli.env);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^verdict {4}late\n {11}Promised by Friday 22 May 2026 and not delivered: 1 business day late\.$/m);
    expect(check.stdout).toMatch(/^contacts {3}1 \(first 2026-05-20T10:00:00\+02:00\)$/m);
    expect(check.stdout).toMatch(/^reships {4}none$/m);
    expect(check.stdout).toMatch(/^no {7}lookup-check-after-promise: .*\n {11}no {3}trigger: trigger is check, not lookup$/m);
    expect(check.stdout).toMatch(/^MATCHED {2}not-delivered-reship: /m);
    expect(check.stdout).toMatch(/^ {11}yes {2}not: none of these holds: declared value 89\.90 EUR: not below AUTO_REFUND_MAX \(30\)$/m);
    expect(check.stdout).toMatch(/^MATCHED {2}not-delivered-reship: .*\n(?: {11}yes .*\n)* {11}yes {2}unless: not all of these hold: verdict is late; 1 business day since the promise: not below 1$/m);
    const decisions = check.stdout.slice(check.stdout.indexOf('\ndecisions'));
    expect(decisions.trim().split('\n')).toEqual([
      'decisions (3):',
      '  not-delivered-reship: reshipment {"reason":"not_delivered"} at now: Not delivered (late): a replacement is sent.',
      '  not-delivered-reship: customer_email {"template":"reshipped","after":"reshipment"} at now: The customer is told a replacement is on its way, once it is ordered.',
      '  claim-late: carrier_claim {"type":"late"} at now: Not delivered by 2026-05-22 (business days late: 1); a delay claim is filed with laposte.',
    ]);

    const lookup = await runCli(['rules', 'explain', NUMBER.toLowerCase(), '--at', '2026-05-20T10:00:00+02:00', '--trigger', 'lookup', '--json'], cli.env);
    expect(lookup.code, lookup.stderr).toBe(0);
    const body = JSON.parse(lookup.stdout);
    expect(body).toMatchObject({ trackingNumber: NUMBER, carrier: 'laposte', trigger: 'lookup', verdict: { verdict: 'on_time', promisedBy: '2026-05-22' }, contacts: { count: 1 }, reshipments: [] });
    expect(body.decisions).toEqual([
      { ruleId: 'lookup-check-after-promise', action: 'check', params: {}, at: '2026-05-26T07:00:00.000Z', reason: 'Check that the parcel was delivered by the business day after the promise.' },
    ]);
    expect(body.trace).toHaveLength(12);
    expect(body.trace[0]).toMatchObject({ ruleId: 'lookup-check-after-promise', matched: true, matchers: [{ matcher: 'trigger', matched: true }, { matcher: 'verdict', matched: true }] });
  });

  it('refuses a number not in the store, a bad --at and a bad --trigger with exit 2 and one line', { timeout: SLOW_MS }, async () => {
    const { env } = await world();
    const unknown = await runCli(['rules', 'explain', '6A99999999999'], env);
    expect(expectOneLineFailure(unknown, 2, 'unknown number')).toBe('parcelbot: 6A99999999999: no shipment with this number in the store: import it first (parcelbot import)');
    const [badAt, badTrigger] = await Promise.all([
      runCli(['rules', 'explain', NUMBER, '--at', 'next tuesday'], env),
      runCli(['rules', 'explain', NUMBER, '--trigger', 'cron'], env),
    ]);
    expect(expectOneLineFailure(badAt, 2, '--at')).toMatch(/^parcelbot: --at: expected an ISO 8601 time with its offset/);
    expect(expectOneLineFailure(badTrigger, 2, '--trigger')).toBe('parcelbot: --trigger: expected one of lookup, check, sweep');
  });
});
