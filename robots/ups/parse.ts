import { isInOrder, type Snapshot } from '../../src/domain/snapshot.ts';
import type { TrackingEvent } from '../../src/domain/tracking-event.ts';
import { isTerminalStatus } from '../../src/domain/tracking-status.ts';
import { type Evidence, RobotError, type TrackOutcome } from '../../src/robot-kit/index.ts';
import { activityInstant, activityOffset, deliveryWindow, OFFSET_WHEN_UNKNOWN } from './dates.ts';
import { errorResponse, trackApiResponse, type UpsActivity, type UpsPackage, type UpsShipment } from './payload.ts';
import { mapActivityStatus, type StatusMapping } from './status-map.ts';
import { quote, throwForUpsStatus } from './ups-errors.ts';

const CARRIER = 'UPS';
const ROBOT_ID = 'ups';

/** The error code UPS answers an inquiry number it does not accept with (HTTP 400). */
const INVALID_INQUIRY_NUMBER = 'TV1002';

/**
 * Reads the answer to `GET /api/track/v1/details/{inquiryNumber}` into the outcome of that one
 * number. Pure: the status and body come from the client. Throws RobotError when the call failed
 * or the body does not match the documented format (with the body as evidence).
 *
 * - 200 with a package: found. 200 without one but with `warnings` (TW0001 "Tracking Information
 *   Not Found", karrio's fixture): not found, the warning quoted.
 * - 404 in the `response.errors[]` shape (the OpenAPI's "Tracking number information not found"):
 *   not found. Another 404 body (a wrong base URL) is a bad payload, never "not found".
 * - 400 `TV1002`: this number rejected; any other 400: the request was malformed.
 */
export function parseTrackResponse(status: number, body: string, trackingNumber: string): TrackOutcome {
  // The client already did this; repeated so the parser is safe on its own.
  throwForUpsStatus({ method: 'GET', url: '/api/track/v1/details' }, { status, headers: {}, text: body }, 0);
  const evidence: Evidence = { status, body };
  if (status === 200) return outcomeOfShipment(trackingNumber, readShipment(body, evidence), evidence);
  if (status === 404) {
    // The schema requires at least one error.
    const error = readErrors(body, evidence)[0]!;
    return { trackingNumber, kind: 'not_found', message: `${CARRIER} does not know this number: ${quote(error)}` };
  }
  if (status === 400) {
    const errors = readErrors(body, evidence);
    const invalid = errors.find((error) => error.code === INVALID_INQUIRY_NUMBER);
    if (invalid) {
      return { trackingNumber, kind: 'rejected', error: new RobotError('TRACKING_NUMBER_INVALID', `${CARRIER} refused this number: ${quote(invalid)}`, { evidence }) };
    }
    throw new RobotError('CARRIER_BAD_REQUEST', `${CARRIER} refused the request as malformed: ${errors.map(quote).join('; ')}`, { evidence });
  }
  throw badPayload('the Track API documents no such status', evidence);
}

function outcomeOfShipment(trackingNumber: string, shipment: UpsShipment, evidence: Evidence): TrackOutcome {
  const packages = shipment.package ?? [];
  // One inquiry number may be a shipment of several packages: the one asked for, else the first.
  const found = packages.find((p) => p.trackingNumber?.toUpperCase() === trackingNumber.toUpperCase()) ?? packages[0];
  if (found) {
    const snapshot = toSnapshot(trackingNumber, found);
    if (snapshot.estimatedDelivery && !isInOrder(snapshot.estimatedDelivery)) throw badPayload('the estimated delivery ends before it starts', evidence);
    return { trackingNumber, kind: 'found', snapshot };
  }
  const warnings = shipment.warnings ?? [];
  if (warnings.length === 0) throw badPayload('a shipment with neither a package nor a warning', evidence);
  // Any warning without a package means UPS has nothing to show; the code is kept in the message.
  return { trackingNumber, kind: 'not_found', message: `${CARRIER} has no tracking for this number: ${warnings.map(quote).join('; ')}` };
}

interface ReadEvent {
  event: TrackingEvent;
  mapping: StatusMapping | undefined;
  final: boolean;
}

