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
    /**
     * Tasks running in this process: a tick of a busy task is left to another process. A task
     * is added here when its lease is taken; whoever runs it deletes it when done.
     */
    private readonly busy: Set<string>,
  ) {}

  /** node-cron's key for a task's tick. */
  static key(task: string, tick: Date): string {
    return `${task}:${tick.toISOString()}`;
  }

  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const split = key.indexOf(':');
    const task = key.slice(0, split);
    const tick = Date.parse(key.slice(split + 1));
    // Marked busy before the await: a catch-up and a timer tick of one task cannot both pass.
    if (this.busy.has(task)) return false;
    this.busy.add(task);
    const taken = await this.redis.eval(TAKE_LEASE, 2, `${this.prefix}:schedule:lease:${key}`, this.#lastKey(task), this.#owner, ttlMs, tick).catch((error: unknown) => {
      this.busy.delete(task);
      throw error;
    });
    if (taken !== 1) this.busy.delete(task);
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
