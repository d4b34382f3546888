import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type BackgroundCpus, cpuMover } from '../infra/background-cpus.ts';

/** One process announces at most this often: a desk asks several look-ups a second at most, and each announcement lasts minutes. */
const ANNOUNCE_EVERY_MS = 1000;

export interface AgentsPresenceOptions {
  /** A connection for commands (shared). */
  connection: Redis;
  /** Opens the connection a follower subscribes on (a subscribed connection takes no other command). */
  connect(): Redis;
  prefix: string;
  /** AGENTS_AWAY_AFTER: agents are present from a look-up until this long after the last one. */
  awayAfterMs: number;
  onError(error: Error): void;
}

/**
 * Whether agents are looking parcels up, shared through Redis by every process of one
 * installation, so that background work can leave them a CPU only while they are there: a sweep
 * at night, with the call centre closed, then gets every core. Each agent's look-up announces
 * them (a key lasting AGENTS_AWAY_AFTER, for processes starting later, and a message for those
 * already running); background processes follow.
 */
export class AgentsPresence {
  private lastAnnouncedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AgentsPresenceOptions) {}

  private get key(): string {
    return `${this.options.prefix}:agents-present`;
  }

  /** An agent's look-up was just asked for. Not awaited: the look-up does not wait for it. */
  announce(): void {
    const now = performance.now();
    if (now - this.lastAnnouncedAt < ANNOUNCE_EVERY_MS) return;
    this.lastAnnouncedAt = now;
    this.options.connection
      .multi()
      .set(this.key, '1', 'PX', this.options.awayAfterMs)
      .publish(this.key, '1')
      .exec()
      .catch((error: Error) => this.options.onError(error));
  }

  /**
   * Calls `changed(true)` when agents are present (at once if they already are) and
   * `changed(false)` once none has looked a parcel up for AGENTS_AWAY_AFTER. `ready` resolves once
   * it listens (while Redis is unreachable, it waits and reconnects); `stop` ends it at once.
   */
  follow(changed: (present: boolean) => void): { ready: Promise<void>; stop(): void } {
    let present = false;
    let stopped = false;
    let awayTimer: NodeJS.Timeout | undefined;
    const seen = (awayInMs: number): void => {
      if (stopped) return;
      clearTimeout(awayTimer);
      awayTimer = setTimeout(() => {
        present = false;
        changed(false);
      }, awayInMs);
      awayTimer.unref();
      if (present) return;
      present = true;
      changed(true);
    };
    const subscriber = this.options.connect();
    subscriber.on('message', () => seen(this.options.awayAfterMs));
    const ready = (async () => {
      await subscriber.subscribe(this.key);
      const leftMs = await this.options.connection.pttl(this.key);
      if (leftMs > 0) seen(leftMs);
    })().catch((error: unknown) => {
      // Stopped before it listened: nothing to report.
      if (!stopped) throw error;
    });
    return {
      ready,
      stop: () => {
        stopped = true;
        clearTimeout(awayTimer);
        subscriber.disconnect();
      },
    };
  }
}

/**
 * Moves this background process onto `cpus.whileAgents` while agents look parcels up and onto
 * `cpus.otherwise` when they are away, each move logged. Returns the way to stop following. Until
 * it listens (Redis unreachable: it reconnects), the process stays where it is.
 */
export function leaveAgentsTheirCpus(presence: AgentsPresence, cpus: BackgroundCpus, logger: Logger): () => void {
  const move = cpuMover();
  const following = presence.follow((present) => {
    const list = present ? cpus.whileAgents : cpus.otherwise;
    move(list).then(
      () => logger.info({ cpus: list }, present ? 'agents are looking parcels up: background work leaves them the last CPU' : 'no agent look-up for AGENTS_AWAY_AFTER: background work on every CPU'),
      (error: Error) => logger.warn({ err: error.message, cpus: list }, 'background work could not move to these CPUs'),
    );
  });
  following.ready.catch((error: Error) => logger.warn({ err: error.message }, 'cannot follow whether agents look parcels up: background work stays where it is'));
  return following.stop;
}
