import type { FollowUpKind, FollowUpState } from '../domain/follow-up.ts';
import type { ExecutionResult, FollowUp } from '../followups/follow-up-executor.ts';
import type { Database, Row, Sql } from './database.ts';
import type { EffectState } from './effect-repository.ts';

/** A follow-up with what the runtime keeps about it. */
export interface StoredFollowUp extends FollowUp {
  valueAtStake?: number;
  currency?: string;
  approvalRequired: boolean;
  result?: ExecutionResult;
  lastError?: { code: string; message: string };
  updatedAt: string;
}

/** A follow-up as listed for a person: with its parcel. */
export interface ListedFollowUp extends StoredFollowUp {
  trackingNumber: string;
  carrier: string;
}

/** What follow-ups are listed by; every field optional. */
export interface FollowUpFilter {
  state?: FollowUpState;
  kind?: FollowUpKind;
  shipmentId?: number;
  /** At most this many (default 1000). */
  limit?: number;
  /** After skipping this many (default 0): the next page. */
  offset?: number;
}

/** The two audit rows of a new follow-up: its proposal, and what the approval policy made of it. */
export interface ProposalAudit {
  proposed: AuditRecord;
  policy: AuditRecord;
}

export type NewFollowUp = Omit<StoredFollowUp, 'state' | 'result' | 'lastError' | 'createdAt' | 'updatedAt'> & { state: 'proposed' | 'awaiting_approval' };

/** `rule:<id>`, `manager:<name>`, `system` (a policy) or `worker`. */
export type Actor = `rule:${string}` | `manager:${string}` | 'system' | 'worker';

/** One line of the audit trail, as written. */
export interface AuditRecord {
  actor: Actor;
  event: string;
  details?: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends AuditRecord {
  at: string;
  fromState?: FollowUpState;
  toState?: FollowUpState;
}

/** A follow-up another one must not overlap with (FollowUpRepository.startUnless), with its effects' targets and states. */
export interface Rival extends StoredFollowUp {
  effects: { target: string; state: EffectState }[];
}

/**
 * Why a follow-up is not started (FollowUpRepository.startUnless): an audit row alone cancels it;
 * with `until`, it stays `proposed`, due then, with the audit row: not now, but later.
 */
export type StartVeto = AuditRecord | { until: Date; audit: AuditRecord };

export interface Transition {
  /** The states the follow-up may be in; in any other, nothing changes. */
  from: readonly FollowUpState[];
  to: FollowUpState;
  audit: AuditRecord;
  result?: ExecutionResult;
  lastError?: { code: string; message: string };
  /** A new due time (ISO 8601): a follow-up put off until then (follow-up-processor.ts, FollowUpDeferral). */
  dueAt?: string;
}

const COLUMNS = `f.id, f.shipment_id, f.kind, f.state, f.rule_id, f.params, f.reason, f.due_at, f.value_at_stake, f.currency,
  f.approval_required, f.result, f.last_error, f.created_at, f.updated_at`;

/** The follow-ups a filter matches, with their parcel: `$1` state, `$2` shipment, `$3` kind (`matchingParams`). */
const MATCHING = `from followups f join shipments s on s.id = f.shipment_id
  where ($1::text is null or f.state = $1) and ($2::integer is null or f.shipment_id = $2) and ($3::text is null or f.kind = $3)`;

const matchingParams = (filter: FollowUpFilter) => [filter.state ?? null, filter.shipmentId ?? null, filter.kind ?? null];

/**
 * The follow-ups whose `column` equals `valueExpression`, due first, for a lateral join over
 * several values (ids, shipment ids). The `order by` inside keeps the planner from merging it into
 * a join, so each value is looked up through its index whatever the statistics say: a sweep fills
 * followups faster than statistics follow (none at all where autovacuum is off), a prepared
 * statement keeps the plan made when the table was small, and a hash join then read the whole table
 * for every batch. No index gives that order, so none is walked whole to avoid sorting a few rows.
 */
const FOLLOW_UPS_WHERE = (column: 'id' | 'shipment_id', valueExpression: string): string => `select * from followups where ${column} = ${valueExpression} order by due_at, id`;

/** Follow-ups and their audit trail. Every change of state writes its audit row in the same transaction. */
export class FollowUpRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates the follow-up with two audit rows: the proposal (to `proposed`) and what the approval
   * policy made of it (to its state). When one with this id exists nothing is written and the
   * existing one is returned (`created: false`).
   */
  async create(followUp: NewFollowUp, audit: ProposalAudit, now: Date): Promise<{ followUp: StoredFollowUp; created: boolean }> {
    const [created] = await this.createMany([{ followUp, audit }], now);
    return created!;
  }

