import type { PrivateRedis } from '../testing/private-redis.ts';
import type { Role } from './cast.ts';
import { type FaultSwitch, sleep } from './fault-switch.ts';
import { systemClock } from '../infra/clock.ts';

/** What the script did, for the report. */
export interface ScriptLog {
  workerKills: string[];
  redisRestarts: number;
  schedulerRestarts: number;
}

export interface ScriptOptions {
  workers: readonly Role[];
  scheduler: Role;
  redis: PrivateRedis;
  faults: FaultSwitch;
  durationMs: number;
  kills: number;
  random: () => number;
  /** Lines of progress, for the operator watching. */
  say(line: string): void;
}

type Event = { at: number; name: string; act: () => Promise<void> };

/**
 * The chaos itself, at seeded random moments of `durationMs`, one event at a time (a worker is
 * never restarted while Redis is down, as a supervisor would wait for it): `kills` SIGKILLs of a
 * worker's whole process group, each restarted soon after; Redis stopped and started again once;
 * the scheduler killed and started again once; the relay portal's layout changed for a while;
 * bursts of 429; SMTP refusals.
 */
export async function runScript(options: ScriptOptions, signal: AbortSignal): Promise<ScriptLog> {
  const { workers, scheduler, redis, faults, durationMs, random, say } = options;
  const log: ScriptLog = { workerKills: [], redisRestarts: 0, schedulerRestarts: 0 };
  const within = (from: number, to: number) => Math.round(durationMs * (from + random() * (to - from)));
  const events: Event[] = [];
  for (let kill = 0; kill < options.kills; kill++) {
    const worker = workers[Math.floor(random() * workers.length)]!;
    const downMs = 200 + Math.round(random() * 1500);
    events.push({
      at: within(0.05, 0.9),
      name: `SIGKILL ${worker.name}`,
      act: async () => {
        await worker.kill();
        log.workerKills.push(worker.name);
        await sleep(downMs);
        await worker.start();
      },
    });
  }
  events.push({
    at: within(0.3, 0.6),
    name: 'restart Redis',
    act: async () => {
      await redis.restart(1500);
      log.redisRestarts += 1;
    },
  });
  events.push({
    at: within(0.4, 0.8),
    name: 'SIGKILL the scheduler and start it again',
    act: async () => {
      await scheduler.kill();
      await sleep(1000);
      await scheduler.start();
      log.schedulerRestarts += 1;
    },
  });
  events.push({ at: within(0.15, 0.4), name: 'relay portal layout change (8 s)', act: () => faults.portalLayoutChange(8000) });
  for (let burst = 0; burst < 6; burst++) events.push({ at: within(0, 0.95), name: '429 burst', act: () => faults.burst(burst) });
  for (let refusal = 0; refusal < 3; refusal++) events.push({ at: within(0.1, 0.9), name: 'SMTP refuses 3 messages (451)', act: () => faults.smtpRefusals(3) });

  const start = systemClock.now().getTime();
  for (const event of events.sort((a, b) => a.at - b.at)) {
    const wait = event.at - (systemClock.now().getTime() - start);
    if (wait > 0) await sleep(wait);
    if (signal.aborted) break;
    say(`${Math.round((systemClock.now().getTime() - start) / 1000)} s: ${event.name}`);
    await event.act();
  }
  return log;
}
