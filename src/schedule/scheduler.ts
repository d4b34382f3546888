import cron, { type Logger as CronLogger, type ScheduledTask as CronTask } from 'node-cron';
import type { Logger } from 'pino';
import type { App } from '../main.ts';
import { lastDueTick } from './cron-ticks.ts';
import { TickLeases } from './tick-leases.ts';

/** One run of a task: the tick it is for, why it runs, and the scheduler's stop signal. */
export interface TaskTick {
  /** The scheduled time (not when it ran). */
  tick: Date;
  /**
   * `catch-up`: the tick was not fired on time (no scheduler ran, Redis failed, the process was
   * busy, or its local time does not exist that day) and is run by the next catch-up pass.
   */
  reason: 'scheduled' | 'catch-up';
  /** Aborted when the scheduler stops: finish quickly and leave resumable work. */
  signal: AbortSignal;
}

/** A line of the scheduler's task table (src/schedule/task-table.ts). */
export interface ScheduledTask {
  /** Letters, digits and dashes: it names the task's Redis keys and log lines. */
  name: string;
  /** node-cron syntax (5 fields, or 6 with seconds first), read in SCHEDULE_TZ. */
  cron: string;
  run(app: App, tick: TaskTick): Promise<unknown>;
  /**
   * At scheduler start, then at every catch-up pass, before catch-up: resume work a stopped or
   * killed scheduler left unfinished. Its work may still be held at the start (a killed
   * scheduler's sweep keeps its lock for 30 s): a later pass takes it up once it is free.
   */
  resumeLeftWork?(app: App, signal: AbortSignal): Promise<unknown>;
}

export interface SchedulerOptions {
  app: App;
  tasks: readonly ScheduledTask[];
  timeZone: string;
  /** A tick missed for any reason is run by a catch-up pass when it is at most this old. */
  graceMs: number;
  /** How often a running scheduler looks for missed ticks (default: every minute). */
  catchUpEveryMs?: number;
}

export interface Scheduler {
  /** Settles once every task's start-up work and catch-up have ended. */
  caughtUp: Promise<void>;
  /** Stops the timers, aborts the running tasks and waits for them to end. */
  stop(): Promise<void>;
}

/** Clock skew between scheduler processes that a lease still covers. */
const SKEW_MS = 5 * 60_000;
/** node-cron's own default: a timer a second late still fires its tick. */
const MIN_TOLERANCE_MS = 1000;

/**
 * Runs each task on its cron schedule, each tick exactly once however many schedulers run (a
 * lease per tick in Redis), and, at start and then every minute, the latest tick missed within
 * the grace window.
 */
export async function startScheduler({ app, tasks, timeZone, graceMs, catchUpEveryMs = 60_000 }: SchedulerOptions): Promise<Scheduler> {
  for (const task of tasks) if (!/^[a-z0-9-]+$/.test(task.name)) throw new Error(`task name "${task.name}": expected letters, digits and dashes`);
  const logger = app.logger.child({ component: 'scheduler' });
  const redis = app.redis.connect();
  const busy = new Set<string>();
  const leases = new TickLeases(redis, app.config.core.PARCELBOT_QUEUE_PREFIX, busy);
  const leaseMs = graceMs + SKEW_MS;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();

  const runTick = async (task: ScheduledTask, tick: Date, reason: TaskTick['reason']) => {
    const log = logger.child({ task: task.name, tick: tick.toISOString(), reason });
    log.info('task started');
    try {
      await task.run(app, { tick, reason, signal: stopping.signal });
      log.info('task finished');
    } catch (error) {
      log.error({ err: messageOf(error) }, 'task failed');
    }
  };
  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };

  const cronTasks: CronTask[] = tasks.map((task) =>
    cron.createTask(task.cron, (context) => {
      const work = runTick(task, context.date, 'scheduled');
      track(work);
      return work;
    }, {
      name: task.name,
      timezone: timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: leases,
      distributedLease: leaseMs,
      // A late timer (a blocked event loop) still fires its tick within the grace window: the lease
      // keeps it to one run, and a tick dropped anyway is left to the catch-up passes.
      missedExecutionTolerance: Math.max(graceMs, MIN_TOLERANCE_MS),
      logger: cronLogger(logger),
    }),
  );
  /** Runs `work` unless the task is busy in this process; a timer tick meanwhile is left to another process. */
  const whileIdle = (task: ScheduledTask, work: () => Promise<void>): Promise<void> => {
    if (busy.has(task.name)) return Promise.resolve();
    busy.add(task.name);
    const done = work()
      .catch((error: unknown) => logger.error({ task: task.name, err: messageOf(error) }, 'task start-up or catch-up failed'))
      .finally(() => busy.delete(task.name));
    track(done);
    return done;
  };
  const pass = (task: ScheduledTask) =>
    whileIdle(task, async () => {
      await task.resumeLeftWork?.(app, stopping.signal);
      await catchUp(task);
    });
  const startUps = tasks.map(pass);
  await Promise.all(cronTasks.map((task) => task.start()));
  // node-cron drops a tick whose lease Redis failed to give, and never fires a local time the
  // spring clock change skips: these passes run such ticks once, while within the grace window.
  const catchUpPasses = setInterval(() => {
    for (const task of tasks) void pass(task);
  }, catchUpEveryMs);
  logger.info({ tasks: tasks.map(({ name, cron: expression }) => ({ name, cron: expression })), timeZone }, 'scheduler started');

  async function catchUp(task: ScheduledTask): Promise<void> {
    if (stopping.signal.aborted) return;
    const now = app.clock.now();
    const last = await leases.lastFired(task.name);
    if (!last) return leases.watchFrom(task.name, now);
    const notBefore = new Date(Math.max(last.getTime() + 1, now.getTime() - graceMs));
    const missed = lastDueTick(task.cron, timeZone, now, notBefore);
    if (missed && (await leases.take(task.name, missed, leaseMs))) await runTick(task, missed, 'catch-up');
  }

  return {
    caughtUp: Promise.all(startUps).then(() => {}),
    async stop() {
      stopping.abort();
      clearInterval(catchUpPasses);
      await Promise.all(cronTasks.map((task) => task.stop()));
      // A tick whose lease was being taken as the timers stopped is busy but not running yet: wait for it too.
      while (running.size > 0 || busy.size > 0) await Promise.race([...running, new Promise((resolve) => setTimeout(resolve, 50))]);
      await Promise.all(cronTasks.map((task) => task.destroy()));
      await redis.quit().catch(() => {});
    },
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** node-cron's own messages (a missed tick under load, a coordinator error) go to the log. */
function cronLogger(logger: Logger): CronLogger {
  const log = logger.child({ component: 'node-cron' });
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, error) => log.error({ err: error?.message }, text(message)),
    debug: (message) => log.debug(text(message)),
  };
}
