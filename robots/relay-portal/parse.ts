import { type CheerioAPI, load } from 'cheerio';
import type { ClaimReceipt, ClaimState } from '../../src/domain/claim.ts';
import { isIsoInstant, offsetOfInstant } from '../../src/domain/iso-instant.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import type { TrackingEvent } from '../../src/domain/tracking-event.ts';
import { htmlEvidence, type PortalPage, RobotError } from '../../src/robot-kit/index.ts';
import {
  CLAIM_PAGE,
  CLAIM_ROWS,
  CLAIMS_PAGE,
  CLAIMS_STATES,
  CODE_PAGE,
  FORM_STATES,
  LOGGED_IN,
  LOGIN_PAGE,
  LOGIN_STATES,
  PARCEL_PAGE,
  PARCEL_STATES,
  RETURN_LABEL_PAGE,
  SEARCH_PAGE,
  SEARCH_STATES,
} from './selectors.ts';
import { mapClaimStatusLabel, mapClaimTypeLabel, mapRelayCode } from './status-map.ts';

const ROBOT_ID = 'relay-portal';

export type LoginOutcome = 'logged-in' | 'code' | 'refused' | 'locked' | 'session-ended';

/**
 * Where a submitted login landed. A wrong code comes back on the code page with the refused alert;
 * the sign-in form without an alert means the portal forgot the login under way (its session ended).
 */
export function parseLoginOutcome(source: PortalPage): LoginOutcome {
  const $ = load(source.html);
  if ($(LOGIN_STATES.locked).length > 0) return 'locked';
  if ($(LOGIN_STATES.refused).length > 0) return 'refused';
  if ($(CODE_PAGE.form).length > 0) return 'code';
  if ($(LOGGED_IN.account).length > 0) return 'logged-in';
  if ($(LOGIN_PAGE.form).length > 0) return 'session-ended';
  throw layoutChanged(source, 'the login led to a page with no account name, code form, sign-in form or alert');
}

/** The parcel page's address among the search results, or undefined when the portal found no such parcel. */
export function parseSearchResults(source: PortalPage, trackingNumber: string): string | undefined {
  const $ = load(source.html);
  const links = $(SEARCH_PAGE.link);
  if (links.length === 0 && $(SEARCH_STATES.none).length === 0) throw layoutChanged(source, 'the search shows neither results nor "no parcel"');
  const link = links.filter((_, element) => $(element).text().trim().toUpperCase() === trackingNumber.toUpperCase()).first();
  const href = link.attr('href');
  return href === undefined ? undefined : linkOn(source, href);
}

/** A parcel page into a Snapshot: the badge's code is the portal's status, the table its events. */
export function parseParcelPage(source: PortalPage, trackingNumber: string): Snapshot {
  const $ = load(source.html);
  const shown = required($, source, PARCEL_PAGE.number).text().trim();
  if (shown.toUpperCase() !== trackingNumber.toUpperCase()) throw badPage(source, `the parcel page shows ${shown}, not ${trackingNumber}`);
  const statusCode = required($, source, PARCEL_PAGE.status).attr('data-code')?.trim();
  if (!statusCode) throw layoutChanged(source, `${PARCEL_PAGE.status} has no data-code`);
  required($, source, PARCEL_PAGE.events);
  const events = $(PARCEL_PAGE.eventRow)
    .toArray()
    .map((row) => {
      const cell = (selector: string) => $(row).find(selector).first();
      const at = cell(PARCEL_PAGE.eventDate).attr('datetime') ?? '';
      if (!isIsoInstant(at)) throw badPage(source, `an event's date "${at}" is not ISO 8601 with an offset`);
      return toEvent(at, cell(PARCEL_PAGE.eventCode).text().trim(), cell(PARCEL_PAGE.eventLabel).text().trim(), cell(PARCEL_PAGE.eventLocation).text().trim());
    })
    // The portal lists newest first; sorted anyway (stable) so nothing depends on it.
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const mapping = mapRelayCode(statusCode);
  const unmapped = new Map(events.filter((event) => event.status === 'unknown').map((event) => [`${event.code}\n${event.label}`, { code: event.code, label: event.label }]));
  const statusLabel = $(PARCEL_PAGE.status).text().trim();
  if (!mapping) unmapped.set(`${statusCode}\n${statusLabel}`, { code: statusCode, label: statusLabel });
  const snapshot: Snapshot = {
    trackingNumber,
    carrier: ROBOT_ID,
    // An unknown code is never guessed: `unknown`, and listed in unmappedCodes for review.
    status: mapping?.status ?? 'unknown',
    events,
    isFinal: mapping?.final === true,
    unmappedCodes: [...unmapped.values()],
  };
  const product = $(PARCEL_PAGE.service).text().trim();
  if (product) snapshot.product = product;
  if (mapping?.reason) snapshot.reason = mapping.reason;
  const estimate = $(PARCEL_STATES.estimate).attr('datetime');
  if (estimate !== undefined) {
    if (!isIsoInstant(estimate)) throw badPage(source, `the expected day "${estimate}" is not ISO 8601 with an offset`);
    // The whole expected day, at the offset of its start (a daylight-saving change at 3 am shifts the end by an hour at most).
    snapshot.estimatedDelivery = { from: estimate, to: `${estimate.slice(0, 10)}T23:59:59${offsetOfInstant(estimate)}` };
  }
  if (snapshot.status === 'delivered') {
    const delivered = events.find((event) => event.status === 'delivered');
    if (delivered) snapshot.deliveredAt = delivered.at;
  }
  return snapshot;
}

