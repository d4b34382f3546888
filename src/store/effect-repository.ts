import type { Row, Sql } from './database.ts';

export type EffectState = 'started' | 'done' | 'failed';

export interface Effect {
  key: string;
  followUpId: string;
  target: string;
  state: EffectState;
  request?: Record<string, unknown>;
  response?: unknown;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

export interface EffectStart {
  key: string;
  followUpId: string;
  target: string;
  request?: Readonly<Record<string, unknown>>;
}

/** The effects table: one row per idempotency key (src/followups/effect-ledger.ts decides what a row means). */
export class EffectRepository {
  constructor(private readonly sql: Sql) {}

  async get(key: string): Promise<Effect | undefined> {
    const [row] = await this.sql.query('select * from effects where key = $1', [key]);
    return row && toEffect(row);
  }

  async listFor(followUpId: string): Promise<Effect[]> {
    const rows = await this.sql.query('select * from effects where followup_id = $1 order by started_at, key', [followUpId]);
    return rows.map(toEffect);
  }

  /**
   * Records `started` for a key never seen, or seen `failed` (the target refused it: nothing
   * happened). True when this caller now owns the call; false when the key was started or done.
   */
  async claim(start: EffectStart, now: Date): Promise<boolean> {
    const rows = await this.sql.query(
      `insert into effects (key, followup_id, target, state, request, started_at) values ($1, $2, $3, 'started', $4, $5)
       on conflict (key) do update set state = 'started', error = null, started_at = excluded.started_at, finished_at = null
         where effects.state = 'failed'
       returning key`,
      [start.key, start.followUpId, start.target, start.request ? JSON.stringify(start.request) : null, now],
    );
    return rows.length > 0;
  }

  /** A `started` key whose call runs again (the target said it never happened, or takes the key again). */
  async restart(key: string, now: Date): Promise<void> {
    await this.sql.query(`update effects set started_at = $2 where key = $1 and state = 'started'`, [key, now]);
  }

  async finish(key: string, response: unknown, now: Date): Promise<void> {
    await this.sql.query(`update effects set state = 'done', response = $2, error = null, finished_at = $3 where key = $1`, [
      key,
      JSON.stringify(response ?? null),
      now,
    ]);
  }

  /** The target refused the call: it did not happen, and may be called again. */
  async fail(key: string, error: string, now: Date): Promise<void> {
    await this.sql.query(`update effects set state = 'failed', error = $2, finished_at = $3 where key = $1 and state = 'started'`, [key, error, now]);
  }
}

function toEffect(row: Row): Effect {
  return {
    key: String(row.key),
    followUpId: String(row.followup_id),
    target: String(row.target),
    state: row.state as EffectState,
    request: (row.request ?? undefined) as Record<string, unknown> | undefined,
    response: row.response ?? undefined,
    error: row.error == null ? undefined : String(row.error),
    startedAt: (row.started_at as Date).toISOString(),
    finishedAt: row.finished_at == null ? undefined : (row.finished_at as Date).toISOString(),
  };
}
