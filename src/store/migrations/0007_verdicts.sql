-- The verdict of each shipment against its promise (src/promise/), as last judged after a check:
-- managers filter on it and the dashboard counts late parcels by carrier.
alter table shipments add column verdict text;
alter table shipments add column verdict_reasons jsonb;
alter table shipments add column verdict_at timestamptz;
create index shipments_verdict on shipments (verdict, carrier) where verdict is not null;
