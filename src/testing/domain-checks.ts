import { isCalendarDay } from '../domain/calendar-day.ts';
import { CLAIM_STATUSES, CLAIM_TYPES, type ClaimState } from '../domain/claim.ts';
import { isIsoInstant } from '../domain/iso-instant.ts';
import { type MarketplaceOrder, ORDER_STAGES, type OrderPage, PROMISE_SOURCES } from '../domain/marketplace-order.ts';
import { isInOrder, type Snapshot, type TimeWindow } from '../domain/snapshot.ts';
import { STATUS_REASONS } from '../domain/status-reason.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import { TRACKING_STATUSES } from '../domain/tracking-status.ts';
import type { IssuedToken, TrackOutcome } from '../robot-kit/index.ts';
import { expectClassifiedError } from './parser-properties.ts';

/**
 * What a parser's output must be for the code downstream (store, verdicts, rules) to trust it:
 * the domain types as the compiler cannot check them (a real date, a known status, a window
 * that does not end before it starts). Each check throws naming the field and the value.
 */

/** A real calendar day, `YYYY-MM-DD` (no February 30th). */
export function isDay(value: unknown): value is string {
  return typeof value === 'string' && isCalendarDay(value);
}

/** A real instant, ISO 8601 with its offset, as parcelbot stores them. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && isIsoInstant(value);
}

function must(condition: boolean, what: string, value: unknown): void {
  if (!condition) throw new Error(`${what}, got ${JSON.stringify(value)?.slice(0, 200)}`);
}

const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const isText = (value: unknown): boolean => typeof value === 'string';
const isFilled = (value: unknown): boolean => typeof value === 'string' && value !== '';
const isOneOf = (values: readonly string[]) => (value: unknown) => typeof value === 'string' && values.includes(value);
const isAmount = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** One outcome per requested number, in order, each well formed. */
export function checkTrackOutcomes(outcomes: readonly TrackOutcome[], requested: readonly string[]): void {
  must(Array.isArray(outcomes) && outcomes.length === requested.length, `expected ${requested.length} outcomes`, outcomes);
  outcomes.forEach((outcome, index) => checkTrackOutcome(outcome, requested[index]!));
}

export function checkTrackOutcome(outcome: TrackOutcome, trackingNumber: string): void {
  must(outcome.trackingNumber === trackingNumber, `expected the outcome of ${trackingNumber}`, outcome.trackingNumber);
  if (outcome.kind === 'found') checkSnapshot(outcome.snapshot, trackingNumber);
  else if (outcome.kind === 'not_found') must(isFilled(outcome.message), 'expected a not_found message', outcome.message);
  else if (outcome.kind === 'rejected' || outcome.kind === 'failed') expectClassifiedError(outcome.error);
  else must(false, 'expected an outcome found, not_found, rejected or failed', outcome);
}

export function checkSnapshot(snapshot: Snapshot, trackingNumber: string): void {
  must(snapshot.trackingNumber === trackingNumber, `expected the snapshot of ${trackingNumber}`, snapshot.trackingNumber);
  must(isFilled(snapshot.carrier), 'snapshot.carrier: expected a robot id', snapshot.carrier);
  must(optional(snapshot.product, isText), 'snapshot.product: expected text', snapshot.product);
  must(isOneOf(TRACKING_STATUSES)(snapshot.status), 'snapshot.status: expected a tracking status', snapshot.status);
  must(optional(snapshot.reason, isOneOf(STATUS_REASONS)), 'snapshot.reason: expected a status reason', snapshot.reason);
  must(typeof snapshot.isFinal === 'boolean', 'snapshot.isFinal: expected a boolean', snapshot.isFinal);
  must(optional(snapshot.deliveredAt, isInstant), 'snapshot.deliveredAt: expected an instant', snapshot.deliveredAt);
  if (snapshot.estimatedDelivery !== undefined) checkWindow(snapshot.estimatedDelivery, 'snapshot.estimatedDelivery');
  must(Array.isArray(snapshot.events), 'snapshot.events: expected an array', snapshot.events);
  snapshot.events.forEach(checkEvent);
  for (let i = 1; i < snapshot.events.length; i++) {
    must(Date.parse(snapshot.events[i - 1]!.at) >= Date.parse(snapshot.events[i]!.at), 'snapshot.events: expected newest first', snapshot.events.map((event) => event.at));
  }
  must(
    Array.isArray(snapshot.unmappedCodes) && snapshot.unmappedCodes.every((code) => isText(code.code) && isText(code.label)),
    'snapshot.unmappedCodes: expected {code, label} texts',
    snapshot.unmappedCodes,
  );
}

