-- Marketplace sync (`parcelbot sync`, and the scheduler every 15 minutes): per source, how far
-- its orders have been read and what its last run did.
create table marketplace_sync_state (
  source text primary key,
  -- Every order updated before this instant has been read (or lies before the first sync's look-back).
  cursor timestamptz,
  -- The window being read, [cursor, window_end], and the page to read next in it (null: its
  -- first). Set while a run reads; a run that stopped half-way leaves them for the next to resume.
  window_end timestamptz,
  page_token text,
  -- One run per source at a time: the run holding the lease and until when (renewed page by page,
  -- so a run that died frees it when it lapses).
  lease_id text,
  lease_until timestamptz,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_outcome text check (last_outcome in ('completed', 'failed')),
  -- The last run's report: counts, and the bad orders with their reasons (no personal data).
  last_report jsonb
);
