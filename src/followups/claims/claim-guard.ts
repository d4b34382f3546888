import type { Shipment } from '../../domain/shipment.ts';
import type { Rival, StartVeto, StoredFollowUp } from '../../store/follow-up-repository.ts';
import type { Store } from '../../store/store.ts';

/** How long a claim waits for another claim of its parcel that is running: about what a portal robot takes to file one. */
export const CLAIM_RIVAL_WAIT_MS = 60_000;

/**
 * A parcel has one open claim with its carrier at a time (carrier-claim-executor.ts checks the
 * claims stored), so the claim follow-ups of a parcel run one at a time: two started together
 * would both find no claim open and both file. The guard is where a claim starts: `proposed` →
 * `running` happens only when no other claim follow-up of the parcel is `running`; otherwise the
 * claim stays `proposed`, due CLAIM_RIVAL_WAIT_MS later (audited `deferred`, naming the other),
 * and its job waits: run then, it finds the other's claim open, or none if the other was put off
 * or filed nothing. It waits rather than being cancelled because the running one may file nothing
 * (a window not open yet, a parcel delivered since).
 *
 * The check and the move to `running` are one transaction over the parcel's claim follow-ups,
 * locked (FollowUpRepository.startUnless, as refunds do). A claim already `running` (a retry, a
 * worker that stopped) is not checked again: it holds the parcel's turn until it settles.
 */
export async function startClaim(store: Store, followUp: StoredFollowUp, shipment: Shipment, attempt: number, now: Date): Promise<StoredFollowUp | undefined> {
  return store.followUps.startUnless(
    followUp.id,
    { kind: 'carrier_claim', shipmentIds: [shipment.id] },
    { actor: 'worker', event: 'started', details: { attempt } },
    (rivals) => claimVeto(rivals, now),
    now,
  );
}

/** Not now when another claim of the parcel is running: the claim waits for it. */
export function claimVeto(rivals: readonly Rival[], now: Date): StartVeto | undefined {
  const running = rivals.find((rival) => rival.state === 'running');
  if (!running) return undefined;
  const until = new Date(now.getTime() + CLAIM_RIVAL_WAIT_MS);
  const which = typeof running.params.type === 'string' ? `${running.params.type} claim` : 'claim';
  return {
    until,
    audit: {
      actor: 'system',
      event: 'deferred',
      details: { until: until.toISOString(), why: `the ${which} ${running.id} of this parcel is running: a parcel's claims run one at a time, so that one is open with its carrier`, rival: running.id },
    },
  };
}