function toSnapshot(trackingNumber: string, pkg: UpsPackage): Snapshot {
  // UPS sends activities most recent first; sorted anyway (stable) so the rule does not depend on it.
  const newestFirst = pkg.activity
    .map((activity) => ({ activity, at: activityInstant(activity) }))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const read = resolveStatuses([...newestFirst].reverse().map(({ activity, at }) => toEvent(activity, at))).reverse();
  const newest = read[0];
  const status = newest?.event.status ?? 'pending';
  const snapshot: Snapshot = {
    trackingNumber,
    carrier: ROBOT_ID,
    // No activity yet: UPS knows the number but nothing happened to the parcel.
    status,
    events: read.map((r) => r.event),
    isFinal: isTerminalStatus(status) || newest?.final === true,
    unmappedCodes: unmappedCodes(read),
  };
  const product = pkg.service?.description?.trim();
  if (product) snapshot.product = product;
  if (newest?.event.reason !== undefined) snapshot.reason = newest.event.reason;
  const estimate = estimatedDelivery(pkg, newestFirst[0]?.activity);
  if (estimate) snapshot.estimatedDelivery = estimate;
  // The delivery scan itself, not an informational one (a photo) that carries its status.
  const delivery = read.find((r) => r.mapping?.status === 'delivered' && !r.mapping.informational);
  if (status === 'delivered' && delivery) snapshot.deliveredAt = delivery.event.at;
  return snapshot;
}

function toEvent(activity: UpsActivity, at: string): ReadEvent {
  const mapping = mapActivityStatus(activity.status);
  const event: TrackingEvent = {
    at,
    code: eventCode(activity),
    label: activity.status.description?.trim() ?? '',
    // An unknown code is never guessed: it is `unknown` and listed in `unmappedCodes` for review.
    status: mapping?.status ?? 'unknown',
    source: 'api',
    robot: ROBOT_ID,
  };
  if (mapping?.reason !== undefined) event.reason = mapping.reason;
  const location = locationOf(activity);
  if (location) event.location = location;
  return { event, mapping, final: mapping?.final === true };
}

/**
 * Oldest first: an informational activity (a photo, a claim, a changed date) keeps the status,
 * reason and finality of the activity before it, so it never reads as a step backwards.
 */
function resolveStatuses(oldestFirst: ReadEvent[]): ReadEvent[] {
  let previous: ReadEvent | undefined;
  return oldestFirst.map((current) => {
    let resolved = current;
    if (current.mapping?.informational && previous) {
      const { status, reason } = previous.event;
      const event: TrackingEvent = { ...current.event, status };
      if (reason === undefined) delete event.reason;
      else event.reason = reason;
      resolved = { ...current, event, final: previous.final || current.final };
    }
    previous = resolved;
    return resolved;
  });
}

/** `type/code/statusCode` as sent, `-` for a missing part: "D/F4/011", "M/MP/003". */
function eventCode({ status }: UpsActivity): string {
  return [status.type, status.code, status.statusCode].map((part) => (part ? part : '-')).join('/');
}

function locationOf(activity: UpsActivity): string | undefined {
  const address = activity.location?.address;
  const parts = [address?.city, address?.stateProvince, address?.countryCode ?? address?.country].map((part) => part?.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Each unmapped (code, label) pair once. */
function unmappedCodes(read: readonly ReadEvent[]): Snapshot['unmappedCodes'] {
  const seen = new Map<string, { code: string; label: string }>();
  for (const { event, mapping } of read) {
    if (!mapping) seen.set(`${event.code}\n${event.label}`, { code: event.code, label: event.label });
  }
  return [...seen.values()];
}

/** The rescheduled day (RDD) when UPS moved it, else the scheduled one (SDD). DEL is no estimate. */
function estimatedDelivery(pkg: UpsPackage, newestActivity: UpsActivity | undefined): Snapshot['estimatedDelivery'] {
  const day = pkg.deliveryDate.find((d) => d.type === 'RDD') ?? pkg.deliveryDate.find((d) => d.type === 'SDD');
  if (!day) return undefined;
  const offset = (newestActivity && activityOffset(newestActivity)) ?? OFFSET_WHEN_UNKNOWN;
  return deliveryWindow(day.date, offset, pkg.deliveryTime);
}

function readShipment(body: string, evidence: Evidence): UpsShipment {
  const result = trackApiResponse.safeParse(parseJson(body, evidence));
  if (!result.success) throw zodMismatch(result.error, evidence);
  return result.data.trackResponse.shipment[0]!;
}

function readErrors(body: string, evidence: Evidence): { code: string; message: string }[] {
  const result = errorResponse.safeParse(parseJson(body, evidence));
  if (!result.success) throw zodMismatch(result.error, evidence);
  return result.data.response.errors;
}

function parseJson(body: string, evidence: Evidence): unknown {
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw badPayload('the body is not JSON', evidence, cause);
  }
}

function zodMismatch(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, evidence: Evidence): RobotError {
  const issue = error.issues[0];
  return badPayload(`at ${issue?.path.map(String).join('.') || 'the top level'}: ${issue?.message}`, evidence, error);
}

function badPayload(detail: string, evidence: Evidence, cause?: unknown): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', `${CARRIER} answered HTTP ${evidence.status} with a body that does not match the Track API: ${detail}`, { evidence, cause });
}
