import type { Snapshot, TimeWindow } from '../../src/domain/snapshot.ts';
import type { TrackingEvent } from '../../src/domain/tracking-event.ts';
import { isTerminalStatus } from '../../src/domain/tracking-status.ts';
import { atTimeOfDay, type DhlTimestamp, readTimestamp, toIsoWithOffset } from './local-time.ts';
import type { DhlEvent, DhlShipment } from './payload.ts';
import { mapDhlEvent } from './status-map.ts';
import { type ShipmentPlaces, timeZoneFor } from './time-zones.ts';

const ROBOT_ID = 'dhl';
const START_OF_DAY = '00:00:00';
const END_OF_DAY = '23:59:59';

/** A DHL event read into parcelbot's terms, with whether its code was known. */
interface ReadEvent {
  event: TrackingEvent;
  mapped: boolean;
}

/** What one DHL shipment says about the parcel `trackingNumber` (the number asked for, whatever the shipment's id). */
export function toSnapshot(trackingNumber: string, shipment: DhlShipment): Snapshot {
  const places = placesOf(shipment);
  const read = readEvents(shipment, places);
  const events = read.map(({ event }) => event);
  const current = currentEvent(events);
  const status = current?.status ?? 'pending';
  const snapshot: Snapshot = {
    trackingNumber,
    carrier: ROBOT_ID,
    status,
    events,
    // Delivered, cancelled or lost; or back at the sender, which DHL codes as a delivery.
    isFinal: isTerminalStatus(status) || (status === 'return_to_sender' && current?.code === 'delivered'),
    unmappedCodes: unmappedCodes(read),
  };
  const product = shipment.service ?? shipment.details?.product?.productName;
  if (product !== undefined) snapshot.product = product;
  const reason = current && reasonOf(current, events);
  if (reason !== undefined) snapshot.reason = reason;
  const estimate = estimatedDelivery(shipment, places);
  if (estimate) snapshot.estimatedDelivery = estimate;
  if (status === 'delivered') {
    const proof = shipment.details?.proofOfDelivery?.timestamp;
    snapshot.deliveredAt = proof === undefined ? current?.at : isoAt(proof, places.destinationCountry, places);
  }
  return snapshot;
}

/** The instant of the shipment's most recent scan (epoch ms), to tell a reused number's current shipment from history. */
export function newestScanMs(shipment: DhlShipment): number {
  const [newest] = readEvents(shipment, placesOf(shipment));
  return newest ? Date.parse(newest.event.at) : Number.NEGATIVE_INFINITY;
}

function placesOf(shipment: DhlShipment): ShipmentPlaces {
  return {
    service: shipment.service,
    originCountry: shipment.origin?.address?.countryCode,
    destinationCountry: shipment.destination?.address?.countryCode,
  };
}

/**
 * The shipment's events newest first, with its `status` (DHL's current event) added when the
 * `events` list lacks it: parcel-de answers without the recipient's postal code may carry little
 * more than that. DHL sends events newest first; they are sorted anyway (stable), since zone-less
 * timestamps only compare once read in their zone.
 */
