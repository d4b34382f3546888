import { afterEach, describe, expect, it } from 'vitest';
import { startTestWorld, type TestWorld } from '../testing/test-app.ts';
import { syncMarketplace } from './sync-marketplace.ts';

const START = '2026-03-10T09:00:00Z';
let world: TestWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A world whose waits move its clock: a test never sleeps, and the simulators see the time pass. */
async function start(env: Record<string, string> = {}) {
  world = await startTestWorld({ now: START, env: { MIRAKL_RATE_LIMIT: 'off', ...env } });
  const { clock } = world;
  const waits: number[] = [];
  const wait = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  return { world, waits, sync: () => syncMarketplace(world!.app, 'mirakl', { wait }) };
}

describe('the Mirakl sync', () => {
  it('reads every page of the orders changed since the look-back and turns shipped ones into shipments', async () => {
    const { world, sync } = await start();
    const report = await sync();
    console.log(JSON.stringify(report, null, 1));
    expect(report.outcome).toBe('completed');
  });
});