function toEvent(at: string, code: string, label: string, location: string): TrackingEvent {
  const mapping = mapRelayCode(code);
  const event: TrackingEvent = { at, code, label, status: mapping?.status ?? 'unknown', source: 'portal', robot: ROBOT_ID };
  if (mapping?.reason) event.reason = mapping.reason;
  if (location) event.location = location;
  return event;
}

/** The problems a refused claim or return form lists; empty when it was not refused. */
export function parseFormErrors(source: PortalPage): string[] {
  const $ = load(source.html);
  return $(FORM_STATES.error)
    .toArray()
    .map((element) => $(element).text().trim());
}

export function parseClaimReceipt(source: PortalPage): ClaimReceipt {
  const $ = load(source.html);
  const reference = requiredText($, source, CLAIM_PAGE.reference);
  return { reference, status: claimStatus(source, required($, source, CLAIM_PAGE.status).text().trim()) };
}

/** One page of the claims list, and the address of the next (older) one if there is one. */
export function parseClaimsPage(source: PortalPage): { claims: ClaimState[]; nextPage?: string } {
  const $ = load(source.html);
  required($, source, CLAIMS_PAGE.table);
  const claims = $(CLAIM_ROWS.row)
    .toArray()
    .map((row): ClaimState => {
      const cell = (selector: string) => $(row).find(selector).first();
      const typeLabel = cell(CLAIM_ROWS.type).text().trim();
      const type = mapClaimTypeLabel(typeLabel);
      if (!type) throw badPage(source, `unknown claim type "${typeLabel}"`);
      const reference = cell(CLAIM_ROWS.reference).text().trim();
      if (!reference) throw badPage(source, 'a claim of the list has no reference');
      const state: ClaimState = {
        reference,
        trackingNumber: cell(CLAIM_ROWS.trackingNumber).text().trim(),
        type,
        status: claimStatus(source, cell(CLAIM_ROWS.status).text().trim()),
      };
      const note = cell(CLAIM_ROWS.note).text().trim();
      if (note) state.note = note;
      const updated = cell(CLAIM_ROWS.updated).attr('datetime');
      if (updated !== undefined) {
        if (!isIsoInstant(updated)) throw badPage(source, `a claim's update time "${updated}" is not ISO 8601 with an offset`);
        state.updatedAt = updated;
      }
      return state;
    });
  const next = $(CLAIMS_STATES.nextPage).attr('href');
  return next === undefined ? { claims } : { claims, nextPage: linkOn(source, next) };
}

/** The label's page: the return number and where its PDF downloads from. */
export function parseReturnLabelPage(source: PortalPage): { returnTrackingNumber: string; downloadUrl: string } {
  const $ = load(source.html);
  const returnTrackingNumber = requiredText($, source, RETURN_LABEL_PAGE.returnNumber);
  const href = required($, source, RETURN_LABEL_PAGE.download).attr('href');
  if (!href) throw layoutChanged(source, `${RETURN_LABEL_PAGE.download} has no href`);
  return { returnTrackingNumber, downloadUrl: linkOn(source, href) };
}

function claimStatus(source: PortalPage, label: string): ClaimState['status'] {
  const status = mapClaimStatusLabel(label);
  // ClaimStatus has no "unknown": a new label must be mapped by a person, not guessed.
  if (!status) throw badPage(source, `unknown claim status "${label}"`);
  return status;
}

function required($: CheerioAPI, source: PortalPage, selector: string) {
  const found = $(selector).first();
  if (found.length === 0) throw layoutChanged(source, `no element matches ${selector}`);
  return found;
}

/** The text of an element a step cannot do without: an empty one says nothing the robot can keep. */
function requiredText($: CheerioAPI, source: PortalPage, selector: string): string {
  const text = required($, source, selector).text().trim();
  if (!text) throw badPage(source, `${selector} is empty`);
  return text;
}

/** Where a link of the page leads, as an absolute URL; a link no browser could follow is a page the robot cannot read. */
function linkOn(source: PortalPage, href: string): string {
  if (!URL.canParse(href, source.url)) throw badPage(source, `the link "${href.slice(0, 80)}" is no URL`);
  return new URL(href, source.url).toString();
}

function layoutChanged(source: PortalPage, detail: string): RobotError {
  return new RobotError('PORTAL_LAYOUT_CHANGED', `${source.step}: ${detail}: the portal's layout changed`, { evidence: htmlEvidence(source) });
}

/** The page is there but says something the robot does not know how to read: a person must look. */
function badPage(source: PortalPage, detail: string): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', `${source.step}: ${detail}`, { evidence: htmlEvidence(source) });
}
