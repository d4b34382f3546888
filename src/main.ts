import type { Logger } from 'pino';
import { type Config, loadConfig } from './config.ts';
import { type Clock, systemClock } from './infra/clock.ts';
import { BrowserProvider, findChromium } from './infra/browser.ts';
import { createHttpClient } from './infra/http-client.ts';
import { createPortalSessions } from './infra/portal-sessions.ts';
import { createLogger } from './infra/logger.ts';
import { type RedisEndpoint, resolveRedis } from './infra/redis.ts';
import { createRedisTokenCache } from './infra/redis-token-cache.ts';
import type { Worker } from 'bullmq';
import { createFollowUpRuntime } from './followups/follow-up-runtime.ts';
import type { FollowUps } from './followups/follow-ups.ts';
import type { ReshipmentSync } from './followups/sync-reshipments.ts';
import { AgentsPresence, leaveAgentsTheirCpus } from './jobs/agents-presence.ts';
import { LANES, type Lane } from './jobs/track-job.ts';
import { TrackQueues } from './jobs/track-queues.ts';
import { startTrackWorkers } from './jobs/track-worker.ts';
import { AllowedHosts } from './robot-kit/allowed-hosts.ts';
import type { Robot } from './robot-kit/define-robot.ts';
import { RobotRegistry } from './robot-kit/registry.ts';
import type { Shipment } from './domain/shipment.ts';
import { DailyCallBudget } from './jobs/daily-call-budget.ts';
import { JobSizes } from './jobs/job-size.ts';
import { judgeShipments } from './jobs/judge-shipments.ts';
import { loadRules } from './rules/load-rules.ts';
import type { Trigger } from './rules/rule-facts.ts';
import type { RuleSet } from './rules/parse-rules.ts';
import { thresholdsFromConfig } from './rules/thresholds.ts';
import { nextCheckSettings } from './schedule/next-check.ts';
import { takeBackgroundCpus } from './infra/background-cpus.ts';
import { lowerCpuPriority } from './infra/background-priority.ts';
import { openDatabase } from './store/open-database.ts';
import { type Store, createStore } from './store/store.ts';

export interface AppOptions {
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  /** Replaces the configured store (tests hand in a throw-away one). */
  openStore?: () => Promise<Store>;
}

/** The composition root: the one place that wires the real implementations together. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  registry: RobotRegistry;
  /** The rules file (PARCELBOT_RULES, else the default rules), checked at start. */
  rules: RuleSet;
  redis: RedisEndpoint;
  queues: TrackQueues;
  /** How many numbers each carrier's sweep jobs take, and each queue's limiter. */
  jobSizes: JobSizes;
  /** Each carrier's calls of the GMT day, shared by every process; the background's share of a daily quota. */
  dailyBudget: DailyCallBudget;
  /** A robot instance with its configuration; created on first use. */
  robot(carrier: string): Robot;
  /** The store, opened (and migrated) on first use: a command that needs none never locks it. */
  store(): Promise<Store>;
  /**
   * Makes this process background work (sweeps, checks, follow-ups): the lowest CPU priority,
   * and BACKGROUND_DATABASE_POOL_SIZE PostgreSQL connections instead of DATABASE_POOL_SIZE once
   * the store opens. PostgreSQL serves its sessions without priority: a sweep's statements then
   * wait in the sweep's own processes, not among the agents' statements in the server.
   */
  runAsBackground(): void;
  /** Track workers for the carriers' queues of the lanes given (both by default). */
  startWorkers(carriers?: readonly string[], concurrency?: number, lanes?: readonly Lane[]): ReturnType<typeof startTrackWorkers>;
  /** Follow-ups: propose (rules), approve and reject (managers), list and get with their audit trail. */
  followUps: FollowUps;
  /** A worker on the follow-up queue (FOLLOWUP_CONCURRENCY jobs at a time), closed with the app. */
  startFollowUpWorker(concurrency?: number): Worker;
  /** Asks the OMS about replacement orders not shipped yet; a shipped one becomes a linked shipment. */
  syncReshipments(): Promise<ReshipmentSync>;
  close(): Promise<void>;
}

