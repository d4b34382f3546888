import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executorContextOf, followUpOf } from '../../../fixtures/testing/follow-up-context.ts';
import { decisionOf, jobOutcome, startFollowUpWorld, storedShipment } from '../../../fixtures/testing/follow-ups.ts';
import { delayedJobIds, promoteDelayed, settle } from '../../../fixtures/testing/queue-clock.ts';
import type { ShipmentInput } from '../../domain/shipment.ts';
import type { TestWorld } from '../../testing/test-app.ts';
import { createStoreDocumentSink } from '../store-document-sink.ts';
import { createCarrierClaimExecutor } from './carrier-claim-executor.ts';
import { CLAIM_RIVAL_WAIT_MS, startClaim } from './claim-guard.ts';
import { loadClaimWindows } from './claim-windows.ts';

/**
 * A parcel has one open claim with its carrier (claim-guard.ts): its claim follow-ups run one at
 * a time, so two taken up at the same moment cannot both find no claim open and both file.
 */
describe('one claim at a time per parcel', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startFollowUpWorld();
  });
  afterEach(async () => world.close());

  const store = () => world.app.store();
  /** A late La Poste parcel of 59.90 EUR (no approval needed), promised on 6 March: loss and delay claims are within their windows. */
  const parcel = async (overrides: Partial<ShipmentInput> = {}) => storedShipment(await store(), world.clock.now(), { declaredValue: 59.9, ...overrides });
  const claimDecision = (type: string) => decisionOf('carrier_claim', { ruleId: `claim-${type}`, params: { type } });

  it('claims of one parcel started at the same time: one runs, the others wait for it', async () => {
    const s = await store();
    const parcels = await Promise.all([1, 2, 3, 4].map((n) => parcel({ trackingNumber: `6A2000000000${n}`, orderRef: `WEB-40000${n}` })));
    const proposals = await world.app.followUps.proposeAll(parcels.flatMap((shipment) => ['lost', 'late', 'damaged'].map((type) => ({ shipment, decision: claimDecision(type) }))));
    const now = world.clock.now();
    // On PostgreSQL, each start on a connection of its own: they run at the same time.
    const started = await Promise.all(proposals.map(({ followUp }) => startClaim(s, followUp, parcels.find((one) => one.id === followUp.shipmentId)!, 1, now)));
    for (const shipment of parcels) {
      const ofParcel = started.filter((one) => one?.shipmentId === shipment.id);
      expect(ofParcel.map((one) => one?.state).sort()).toEqual(['proposed', 'proposed', 'running']);
      const running = ofParcel.find((one) => one?.state === 'running')!;
      for (const waiting of ofParcel.filter((one) => one?.state === 'proposed')) {
        expect(waiting?.dueAt).toBe(new Date(now.getTime() + CLAIM_RIVAL_WAIT_MS).toISOString());
        expect((await s.followUps.audit(waiting!.id)).at(-1)).toMatchObject({ actor: 'system', event: 'deferred', fromState: 'proposed', toState: 'proposed', details: { rival: running.id } });
      }
    }
  });

  it('a claim taken up while another of its parcel is being filed waits for it, then finds it open and files nothing', async () => {
    const s = await store();
    const shipment = await parcel();
    // A worker took the late-delivery claim up and is filing it.
    const late = await followUpOf(world, 'carrier_claim', shipment, { type: 'late' });
    expect(await startClaim(s, (await s.followUps.get(late.id))!, shipment, 1, world.clock.now())).toMatchObject({ state: 'running' });

    const { followUp: lost } = await world.app.followUps.propose(shipment, claimDecision('lost'));
    const worker = world.app.startFollowUpWorker(1);
    try {
      await settle(world.app);
      expect(await delayedJobIds(world.app)).toContain(lost.id);
      const waiting = await world.app.followUps.get(lost.id);
      expect(waiting?.followUp).toMatchObject({ state: 'proposed', dueAt: new Date(world.clock.now().getTime() + CLAIM_RIVAL_WAIT_MS).toISOString() });
      expect(waiting?.audit.at(-1)?.details).toMatchObject({ rival: late.id, why: `the late claim ${late.id} of this parcel is running: a parcel's claims run one at a time, so that one is open with its carrier` });
      expect(await s.claims.listForShipment(shipment.id)).toEqual([]);

      // The late-delivery claim is filed (left to an agent: La Poste has no claim robot) and settles.
      const executor = createCarrierClaimExecutor({ documents: createStoreDocumentSink(world.app.store, world.clock), windows: await loadClaimWindows() });
      const result = await executor.execute(late, await executorContextOf(world, shipment));
      await s.followUps.transition(late.id, { from: ['running'], to: 'done', audit: { actor: 'worker', event: 'done' }, result }, world.clock.now());

      world.clock.advance(CLAIM_RIVAL_WAIT_MS);
      await promoteDelayed(world.app);
      expect(await jobOutcome(world.app, lost.id)).toEqual({ completed: expect.objectContaining({ state: 'done' }) });
    } finally {
      await worker.close();
    }
    const claims = await s.claims.listForShipment(shipment.id);
    expect(claims.map((claim) => [claim.type, claim.status])).toEqual([['late', 'to_file']]);
    const done = await world.app.followUps.get(lost.id);
    expect(done?.followUp.result?.summary).toBe(
      `No lost claim filed with laposte: the late claim #${claims[0]!.id} (to be filed by an agent) is already open for parcel ${shipment.trackingNumber}, and a parcel has one open claim with its carrier at a time`,
    );
    expect(done?.audit.map((entry) => entry.event)).toEqual(['proposed', 'approved_automatically', 'deferred', 'started', 'done']);
  });
});
