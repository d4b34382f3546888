import type { ExceptionSort, QueuedException } from '../../store/exception-queue.ts';
import type { ListedFollowUp } from '../../store/follow-up-repository.ts';
import type { Actor } from '../access.ts';
import { EXCEPTION_ACTIONS } from '../exception-actions.ts';
import type { ActionOutcome } from './action-outcomes.ts';
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
  awaiting: { total: number; items: readonly ListedFollowUp[] };
  /** Where each list starts, and how many rows a page shows. */
  paging: { size: number; offset: number; awaitingOffset: number };
  /** What the last action did, as the server kept it (nothing from the URL is shown as text). */
  outcome?: ActionOutcome;
}

const stake = (followUp: ListedFollowUp) => (followUp.valueAtStake === undefined ? 'unknown' : `${followUp.valueAtStake.toFixed(2)} ${followUp.currency ?? ''}`.trim());

/** The follow-up an exception names: its kind and where it stands ("awaiting approval" is what approve and reject act on). */
export function followUpOf(exception: QueuedException): string {
  if (!exception.followUp) return '';
  return `${exception.followUp.kind.replace(/_/g, ' ')}, ${exception.followUp.state.replace(/_/g, ' ')}`;
}

const SORT_LABELS: Record<ExceptionSort, string> = { oldest: 'oldest first', newest: 'newest first', highest_value: 'highest value', lowest_value: 'lowest value' };

/** The queue page with these filters and, past their first page, where each list starts. */
function queueHref(filters: QueueFilters, starts: { offset?: number; awaitingOffset?: number } = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(key, String(value));
  for (const [key, value] of Object.entries(starts)) if (value) params.set(key, String(value));
  return `/manager/queue?${params}`;
}

/** "201–230 of 230", with links to the pages before and after; nothing when everything is shown. */
function pager(list: { total: number; shown: number; offset: number; size: number }, hrefAt: (offset: number) => string): SafeHtml | null {
  const { total, shown, offset, size } = list;
  if (offset === 0 && shown >= total) return null;
  const range = shown > 0 ? `${offset + 1}–${offset + shown} of ${total}` : `nothing past ${offset} (${total} in all)`;
  // From past the end (rows closed since the link was made), "previous" goes to the last page.
  const previous = offset > 0 ? html` <a href="${hrefAt(Math.max(0, Math.min(offset - size, total - size)))}" rel="prev">previous page</a>` : null;
  const next = offset + shown < total ? html` <a href="${hrefAt(offset + shown)}" rel="next">next ${Math.min(size, total - offset - shown)}</a>` : null;
  return html`<p class="pager">Showing ${range}.${previous}${next}</p>`;
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
<p class="sorts">Sort: ${Object.entries(SORT_LABELS).map(([value, label]) => html`<a href="${queueHref({ ...filters, sort: value as ExceptionSort })}"${filters.sort === value ? html` aria-current="true"` : null}>${label}</a> `)}</p>`;
}

function awaitingSection(data: QueuePageData): SafeHtml {
  const rows = data.awaiting.items.map(
    (followUp) => html`<tr data-follow-up="${followUp.id}">
  <td>${followUp.kind}</td><td><a href="/agent/shipments/${followUp.shipmentId}">${followUp.trackingNumber}</a> (${followUp.carrier})</td>
  <td class="reason">${followUp.reason}</td><td class="number">${stake(followUp)}</td><td>${followUp.ruleId}</td><td>${when(followUp.dueAt)}</td><td class="state">${followUp.state}</td>
  <td class="actions">
    <form method="post" action="/manager/followups/${followUp.id}/approve" class="inline">${hiddenCsrf(data.csrf)}<button type="submit">Approve</button></form>
    <form method="post" action="/manager/followups/${followUp.id}/reject" class="inline">${hiddenCsrf(data.csrf)}<input name="reason" placeholder="why" required maxlength="2000" aria-label="Reason to reject"><button type="submit">Reject</button></form>
  </td></tr>`,
  );
  const { paging } = data;
  const pages = pager({ total: data.awaiting.total, shown: rows.length, offset: paging.awaitingOffset, size: paging.size }, (awaitingOffset) =>
    queueHref(data.filters, { offset: paging.offset, awaitingOffset }),
  );
  return html`<section><h2>Follow-ups awaiting approval (${data.awaiting.total})</h2>${pages}
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
  const { paging } = data;
  const pages = pager({ total: data.exceptions.total, shown: rows.length, offset: paging.offset, size: paging.size }, (offset) =>
    queueHref(data.filters, { offset, awaitingOffset: paging.awaitingOffset }),
  );
  return html`<section><h2>Open exceptions (${data.exceptions.total})</h2>${pages}
<form method="post" action="/manager/exceptions/bulk" id="bulk" class="bulk">${hiddenCsrf(data.csrf)}
  <label><input type="checkbox" class="select-all" data-select="ids"> all on this page</label>
  <input name="reason" placeholder="note or reason (required to reject)" maxlength="2000" aria-label="Note">
  ${buttons}
</form>
${rows.length ? html`<table class="exceptions"><thead><tr><th></th><th>#</th><th>Age</th><th>Carrier</th><th>Tracking number</th><th>Order</th><th>Value</th><th>Code</th><th>Message</th><th>Follow-up</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">No open exception matches.</p>`}
</section>`;
}

/** The exceptions refused for the same reason, together: "#3, #7: reason: say why the follow-up is rejected". */
function refusalsByDetail(refused: ActionOutcome['refused']): [string, number[]][] {
  const groups = new Map<string, number[]>();
  for (const { id, detail } of refused) groups.set(detail, [...(groups.get(detail) ?? []), id]);
  return [...groups];
}

/** What the last action did and, for each exception it could not act on, the API's reason (the field and the fix). */
function outcomeNotice(outcome: ActionOutcome): SafeHtml {
  const summary = `${outcome.action}: ${outcome.done} done${outcome.refused.length ? `, ${outcome.refused.length} refused` : ''}.`;
  if (outcome.refused.length === 0) return notice('ok', summary);
  const reasons = refusalsByDetail(outcome.refused).map(
    ([detail, ids]) => html`<br><span class="refusal">${ids.map((id, index) => html`${index ? ', ' : ''}<a href="/manager/exceptions/${id}">#${id}</a>`)}: ${detail}</span>`,
  );
  return notice('problem', html`${summary}${reasons}`);
}

/** The manager's queue: follow-ups to approve, then exceptions to judge, with filters, sorting and bulk actions. */
export function queuePage(data: QueuePageData): string {
  const body = html`${data.outcome ? outcomeNotice(data.outcome) : null}
${awaitingSection(data)}
${filterForm(data)}
${exceptionsSection(data)}`;
  return page({ title: 'Exception queue', actor: data.actor, csrf: data.csrf, body }).markup;
}
