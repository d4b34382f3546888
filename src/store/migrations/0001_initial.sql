-- Shipments: what the customer was promised and what the robots last read.
create table shipments (
  id integer generated always as identity primary key,
  tracking_number text not null,
  carrier text not null,
  order_ref text,
  channel text,
  customer_email text,
  customer_lang text not null default 'fr' check (customer_lang in ('fr', 'en')),
  declared_value numeric(12, 2) check (declared_value >= 0),
  currency char(3),
  destination_country char(2) not null default 'FR',
  promised_from date,
  promised_to date,
  product text,
  status text not null default 'unknown',
  status_reason text,
  estimated_from timestamptz,
  estimated_to timestamptz,
  delivered_at timestamptz,
  is_final boolean not null default false,
  -- Set when a read contradicts what is stored (a delivered parcel back in transit): flagged, not overwritten.
  anomaly text,
  last_checked_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (carrier, tracking_number),
  check (promised_from is null or promised_to is null or promised_to >= promised_from)
);
create index shipments_active on shipments (carrier, id) where not is_final;
create index shipments_order_ref on shipments (order_ref);

-- Carrier scans, append-only. event_key identifies an event so that reading it twice stores it once.
create table tracking_events (
  id bigint generated always as identity primary key,
  shipment_id integer not null references shipments (id),
  event_key text not null,
  occurred_at timestamptz not null,
  -- The timestamp as the carrier wrote it, offset included: timestamptz alone keeps only the instant.
  occurred_at_local text not null,
  code text not null,
  label text not null,
  status text not null,
  reason text,
  location text,
  source text not null,
  robot text not null,
  recorded_at timestamptz not null,
  unique (shipment_id, event_key)
);
create index tracking_events_timeline on tracking_events (shipment_id, occurred_at desc);

create function tracking_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'tracking_events is append-only';
end
$$;
create trigger tracking_events_append_only before update or delete on tracking_events
  for each row execute function tracking_events_append_only();

-- Agents' "find my parcel" look-ups: who asked, when, and what they were told.
create table lookups (
  id bigint generated always as identity primary key,
  job_id text not null unique,
  tracking_number text not null,
  carrier text not null,
  requested_by text not null,
  requested_at timestamptz not null,
  finished_at timestamptz,
  outcome text check (outcome in ('found', 'not_found', 'rejected', 'failed')),
  status text,
  error_code text,
  result jsonb
);
create index lookups_tracking on lookups (tracking_number, requested_at desc);

-- Failures a human must look at, with what the robot saw. One per failed job and number.
create table exceptions (
  id bigint generated always as identity primary key,
  shipment_id integer references shipments (id),
  carrier text not null,
  tracking_number text not null,
  code text not null,
  message text not null,
  evidence jsonb,
  job_id text not null,
  opened_at timestamptz not null,
  resolved_at timestamptz,
  unique (job_id, tracking_number)
);
create index exceptions_open on exceptions (opened_at) where resolved_at is null;

-- Carrier codes no status map knows: counted for review, never guessed.
create table unmapped_codes (
  carrier text not null,
  code text not null,
  label text not null,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  count integer not null default 1,
  primary key (carrier, code)
);
