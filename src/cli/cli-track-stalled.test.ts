import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { startCli } from '../../fixtures/cli/run-cli.ts';
import { withCliApp } from '../../fixtures/cli/with-cli-app.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';

// `parcelbot worker` processes killed (SIGKILL) while their track job waits for La Poste, held
// by the simulator. With TRACK_LOCK_MS=1000 the job's lock lapses a second after the kill and the
// next worker takes the job up. The store is read while no worker holds it (PGlite or PostgreSQL).

const { world, fixtures } = useCliEnvs();
const SLOW_MS = 240_000;
const NUMBER = numberFor('in-transit');

/** One shipment, and a sweep job checking it; returns the job's id. */
async function queueOneCheck(env: Record<string, string>): Promise<string> {
  return withCliApp(env, async (app) => {
    await (await app.store()).shipments.upsertMany([{ trackingNumber: NUMBER, carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' }], app.clock.now());
    const [job] = await app.queues.addSweepBatches('stalled', [{ carrier: 'laposte', trackingNumbers: [NUMBER] }], 0);
    return job!.id!;
  });
}

/** Starts a worker, waits until its call to La Poste is under way (held), and kills it. */
async function killMidCall(env: Record<string, string>): Promise<void> {
  const calls = fixtures().laposte.stats().totalCalls;
  const worker = startCli(['worker', '--concurrency', '1'], env, { timeoutMs: 120_000 });
  await expect.poll(() => fixtures().laposte.stats().totalCalls, { timeout: 100_000, interval: 50 }).toBeGreaterThan(calls);
  worker.signal('SIGKILL');
  expect((await worker.exited).signal).toBe('SIGKILL');
}

/** Starts a worker and waits until the job has settled (completed or failed), then stops it. */
async function settle(env: Record<string, string>, jobId: string): Promise<string | undefined> {
  return withCliApp(env, async (app) => {
    const state = async () => (await app.queues.queue('laposte', 'background').getJob(jobId))?.getState();
    const worker = startCli(['worker', '--concurrency', '1'], env, { timeoutMs: 150_000 });
    await expect.poll(state, { timeout: 120_000, interval: 200 }).toMatch(/^(completed|failed)$/);
    worker.signal('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    return state();
  });
}

describe('a worker killed with a track job in hand', () => {
  it('leaves the job to the next worker, which checks the parcel', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ TRACK_LOCK_MS: '1000' });
    fixtures().laposte.reset();
    const jobId = await queueOneCheck(env);
    fixtures().laposte.setFaults({ latencyMs: 100_000 });
    await killMidCall(env);
    fixtures().laposte.resetFaults();

    expect(await settle(env, jobId)).toBe('completed');
    await withCliApp(env, async (app) => {
      const store = await app.store();
      expect((await store.shipments.find('laposte', NUMBER))?.lastCheckedAt).toBeDefined();
      expect(await store.exceptions.listForShipment((await store.shipments.find('laposte', NUMBER))!.id)).toEqual([]);
    });
  });

  it('gives up on a job whose workers died four times: its parcel gets an exception saying so, not silence', { timeout: SLOW_MS }, async () => {
    const { env } = await world({ TRACK_LOCK_MS: '1000' });
    fixtures().laposte.reset();
    const jobId = await queueOneCheck(env);
    fixtures().laposte.setFaults({ latencyMs: 100_000 });
    for (let kill = 0; kill < 4; kill++) await killMidCall(env);

    expect(await settle(env, jobId)).toBe('failed');
    fixtures().laposte.resetFaults();
    await withCliApp(env, async (app) => {
      const store = await app.store();
      const shipment = await store.shipments.find('laposte', NUMBER);
      expect(await store.exceptions.listForShipment(shipment!.id)).toEqual([
        expect.objectContaining({ code: 'UNEXPECTED_ERROR', message: 'workers stopped 4 times while checking these parcels: the job is not taken up again' }),
      ]);
    });
  });
});