function checkEvent(event: TrackingEvent): void {
  must(isInstant(event.at), 'event.at: expected an instant', event.at);
  must(isText(event.code) && isText(event.label), 'event code and label: expected texts', event);
  must(isOneOf(TRACKING_STATUSES)(event.status), 'event.status: expected a tracking status', event.status);
  must(optional(event.reason, isOneOf(STATUS_REASONS)), 'event.reason: expected a status reason', event.reason);
  must(optional(event.location, isText), 'event.location: expected text', event.location);
  must(isOneOf(['api', 'portal', 'webhook'])(event.source) && isFilled(event.robot), 'event source and robot', event);
}

function checkWindow(window: TimeWindow, where: string): void {
  must(isInstant(window.from) && isInstant(window.to), `${where}: expected two instants`, window);
  must(isInOrder(window), `${where}: expected from <= to`, window);
}

export function checkMarketplaceOrder(order: MarketplaceOrder): void {
  must(isFilled(order.orderRef), 'order.orderRef: expected text', order.orderRef);
  must(isFilled(order.state), 'order.state: expected text', order.state);
  must(optional(order.stage, isOneOf(ORDER_STAGES)), 'order.stage: expected an order stage', order.stage);
  for (const field of ['carrier', 'carrierId', 'trackingNumber', 'channel'] as const) {
    must(optional(order[field], isFilled), `order.${field}: expected text`, order[field]);
  }
  for (const field of ['customerName', 'customerEmail', 'customerLocale'] as const) must(optional(order[field], isText), `order.${field}: expected text`, order[field]);
  must(optional(order.currency, (value) => typeof value === 'string' && /^[A-Z]{3}$/.test(value)), 'order.currency: expected ISO 4217', order.currency);
  must(optional(order.total, isAmount), 'order.total: expected an amount', order.total);
  must(Array.isArray(order.lines), 'order.lines: expected an array', order.lines);
  for (const line of order.lines) {
    must(isText(line.sku) && isText(line.title), 'order line sku and title: expected texts', line);
    must(Number.isInteger(line.quantity) && line.quantity >= 0, 'order line quantity: expected a whole number', line.quantity);
    must(isAmount(line.unitPrice), 'order line unitPrice: expected an amount', line.unitPrice);
  }
  must((order.promisedFrom === undefined) === (order.promisedTo === undefined), 'order.promisedFrom and promisedTo: expected both or neither', order);
  if (order.promisedFrom !== undefined) {
    must(isDay(order.promisedFrom) && isDay(order.promisedTo), 'order.promisedFrom, promisedTo: expected days', [order.promisedFrom, order.promisedTo]);
    must(order.promisedFrom <= order.promisedTo!, 'order.promisedFrom: expected on or before promisedTo', [order.promisedFrom, order.promisedTo]);
  }
  must(optional(order.promiseSource, isOneOf(PROMISE_SOURCES)), 'order.promiseSource: expected a promise source', order.promiseSource);
  must(optional(order.shipBy, isInstant), 'order.shipBy: expected an instant', order.shipBy);
  must(optional(order.updatedAt, isInstant), 'order.updatedAt: expected an instant', order.updatedAt);
  must(optional(order.createdAt, (value) => isInstant(value) || isDay(value)), 'order.createdAt: expected an instant or a day', order.createdAt);
  must(optional(order.destinationCountry, (value) => typeof value === 'string' && /^[A-Z]{2}$/.test(value)), 'order.destinationCountry: expected ISO 3166 alpha-2', order.destinationCountry);
}

/** A marketplace page: orders well formed, each rejected one with why. */
export function checkOrderPage(page: Pick<OrderPage, 'orders' | 'rejected'> & { next?: string }): void {
  page.orders.forEach(checkMarketplaceOrder);
  for (const rejected of page.rejected) {
    must(isFilled(rejected.reason) && optional(rejected.orderRef, isFilled), 'a rejected order: expected a reason and maybe its reference', rejected);
  }
  must(optional(page.next, isFilled), 'page.next: expected text', page.next);
}

export function checkClaimState(claim: ClaimState): void {
  must(isFilled(claim.reference), 'claim.reference: expected text', claim.reference);
  must(isText(claim.trackingNumber), 'claim.trackingNumber: expected text', claim.trackingNumber);
  must(isOneOf(CLAIM_TYPES)(claim.type), 'claim.type: expected a claim type', claim.type);
  must(isOneOf(CLAIM_STATUSES)(claim.status), 'claim.status: expected a claim status', claim.status);
  must(optional(claim.note, isText), 'claim.note: expected text', claim.note);
  must(optional(claim.updatedAt, isInstant), 'claim.updatedAt: expected an instant', claim.updatedAt);
}

/** A token that fits in a header, with a lifetime the token cache can keep (whole milliseconds). */
export function checkIssuedToken(issued: IssuedToken): void {
  must(typeof issued.token === 'string' && /^[\x20-\x7E]+$/.test(issued.token), 'token: expected printable ASCII', issued.token);
  must(Number.isSafeInteger(issued.expiresInMs) && issued.expiresInMs >= 0, 'token lifetime: expected whole milliseconds', issued.expiresInMs);
}

/** An absolute URL, as the links a parser reads from a page must become. */
export function isUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value);
}
