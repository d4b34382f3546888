-- Indexes no query reads, which every write paid for (a check updates its shipment's row and
-- indexed columns change, so each index gets a new entry per check, and each new event one more).
-- shipments_active served the sweeps before smart sweeps; they page through shipments_due (0003).
drop index shipments_active;
-- Timelines are read by shipment only (TrackingRepository.eventsOf): the unique index on
-- (shipment_id, event_key) finds a shipment's events, and the few of them are sorted in memory.
drop index tracking_events_timeline;
