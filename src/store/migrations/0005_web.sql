-- The manager's exception queue (issue 7): who closed an exception, how and why. An exception
-- that asks a manager to decide on a follow-up names it in followup_id (added with the
-- follow-ups' tables by 0002_followups when present; added here otherwise).
alter table exceptions
  add column resolved_by text,
  add column resolution text check (resolution in ('resolved', 'retried', 'approved', 'rejected')),
  add column resolution_note text,
  add column if not exists followup_id text;
create index exceptions_by_followup on exceptions (followup_id) where followup_id is not null;
