import type { Decision } from '../domain/follow-up.ts';
import { formatInZone } from '../domain/time-zone.ts';
import { calendarFor } from '../promise/business-calendar.ts';
import type { ExplainedShipment, ShipmentRecord } from './judge-shipment.ts';
import type { RuleSet } from './parse-rules.ts';

export interface Explanation {
  ruleSet: RuleSet;
  record: ShipmentRecord;
  /** False when the store cannot link reshipments yet: delivered_twice cannot be seen. */
  explained: ExplainedShipment;
  now: Date;
}

function when(decision: Decision, now: Date, timeZone: string): string {
  if (!decision.at) return 'now';
  const at = new Date(decision.at);
  return `${formatInZone(at, timeZone)}${at < now ? ' (past: due at once)' : ''}`;
}

function describeDecision(decision: Decision, now: Date, timeZone: string): string {
  return `${decision.action} ${JSON.stringify(decision.params)} at ${when(decision, now, timeZone)}: ${decision.reason}`;
}

/** `parcelbot rules explain` as text: the verdict, then every rule with each matcher's outcome, then the decisions. */
export function formatExplanation({ ruleSet, record, explained, now }: Explanation): string {
  const { shipment, contacts, reshipments } = record;
  const { verdict, facts, evaluation } = explained;
  const { timeZone } = calendarFor(shipment.destinationCountry);
  const matched = evaluation.trace.filter((rule) => rule.matched).length;
  const lines = [
    `${shipment.trackingNumber}  ${shipment.carrier}${shipment.orderRef ? `  order ${shipment.orderRef}` : ''}  to ${shipment.destinationCountry}`,
    `at         ${formatInZone(now, timeZone)}  (trigger ${facts.trigger})`,
    `status     ${shipment.status}${shipment.promisedTo ?? shipment.promisedFrom ? `  promised ${shipment.promisedTo ?? shipment.promisedFrom}` : ''}`,
    `verdict    ${verdict.verdict}`,
    ...verdict.reasons.map((reason) => `           ${reason}`),
    `contacts   ${contacts.count}${contacts.firstAt ? ` (first ${formatInZone(new Date(contacts.firstAt), timeZone)})` : ''}`,
    `reships    ${reshipments.map((linked) => `${linked.trackingNumber ?? '?'} ${linked.status}`).join(', ') || 'none'}`,
    `rules      ${ruleSet.source} (${ruleSet.rules.length} rules, ${matched} matched)`,
    '',
  ];
  for (const rule of evaluation.trace) {
    lines.push(`${rule.matched ? 'MATCHED' : 'no     '}  ${rule.ruleId}: ${rule.description}`);
    for (const outcome of rule.matchers) lines.push(`           ${outcome.matched ? 'yes' : 'no '}  ${outcome.matcher}: ${outcome.says}`);
    for (const decision of rule.decisions) lines.push(`           ->   ${describeDecision(decision, now, timeZone)}`);
    for (const skipped of rule.skipped) lines.push(`           skipped  ${skipped}`);
  }
  lines.push('', evaluation.decisions.length === 0 ? 'decisions: none' : `decisions (${evaluation.decisions.length}):`);
  for (const decision of evaluation.decisions) lines.push(`  ${decision.ruleId}: ${describeDecision(decision, now, timeZone)}`);
  return `${lines.join('\n')}\n`;
}
