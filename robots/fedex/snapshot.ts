import type { Snapshot, TimeWindow } from '../../src/domain/snapshot.ts';
import type { TrackingEvent } from '../../src/domain/tracking-event.ts';
import { isTerminalStatus } from '../../src/domain/tracking-status.ts';
import { dayOrInstant, offsetOf, readWindow, withOffset } from './dates.ts';
import type { FoundTrackResult, ScanEvent, StatusDetail } from './payload.ts';
import { reasonFor } from './reasons.ts';
import { mapFedExCode, type StatusMapping } from './status-map.ts';

const ROBOT_ID = 'fedex';

/** A found FedEx shipment as a Snapshot. Pure. */
export function toSnapshot(trackingNumber: string, result: FoundTrackResult): Snapshot {
  const unmapped = new Map<string, { code: string; label: string }>();
  const noteUnmapped = (code: string, label: string): void => void unmapped.set(`${code}\n${label}`, { code, label });

  // FedEx lists scans newest first; sorted anyway (stable) so the rule does not depend on it.
  const events = result.scanEvents.map((scan) => toEvent(scan, noteUnmapped)).sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const newest = events[0];
  const { status, reason } = latestStatus(result.latestStatusDetail, newest, noteUnmapped);
  // The scan nearest the parcel's destination lends its offset to dates FedEx wrote without one.
  const fallbackOffset = newest && offsetOf(newest.at);

  const snapshot: Snapshot = {
    trackingNumber,
    carrier: ROBOT_ID,
    status,
    events,
    isFinal: isTerminalStatus(status),
    unmappedCodes: [...unmapped.values()],
  };
  const product = result.serviceDetail?.description;
  if (product) snapshot.product = product;
  if (reason !== undefined) snapshot.reason = reason;
  const estimate = estimatedDelivery(result, fallbackOffset);
  if (estimate) snapshot.estimatedDelivery = estimate;
  if (status === 'delivered') {
    const actual = withOffset(result.dateAndTimes?.find((entry) => entry.type === 'ACTUAL_DELIVERY')?.dateTime, fallbackOffset);
    const at = actual ?? events.find((event) => event.status === 'delivered')?.at;
    if (at !== undefined) snapshot.deliveredAt = at;
  }
  return snapshot;
}

/**
 * The event's status comes from its `eventType`; a type the map does not know falls back to
 * FedEx's own `derivedStatusCode` (never to a guess) and is listed for review either way.
 */
function toEvent(scan: ScanEvent, noteUnmapped: (code: string, label: string) => void): TrackingEvent {
  const mapping = mapFedExCode(scan.eventType);
  const derived = scan.derivedStatusCode ? mapFedExCode(scan.derivedStatusCode) : undefined;
  const label = scan.exceptionDescription ? `${scan.eventDescription}: ${scan.exceptionDescription}` : scan.eventDescription;
  if (!mapping) noteUnmapped(scan.eventType, scan.eventDescription);
  const status = (mapping ?? derived)?.status ?? 'unknown';
  const event: TrackingEvent = { at: scan.date, code: scan.eventType, label, status, source: 'api', robot: ROBOT_ID };
  const reason = reasonFor(status, (mapping ?? derived)?.reason, {
    descriptions: scan.exceptionDescription ? [scan.exceptionDescription] : [],
    delayType: scan.delayDetail?.type,
  });
  if (reason !== undefined) event.reason = reason;
  const location = scan.scanLocation && placeOf(scan.scanLocation);
  if (location) event.location = location;
  return event;
}

/**
 * The snapshot's status is FedEx's `latestStatusDetail`: its `code`, else its `derivedCode`, else
 * the newest scan. A `code` that only says "moving" yields to FedEx's own delay signals: the
 * derived "Running Late" (RL) or `delayDetail.status` DELAYED (real sample: FD with RL). Its reason
 * comes from its details, else from the newest scan when that scan says the same.
 */
function latestStatus(latest: StatusDetail, newest: TrackingEvent | undefined, noteUnmapped: (code: string, label: string) => void): StatusMapping {
  const byCode = mapFedExCode(latest.code);
  const byDerived = latest.derivedCode ? mapFedExCode(latest.derivedCode) : undefined;
  if (!byCode) noteUnmapped(latest.code, latest.description);
  const base: StatusMapping = byCode ?? byDerived ?? (newest ? { status: newest.status, reason: newest.reason } : { status: 'unknown' });
  const late = base.status === 'in_transit' && (byDerived?.status === 'delivery_delayed' || latest.delayDetail?.status === 'DELAYED');
  const mapping: StatusMapping = late ? { status: 'delivery_delayed' } : base;
  const reason =
    reasonFor(mapping.status, mapping.reason, {
      descriptions: (latest.ancillaryDetails ?? []).flatMap((detail) => (detail.reasonDescription ? [detail.reasonDescription] : [])),
      delayType: latest.delayDetail?.type,
    }) ??
    // The latest status often carries no details while its scan does ("Refused by recipient").
    (newest?.status === mapping.status ? newest.reason : undefined);
  return reason === undefined ? { status: mapping.status } : { status: mapping.status, reason };
}

/**
 * The carrier's estimate, most precise first: the estimated window, the ESTIMATED_DELIVERY date,
 * then the standard transit window (the service's promise, often the only one: real samples send
 * `estimatedDeliveryTimeWindow.window` as `{}`).
 */
function estimatedDelivery(result: FoundTrackResult, fallbackOffset: string | undefined): TimeWindow | undefined {
  const estimated = result.estimatedDeliveryTimeWindow?.window;
  const fromWindow = readWindow(estimated?.begins, estimated?.ends, fallbackOffset);
  if (fromWindow) return fromWindow;
  const estimatedDate = withOffset(result.dateAndTimes?.find((entry) => entry.type === 'ESTIMATED_DELIVERY')?.dateTime, fallbackOffset);
  if (estimatedDate) return dayOrInstant(estimatedDate);
  const standard = result.standardTransitTimeWindow?.window;
  return readWindow(standard?.begins, standard?.ends, fallbackOffset);
}

/** `Blue Point, NY, US`; a scan without a city (label created) reads `56003, US`. */
function placeOf(address: NonNullable<ScanEvent['scanLocation']>): string | undefined {
  const parts = address.city?.trim() ? [address.city, address.stateOrProvinceCode, address.countryCode] : [address.postalCode, address.countryCode];
  const place = parts.map((part) => part?.trim()).filter(Boolean).join(', ');
  return place || undefined;
}
