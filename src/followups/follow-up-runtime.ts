import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Clock } from '../infra/clock.ts';
import type { Robot } from '../robot-kit/define-robot.ts';
import type { HttpClient } from '../robot-kit/http-client.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import type { Store } from '../store/store.ts';
import { ExecutorRegistry } from './executor-registry.ts';
import { type Executors, followUpExecutors, omsClientOf } from './executors/index.ts';
import type { ClaimWindows } from './claims/claim-windows.ts';
import { FollowUpQueue } from './follow-up-queue.ts';
import { startFollowUpWorker } from './follow-up-worker.ts';
import { FollowUps } from './follow-ups.ts';
import { type ReshipmentSync, syncReshipments } from './sync-reshipments.ts';

export interface FollowUpRuntimeDeps {
  config: Config;
  http: HttpClient;
  registry: RobotRegistry;
  clock: Clock;
  logger: Logger;
  connection: Redis;
  connect: () => Redis;
  robot(id: string): Robot;
  store(): Promise<Store>;
}

/** The follow-up part of the app (src/main.ts): the front (with its queue), its workers and the reshipment sync. */
export interface FollowUpRuntime {
  followUps: FollowUps;
  executors: ExecutorRegistry;
  claimWindows: ClaimWindows;
  /** A worker on the follow-up queue, on a connection of its own (closed with the runtime). */
  startWorker(concurrency?: number): Worker;
  /** Asks the OMS about replacement orders not shipped yet; see sync-reshipments.ts. */
  syncReshipments(): Promise<ReshipmentSync>;
  close(): Promise<void>;
}

export async function createFollowUpRuntime(deps: FollowUpRuntimeDeps): Promise<FollowUpRuntime> {
  const { core } = deps.config;
  const queue = new FollowUpQueue({
    connection: deps.connection,
    connect: deps.connect,
    prefix: core.PARCELBOT_QUEUE_PREFIX,
    attempts: core.FOLLOWUP_ATTEMPTS,
    backoffMs: core.FOLLOWUP_BACKOFF_MS,
    onError: (error) => deps.logger.warn({ queue: 'followups', err: error.message }, 'queue connection error'),
  });
  const followUps = new FollowUps({ store: deps.store, queue, clock: deps.clock, approvalAbove: core.FOLLOWUP_APPROVAL_ABOVE });
  const built: Executors = await followUpExecutors(deps);
  const executors = new ExecutorRegistry(built.list);
  const oms = omsClientOf(deps);
  const workers: { worker: Worker; connection: Redis }[] = [];
  return {
    followUps,
    executors,
    claimWindows: built.claimWindows,
    startWorker(concurrency = core.FOLLOWUP_CONCURRENCY) {
      const connection = deps.connect();
      const worker = startFollowUpWorker({
        connection,
        prefix: core.PARCELBOT_QUEUE_PREFIX,
        concurrency,
        lockMs: core.FOLLOWUP_LOCK_MS,
        deps: { store: deps.store, executors, robot: deps.robot, clock: deps.clock, logger: deps.logger, settled: (followUp) => followUps.settled(followUp) },
      });
      workers.push({ worker, connection });
      return worker;
    },
    async syncReshipments() {
      const isCarrier = (id: string) => Boolean(deps.registry.find(id)?.capabilities.track);
      return syncReshipments({ store: await deps.store(), oms, clock: deps.clock, isCarrier });
    },
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.close()));
      await Promise.all(workers.map(({ connection }) => connection.quit().catch(() => {})));
      await queue.close();
      built.close();
    },
  };
}
