import { afterEach, expect, it, vi } from 'vitest';
import { startTestWorld, type TestWorld } from '../testing/test-app.ts';
import { syncMarketplace } from '../marketplace/sync-marketplace.ts';
import { syncConfiguredMarketplaces } from './marketplace-sync-task.ts';

let world: TestWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('the scheduler stopping stops a sync waiting between two pages, and the next run resumes at that page', async () => {
  // One Mirakl page every 15 s in real time: the run waits between its pages.
  world = await startTestWorld({ now: '2026-03-10T09:00:00Z', env: { MIRAKL_RATE_LIMIT: '1/15s' } });
  const { mirakl } = world.fixtures;
  const stop = new AbortController();
  const syncing = syncConfiguredMarketplaces(world.app, stop.signal);
  await vi.waitFor(() => expect(mirakl.stats().or11Queries).toHaveLength(1), { timeout: 10_000 });
  stop.abort();
  expect(await syncing).toMatchObject([
    { source: 'amazon', outcome: 'completed' },
    { source: 'mirakl', outcome: 'stopped', pages: 1, read: 100 },
  ]);
  expect(mirakl.stats().or11Queries).toHaveLength(1);
  const store = await world.app.store();
  expect(await store.marketplaceSync.find('mirakl')).toMatchObject({ pageToken: '100/253' });
  // The lease was given back: the next run reads on from page 2 at once.
  const clock = world.clock;
  expect(await syncMarketplace(world.app, 'mirakl', { wait: async (ms) => clock.advance(ms) })).toMatchObject({ outcome: 'completed', read: 153 });
});
