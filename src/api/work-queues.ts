import type { Queue } from 'bullmq';
import { FOLLOW_UP_QUEUE } from '../followups/follow-up-queue.ts';
import { laneOf } from '../jobs/track-job.ts';
import type { App } from '../main.ts';

/** Every queue workers take jobs from: two per tracking robot (agents' look-ups, the background), and the follow-ups'. Health, metrics and the queue console show them all. */
export function workQueues(app: Pick<App, 'registry' | 'queues' | 'followUps'>): Queue[] {
  return [...app.queues.queuesOf(app.registry.trackers().map((definition) => definition.id)), app.followUps.queue.queue];
}

/** What waits while no worker serves a queue. */
export function withoutWorkers(queueName: string): string {
  if (queueName === FOLLOW_UP_QUEUE) return 'follow-ups due (approved ones included) wait until one starts';
  return laneOf(queueName) === 'agents' ? 'look-ups of its carrier answer 503 until one starts' : 'sweeps and scheduled checks of its carrier wait until one starts';
}
