import type { Queue } from 'bullmq';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../infra/clock.ts';
import type { DailyUsage } from '../jobs/daily-call-budget.ts';
import type { Store } from '../store/store.ts';

const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'] as const;
const DAY_MS = 24 * 3_600_000;

export interface MetricsDeps {
  store: () => Promise<Store>;
  /** The work queues: each track queue and the follow-ups'. */
  queues: readonly Queue[];
  clock: Clock;
  /** Each carrier's calls of the GMT day against its daily quota (DailyCallBudget.usage). */
  dailyCalls(): Promise<DailyUsage[]>;
}

/**
 * Prometheus metrics, read at scrape time from Redis and the store: workers run in other
 * processes, so the store and the queues are where every process's work adds up. Robot figures
 * cover the last 24 hours of agents' look-ups (latency includes the queue wait) and exceptions.
 */
export function createMetrics(deps: MetricsDeps): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parcelbot_' });
  const stats = async () => (await deps.store()).operationsStats;
  const since = () => new Date(deps.clock.now().getTime() - DAY_MS);

  new Gauge({
    name: 'parcelbot_queue_jobs',
    help: 'Jobs of each work queue (track queues, follow-ups) by state (completed and failed: those Redis still keeps).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of deps.queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'parcelbot_queue_workers',
    help: 'Workers connected to each work queue.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const queue of deps.queues) this.set({ queue: queue.name }, await queue.getWorkersCount());
    },
  });

  const health = async () => (await stats()).robotHealth(since());
  new Gauge({
    name: 'parcelbot_robot_lookups_24h',
    help: "Agents' look-ups finished in the last 24 h by robot and result (answered: found or not found; failed: after the last attempt).",
    labelNames: ['robot', 'result'],
    registers: [registry],
    async collect() {
      for (const robot of await health()) {
        this.set({ robot: robot.robot, result: 'answered' }, robot.answered);
        this.set({ robot: robot.robot, result: 'failed' }, robot.failed);
      }
    },
  });
  new Gauge({
    name: 'parcelbot_robot_latency_seconds',
    help: "Agents' look-up latency over the last 24 h by robot (request to answer, queue wait included).",
    labelNames: ['robot', 'quantile'],
    registers: [registry],
    async collect() {
      for (const robot of await health()) {
        if (robot.p50Seconds !== null) this.set({ robot: robot.robot, quantile: '0.5' }, robot.p50Seconds);
        if (robot.p95Seconds !== null) this.set({ robot: robot.robot, quantile: '0.95' }, robot.p95Seconds);
      }
    },
  });
  new Gauge({
    name: 'parcelbot_robot_errors_24h',
    help: 'Exceptions opened in the last 24 h by robot (agents and sweeps).',
    labelNames: ['robot'],
    registers: [registry],
    async collect() {
      for (const robot of await health()) this.set({ robot: robot.robot }, robot.errors);
    },
  });
  new Gauge({
    name: 'parcelbot_exceptions_open',
    help: 'Open exceptions by carrier and error code.',
    labelNames: ['carrier', 'code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const entry of await (await stats()).openExceptionsByCode()) this.set({ carrier: entry.carrier, code: entry.code }, entry.count);
    },
  });
  new Gauge({
    name: 'parcelbot_followups',
    help: 'Follow-ups by kind and state.',
    labelNames: ['kind', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const entry of await (await deps.store()).followUps.countsByKindAndState()) this.set({ kind: entry.kind, state: entry.state }, entry.count);
    },
  });
  new Gauge({
    name: 'parcelbot_carrier_calls_today',
    help: 'Calls made today (GMT day) to each carrier that has a daily quota, by lane (agents, background), counted by every process.',
    labelNames: ['carrier', 'lane'],
    registers: [registry],
    async collect() {
      for (const usage of await deps.dailyCalls()) {
        this.set({ carrier: usage.carrier, lane: 'agents' }, usage.agents);
        this.set({ carrier: usage.carrier, lane: 'background' }, usage.background);
      }
    },
  });
  new Gauge({
    name: 'parcelbot_carrier_calls_left_today',
    help: "Calls each lane may still make today (GMT day) within the carrier's daily quota: agents up to the quota, the background up to its share (0: it waits until 00:00 GMT).",
    labelNames: ['carrier', 'lane'],
    registers: [registry],
    async collect() {
      for (const { carrier, quota, backgroundLimit, agents, background } of await deps.dailyCalls()) {
        this.set({ carrier, lane: 'agents' }, Math.max(0, quota - agents - background));
        this.set({ carrier, lane: 'background' }, Math.max(0, backgroundLimit - agents - background));
      }
    },
  });
  return registry;
}
