-- The manager's exception queue (issue 7): who closed an exception, how and why.
alter table exceptions
  add column resolved_by text,
  add column resolution text check (resolution in ('resolved', 'retried', 'approved', 'rejected')),
  add column resolution_note text;
