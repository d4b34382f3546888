-- Smart sweeps: when each shipment is next due for a check (src/schedule/next-check.ts).
-- '-infinity' (the default): due now, a shipment never checked. null: never again (retired,
-- refused by the carrier, or final for FINAL_RECHECK_DAYS).
alter table shipments add column next_check_at timestamptz default '-infinity';
-- When the robots first read the shipment as final: its last re-checks count from there.
alter table shipments add column final_at timestamptz;
-- Final before smart sweeps existed: sweeps had stopped checking them, and still do.
update shipments set next_check_at = null, final_at = coalesce(delivered_at, last_checked_at, updated_at) where is_final;
create index shipments_due on shipments (next_check_at, id) where next_check_at is not null;

-- Every sweep, whoever started it, with its counts by outcome. A sweep checks the shipments due
-- at started_at; a resumed one keeps that instant, so what it checked is no longer due.
create table sweeps (
  id text primary key,
  trigger text not null check (trigger in ('manual', 'scheduled', 'api')),
  -- A scheduled sweep's tick (the scheduled time, not when it ran).
  tick timestamptz,
  started_at timestamptz not null,
  finished_at timestamptz,
  state text not null check (state in ('running', 'done', 'interrupted')),
  -- 1, plus one per resume.
  runs integer not null default 1,
  -- Batch numbers handed out: job ids sweep-<id>-<n> are never reused, even by a resumed run.
  batches integer not null default 0,
  enqueued integer not null default 0,
  checked integer not null default 0,
  by_status jsonb not null default '{}',
  not_found integer not null default 0,
  rejected integer not null default 0,
  failed integer not null default 0,
  -- The first failures (number, carrier, reason); every one also has an exception row.
  failures jsonb not null default '[]',
  -- Per carrier queue, the last event of its BullMQ event stream counted: a resumed run reads on from there.
  event_cursors jsonb not null default '{}',
  -- False when events were trimmed from a stream before a resumed run could count them.
  counts_exact boolean not null default true
);
create index sweeps_recent on sweeps (started_at desc);
