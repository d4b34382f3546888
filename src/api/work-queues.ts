import type { Queue } from 'bullmq';
import { FOLLOW_UP_QUEUE } from '../followups/follow-up-queue.ts';
import type { App } from '../main.ts';

/** Every queue workers take jobs from: one per tracking robot, and the follow-ups'. Health, metrics and the queue console show them all. */
export function workQueues(app: Pick<App, 'registry' | 'queues' | 'followUps'>): Queue[] {
  return [...app.registry.trackers().map((definition) => app.queues.queue(definition.id)), app.followUps.queue.queue];
}

/** What waits while no worker serves a queue. */
export function withoutWorkers(queueName: string): string {
  return queueName === FOLLOW_UP_QUEUE ? 'follow-ups due (approved ones included) wait until one starts' : 'look-ups of its carrier answer 503 until one starts';
}
