-- Per carrier, the parcels a sweep left in a queue held by a rate limit (a daily quota spent)
-- longer than SWEEP_MAX_RATE_LIMIT_WAIT, and until when it was held: [{carrier, parcels, until}].
-- The sweep ended without waiting for them; their jobs ran once the hold lifted.
alter table sweeps add column left_waiting jsonb not null default '[]';
