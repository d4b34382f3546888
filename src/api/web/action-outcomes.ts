import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a manager's action did: how many were done, and each exception refused with the problem's detail (the field and the fix). */
export interface ActionOutcome {
  action: string;
  done: number;
  refused: { id: number; detail: string }[];
}

/** Long enough to follow the redirect and reload the page; short enough that nothing piles up. */
const KEEP_MS = 10 * 60_000;

/** What `save` returns: 16 random bytes, base64url. */
export const OUTCOME_ID = /^[A-Za-z0-9_-]{22}$/;

export interface ActionOutcomesOptions {
  /** Shared by every server of the installation: the page after the redirect may be served by another. */
  redis: Redis;
  /** PARCELBOT_QUEUE_PREFIX: keeps the installation's keys apart from another's in the same Redis. */
  prefix: string;
}

/**
 * Carries an action's outcome across the redirect that follows a form (post, redirect, get):
 * kept in Redis under a random id for a few minutes, the id alone in the URL. Details may name
 * who closed an exception and a bulk action may refuse hundreds: neither fits a URL or a cookie.
 * Only the manager who acted reads it back.
 */
export class ActionOutcomes {
  constructor(private readonly options: ActionOutcomesOptions) {}

  async save(manager: string, outcome: ActionOutcome): Promise<string> {
    const id = randomBytes(16).toString('base64url');
    await this.options.redis.set(this.key(id), JSON.stringify({ manager, outcome }), 'PX', KEEP_MS);
    return id;
  }

  /** The outcome, if this manager saved it and it has not expired; undefined otherwise (an id from someone else's URL shows nothing). */
  async read(manager: string, id: string): Promise<ActionOutcome | undefined> {
    const saved = await this.options.redis.get(this.key(id));
    if (!saved) return undefined;
    const { manager: savedBy, outcome } = JSON.parse(saved) as { manager: string; outcome: ActionOutcome };
    return savedBy === manager ? outcome : undefined;
  }

  private key(id: string): string {
    return `${this.options.prefix}:action-outcome:${id}`;
  }
}
