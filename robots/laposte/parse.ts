import { isInOrder, type Snapshot, type TimeWindow } from '../../src/domain/snapshot.ts';
import type { TrackingEvent } from '../../src/domain/tracking-event.ts';
import { type Evidence, RobotError, type TrackOutcome, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { type ErrorItem, type IdshipsItem, isFound, type LaPosteEvent, type LaPosteShipment, idshipsItem } from './payload.ts';
import { mapLaPosteCode } from './status-map.ts';

const CARRIER = 'La Poste';
const ROBOT_ID = 'laposte';

/** The statuses Suivi v2 answers numbers with: all found, mixed, invalid number, unknown number. */
const ANSWER_STATUSES: ReadonlySet<number> = new Set([200, 207, 400, 404]);

/**
 * Reads a Suivi v2 answer into one outcome per requested number, in order. Pure: the status and
 * body come from `fetchIdships`. Throws RobotError when the whole call failed or the body does
 * not match the documented format (with the body as evidence); a number whose own item does not
 * match is that number's `failed` outcome.
 */
export function parseIdshipsResponse(status: number, body: string, requestedNumbers: readonly string[]): TrackOutcome[] {
  // The client already did this; repeated so the parser is safe on its own. The parser does not
  // know the host, so the evidence names the path only.
  throwForCommonStatus(CARRIER, { method: 'GET', url: '/suivi/v2/idships' }, { status, headers: {}, text: body }, 0);
  const evidence: Evidence = { status, body };
  if (!ANSWER_STATUSES.has(status)) throw badPayload('Suivi v2 documents no such status', evidence);
  const items = readItems(body, evidence);

  const [sole] = items;
  if (items.length === 1 && sole && 'item' in sole && !isFound(sole.item) && sole.item.idShip === undefined) {
    // An error naming no number answers for the whole call. Decided on `idShip`, not on the
    // message, because the message follows the `lang` parameter.
    const error = sole.item;
    if (error.returnCode === 400) {
      throw new RobotError('CARRIER_BAD_REQUEST', `${CARRIER} refused the request as malformed: "${error.returnMessage}"`, { evidence });
    }
    return requestedNumbers.map((trackingNumber) => errorOutcome(trackingNumber, error, evidence));
  }

  const byNumber = new Map<string, ReadItem>();
  for (const read of items) {
    if (read.idShip === undefined) {
      // An item naming no number cannot be set aside for one: the answer as a whole is unreadable.
      const { detail, cause } = 'unreadable' in read ? read.unreadable : { detail: 'an item of a several-item answer has no idShip', cause: undefined };
      throw badPayload(detail, evidence, cause);
    }
    byNumber.set(read.idShip.toUpperCase(), read);
  }
  return requestedNumbers.map((trackingNumber) => {
    const read = byNumber.get(trackingNumber.toUpperCase());
    if (!read) return unreadable(trackingNumber, 'no item answers it', { status });
    // Written out only for a number that fails: most items are read fine, and a sweep reads millions.
    const ownEvidence = (): Evidence => ({ status, body: JSON.stringify(read.raw) });
    if ('unreadable' in read) return unreadable(trackingNumber, read.unreadable.detail, ownEvidence(), read.unreadable.cause);
    return outcomeOf(trackingNumber, read.item, evidence, ownEvidence);
  });
}

/** An item of the answer as received (`raw`), with the number it names and what it says or why it cannot be read. */
type ReadItem = { raw: unknown; idShip: string | undefined } & ({ item: IdshipsItem } | { unreadable: { detail: string; cause: unknown } });

/** The items, each read on its own. A body that is not JSON is unreadable as a whole. */
function readItems(body: string, evidence: Evidence): ReadItem[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw badPayload('the body is not JSON', evidence, cause);
  }
  // A bare object (one id) or an array (several ids, or one per the OpenAPI).
  const raws = Array.isArray(json) ? json : [json];
  if (raws.length === 0) throw badPayload('at the top level: expected at least one item', evidence);
  return raws.map((raw, index) => {
    const idShip = idShipOf(raw);
    const result = idshipsItem.safeParse(raw);
    if (result.success) return { raw, idShip, item: result.data };
    const issue = result.error.issues[0];
    return { raw, idShip, unreadable: { detail: `at ${[index, ...(issue?.path ?? [])].join('.')}: ${issue?.message}`, cause: result.error } };
  });
}

