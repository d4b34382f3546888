import { describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { startCli } from '../../fixtures/cli/run-cli.ts';
import { withCliApp } from '../../fixtures/cli/with-cli-app.ts';
import { decisionOf, storedShipment } from '../../fixtures/testing/follow-ups.ts';

// A `parcelbot worker` killed (SIGKILL) after the OMS made a reshipment and before the job was
// recorded done; a second worker takes the job up. The store is read only while no worker holds
// it: this process proposes the follow-up and lets go of the store before the first worker
// starts, and reads the outcome after the second one stopped. So the same test runs on the
// embedded PGlite store (one process at a time, the killed worker's lock is stale) and on
// PostgreSQL (DATABASE_URL). Job states are read from Redis meanwhile, which never locks.

const { world, fixtures } = useCliEnvs();
const SLOW_MS = 240_000;

describe('a worker killed between the OMS call and the job completion', () => {
  it('is replaced by a worker that asks the OMS by idempotency key: one reshipment, one POST, one audit trail', { timeout: SLOW_MS }, async () => {
    // Lock and stalled check every second: the killed worker's job is back in the queue within seconds.
    const { env } = await world({ FOLLOWUP_LOCK_MS: '1000' });
    const oms = fixtures().oms;
    oms.reset();

    const followUp = await withCliApp(env, async (app) => {
      const shipment = await storedShipment(await app.store(), app.clock.now());
      return (await app.followUps.propose(shipment, decisionOf('reshipment'))).followUp;
    });

    await withCliApp(env, async (app) => {
      const state = async () => (await app.followUps.queue.queue.getJob(followUp.id))?.getState();
      // The OMS makes the order and holds its answer: the worker is killed waiting for it.
      oms.holdNext('POST /reshipments');
      const first = startCli(['worker', '--concurrency', '1'], env, { timeoutMs: 200_000 });
      await expect.poll(() => oms.stats().heldAnswers, { timeout: 120_000, interval: 100 }).toBe(1);
      expect(oms.stats().reshipmentsCreated).toBe(1);
      first.signal('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(await state()).toBe('active');

      const second = startCli(['worker', '--concurrency', '1'], env, { timeoutMs: 200_000 });
      await expect.poll(state, { timeout: 120_000, interval: 200 }).toBe('completed');
      second.signal('SIGTERM');
      const stopped = await second.exited;
      expect(stopped.code, stopped.stderr).toBe(0);
    });

    expect(oms.stats()).toMatchObject({ reshipmentsCreated: 1, replays: 0, byRoute: { 'POST /reshipments': 1, 'GET /reshipments?idempotencyKey': 1 } });
    await withCliApp(env, async (app) => {
      const record = await app.followUps.get(followUp.id);
      expect(record?.followUp).toMatchObject({ state: 'done', result: { references: { orderRef: 'RS-100001' } } });
      const events = record?.audit.map((entry) => entry.event) ?? [];
      expect(events).toEqual(['proposed', 'approved_automatically', 'started', 'effect_started', 'resumed', 'effect_done', 'done']);
      expect(record?.audit.find((entry) => entry.event === 'effect_done')?.details).toMatchObject({ by: 'reconcile' });
      expect(record?.effects).toEqual([expect.objectContaining({ key: `${followUp.id}-oms-reshipment`, state: 'done', response: { orderRef: 'RS-100001', status: 'created' } })]);
      expect(await (await app.store()).reshipments.forFollowUp(followUp.id)).toMatchObject({ orderRef: 'RS-100001', state: 'ordered' });
    });
  });
});
