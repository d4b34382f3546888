import type { TrackingStatus } from '../domain/tracking-status.ts';
import { type BusinessCalendar, calendarFor, type LocalDay } from '../promise/business-calendar.ts';
import { shipmentAsOf } from '../promise/shipment-as-of.ts';
import type { RuleFacts } from './rule-facts.ts';
import type { AgeAnchor } from './rule-schema.ts';
import type { AnchorValues } from './when-expression.ts';

/** The facts with what rules derive from them at `now`, computed once per evaluation. */
export interface MatchContext {
  facts: RuleFacts;
  now: Date;
  calendar: BusinessCalendar;
  today: LocalDay;
  /** The carrier's status as of `now`. */
  status: TrackingStatus;
  /** Business days since each age anchor, when the shipment has it. */
  ageSince: Readonly<Record<AgeAnchor, number | undefined>>;
  /** Business days since the case opened (the first customer contact). */
  caseAge?: number;
  /** Instants `at` expressions start from. */
  anchors: AnchorValues;
}

function point(calendar: BusinessCalendar, instant: Date | undefined) {
  return instant && { day: calendar.dayOf(instant), instant };
}

function parsed(value: string | undefined): Date | undefined {
  const date = value === undefined ? undefined : new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function matchContext(facts: RuleFacts, now: Date): MatchContext {
  const calendar = calendarFor(facts.shipment.destinationCountry);
  const today = calendar.dayOf(now);
  const state = shipmentAsOf(facts.shipment, facts.events, now);
  const promisedBy = facts.verdict.promisedBy;
  const firstContact = parsed(facts.contacts.firstAt);
  const since = (day: LocalDay | undefined) => (day === undefined ? undefined : calendar.businessDaysBetween(day, today));
  const anchors: AnchorValues = {
    now: point(calendar, now),
    promise: promisedBy ? { day: promisedBy, instant: calendar.at(promisedBy) } : undefined,
    estimate: point(calendar, parsed(facts.shipment.estimatedTo ?? facts.shipment.estimatedFrom)),
    delivered: point(calendar, state.deliveredAt),
    first_scan: point(calendar, state.firstScanAt),
    last_scan: point(calendar, state.lastScanAt),
    first_contact: point(calendar, firstContact),
  };
  return {
    facts,
    now,
    calendar,
    today,
    status: state.status,
    ageSince: { promise: since(promisedBy), first_scan: since(anchors.first_scan?.day), last_scan: since(anchors.last_scan?.day) },
    caseAge: since(anchors.first_contact?.day),
    anchors,
  };
}