/** The number an item names, read before the item is: a found item names it in `shipment`. */
function idShipOf(raw: unknown): string | undefined {
  const { idShip, shipment } = (typeof raw === 'object' && raw !== null ? raw : {}) as { idShip?: unknown; shipment?: { idShip?: unknown } };
  const named = typeof shipment === 'object' && shipment !== null ? shipment.idShip : idShip;
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/**
 * A number whose item cannot be read fails alone, with its own item as evidence (none when La
 * Poste left it out): the others of the call are still recorded.
 */
function unreadable(trackingNumber: string, detail: string, evidence: Evidence, cause?: unknown): TrackOutcome {
  return { trackingNumber, kind: 'failed', error: badPayload(`for ${trackingNumber}, ${detail}`, evidence, cause) };
}

function outcomeOf(trackingNumber: string, item: IdshipsItem, evidence: Evidence, ownEvidence: () => Evidence): TrackOutcome {
  if (!isFound(item)) return errorOutcome(trackingNumber, item, evidence);
  const snapshot = toSnapshot(trackingNumber, item.shipment);
  if (snapshot.estimatedDelivery && !isInOrder(snapshot.estimatedDelivery)) return unreadable(trackingNumber, 'the estimated delivery ends before it starts', ownEvidence());
  return { trackingNumber, kind: 'found', snapshot };
}

/**
 * What a code other than 20x says about one number. Only 400 (invalid number) refuses it, which
 * ends its checks for good. 404 and 104 ("Votre suivi n'est pas encore disponible", the OpenAPI's
 * 404 example) are "not found", checked again later. So is any code without a published meaning
 * (101, 105, 109 and 504 are declared bare in the OpenAPI; La Poste may add others): refusing a
 * parcel that may exist on a guess would stop tracking it.
 */
function errorOutcome(trackingNumber: string, item: ErrorItem, evidence: Evidence): TrackOutcome {
  switch (item.returnCode) {
    case 400: {
      const error = new RobotError('TRACKING_NUMBER_INVALID', `${CARRIER} refused this number as invalid: "${item.returnMessage}"`, { evidence });
      return { trackingNumber, kind: 'rejected', error };
    }
    case 404:
    case 104:
      return { trackingNumber, kind: 'not_found', message: `${CARRIER} does not know this number: "${item.returnMessage}"` };
    default:
      return {
        trackingNumber,
        kind: 'not_found',
        message: `${CARRIER} answered returnCode ${item.returnCode} for this number, a code Suivi v2 gives no meaning for: read as not found, so it is checked again later. ${CARRIER}'s message: "${item.returnMessage}"`,
      };
  }
}

function toSnapshot(trackingNumber: string, shipment: LaPosteShipment): Snapshot {
  // La Poste sends events newest first; sorted anyway (stable) so the rule does not depend on it.
  const events = shipment.event.map(toEvent).sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const newest = events[0];
  const snapshot: Snapshot = {
    trackingNumber,
    carrier: ROBOT_ID,
    // No event yet: La Poste knows the number but nothing happened to the parcel.
    status: newest?.status ?? 'pending',
    events,
    isFinal: shipment.isFinal,
    unmappedCodes: unmappedCodes(shipment.event),
  };
  if (shipment.product !== undefined) snapshot.product = shipment.product;
  if (newest?.reason !== undefined) snapshot.reason = newest.reason;
  const estimate = estimatedDelivery(shipment);
  if (estimate) snapshot.estimatedDelivery = estimate;
  const delivered = deliveredAt(shipment, newest);
  if (delivered !== undefined) snapshot.deliveredAt = delivered;
  return snapshot;
}

function toEvent(event: LaPosteEvent): TrackingEvent {
  const mapping = mapLaPosteCode(event.code);
  const result: TrackingEvent = {
    at: event.date,
    code: event.code,
    label: event.label,
    // An unknown code is never guessed: it is `unknown` and listed in `unmappedCodes` for review.
    status: mapping?.status ?? 'unknown',
    source: 'api',
    robot: ROBOT_ID,
  };
  if (mapping?.reason !== undefined) result.reason = mapping.reason;
  return result;
}

/** Each unmapped (code, label) pair once. */
function unmappedCodes(events: readonly LaPosteEvent[]): Snapshot['unmappedCodes'] {
  const seen = new Map<string, { code: string; label: string }>();
  for (const { code, label } of events) {
    if (!mapLaPosteCode(code)) seen.set(`${code}\n${label}`, { code, label });
  }
  return [...seen.values()];
}

/**
 * `estimDate` is a day; `estimHourMin` / `estimHourMax` narrow it, either as "HH:MM" local to the
 * date's offset or as full dated times. Without hours the whole day is the window.
 */
function estimatedDelivery(shipment: LaPosteShipment): TimeWindow | undefined {
  const { estimDate, estimHourMin, estimHourMax } = shipment;
  if (estimDate === undefined) return undefined;
  // The schema guarantees `YYYY-MM-DDTHH:MM:SS[.fff]<offset>`.
  const day = estimDate.slice(0, 10);
  const offset = estimDate.slice(19).replace(/^\.\d+/, '');
  const at = (hour: string | undefined, wholeDayEdge: string) =>
    hour === undefined ? `${day}T${wholeDayEdge}${offset}` : hour.length > 5 ? hour : `${day}T${hour}:00${offset}`;
  return { from: at(estimHourMin, '00:00:00'), to: at(estimHourMax, '23:59:59') };
}

/**
 * When the customer got the parcel: `deliveryDate`, else the date of timeline step 5 ("livré").
 * Only for a delivered parcel: DI2 also carries a `deliveryDate`, the day the return reached the
 * sender, which must not read as a delivery to the customer.
 */
function deliveredAt(shipment: LaPosteShipment, newest: TrackingEvent | undefined): string | undefined {
  if (newest?.status !== 'delivered') return undefined;
  return shipment.deliveryDate ?? shipment.timeline.find((step) => step.id === 5 && step.status)?.date;
}

function badPayload(detail: string, evidence: Evidence, cause?: unknown): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', `${CARRIER} answered HTTP ${evidence.status} with a body that does not match Suivi v2: ${detail}`, { evidence, cause });
}