function readEvents(shipment: DhlShipment, places: ShipmentPlaces): ReadEvent[] {
  const all = shipment.status ? [shipment.status, ...shipment.events] : shipment.events;
  const seen = new Set<string>();
  const unique = all.filter((event) => {
    const key = JSON.stringify([event.timestamp, event.statusCode, event.status, event.description]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const read = unique.map((event) => readEvent(event, places));
  // The current status comes first in `all` but may be older than some events: sort by time.
  return read.sort((a, b) => Date.parse(b.event.at) - Date.parse(a.event.at));
}

function readEvent(event: DhlEvent, places: ShipmentPlaces): ReadEvent {
  const country = event.location?.address?.countryCode;
  const texts = [event.status, event.description, event.remark];
  const mapping = mapDhlEvent(event.statusCode, texts);
  const result: TrackingEvent = {
    at: isoAt(event.timestamp, country, places),
    code: event.statusCode,
    label: [...new Set(texts.filter((text): text is string => Boolean(text?.trim())))].join(' — ') || event.statusCode,
    // An unknown code is never guessed from its text: `unknown`, and listed in `unmappedCodes`.
    status: mapping?.status ?? 'unknown',
    source: 'api',
    robot: ROBOT_ID,
  };
  if (mapping?.reason !== undefined) result.reason = mapping.reason;
  const location = event.location?.address?.addressLocality ?? country;
  if (location !== undefined) result.location = location;
  return { event: result, mapped: mapping !== undefined };
}

/**
 * The event the parcel's status comes from: the newest one, except that a `pre-transit` notice
 * (label data) never outranks a later stage. DHL's codes are not monotonic: parcel-de announces
 * a parcel minutes after the outlet accepted it (carrier-apis.md 3.8), which says nothing about
 * where the parcel is.
 */
function currentEvent(events: readonly TrackingEvent[]): TrackingEvent | undefined {
  return events.find((event) => event.code !== 'pre-transit') ?? events[0];
}

/**
 * Why the parcel is in its status: the current event's own cause; a return that gives none takes
 * the most recent cause before it (DHL writes "refused", then "being returned to the sender").
 */
function reasonOf(current: TrackingEvent, events: readonly TrackingEvent[]): TrackingEvent['reason'] {
  if (current.reason !== undefined || current.status !== 'return_to_sender') return current.reason;
  // A label-created notice is no cause of a return.
  return events.slice(events.indexOf(current) + 1).find((event) => event.reason !== undefined && event.status !== 'pending')?.reason;
}

/** Each unmapped (code, label) pair once. */
function unmappedCodes(read: readonly ReadEvent[]): Snapshot['unmappedCodes'] {
  const seen = new Map<string, { code: string; label: string }>();
  for (const { event, mapped } of read) {
    if (!mapped) seen.set(`${event.code}\n${event.label}`, { code: event.code, label: event.label });
  }
  return [...seen.values()];
}

/**
 * DHL's window (`estimatedDeliveryTimeFrame`) when it gives both ends, a bare day as an edge
 * opening at its start or closing at its end. Else the estimated time of delivery (or the one
 * end of the window DHL gave): a bare day, or midnight (how DHL writes a day:
 * `2018-08-03T00:00:00Z`, "By End of Day"), is that whole day; any other time is an instant.
 */
function estimatedDelivery(shipment: DhlShipment, places: ShipmentPlaces): TimeWindow | undefined {
  const inDestination = (timestamp: DhlTimestamp): string => zoned(timestamp, places.destinationCountry, places);
  const { estimatedFrom, estimatedThrough } = shipment.estimatedDeliveryTimeFrame ?? {};
  if (estimatedFrom !== undefined && estimatedThrough !== undefined) {
    const from = readTimestamp(estimatedFrom)!;
    const through = readTimestamp(estimatedThrough)!;
    return {
      from: inDestination(from.dateOnly ? atTimeOfDay(from, START_OF_DAY) : from),
      to: inDestination(through.dateOnly ? atTimeOfDay(through, END_OF_DAY) : through),
    };
  }
  const eta = shipment.estimatedTimeOfDelivery ?? estimatedFrom ?? estimatedThrough;
  if (eta === undefined) return undefined;
  const timestamp = readTimestamp(eta)!;
  if (timestamp.dateOnly || timestamp.time.startsWith(START_OF_DAY)) {
    return { from: inDestination(atTimeOfDay(timestamp, START_OF_DAY)), to: inDestination(atTimeOfDay(timestamp, END_OF_DAY)) };
  }
  return { from: inDestination(timestamp), to: inDestination(timestamp) };
}

/** A validated DHL timestamp as ISO 8601 with an offset (time-zones.ts says which zone a zone-less one is in). */
function isoAt(value: string, placeCountry: string | undefined, places: ShipmentPlaces): string {
  return zoned(readTimestamp(value)!, placeCountry, places);
}

function zoned(timestamp: DhlTimestamp, placeCountry: string | undefined, places: ShipmentPlaces): string {
  return toIsoWithOffset(timestamp, timeZoneFor(placeCountry, places));
}
