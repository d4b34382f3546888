-- The manager's exception queue (issue 7): who closed an exception, how and why, and the
-- follow-up it waits on when it asks for an approval.
alter table exceptions
  add column resolved_by text,
  add column resolution text check (resolution in ('resolved', 'retried', 'approved', 'rejected')),
  add column resolution_note text,
  add column follow_up_id text;
create index exceptions_follow_up on exceptions (follow_up_id) where follow_up_id is not null;