  /**
   * `create` for several follow-ups in one statement (a sweep job's rules decide for many
   * parcels at once): each follow-up and its audit rows are written together or not at all.
   * One answer per entry, in order; an id given twice is created by its first entry only.
   */
  async createMany(entries: readonly { followUp: NewFollowUp; audit: ProposalAudit }[], now: Date): Promise<{ followUp: StoredFollowUp; created: boolean }[]> {
    if (entries.length === 0) return [];
    const ids = new Set<string>();
    const firsts = entries.filter(({ followUp }) => !ids.has(followUp.id) && ids.add(followUp.id));
    const audits = firsts.flatMap(({ followUp, audit }) => [
      auditRow(followUp.id, audit.proposed, undefined, 'proposed'),
      auditRow(followUp.id, audit.policy, 'proposed', followUp.state),
    ]);
    // The statement sees the follow-ups stored before it; those it creates come from its insert.
    const rows = await this.db.query(
      `with created as (
         insert into followups (id, shipment_id, kind, state, rule_id, params, reason, due_at, value_at_stake, currency, approval_required, created_at, updated_at)
         select r.id, r.shipment_id, r.kind, r.state, r.rule_id, r.params, r.reason, r.due_at, r.value_at_stake, r.currency, r.approval_required, $3, $3
         from json_to_recordset($1::json) as r(id text, shipment_id integer, kind text, state text, rule_id text, params jsonb, reason text,
           due_at timestamptz, value_at_stake numeric, currency text, approval_required boolean)
         on conflict (id) do nothing
         returning *
       ), audited as (
         insert into followup_audit (followup_id, at, actor, event, from_state, to_state, details)
         select a.followup_id, $3, a.actor, a.event, a.from_state, a.to_state, a.details
         from json_to_recordset($2::json) as a(position integer, followup_id text, actor text, event text, from_state text, to_state text, details jsonb)
         where a.followup_id in (select id from created)
         order by a.position
       )
       select ${COLUMNS}, true as created from created f
       union all
       select ${COLUMNS}, false as created from json_to_recordset($1::json) as r(id text) cross join lateral (${FOLLOW_UPS_WHERE('id', 'r.id')}) f`,
      [JSON.stringify(firsts.map(({ followUp }) => newRow(followUp))), JSON.stringify(audits.map((row, position) => ({ position, ...row }))), now],
    );
    const stored = new Map(rows.map((row) => [String(row.id), { followUp: toFollowUp(row), created: Boolean(row.created) }]));
    // Created by another process after this statement began, and so not visible to it: read again.
    const missing = firsts.filter(({ followUp }) => !stored.has(followUp.id)).map(({ followUp }) => followUp.id);
    if (missing.length > 0) {
      const again = await this.db.query(`select ${COLUMNS} from followups f where f.id = any($1::text[])`, [missing]);
      for (const row of again) stored.set(String(row.id), { followUp: toFollowUp(row), created: false });
    }
    const seen = new Set<string>();
    return entries.map(({ followUp }) => {
      const found = stored.get(followUp.id);
      if (!found) throw new Error(`follow-up ${followUp.id} vanished while it was created`);
      const first = !seen.has(followUp.id);
      seen.add(followUp.id);
      return first ? found : { followUp: found.followUp, created: false };
    });
  }

  async get(id: string): Promise<StoredFollowUp | undefined> {
    return getIn(this.db, id);
  }

  /** Due first; with the parcel's number and carrier. */
  async list(filter: FollowUpFilter = {}): Promise<ListedFollowUp[]> {
    const rows = await this.db.query(`select ${COLUMNS}, s.tracking_number, s.carrier ${MATCHING} order by f.due_at, f.id limit $4 offset $5`, [
      ...matchingParams(filter),
      filter.limit ?? 1000,
      filter.offset ?? 0,
    ]);
    return rows.map((row) => ({ ...toFollowUp(row), trackingNumber: String(row.tracking_number), carrier: String(row.carrier) }));
  }

  /** A page of `list` and how many match in all (counted on its own: a page past the end still says how many there are). */
  async page(filter: FollowUpFilter = {}): Promise<{ total: number; items: ListedFollowUp[] }> {
    const [count] = await this.db.query(`select count(*)::int as n ${MATCHING}`, matchingParams(filter));
    return { total: Number(count?.n ?? 0), items: await this.list(filter) };
  }

  /** The follow-ups of these shipments (each once, however often it is named), due first (as `list` orders them). */
  async ofShipments(shipmentIds: readonly number[]): Promise<StoredFollowUp[]> {
    if (shipmentIds.length === 0) return [];
    const rows = await this.db.query(
      `select ${COLUMNS} from unnest($1::integer[]) as ids(id) cross join lateral (${FOLLOW_UPS_WHERE('shipment_id', 'ids.id')}) f order by f.due_at, f.id`,
      [[...new Set(shipmentIds)]],
    );
    return rows.map(toFollowUp);
  }

