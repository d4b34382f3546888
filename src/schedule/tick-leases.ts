import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { RunCoordinator } from 'node-cron';

// Takes the tick's lease and, with it, moves the task's last fired tick forward (never back).
const TAKE_LEASE = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local last = redis.call('get', KEYS[2])
  if (not last) or tonumber(last) < tonumber(ARGV[3]) then redis.call('set', KEYS[2], ARGV[3]) end
  return 1
end
return 0`;

/**
 * Which scheduler process runs a tick: the first to take its lease in Redis, a key per task and
 * scheduled time (SET NX with an expiry). The expiry outlives the catch-up window, so a tick is
 * never run twice, whether by the processes' timers or by a catch-up at start. Also node-cron's
 * RunCoordinator: its key is `<task>:<tick ISO time>`.
 */
export class TickLeases implements RunCoordinator {
  readonly #owner = `${hostname()}:${process.pid}`;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Tasks at work in this process (a tick, or the scheduler's start-up): their ticks are left to another process. */
    private readonly busy: Set<string>,
  ) {}

  /** node-cron asks before each tick, with `<task>:<tick ISO time>`: a task busy in this process is left to another one. */
  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const task = key.slice(0, key.indexOf(':'));
    // Marked busy before the await: two ticks of one task cannot both pass.
    if (this.busy.has(task)) return false;
    this.busy.add(task);
    const taken = await this.take(task, new Date(key.slice(task.length + 1)), ttlMs).catch((error: unknown) => {
      this.busy.delete(task);
      throw error;
    });
    if (!taken) this.busy.delete(task);
    return taken;
  }

  /** Takes the lease of `task`'s `tick`: true for the one process that gets it. */
  async take(task: string, tick: Date, ttlMs: number): Promise<boolean> {
    const taken = await this.redis.eval(TAKE_LEASE, 2, `${this.prefix}:schedule:lease:${task}:${tick.toISOString()}`, this.#lastKey(task), this.#owner, ttlMs, tick.getTime());
    return taken === 1;
  }

  /** node-cron calls this after running a tick it took. */
  onComplete(key: string): void {
    this.busy.delete(key.slice(0, key.indexOf(':')));
  }

  /** The last tick of `task` any process fired, or when a scheduler first watched it; undefined before that. */
  async lastFired(task: string): Promise<Date | undefined> {
    const value = await this.redis.get(this.#lastKey(task));
    return value === null ? undefined : new Date(Number(value));
  }

  /** The first start of a scheduler for `task`: ticks before `now` were nobody's to run. */
  async watchFrom(task: string, now: Date): Promise<void> {
    await this.redis.set(this.#lastKey(task), String(now.getTime()), 'NX');
  }

  #lastKey(task: string): string {
    return `${this.prefix}:schedule:last:${task}`;
  }
}
