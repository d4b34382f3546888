import { describe, expect, it } from 'vitest';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';

const cli = useCliEnvs();

describe('parcelbot sync', () => {
  it('syncs Mirakl and prints the counts and the bad orders; a second run reads nothing new', async () => {
    const { env } = await cli.world({ MIRAKL_RATE_LIMIT: 'off' });
    const first = await runCli(['sync', '--source', 'mirakl'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('mirakl: synced orders updated');
    expect(first.stdout).toContain('read 253 orders in 3 pages: 245 shipments created, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('2 awaiting shipment, 1 cancelled, 0 with no shipment of that order, 5 bad');
    expect(first.stdout).toContain('bad order MK-10007-A: unknown carrier code "COLISPRIVE"');
    expect(first.stdout).not.toMatch(/@/);

    const second = await runCli(['sync', '--source', 'mirakl', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject([{ source: 'mirakl', outcome: 'completed', read: 0, created: 0 }]);
  });

  it('refuses a source it does not know, and says when nothing is configured', async () => {
    const { env } = await cli.world();
    expect(expectOneLineFailure(await runCli(['sync', '--source', 'ebay'], env), 2, 'unknown source')).toMatch(/^parcelbot: --source: expected .*mirakl.*, all$/);
    const unconfigured = await runCli(['sync', '--source', 'mirakl'], { ...env, MIRAKL_API_URL: '' });
    expect(expectOneLineFailure(unconfigured, 2, 'not configured')).toMatch(/^parcelbot: no marketplace to sync: MIRAKL_API_URL is not set/);
  });
});
