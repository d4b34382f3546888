import type { SweepCounts, SweepLeftWaiting, SweepRecord, SweepState, SweepTrigger } from '../domain/sweep.ts';
import type { Row, Sql } from './database.ts';

/** How many failures a record keeps by name; the count covers them all (and each has an exception). */
export const KEPT_FAILURES = 100;

/** How a run ended: done or interrupted, when, and the carriers whose held queues it did not wait for. */
export interface SweepRunEnd {
  state: Exclude<SweepState, 'running'>;
  at: Date;
  leftWaiting: readonly SweepLeftWaiting[];
}

export interface SweepProgress {
  counts: SweepCounts;
  eventCursors: Record<string, string>;
  countsExact: boolean;
}

/** The record of every sweep: `parcelbot sweeps`, and what a resumed sweep carries on from. */
export class SweepRepository {
  constructor(private readonly sql: Sql) {}

  async create(sweep: { id: string; trigger: SweepTrigger; tick?: Date; startedAt: Date }): Promise<SweepRecord> {
    const [row] = await this.sql.query('insert into sweeps (id, trigger, tick, started_at, state) values ($1, $2, $3, $4, $5) returning *', [
      sweep.id,
      sweep.trigger,
      sweep.tick ?? null,
      sweep.startedAt,
      'running',
    ]);
    return toRecord(row as Row);
  }

  async get(id: string): Promise<SweepRecord | undefined> {
    const [row] = await this.sql.query('select * from sweeps where id = $1', [id]);
    return row && toRecord(row);
  }

  /** Newest first. */
  async list(limit = 50): Promise<SweepRecord[]> {
    const rows = await this.sql.query('select * from sweeps order by started_at desc, id limit $1', [limit]);
    return rows.map(toRecord);
  }

  /** The newest interrupted sweep, of one trigger or of any. */
  async latestInterrupted(trigger?: SweepTrigger): Promise<SweepRecord | undefined> {
    const [row] = await this.sql.query(
      `select * from sweeps where state = 'interrupted' and ($1::text is null or trigger = $1) order by started_at desc, id limit 1`,
      [trigger ?? null],
    );
    return row && toRecord(row);
  }

  /**
   * Sweeps still marked running but not `runningId` (the one holding the sweep lock, if any):
   * their process stopped without saying so. They become interrupted.
   */
  async interruptOrphans(runningId: string | undefined): Promise<void> {
    await this.sql.query(`update sweeps set state = 'interrupted' where state = 'running' and id is distinct from $1`, [runningId ?? null]);
  }

  /** An interrupted sweep runs again; undefined when it is not interrupted (done, or taken by another process). */
  async resume(id: string): Promise<SweepRecord | undefined> {
    const [row] = await this.sql.query(`update sweeps set state = 'running', runs = runs + 1 where id = $1 and state = 'interrupted' returning *`, [id]);
    return row && toRecord(row);
  }

  /** Hands out `count` batch numbers, returns the first: written before the jobs are enqueued, so never reused. */
  async reserveBatches(id: string, count: number): Promise<number> {
    const [row] = await this.sql.query<{ first: number }>('update sweeps set batches = batches + $2 where id = $1 returning batches - $2 as first', [id, count]);
    if (!row) throw new Error(`no sweep ${id}`);
    return Number(row.first);
  }

  /** Saves the counts and event cursors; with an end (done, interrupted) it also ends this run. */
  async save(id: string, progress: SweepProgress, end?: SweepRunEnd): Promise<void> {
    const { counts } = progress;
    await this.sql.query(
      `update sweeps set enqueued = $2, checked = $3, by_status = $4, not_found = $5, rejected = $6, failed = $7, failures = $8,
         event_cursors = $9, counts_exact = $10, state = coalesce($11, state), finished_at = case when $11 = 'done' then $12 else finished_at end,
         left_waiting = coalesce($13, left_waiting)
       where id = $1`,
      [
        id,
        counts.enqueued,
        counts.checked,
        JSON.stringify(counts.byStatus),
        counts.notFound,
        counts.rejected,
        counts.failed,
        JSON.stringify(counts.failures.slice(0, KEPT_FAILURES)),
        JSON.stringify(progress.eventCursors),
        progress.countsExact,
        end?.state ?? null,
        end?.at ?? null,
        end ? JSON.stringify(end.leftWaiting) : null,
      ],
    );
  }
}

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : value == null ? undefined : new Date(String(value)).toISOString());
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function toRecord(row: Row): SweepRecord {
  return {
    id: String(row.id),
    trigger: row.trigger as SweepTrigger,
    tick: iso(row.tick),
    startedAt: iso(row.started_at) ?? '',
    finishedAt: iso(row.finished_at),
    state: row.state as SweepState,
    runs: Number(row.runs),
    batches: Number(row.batches),
    enqueued: Number(row.enqueued),
    checked: Number(row.checked),
    byStatus: json(row.by_status),
    notFound: Number(row.not_found),
    rejected: Number(row.rejected),
    failed: Number(row.failed),
    failures: json(row.failures),
    eventCursors: json(row.event_cursors),
    countsExact: Boolean(row.counts_exact),
    leftWaiting: json(row.left_waiting),
  };
}
