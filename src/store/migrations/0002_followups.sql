-- Follow-ups (src/followups/): what parcelbot does about a shipment once rules decided.

-- A reshipment's new parcel points at the parcel it replaces.
alter table shipments add column reshipment_of integer references shipments (id);
create index shipments_reshipment_of on shipments (reshipment_of) where reshipment_of is not null;

-- One row per shipment, kind, rule and parameters: the id is derived from them (src/followups/follow-up-id.ts).
create table followups (
  id text primary key,
  shipment_id integer not null references shipments (id),
  kind text not null check (kind in ('reshipment', 'carrier_claim', 'return_label', 'customer_email', 'refund', 'manager_case')),
  state text not null check (state in ('proposed', 'awaiting_approval', 'running', 'done', 'failed', 'cancelled')),
  rule_id text not null,
  params jsonb not null default '{}',
  -- The rule's sentence: why, as a manager reads it.
  reason text not null,
  due_at timestamptz not null,
  value_at_stake numeric(12, 2) check (value_at_stake >= 0),
  currency char(3),
  approval_required boolean not null,
  -- {summary, references}: what was done, and the references outside systems gave back.
  result jsonb,
  -- {code, message}: the last failed attempt.
  last_error jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index followups_by_state on followups (state, due_at);
create index followups_by_shipment on followups (shipment_id);

-- Who or what did what to a follow-up, when, with which evidence. Append-only.
create table followup_audit (
  id bigint generated always as identity primary key,
  followup_id text not null references followups (id),
  at timestamptz not null,
  actor text not null check (actor ~ '^(rule:.+|manager:.+|system|worker)$'),
  event text not null,
  from_state text,
  to_state text,
  details jsonb
);
create index followup_audit_trail on followup_audit (followup_id, id);

-- For any append-only table: the trigger names the table in its refusal.
create function refuse_change() returns trigger language plpgsql as $$ begin raise exception '% is append-only', tg_table_name; end $$;
create trigger followup_audit_append_only before update or delete on followup_audit for each row execute function refuse_change();

-- External effects, at most once per idempotency key: `started` is written before the call.
create table effects (
  key text primary key,
  followup_id text not null references followups (id),
  target text not null,
  state text not null check (state in ('started', 'done', 'failed')),
  -- What was asked, without secrets or customer personal data.
  request jsonb,
  response jsonb,
  error text,
  started_at timestamptz not null,
  finished_at timestamptz
);
create index effects_by_followup on effects (followup_id);

-- Replacement orders made in the merchant's order system, until the new parcel is known.
create table reshipments (
  id integer generated always as identity primary key,
  followup_id text not null unique references followups (id),
  original_shipment_id integer not null references shipments (id),
  order_ref text not null unique,
  -- The order system's own word for the order's state, as it gave it.
  oms_status text not null,
  tracking_number text,
  carrier text,
  -- The new parcel, once the order system shipped it.
  shipment_id integer references shipments (id),
  state text not null check (state in ('ordered', 'shipped', 'cancelled')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reshipments_waiting on reshipments (id) where state = 'ordered';

-- Files made for follow-ups (labels, evidence packs), in the database so every worker sees them.
create table documents (
  id bigint generated always as identity primary key,
  followup_id text references followups (id),
  shipment_id integer references shipments (id),
  file_name text not null,
  content_type text not null,
  content bytea not null,
  created_at timestamptz not null,
  check (followup_id is not null or shipment_id is not null)
);
create index documents_by_followup on documents (followup_id);
create index documents_by_shipment on documents (shipment_id);

-- A follow-up that failed, or that asks for a manager, is in the same exception queue.
alter table exceptions add column followup_id text references followups (id);
create index exceptions_by_followup on exceptions (followup_id) where followup_id is not null;