  /**
   * Moves the follow-up to `to` if it is in one of `from` (compare and set: two workers, or a
   * worker and a manager, cannot both win), with its audit row. Undefined when it was not.
   */
  async transition(id: string, change: Transition, now: Date): Promise<StoredFollowUp | undefined> {
    return this.db.transaction((tx) => transitionIn(tx, id, change, now));
  }

  /**
   * Starts a `proposed` follow-up (to `running`, with the `start` audit row) unless `veto`, shown
   * the other follow-ups of `rivals.kind` on `rivals.shipmentIds` with the states of their
   * effects, gives a reason not to: then it is `cancelled` with that audit row instead, or, for a
   * veto with `until`, left `proposed` and due then. This follow-up and its rivals are locked (for
   * update, in id order) and read in the transaction that moves it, so two starts among the same
   * rivals run one after the other and the second sees the first `running`. Undefined when the
   * follow-up is not `proposed` (already running, settled). `alongside` writes what must be
   * stored with the move, in its transaction (a manager case for a reshipment cancelled).
   */
  async startUnless<Veto extends StartVeto>(
    id: string,
    rivals: { kind: FollowUpKind; shipmentIds: readonly number[] },
    start: AuditRecord,
    veto: (rivals: readonly Rival[]) => Veto | undefined,
    now: Date,
    alongside?: (tx: Sql, moved: StoredFollowUp, vetoed: Veto | undefined) => Promise<void>,
  ): Promise<StoredFollowUp | undefined> {
    return this.db.transaction(async (tx) => {
      const locked = await tx.query(
        `select ${COLUMNS} from followups f where f.id = $1 or (f.kind = $2 and f.shipment_id = any($3::integer[])) order by f.id for update`,
        [id, rivals.kind, rivals.shipmentIds],
      );
      const self = locked.find((row) => row.id === id);
      if (!self || self.state !== 'proposed') return undefined;
      const others = locked.filter((row) => row.id !== id).map(toFollowUp);
      const effects =
        others.length === 0
          ? []
          : await tx.query<{ followup_id: string; target: string; state: EffectState }>('select followup_id, target, state from effects where followup_id = any($1::text[]) order by started_at, key', [
              others.map((other) => other.id),
            ]);
      const shown = others.map((other) => ({ ...other, effects: effects.filter((effect) => effect.followup_id === other.id).map(({ target, state }) => ({ target, state })) }));
      const vetoed = veto(shown);
      const change: Transition = !vetoed
        ? { from: ['proposed'], to: 'running', audit: start }
        : 'until' in vetoed
          ? { from: ['proposed'], to: 'proposed', audit: vetoed.audit, dueAt: vetoed.until.toISOString() }
          : { from: ['proposed'], to: 'cancelled', audit: vetoed };
      const moved = await transitionIn(tx, id, change, now);
      if (moved) await alongside?.(tx, moved, vetoed);
      return moved;
    });
  }

  /** An audit row without a change of state (an effect, a failed attempt), the state it happened in included. */
  async note(id: string, record: AuditRecord, now: Date): Promise<void> {
    await this.noteMany([{ id, record }], now);
  }

  /** `note` for several follow-ups in one statement: every row written, or none when one of them does not exist. */
  async noteMany(notes: readonly { id: string; record: AuditRecord }[], now: Date): Promise<void> {
    if (notes.length === 0) return;
    const rows = notes.map(({ id, record }, position) => ({ position, followup_id: id, actor: record.actor, event: record.event, details: record.details ?? null }));
    // One statement, so all or nothing without a transaction: nothing is written when a follow-up is missing.
    const written = await this.db.query(
      `with note as (select * from json_to_recordset($1::json) as n(position integer, followup_id text, actor text, event text, details jsonb)),
       found as (select n.position, n.actor, n.event, n.details, f.id, f.state from note n cross join lateral (${FOLLOW_UPS_WHERE('id', 'n.followup_id')}) f)
       insert into followup_audit (followup_id, at, actor, event, from_state, to_state, details)
       select id, $2, actor, event, state, state, details from found
       where (select count(*) from found) = (select count(*) from note)
       order by position
       returning followup_id`,
      [JSON.stringify(rows), now],
    );
    if (written.length === notes.length) return;
    const existing = new Set((await this.db.query<{ id: string }>('select id from followups where id = any($1::text[])', [notes.map(({ id }) => id)])).map((row) => row.id));
    throw new Error(`no follow-up ${notes.find(({ id }) => !existing.has(id))?.id}`);
  }

