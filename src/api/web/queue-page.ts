import type { ExceptionSort, QueuedException } from '../../store/exception-queue.ts';
import type { ListedFollowUp } from '../../store/follow-up-repository.ts';
import type { Actor } from '../access.ts';
import { EXCEPTION_ACTIONS } from '../exception-actions.ts';
import { type SafeHtml, html } from './html.ts';
import { age, hiddenCsrf, notice, page, when } from './layout.ts';

export interface QueueFilters {
  code?: string;
  carrier?: string;
  minAgeHours?: number;
  minValue?: number;
  sort: ExceptionSort;
}

export interface QueuePageData {
  actor: Actor;
  csrf: string;
  now: Date;
  filters: QueueFilters;
  carriers: readonly string[];
  exceptions: { total: number; items: readonly QueuedException[] };
  /** Follow-ups awaiting a manager's approval, soonest due first. */
  awaiting: readonly ListedFollowUp[];
  /** What the last action did (counts only: nothing from the URL is shown as text). */
  outcome?: { action: string; done: number; failed: number };
}

const stake = (followUp: ListedFollowUp) => (followUp.valueAtStake === undefined ? 'unknown' : `${followUp.valueAtStake.toFixed(2)} ${followUp.currency ?? ''}`.trim());

/** The follow-up an exception names: its kind and where it stands ("awaiting approval" is what approve and reject act on). */
export function followUpOf(exception: QueuedException): string {
  if (!exception.followUp) return '';
  return `${exception.followUp.kind.replace(/_/g, ' ')}, ${exception.followUp.state.replace(/_/g, ' ')}`;
}

const SORT_LABELS: Record<ExceptionSort, string> = { oldest: 'oldest first', newest: 'newest first', highest_value: 'highest value', lowest_value: 'lowest value' };

function queryOf(filters: QueueFilters, sort: ExceptionSort): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, sort })) if (value !== undefined && value !== '') params.set(key, String(value));
  return `/manager/queue?${params}`;
}

function filterForm(data: QueuePageData): SafeHtml {
  const { filters } = data;
  const carriers = data.carriers.map((carrier) => html`<option value="${carrier}"${filters.carrier === carrier ? html` selected` : null}>${carrier}</option>`);
  const sorts = Object.entries(SORT_LABELS).map(([value, label]) => html`<option value="${value}"${filters.sort === value ? html` selected` : null}>${label}</option>`);
  return html`<form method="get" action="/manager/queue" class="filters">
  <label>Reason (code) <input name="code" value="${filters.code ?? ''}" placeholder="CARRIER_UNAVAILABLE" maxlength="200"></label>
  <label>Carrier <select name="carrier"><option value="">any</option>${carriers}</select></label>
  <label>Older than (hours) <input name="minAgeHours" type="number" min="0" step="1" value="${filters.minAgeHours ?? ''}"></label>
  <label>Value at least <input name="minValue" type="number" min="0" step="0.01" value="${filters.minValue ?? ''}"></label>
  <label>Sort <select name="sort">${sorts}</select></label>
  <button type="submit">Filter</button>
</form>
<p class="sorts">Sort: ${Object.entries(SORT_LABELS).map(([value, label]) => html`<a href="${queryOf(filters, value as ExceptionSort)}"${filters.sort === value ? html` aria-current="true"` : null}>${label}</a> `)}</p>`;
}

function awaitingSection(data: QueuePageData): SafeHtml {
  const rows = data.awaiting.map(
    (followUp) => html`<tr data-follow-up="${followUp.id}">
  <td>${followUp.kind}</td><td><a href="/agent/shipments/${followUp.shipmentId}">${followUp.trackingNumber}</a> (${followUp.carrier})</td>
  <td class="reason">${followUp.reason}</td><td class="number">${stake(followUp)}</td><td>${followUp.ruleId}</td><td>${when(followUp.dueAt)}</td><td class="state">${followUp.state}</td>
  <td class="actions">
    <form method="post" action="/manager/followups/${followUp.id}/approve" class="inline">${hiddenCsrf(data.csrf)}<button type="submit">Approve</button></form>
    <form method="post" action="/manager/followups/${followUp.id}/reject" class="inline">${hiddenCsrf(data.csrf)}<input name="reason" placeholder="why" required maxlength="2000" aria-label="Reason to reject"><button type="submit">Reject</button></form>
  </td></tr>`,
  );
  return html`<section><h2>Follow-ups awaiting approval (${data.awaiting.length})</h2>
${rows.length ? html`<table class="awaiting"><thead><tr><th>Kind</th><th>Parcel</th><th>Why</th><th>At stake</th><th>Rule</th><th>Due</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">Nothing awaits approval.</p>`}</section>`;
}

function exceptionsSection(data: QueuePageData): SafeHtml {
  const rows = data.exceptions.items.map(
    (exception) => html`<tr>
  <td><input type="checkbox" name="ids" value="${exception.id}" form="bulk" aria-label="Select exception ${exception.id}"></td>
  <td><a href="/manager/exceptions/${exception.id}">#${exception.id}</a></td>
  <td title="${when(exception.openedAt)}">${age((data.now.getTime() - new Date(exception.openedAt).getTime()) / 1000)}</td>
  <td>${exception.carrier}</td><td>${exception.trackingNumber}</td><td>${exception.orderRef ?? ''}</td>
  <td class="number">${exception.declaredValue === undefined ? '' : `${exception.declaredValue.toFixed(2)} ${exception.currency ?? ''}`}</td>
  <td>${exception.code}</td><td class="message"><span class="clamp" title="${exception.message}">${exception.message}</span></td><td>${followUpOf(exception)}</td>
</tr>`,
  );
  const buttons = EXCEPTION_ACTIONS.map((action) => html`<button type="submit" name="action" value="${action}">${action[0]?.toUpperCase()}${action.slice(1)}</button> `);
  return html`<section><h2>Open exceptions (${data.exceptions.total})</h2>
<form method="post" action="/manager/exceptions/bulk" id="bulk" class="bulk">${hiddenCsrf(data.csrf)}
  <label><input type="checkbox" class="select-all" data-select="ids"> all on this page</label>
  <input name="reason" placeholder="note or reason (required to reject)" maxlength="2000" aria-label="Note">
  ${buttons}
</form>
${rows.length ? html`<table class="exceptions"><thead><tr><th></th><th>#</th><th>Age</th><th>Carrier</th><th>Tracking number</th><th>Order</th><th>Value</th><th>Code</th><th>Message</th><th>Follow-up</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">No open exception matches.</p>`}
</section>`;
}

/** The manager's queue: follow-ups to approve, then exceptions to judge, with filters, sorting and bulk actions. */
export function queuePage(data: QueuePageData): string {
  const outcome = data.outcome;
  const body = html`${outcome ? notice(outcome.failed ? 'problem' : 'ok', `${outcome.action}: ${outcome.done} done${outcome.failed ? `, ${outcome.failed} could not be (already closed, or no follow-up to decide)` : ''}.`) : null}
${awaitingSection(data)}
${filterForm(data)}
${exceptionsSection(data)}`;
  return page({ title: 'Exception queue', actor: data.actor, csrf: data.csrf, body }).markup;
}
