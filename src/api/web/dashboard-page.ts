import type { FollowUpKind, FollowUpState } from '../../domain/follow-up.ts';
import type { AgeBucket, RobotHealth } from '../../store/operations-stats.ts';
import type { Actor } from '../access.ts';
import { barChart } from './bar-chart.ts';
import { html } from './html.ts';
import { page, when } from './layout.ts';

export interface DashboardData {
  actor: Actor;
  csrf: string;
  windowDays: number;
  /** Shipments judged (a stored verdict) and late among them, by carrier. */
  lateByCarrier: { carrier: string; late: number; total: number }[];
  openByAge: AgeBucket[];
  followUps: { kind: FollowUpKind; state: FollowUpState; count: number }[];
  contactsPerCase: { contacts: number; cases: number }[];
  robots: RobotHealth[];
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);
const seconds = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} s`);

/** Where journeys break: late carriers, the queue's age, follow-ups, contacts per case, robot health. */
export function dashboardPage(data: DashboardData): string {
  const late = barChart(
    `Late rate by carrier (parcels of the last ${data.windowDays} days, as last judged)`,
    data.lateByCarrier.map((entry) => ({ label: entry.carrier, value: entry.total ? entry.late / entry.total : 0, note: `${percent(entry.late, entry.total)} (${entry.late}/${entry.total})` })),
    { max: 1 },
  );
  const followUps = barChart('Follow-ups by kind and state', data.followUps.map((entry) => ({ label: `${entry.kind} · ${entry.state}`, value: entry.count })));
  const totalCases = data.contactsPerCase.reduce((sum, entry) => sum + entry.cases, 0);
  const robots = data.robots.map(
    (robot) => html`<tr><td>${robot.robot}</td><td class="number">${robot.lookups}</td><td class="number">${percent(robot.answered, robot.answered + robot.failed)}</td>
  <td class="number">${seconds(robot.p50Seconds)}</td><td class="number">${seconds(robot.p95Seconds)}</td><td class="number">${robot.errors}</td>
  <td>${robot.lastError ? html`${when(robot.lastError.at)} <code>${robot.lastError.code}</code> ${robot.lastError.message}` : '—'}</td></tr>`,
  );
  const body = html`<div class="charts">
${late}
${barChart('Open exceptions by age', data.openByAge.map((bucket) => ({ label: bucket.label, value: bucket.count })))}
${followUps}
${barChart(
  `Contacts per case (last ${data.windowDays} days, ${totalCases} cases)`,
  data.contactsPerCase.map((entry) => ({ label: entry.contacts >= 5 ? '5 or more' : `${entry.contacts} contact${entry.contacts === 1 ? '' : 's'}`, value: entry.cases, note: `${entry.cases} (${percent(entry.cases, totalCases)})` })),
)}
</div>
<section><h2>Robot health <small>(last 24 h: agents' look-ups; errors from every origin)</small></h2>
${robots.length ? html`<table class="robots"><thead><tr><th>Robot</th><th>Look-ups</th><th>Success</th><th>p50</th><th>p95</th><th>Errors</th><th>Last error</th></tr></thead><tbody>${robots}</tbody></table>` : html`<p class="empty">No robot activity in the last 24 h.</p>`}
</section>`;
  return page({ title: 'Dashboard', actor: data.actor, csrf: data.csrf, body }).markup;
}