export async function createApp({ env, clock = systemClock, logger: givenLogger, openStore }: AppOptions): Promise<App> {
  const registry = await RobotRegistry.load();
  const config = loadConfig(env, registry.all());
  const { core } = config;
  const logger = givenLogger ?? createLogger({ level: core.LOG_LEVEL, format: core.LOG_FORMAT });
  // A bad rules file stops the program before anything starts (RulesFileError: exit 2).
  const rules = await loadRules(core.PARCELBOT_RULES, thresholdsFromConfig(core));
  const http = createHttpClient();
  const redis = await resolveRedis({ redisUrl: core.REDIS_URL, dataDir: core.PARCELBOT_DATA_DIR, logger });
  const connection = redis.connect();
  const onQueueError = (error: Error): void => logger.warn({ err: error.message }, 'queue connection error');
  const agentsPresence = new AgentsPresence({ connection, connect: redis.connect, prefix: core.PARCELBOT_QUEUE_PREFIX, awayAfterMs: core.AGENTS_AWAY_AFTER, onError: onQueueError });
  const queues = new TrackQueues(
    {
      connection,
      connect: redis.connect,
      prefix: core.PARCELBOT_QUEUE_PREFIX,
      attempts: core.TRACK_ATTEMPTS,
      backoffMs: core.TRACK_BACKOFF_MS,
      onError: onQueueError,
    },
    agentsPresence,
  );

  const tokens = createRedisTokenCache(connection, core.PARCELBOT_QUEUE_PREFIX);
  const browsers = new BrowserProvider(() => findChromium(core.PARCELBOT_CHROMIUM), logger);
  const portal = createPortalSessions({
    browsers,
    http,
    redis: connection,
    prefix: core.PARCELBOT_QUEUE_PREFIX,
    maxPagesPerAccount: core.PORTAL_MAX_PAGES,
    sessionTtlMs: core.PORTAL_SESSION_TTL_MS,
    timeoutMs: core.PORTAL_TIMEOUT_MS,
    logger,
  });
  const robots = new Map<string, Robot>();
  const robot = (carrier: string): Robot => {
    const existing = robots.get(carrier);
    if (existing) return existing;
    const definition = registry.find(carrier);
    if (!definition) throw new Error(`no robot named "${carrier}"`);
    // A robot reaches the hosts of its own settings' URLs only: a redirect or a link elsewhere is refused unsent.
    const guarded = AllowedHosts.ofSettings(config.robots[carrier]).guard(http);
    const created = definition.create({ http: guarded, clock, tokens, portal, logger: logger.child({ robot: carrier }) }, config.robots[carrier]);
    robots.set(carrier, created);
    return created;
  };

  let storePromise: Promise<Store> | undefined;
  let background = false;
  /** Stops following agents' presence: set once a background process on BACKGROUND_CPUS=auto follows it. */
  let stopFollowingAgents: (() => void) | undefined;
  const store = () => {
    const connections = background ? core.BACKGROUND_DATABASE_POOL_SIZE : core.DATABASE_POOL_SIZE;
    storePromise ??= openStore
      ? openStore()
      : openDatabase({ databaseUrl: core.DATABASE_URL, dataDir: core.PARCELBOT_DATA_DIR, schema: core.PARCELBOT_DB_SCHEMA, connections, preparedStatements: core.DATABASE_PREPARED_STATEMENTS === 'on', statementTimeoutMs: core.DATABASE_STATEMENT_TIMEOUT_MS }).then(createStore);
    return storePromise;
  };

  const followUpRuntime = await createFollowUpRuntime({ config, http, registry, clock, logger, connection, connect: redis.connect, robot, store });

  const dailyBudget = new DailyCallBudget({ redis: connection, prefix: core.PARCELBOT_QUEUE_PREFIX, quotas: config.dailyQuotas, agentSharePercent: core.AGENT_RATE_SHARE, clock, logger });
  const jobSizes = new JobSizes(registry, config.rateLimits, core.AGENT_RATE_SHARE / 100, dailyBudget.backgroundLimits);
  const judge = (judged: Store, shipments: readonly Shipment[], trigger: Trigger) =>
    judgeShipments(judged, shipments, trigger, {
      rules,
      followUps: followUpRuntime.followUps,
      scheduleCheck: (shipment, at) => queues.addCheck(shipment.carrier, shipment.trackingNumber, at, clock.now()),
      clock,
      logger,
    });

  const workerConnections: { quit(): Promise<unknown> }[] = [];
  return {
    config,
    logger,
    clock,
    registry,
    rules,
    redis,
    queues,
    jobSizes,
    dailyBudget,
    robot,
    store,
    runAsBackground: () => {
      background = true;
      lowerCpuPriority();
      const cpus = takeBackgroundCpus(core.BACKGROUND_CPUS);
      if (!cpus) return;
      if (cpus.whileAgents === cpus.otherwise) logger.info({ cpus: cpus.otherwise }, 'background work confined to CPUs');
      else stopFollowingAgents = leaveAgentsTheirCpus(agentsPresence, cpus, logger);
    },
    startWorkers(carriers = registry.trackers().map((definition) => definition.id), concurrency = core.WORKER_CONCURRENCY, lanes = LANES) {
      const workerConnection = redis.connect();
      workerConnections.push(workerConnection);
      const workers = startTrackWorkers({
        carriers,
        lanes,
        connection: workerConnection,
        prefix: core.PARCELBOT_QUEUE_PREFIX,
        concurrency,
        jobSizes,
        lockMs: core.TRACK_LOCK_MS,
        deps: { robot, maxBatch: (carrier) => jobSizes.maxBatch(carrier), store, dailyBudget, clock, logger, freshForMs: core.FRESH_FOR, nextCheck: nextCheckSettings(core), judge },
      });
      // A long-running process (the scheduler) starts and stops workers sweep after sweep: each takes its connection along.
      return {
        ...workers,
        async close() {
          await workers.close();
          const index = workerConnections.indexOf(workerConnection);
          if (index >= 0) workerConnections.splice(index, 1);
          await workerConnection.quit().catch(() => {});
        },
      };
    },
    followUps: followUpRuntime.followUps,
    startFollowUpWorker: (concurrency) => followUpRuntime.startWorker(concurrency),
    syncReshipments: () => followUpRuntime.syncReshipments(),
    async close() {
      stopFollowingAgents?.();
      await followUpRuntime.close();
      await queues.close();
      await portal.close();
      await browsers.close();
      await Promise.all([connection, ...workerConnections].map((client) => client.quit().catch(() => {})));
      if (storePromise) await (await storePromise.catch(() => undefined))?.db.close();
      await http.close();
      await redis.stop();
    },
  };
}
