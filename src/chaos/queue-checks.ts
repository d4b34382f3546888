import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { App } from '../main.ts';
import { type Figure, info, mustBeNone } from './figures.ts';
import { systemClock } from '../infra/clock.ts';

/** States a job of a drained queue must not be in (delayed ones are counted apart: only due ones are stuck). */
const LIVE = ['active', 'waiting', 'prioritized', 'waiting-children'] as const;

/** Every queue of the run: two per carrier (agents' look-ups, the background), and the follow-ups'. */
export function runQueues(app: App): Queue[] {
  return [...(app.queues.queuesOf(app.registry.trackers().map((definition) => definition.id)) as Queue[]), app.followUps.queue.queue as Queue];
}

/** BullMQ scores a delayed job by its due time in milliseconds times this (the low bits keep FIFO order). */
const DELAYED_SCORE_PER_MS = 0x1000;

/**
 * Jobs a worker has or should have now: live ones, and delayed ones whose time has come. A delayed
 * job's due time is read from the delayed set's score: a job put off while running (a follow-up
 * deferred, a claim waiting for its parcel's other claim) keeps its creation time and first delay.
 */
async function unfinishedJobs(queue: Queue, redis: Redis, now: number): Promise<number> {
  const counts = await queue.getJobCounts(...LIVE);
  const dueDelayed = await redis.zcount(queue.keys.delayed!, 0, (now + 1) * DELAYED_SCORE_PER_MS - 1);
  return LIVE.reduce((sum, state) => sum + (counts[state] ?? 0), 0) + dueDelayed;
}

/** By queue name, for every queue of the run, the jobs a worker has or should have now (unfinishedJobs). */
export async function unfinishedByQueue(app: App, now: number): Promise<Map<string, number>> {
  const redis = app.redis.connect();
  try {
    const unfinished = new Map<string, number>();
    for (const queue of runQueues(app)) unfinished.set(queue.name, await unfinishedJobs(queue, redis, now));
    return unfinished;
  } finally {
    await redis.quit();
  }
}

/**
 * What Redis says after the run: no job live or due, and every failed job accounted for — a track
 * job's numbers each have an exception naming the job, a follow-up job's follow-up is `failed`.
 */
export async function queueChecks(app: App): Promise<Figure[]> {
  const store = await app.store();
  const now = systemClock.now().getTime();
  const figures: Figure[] = [];
  const stuck: string[] = [];
  const unexplained: string[] = [];
  const unfinishedByName = await unfinishedByQueue(app, now);
  for (const queue of runQueues(app)) {
    const counts = await queue.getJobCounts('completed', 'failed', 'delayed');
    const unfinished = unfinishedByName.get(queue.name) ?? 0;
    if (unfinished > 0) stuck.push(`${queue.name}: ${unfinished}`);
    figures.push(info('stuck', `${queue.name}: completed / failed / delayed (later) kept`, `${counts.completed ?? 0} / ${counts.failed ?? 0} / ${counts.delayed ?? 0}`));
    for (const job of await queue.getFailed(0, -1)) {
      const id = job.id ?? '';
      if (queue.name === app.followUps.queue.queue.name) {
        if ((await store.followUps.get(id))?.state !== 'failed') unexplained.push(`${queue.name} ${id}`);
        continue;
      }
      const numbers: string[] = job.data.trackingNumbers ?? [];
      const rows = await store.db.query<{ tracking_number: string }>('select tracking_number from exceptions where job_id = $1', [id]);
      const covered = new Set(rows.map((row) => row.tracking_number));
      if (numbers.some((number) => !covered.has(number))) unexplained.push(`${queue.name} ${id}`);
    }
  }
  figures.push(mustBeNone('stuck', 'jobs active, waiting or due in a drained queue', stuck), mustBeNone('failures', 'failed jobs without their exceptions', unexplained));
  return figures;
}

/** Redis memory and what the queues keep, against the retention every job carries (removeOnComplete). */
export async function memoryFigures(app: App, usedBefore: number, usedAfter: number): Promise<Figure[]> {
  const redis = app.redis.connect();
  try {
    const streams: string[] = [];
    for (const queue of runQueues(app)) streams.push(`${queue.name} ${await redis.xlen(queue.keys.events ?? '')}`);
    return [
      info('memory', 'Redis used_memory before / after (MiB)', `${mib(usedBefore)} / ${mib(usedAfter)}`),
      info('memory', 'event stream entries kept per queue (BullMQ trims at about 10,000)', streams.join(', ')),
    ];
  } finally {
    await redis.quit().catch(() => {});
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
