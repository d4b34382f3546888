import { closingWithin } from '../followups/claims/closing-windows.ts';
import { refreshClaimStatuses } from '../followups/claims/refresh-claim-statuses.ts';
import type { App } from '../main.ts';

/** The exception code of an alert: a claim still to file whose window closes soon (a task for a person). */
export const CLAIM_WINDOW_CLOSING = 'TASK_CLAIM_WINDOW_CLOSING';

export interface FollowUpChecks {
  claims: Awaited<ReturnType<typeof refreshClaimStatuses>>;
  /** Claims still to file whose window closes within CLAIM_WINDOW_ALERT_DAYS: one alert each, once. */
  windowsClosing: number;
  reshipments: Awaited<ReturnType<App['syncReshipments']>>;
}

/**
 * What follow-ups wait for from outside, checked every CLAIM_CHECK_CRON: the carriers' answers to
 * claims filed, the claims an agent must still file before their window closes (an alert in the
 * manager queue, opened once per claim), and the replacement orders the OMS has shipped since
 * (their new shipments are created and tracked).
 */
export async function runFollowUpChecks(app: App): Promise<FollowUpChecks> {
  const store = await app.store();
  const now = app.clock.now();
  const claims = await refreshClaimStatuses({ store, robot: app.robot, clock: app.clock, logger: app.logger });
  const closing = closingWithin(await store.claims.listToFile(), now, app.config.core.CLAIM_WINDOW_ALERT_DAYS);
  for (const claim of closing) {
    await store.exceptions.open({
      carrier: claim.carrier,
      trackingNumber: claim.trackingNumber,
      code: CLAIM_WINDOW_CLOSING,
      message: `the ${claim.type} claim for ${claim.trackingNumber} must be filed with ${claim.carrier} before ${claim.windowClosesAt}`,
      jobId: `claim-window-${claim.id}`,
      followUpId: claim.followUpId,
      openedAt: now,
    });
  }
  const reshipments = await app.syncReshipments();
  return { claims, windowsClosing: closing.length, reshipments };
}
