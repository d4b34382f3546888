import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliEnv, useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { withCliApp } from '../../fixtures/cli/with-cli-app.ts';
import { systemClock } from '../infra/clock.ts';
import { openDatabase } from '../store/open-database.ts';
import { createStore } from '../store/store.ts';
import { GOOD_NUMBER, HOSTILE_NUMBERS } from '../testing/hostile-numbers.ts';
import { storedRows } from '../testing/stored-rows.ts';
import { InputError } from './cli-error.ts';
import { rulesExplainCommand } from './commands/rules-explain.ts';
import { trackCommand } from './commands/track.ts';

// Bad tracking numbers and import files through the CLI. The commands are called in-process for
// every case; the binary is spawned once per family of failure, for its exit code and its one
// line. `track` with hostile numbers is also spawned in cli.test.ts.

const { world } = useCliEnvs();
const SLOW_MS = 150_000;

async function withStore<T>(cli: CliEnv, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.dataDir, schema: cli.schema ?? 'public' });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

describe('bad tracking numbers in track and rules explain', () => {
  it('refuses each before anything is queued or opened, naming the wrong character', async () => {
    const cli = await world();
    await withCliApp(cli.env, async (app) => {
      for (const { label, number, says } of HOSTILE_NUMBERS) {
        const refusals = [trackCommand(app, number, { wait: 1 }), rulesExplainCommand(app.registry, cli.env, systemClock, number, {})];
        for (const refusal of refusals) {
          const error = await refusal.then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
          expect(error, label).toBeInstanceOf(InputError);
          expect((error as InputError).message, label).toMatch(new RegExp(`^tracking number: .*${says.source}`));
        }
      }
      expect(await app.queues.queue('laposte', 'agents').getJobCounts()).toMatchObject({ waiting: 0, active: 0, prioritized: 0 });
    });
  });
});

describe('bad input through the binary', () => {
  it('exits 2 with one line, or the bad rows by line and field, and keeps the store as it was', { timeout: SLOW_MS }, async () => {
    const cli = await world();
    const before = await withStore(cli, async (db) => {
      const store = createStore(db);
      await store.shipments.upsertMany([{ trackingNumber: GOOD_NUMBER, carrier: 'laposte', orderRef: 'CMD-1', customerLang: 'fr', destinationCountry: 'FR' }], new Date());
      const at = '2026-03-10T06:00:00+01:00';
      await store.tracking.recordSnapshot(
        { trackingNumber: GOOD_NUMBER, carrier: 'laposte', status: 'in_transit', isFinal: false, events: [{ at, code: 'ET1', label: 'En transit', status: 'in_transit', source: 'api', robot: 'laposte' }], unmappedCodes: [] },
        new Date(),
      );
      return storedRows(db);
    });
    const utf16 = path.join(cli.dataDir, 'orders-utf16.csv');
    await writeFile(utf16, Buffer.from(`tracking_number,carrier\n${GOOD_NUMBER},laposte\n`, 'utf16le'));
    const hostile = path.join(cli.dataDir, 'orders-hostile.csv');
    await writeFile(hostile, ['tracking_number,carrier,order_ref', `${GOOD_NUMBER},laposte,"CMD\u001b]0;owned\u0007"`, `6\u0410${GOOD_NUMBER.slice(2)},laposte,CMD-2`].join('\n'));

    // Neither opens the store: they may run side by side.
    const [explain, unreadable] = await Promise.all([runCli(['rules', 'explain', "'; DROP TABLE shipments;--"], cli.env), runCli(['import', utf16], cli.env)]);
    expect(expectOneLineFailure(explain, 2, 'rules explain')).toBe(`parcelbot: tracking number: expected letters A-Z and digits only, found "'" at position 1`);
    expect(expectOneLineFailure(unreadable, 2, 'UTF-16 import')).toBe(`parcelbot: ${utf16}: not a text file (it holds NUL bytes: UTF-16 or binary): save it as UTF-8 CSV or JSON`);

    const rows = await runCli(['import', hostile], cli.env);
    expect(rows.code, rows.stderr).toBe(2);
    expect(rows.stderr).toBe('');
    expect(rows.stdout).toBe(
      [
        'imported 0 of 2 rows: 0 new, 0 updated, 2 bad rows skipped',
        '  line 2: order_ref: holds the control character U+001B at position 4: remove it',
        '  line 3: tracking_number: expected letters A-Z and digits only, found U+0410 at position 2: type the number rather than paste it',
        '',
      ].join('\n'),
    );

    expect(await withStore(cli, storedRows)).toEqual(before);
  });
});
