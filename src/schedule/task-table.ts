import type { CoreConfig } from '../config.ts';
import type { ScheduledTask } from './scheduler.ts';
import { sweepTask } from './sweep-task.ts';

/** The work of a task that another module provides (a marketplace sync, claim-status checks). */
export type TaskRun = ScheduledTask['run'];

/** Tasks whose work lives elsewhere: plug each in where `parcelbot scheduler` builds its table. */
export interface TaskSlots {
  /** Every MARKETPLACE_SYNC_CRON: marketplace orders become or update shipments. */
  marketplaceSync?: TaskRun;
  /** Every CLAIM_CHECK_CRON: the carriers' answers to claims filed. */
  claimStatus?: TaskRun;
}

/**
 * What `parcelbot scheduler` runs, one line per task, each on its `*_CRON` setting (`off` leaves
 * it out). A slot with no work plugged in is left out too.
 */
export function taskTable(config: Pick<CoreConfig, 'SWEEP_CRON' | 'MARKETPLACE_SYNC_CRON' | 'CLAIM_CHECK_CRON'>, slots: TaskSlots): ScheduledTask[] {
  const table: (ScheduledTask | undefined)[] = [
    sweepTask(config.SWEEP_CRON),
    slots.marketplaceSync && { name: 'marketplace-sync', cron: config.MARKETPLACE_SYNC_CRON, run: slots.marketplaceSync },
    slots.claimStatus && { name: 'claim-status', cron: config.CLAIM_CHECK_CRON, run: slots.claimStatus },
  ];
  return table.filter((task): task is ScheduledTask => task !== undefined && task.cron !== 'off');
}
