import { describe, expect, it, vi } from 'vitest';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { runCli, startCli } from '../../fixtures/cli/run-cli.ts';

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

  it('Ctrl-C stops a sync before its next page (exit 1, STOPPED); the next run resumes at that page', async () => {
    // One Mirakl page every 15 s: the run waits between its pages.
    const { env } = await cli.world({ MIRAKL_RATE_LIMIT: '1/15s' });
    const { mirakl } = cli.fixtures();
    const pagesBefore = mirakl.stats().or11Queries.length;
    const sync = startCli(['sync', '--source', 'mirakl'], env);
    await vi.waitFor(() => expect(mirakl.stats().or11Queries).toHaveLength(pagesBefore + 1), { timeout: 20_000 });
    sync.signal('SIGINT');
    const stopped = await sync.exited;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(stopped.stdout).toContain('mirakl: STOPPED orders updated');
    expect(stopped.stdout).toContain('read 100 orders in 1 pages');
    expect(stopped.stdout).toContain('stopped between two pages: the next run resumes where this one stopped');
    expect(mirakl.stats().or11Queries).toHaveLength(pagesBefore + 1);

    const resumed = await runCli(['sync', '--source', 'mirakl', '--json'], { ...env, MIRAKL_RATE_LIMIT: 'off' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject([{ source: 'mirakl', outcome: 'completed', read: 153 }]);
  });

  it('refuses a source it does not know, and says when nothing is configured', async () => {
    const { env } = await cli.world();
    expect(expectOneLineFailure(await runCli(['sync', '--source', 'ebay'], env), 2, 'unknown source')).toMatch(/^parcelbot: --source: expected .*mirakl.*, all$/);
    const unconfigured = await runCli(['sync', '--source', 'mirakl'], { ...env, MIRAKL_API_URL: '' });
    expect(expectOneLineFailure(unconfigured, 2, 'not configured')).toMatch(/^parcelbot: no marketplace to sync: MIRAKL_API_URL is not set/);
  });
});
