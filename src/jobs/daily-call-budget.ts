import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../infra/clock.ts';
import { msToNextGmtDay } from '../robot-kit/http-status.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { Lane } from './track-job.ts';

/** A day's key outlives its day by this much, for a process whose clock is a little behind. */
const KEPT_AFTER_DAY_MS = 3_600_000;

/**
 * Counts `ARGV[2]` calls for lane `ARGV[1]` in the day's hash (fields `agents`, `background`),
 * unless the lane is the background's and the day's calls of both lanes would pass `ARGV[3]`.
 * Checked and counted in one step, so workers of every process together never pass the limit.
 * Field `stopped` marks the day's first refusal. Returns {counted, the day's calls before, whether
 * this is the first refusal}.
 */
const SPEND = `
local calls = tonumber(ARGV[2])
local before = tonumber(redis.call('hget', KEYS[1], 'agents') or '0') + tonumber(redis.call('hget', KEYS[1], 'background') or '0')
local counted = 1
local first = 0
if ARGV[1] == 'background' and before + calls > tonumber(ARGV[3]) then
  counted = 0
  first = redis.call('hsetnx', KEYS[1], 'stopped', '1')
else
  redis.call('hincrby', KEYS[1], ARGV[1], calls)
end
redis.call('pexpire', KEYS[1], ARGV[4])
return {counted, before, first}`;

/** One carrier's calls of the current GMT day, as counted so far. */
export interface DailyUsage {
  carrier: string;
  /** Calls per GMT day (`<ROBOT>_DAILY_QUOTA`). */
  quota: number;
  /** The day's calls, both lanes together, past which the background makes none. */
  backgroundLimit: number;
  agents: number;
  background: number;
}

export interface DailyCallBudgetOptions {
  /** Shared by every process: the count is theirs together. */
  redis: Redis;
  prefix: string;
  /** Calls per GMT day by carrier (config.dailyQuotas); a carrier without one is not counted. */
  quotas: Readonly<Record<string, number | undefined>>;
  /** AGENT_RATE_SHARE: the percent of each quota the background leaves to agents' look-ups. */
  agentSharePercent: number;
  clock: Clock;
  logger: Logger;
}

/**
 * Keeps a share of each carrier's daily quota for agents, as AGENT_RATE_SHARE does of its rate
 * limit. Every carrier call of a track job is counted in Redis before it is made, per carrier and
 * GMT day, by lane. The background (sweeps, scheduled checks) may call while the day's calls of
 * both lanes stay within (100 - AGENT_RATE_SHARE) % of the quota: agents' look-ups earlier in the
 * day leave the background less, and when it stops at least AGENT_RATE_SHARE % of the quota is
 * left for the agents. Their look-ups are counted but never held here: they may use the whole
 * quota, and only the carrier's own 429 stops them.
 */
export class DailyCallBudget {
  /** Per carrier with a quota: the day's calls past which the background makes none. */
  readonly backgroundLimits: Readonly<Record<string, number>>;

  constructor(private readonly options: DailyCallBudgetOptions) {
    const limits: Record<string, number> = {};
    for (const [carrier, quota] of Object.entries(options.quotas)) {
      // Whole calls, never over the share: in integers, where 0.8 of 10 is 8, not 7.999...
      if (quota !== undefined) limits[carrier] = Math.floor((quota * (100 - options.agentSharePercent)) / 100);
    }
    this.backgroundLimits = Object.freeze(limits);
  }

  /**
   * Counts `calls` calls of `lane` to `carrier`, before they are made. A background job whose calls
   * would pass the background's share is refused whole (none of its calls is counted or made):
   * CARRIER_RATE_LIMITED until 00:00 GMT, so that its worker holds the carrier's background queue
   * as for the carrier's own daily 429.
   */
  async spend(carrier: string, lane: Lane, calls: number): Promise<void> {
    const quota = this.options.quotas[carrier];
    const limit = this.backgroundLimits[carrier];
    if (quota === undefined || limit === undefined) return;
    const nowMs = this.options.clock.now().getTime();
    const untilNextDayMs = msToNextGmtDay(nowMs);
    const [counted, before, first] = (await this.options.redis.eval(SPEND, 1, this.keyOf(carrier, nowMs), lane, calls, limit, untilNextDayMs + KEPT_AFTER_DAY_MS)) as number[];
    if (counted === 1) return;
    const resetsAt = new Date(nowMs + untilNextDayMs).toISOString();
    const message = `${carrier}: the background has reached its share of the daily quota (${before} of ${quota} calls made today, ${limit} at most for sweeps and checks: AGENT_RATE_SHARE keeps ${this.options.agentSharePercent} % for agents' look-ups): its sweeps and checks wait until 00:00 GMT`;
    // Once a day for all processes: the refusals of the other jobs in flight say nothing new.
    if (first === 1) this.options.logger.warn({ carrier, callsToday: before, quota, backgroundLimit: limit, resetsAt }, `background stopped for the day: ${message}`);
    throw new RobotError('CARRIER_RATE_LIMITED', message, { retryAfterMs: untilNextDayMs });
  }

  /** Today's count of every carrier with a quota, for /metrics. */
  async usage(): Promise<DailyUsage[]> {
    const nowMs = this.options.clock.now().getTime();
    const usages: DailyUsage[] = [];
    for (const [carrier, backgroundLimit] of Object.entries(this.backgroundLimits)) {
      const [agents, background] = await this.options.redis.hmget(this.keyOf(carrier, nowMs), 'agents', 'background');
      usages.push({ carrier, quota: this.options.quotas[carrier] ?? 0, backgroundLimit, agents: Number(agents ?? 0), background: Number(background ?? 0) });
    }
    return usages;
  }

  /** One hash per carrier and GMT day (`2026-03-10`): a new day starts from nothing. */
  private keyOf(carrier: string, nowMs: number): string {
    return `${this.options.prefix}:daily-calls:${carrier}:${new Date(nowMs).toISOString().slice(0, 10)}`;
  }
}