  /** The audit trail, oldest first. */
  async audit(id: string): Promise<AuditEntry[]> {
    return (await this.auditOf([id])).get(id) ?? [];
  }

  /** The audit trails of several follow-ups in one query (a shipment's), each oldest first. */
  async auditOf(ids: readonly string[]): Promise<Map<string, AuditEntry[]>> {
    const trails = new Map<string, AuditEntry[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return trails;
    const rows = await this.db.query(
      'select followup_id, at, actor, event, from_state, to_state, details from followup_audit where followup_id = any($1::text[]) order by followup_id, id',
      [ids],
    );
    for (const row of rows) trails.get(String(row.followup_id))?.push(toAuditEntry(row));
    return trails;
  }

  /** Every follow-up counted by kind and state (the dashboard, /metrics): counted by the database, never read row by row. */
  async countsByKindAndState(): Promise<{ kind: FollowUpKind; state: FollowUpState; count: number }[]> {
    const rows = await this.db.query<{ kind: FollowUpKind; state: FollowUpState; n: number }>(
      'select kind, state, count(*)::int as n from followups group by kind, state order by kind, state',
    );
    return rows.map((row) => ({ kind: row.kind, state: row.state, count: Number(row.n) }));
  }
}

function toAuditEntry(row: Row): AuditEntry {
  return {
    at: (row.at as Date).toISOString(),
    actor: row.actor as Actor,
    event: String(row.event),
    fromState: (row.from_state ?? undefined) as FollowUpState | undefined,
    toState: (row.to_state ?? undefined) as FollowUpState | undefined,
    details: (row.details ?? undefined) as Record<string, unknown> | undefined,
  };
}

function newRow(followUp: NewFollowUp): Record<string, unknown> {
  return {
    id: followUp.id,
    shipment_id: followUp.shipmentId,
    kind: followUp.kind,
    state: followUp.state,
    rule_id: followUp.ruleId,
    params: followUp.params,
    reason: followUp.reason,
    due_at: followUp.dueAt,
    value_at_stake: followUp.valueAtStake ?? null,
    currency: followUp.currency ?? null,
    approval_required: followUp.approvalRequired,
  };
}

function auditRow(id: string, record: AuditRecord, from: FollowUpState | undefined, to: FollowUpState | undefined): Record<string, unknown> {
  return { followup_id: id, actor: record.actor, event: record.event, from_state: from ?? null, to_state: to ?? null, details: record.details ?? null };
}

async function appendAudit(sql: Sql, id: string, record: AuditRecord, at: Date, from: FollowUpState | undefined, to: FollowUpState | undefined): Promise<void> {
  await sql.query(
    'insert into followup_audit (followup_id, at, actor, event, from_state, to_state, details) values ($1, $2, $3, $4, $5, $6, $7)',
    [id, at, record.actor, record.event, from ?? null, to ?? null, record.details ? JSON.stringify(record.details) : null],
  );
}

async function transitionIn(tx: Sql, id: string, change: Transition, now: Date): Promise<StoredFollowUp | undefined> {
  const [current] = await tx.query<{ state: FollowUpState }>('select state from followups where id = $1 for update', [id]);
  if (!current || !change.from.includes(current.state)) return undefined;
  await tx.query(
    `update followups set state = $2, updated_at = $3,
       result = coalesce($4::jsonb, result), last_error = coalesce($5::jsonb, last_error), due_at = coalesce($6::timestamptz, due_at)
     where id = $1`,
    [id, change.to, now, change.result ? JSON.stringify(change.result) : null, change.lastError ? JSON.stringify(change.lastError) : null, change.dueAt ?? null],
  );
  await appendAudit(tx, id, change.audit, now, current.state, change.to);
  return getIn(tx, id);
}

async function getIn(sql: Sql, id: string): Promise<StoredFollowUp | undefined> {
  const [row] = await sql.query(`select ${COLUMNS} from followups f where f.id = $1`, [id]);
  return row && toFollowUp(row);
}

function toFollowUp(row: Row): StoredFollowUp {
  return {
    id: String(row.id),
    shipmentId: Number(row.shipment_id),
    kind: row.kind as FollowUpKind,
    state: row.state as FollowUpState,
    ruleId: String(row.rule_id),
    params: (row.params ?? {}) as Record<string, unknown>,
    reason: String(row.reason),
    dueAt: (row.due_at as Date).toISOString(),
    valueAtStake: row.value_at_stake == null ? undefined : Number(row.value_at_stake),
    currency: row.currency == null ? undefined : String(row.currency),
    approvalRequired: Boolean(row.approval_required),
    result: (row.result ?? undefined) as ExecutionResult | undefined,
    lastError: (row.last_error ?? undefined) as StoredFollowUp['lastError'],
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}
