import type { Row, Sql } from './database.ts';

/** Where a source's sync stands (see migration 0004). Instants are ISO 8601. */
export interface SyncState {
  source: string;
  cursor?: string;
  windowEnd?: string;
  pageToken?: string;
  lastStartedAt?: string;
  lastFinishedAt?: string;
  lastOutcome?: 'completed' | 'failed';
  lastReport?: unknown;
}

const COLUMNS = 'source, cursor, window_end, page_token, last_started_at, last_finished_at, last_outcome, last_report';

/** Thrown when a run writes after its lease lapsed and another run took the source over. */
export class LeaseLostError extends Error {
  constructor(source: string) {
    super(`the ${source} sync lost its lease (it ran past it and another run took over): nothing more was written`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The sync state of each marketplace source. Every write of a run names its lease: a run whose
 * lease lapsed (a process paused for long) writes nothing over the run that took over.
 */
export class MarketplaceSyncRepository {
  constructor(private readonly sql: Sql) {}

  /** Takes the source's lease when it is free or lapsed; undefined while another run holds it. */
  async claim(source: string, leaseId: string, now: Date, leaseMs: number): Promise<SyncState | undefined> {
    await this.sql.query('insert into marketplace_sync_state (source) values ($1) on conflict (source) do nothing', [source]);
    const [row] = await this.sql.query(
      `update marketplace_sync_state set lease_id = $2, lease_until = $4, last_started_at = $3
       where source = $1 and (lease_until is null or lease_until <= $3) returning ${COLUMNS}`,
      [source, leaseId, now, new Date(now.getTime() + leaseMs)],
    );
    return row && toState(row);
  }

  /** A window begins: read orders updated in [from, to]; `from` becomes the cursor. */
  async startWindow(source: string, leaseId: string, window: { from: string; to: string }, leaseUntil: Date): Promise<void> {
    await this.write(source, leaseId, 'cursor = $3, window_end = $4, page_token = null, lease_until = $5', [window.from, window.to, leaseUntil]);
  }

  /** A page was read and stored: the next starts at `next`, or the window is done and the cursor moves to its end. */
  async pageDone(source: string, leaseId: string, next: string | undefined, leaseUntil: Date): Promise<void> {
    if (next !== undefined) await this.write(source, leaseId, 'page_token = $3, lease_until = $4', [next, leaseUntil]);
    else await this.write(source, leaseId, 'cursor = window_end, window_end = null, page_token = null, lease_until = $3', [leaseUntil]);
  }

  /** The window is read again from its first page (its page token was refused). */
  async restartWindow(source: string, leaseId: string): Promise<void> {
    await this.write(source, leaseId, 'page_token = null', []);
  }

  /** The run ends: its report kept, the lease given back. */
  async finish(source: string, leaseId: string, outcome: 'completed' | 'failed', report: unknown, now: Date): Promise<void> {
    await this.write(source, leaseId, 'last_outcome = $3, last_report = $4, last_finished_at = $5, lease_id = null, lease_until = null', [outcome, JSON.stringify(report), now]);
  }

  /** Gives the lease back without recording a run (the source was not configured). */
  async release(source: string, leaseId: string): Promise<void> {
    await this.write(source, leaseId, 'lease_id = null, lease_until = null', []);
  }

  async find(source: string): Promise<SyncState | undefined> {
    const [row] = await this.sql.query(`select ${COLUMNS} from marketplace_sync_state where source = $1`, [source]);
    return row && toState(row);
  }

  private async write(source: string, leaseId: string, assignments: string, params: readonly unknown[]): Promise<void> {
    const rows = await this.sql.query(`update marketplace_sync_state set ${assignments} where source = $1 and lease_id = $2 returning source`, [source, leaseId, ...params]);
    if (rows.length === 0) throw new LeaseLostError(source);
  }
}

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : value == null ? undefined : new Date(String(value)).toISOString());

function toState(row: Row): SyncState {
  return {
    source: String(row.source),
    cursor: iso(row.cursor),
    windowEnd: iso(row.window_end),
    pageToken: row.page_token == null ? undefined : String(row.page_token),
    lastStartedAt: iso(row.last_started_at),
    lastFinishedAt: iso(row.last_finished_at),
    lastOutcome: (row.last_outcome ?? undefined) as SyncState['lastOutcome'],
    lastReport: row.last_report ?? undefined,
  };
}
