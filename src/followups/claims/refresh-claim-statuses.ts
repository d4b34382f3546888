import type { Logger } from 'pino';
import type { ClaimState, ClaimStatus } from '../../domain/claim.ts';
import type { Clock } from '../../infra/clock.ts';
import { asRobotError } from '../../jobs/failure-policy.ts';
import type { Robot } from '../../robot-kit/define-robot.ts';
import type { StoredClaim } from '../../store/claim-repository.ts';
import type { Store } from '../../store/store.ts';

export interface ClaimRefreshDeps {
  store: Store;
  robot(id: string): Robot;
  clock: Clock;
  logger: Logger;
}

export interface ClaimRefresh {
  /** Open claims the carriers were asked about. */
  asked: number;
  changed: { claimId: number; carrier: string; reference: string; from: string; to: ClaimStatus; note?: string }[];
  /** Claims a carrier did not list (an older page it no longer shows, a reference typed by hand). */
  notListed: { claimId: number; carrier: string; reference: string }[];
  /** Carriers whose robot reads no claim status: their claims are followed by hand. */
  unsupported: string[];
  /** Carriers whose robot failed; the others were still asked. */
  failed: { carrier: string; code: string; message: string }[];
}

/**
 * Asks each carrier robot with `claimStatus` about the claims still open with it (submitted,
 * under investigation, accepted) and stores what changed. For the scheduler: one call per sweep;
 * a carrier that fails is reported and the others go on.
 */
export async function refreshClaimStatuses(deps: ClaimRefreshDeps): Promise<ClaimRefresh> {
  const result: ClaimRefresh = { asked: 0, changed: [], notListed: [], unsupported: [], failed: [] };
  const byCarrier = new Map<string, StoredClaim[]>();
  for (const claim of await deps.store.claims.listOpen()) byCarrier.set(claim.carrier, [...(byCarrier.get(claim.carrier) ?? []), claim]);
  for (const [carrier, claims] of byCarrier) {
    let states: ClaimState[];
    try {
      const robot = deps.robot(carrier);
      if (!robot.claimStatus) {
        result.unsupported.push(carrier);
        continue;
      }
      result.asked += claims.length;
      states = await robot.claimStatus(claims.map((claim) => claim.reference!));
    } catch (error) {
      const { code, message } = asRobotError(error);
      result.failed.push({ carrier, code, message });
      deps.logger.warn({ carrier, code }, 'claim statuses not read');
      continue;
    }
    await record(deps, carrier, claims, states, result);
  }
  return result;
}

async function record(deps: ClaimRefreshDeps, carrier: string, claims: readonly StoredClaim[], states: readonly ClaimState[], result: ClaimRefresh): Promise<void> {
  const now = deps.clock.now();
  const byReference = new Map(states.map((state) => [state.reference, state]));
  const unlisted: number[] = [];
  for (const claim of claims) {
    const reference = claim.reference!;
    const state = byReference.get(reference);
    if (!state) {
      unlisted.push(claim.id);
      result.notListed.push({ claimId: claim.id, carrier, reference });
      continue;
    }
    if (await deps.store.claims.updateStatus(claim.id, state.status, state.note, now)) {
      result.changed.push({ claimId: claim.id, carrier, reference, from: claim.status, to: state.status, ...(state.note ? { note: state.note } : {}) });
      deps.logger.info({ claimId: claim.id, carrier, from: claim.status, to: state.status }, 'claim status changed');
    }
  }
  await deps.store.claims.markChecked(unlisted, now);
}
