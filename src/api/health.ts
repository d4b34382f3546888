import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Store } from '../store/store.ts';
import { withoutWorkers } from './work-queues.ts';

export interface Check {
  ok: boolean;
  detail?: string;
}

export interface QueueCheck extends Check {
  workers?: number;
  waiting?: number;
  active?: number;
  failed?: number;
}

export interface HealthReport {
  status: 'ok' | 'down';
  /** What is down, by name (`redis`, `database`, `queue track-laposte`). */
  down: string[];
  /** Working but worth knowing: a queue no worker serves (look-ups there answer 503, follow-ups wait). */
  warnings: string[];
  checks: { redis: Check; database: Check; queues: Record<string, QueueCheck> };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function check(work: () => Promise<unknown>, what: string): Promise<Check> {
  try {
    await withTimeout(work(), what);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/** Redis, the store and each work queue, each with a bounded wait: a hung dependency is reported, not waited on. */
export async function checkHealth(deps: { redis: Redis; store: () => Promise<Store>; queues: readonly Queue[] }): Promise<HealthReport> {
  const [redis, database] = await Promise.all([
    check(async () => {
      if ((await deps.redis.ping()) !== 'PONG') throw new Error('Redis answered PING oddly');
    }, 'Redis'),
    check(async () => (await deps.store()).db.query('select 1'), 'the database'),
  ]);
  const queues: Record<string, QueueCheck> = {};
  for (const queue of deps.queues) {
    try {
      const [counts, workers] = await withTimeout(Promise.all([queue.getJobCounts('waiting', 'prioritized', 'active', 'failed'), queue.getWorkersCount()]), `queue ${queue.name}`);
      queues[queue.name] = { ok: true, workers, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, failed: counts.failed ?? 0 };
    } catch (error) {
      queues[queue.name] = { ok: false, detail: (error as Error).message };
    }
  }
  const down = [...(redis.ok ? [] : ['redis']), ...(database.ok ? [] : ['database']), ...Object.entries(queues).filter(([, entry]) => !entry.ok).map(([name]) => `queue ${name}`)];
  const warnings = Object.entries(queues)
    .filter(([, entry]) => entry.ok && entry.workers === 0)
    .map(([name]) => `no worker serves ${name}: ${withoutWorkers(name)}`);
  return { status: down.length === 0 ? 'ok' : 'down', down, warnings, checks: { redis, database, queues } };
}
