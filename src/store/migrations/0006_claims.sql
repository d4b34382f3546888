-- Where the customer sends a return from: name and postal address, for carrier return labels
-- (Colissimo's label names its sender). Optional import columns; personal data, never logged.
alter table shipments add column customer_address jsonb;

-- Carrier compensation claims: filed through a carrier's portal robot, or to be filed by an agent
-- with the evidence pack parcelbot prepared (status to_file, no reference yet).
create table claims (
  id bigint generated always as identity primary key,
  -- The follow-up that asked for it (no foreign key: src/followups owns that table). One claim per follow-up.
  followup_id text not null unique,
  shipment_id integer not null references shipments (id),
  carrier text not null,
  tracking_number text not null,
  type text not null check (type in ('lost', 'late', 'damaged')),
  filed_via text not null check (filed_via in ('portal', 'agent')),
  status text not null check (status in ('to_file', 'submitted', 'under_investigation', 'accepted', 'refused', 'paid')),
  -- The carrier's reference; null until filed. A carrier never gives one reference to two claims.
  reference text,
  -- What the carrier last wrote about it (amount paid, refusal reason).
  status_note text,
  amount_claimed numeric(12, 2) check (amount_claimed >= 0),
  currency char(3),
  -- The evidence PDF, in the documents store.
  evidence_document_id text,
  filed_at timestamptz,
  last_checked_at timestamptz,
  -- From the claim windows file; null when the date it counts from is not known.
  window_closes_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (carrier, reference),
  check ((status = 'to_file') = (reference is null))
);
create index claims_open on claims (carrier, id) where status in ('submitted', 'under_investigation', 'accepted');
create index claims_window on claims (window_closes_at) where status = 'to_file';
