import { formatLocalDateTime } from '../domain/local-time.ts';
import type { Freshness, LookupAnswer } from '../domain/lookup-answer.ts';
import { STATUS_WORDS } from '../domain/status-words.ts';

const window = (from: string, to: string) => {
  const [start, end] = [formatLocalDateTime(from), formatLocalDateTime(to)];
  return start === end ? start : `${start} → ${end}`;
};

function describeFreshness(fresh: Freshness): string {
  if (fresh.source === 'carrier') return 'asked the carrier now';
  const age = fresh.ageSeconds < 60 ? `${fresh.ageSeconds} s` : `${Math.floor(fresh.ageSeconds / 60)} min`;
  return `from the store, checked ${age} ago; --refresh asks the carrier`;
}

/**
 * The agent's view of a look-up, for a terminal. Times are Paris time, except event times, which
 * stay as the carrier wrote them (offset included). Labels are the carrier's, shown as they are.
 */
export function formatAnswer(answer: LookupAnswer): string {
  const lines = [
    `${answer.trackingNumber}  ${answer.carrier}${answer.product ? ` (${answer.product})` : ''}${answer.orderRef ? `  order ${answer.orderRef}` : ''}`,
    `status     ${answer.status} — ${STATUS_WORDS[answer.status] ?? answer.status}${answer.reason ? ` (${answer.reason})` : ''}`,
  ];
  if (answer.anomaly) lines.push(`anomaly    ${answer.anomaly}: the carrier's latest read contradicts what was stored`);
  if (answer.deliveredAt) lines.push(`delivered  ${formatLocalDateTime(answer.deliveredAt)}`);
  if (answer.estimatedDelivery) lines.push(`estimate   ${window(answer.estimatedDelivery.from, answer.estimatedDelivery.to)}  (carrier)`);
  if (answer.promised) lines.push(`promised   ${window(answer.promised.from, answer.promised.to)}`);
  lines.push(`checked    ${formatLocalDateTime(answer.checkedAt)}${answer.fresh ? `  (${describeFreshness(answer.fresh)})` : ''}`, '', `events (newest first, carrier's local time):`);
  if (answer.events.length === 0) lines.push('  none yet');
  for (const event of answer.events) {
    lines.push(`  ${event.at}  ${event.code.padEnd(5)} ${event.status.padEnd(17)} ${event.label}${event.location ? ` — ${event.location}` : ''}`);
  }
  lines.push('', `suggested answer (fr): ${answer.answer.fr}`, `suggested answer (en): ${answer.answer.en}`);
  return lines.join('\n');
}
