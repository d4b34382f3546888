import type { CoreConfig } from '../config.ts';
import { runFollowUpChecks } from './follow-up-checks.ts';
import { syncConfiguredMarketplaces } from './marketplace-sync-task.ts';
import type { ScheduledTask } from './scheduler.ts';
import { sweepTask } from './sweep-task.ts';

/** What `parcelbot scheduler` runs, one line per task, each on its `*_CRON` setting (`off` leaves it out). */
export function taskTable(config: Pick<CoreConfig, 'SWEEP_CRON' | 'MARKETPLACE_SYNC_CRON' | 'CLAIM_CHECK_CRON'>): ScheduledTask[] {
  const table: ScheduledTask[] = [
    sweepTask(config.SWEEP_CRON),
    { name: 'marketplace-sync', cron: config.MARKETPLACE_SYNC_CRON, run: (app, tick) => syncConfiguredMarketplaces(app, tick.signal) },
    { name: 'follow-up-checks', cron: config.CLAIM_CHECK_CRON, run: (app) => runFollowUpChecks(app) },
  ];
  return table.filter((task) => task.cron !== 'off');
}
