import { STATUS_WORDS } from '../../domain/status-words.ts';
import type { Shipment } from '../../domain/shipment.ts';
import type { Actor } from '../access.ts';
import { roleAllows } from '../roles.ts';
import type { ShipmentDetail } from '../shipment-views.ts';
import { claimsAndDocumentsSection, followUpsSection } from './case-sections.ts';
import { type HtmlValue, type SafeHtml, html } from './html.ts';
import { age, hiddenCsrf, notice, page, when } from './layout.ts';

const statusText = (shipment: Pick<Shipment, 'status' | 'statusReason'>) => `${STATUS_WORDS[shipment.status]}${shipment.statusReason ? ` (${shipment.statusReason})` : ''}`;
const span = (from: string, to: string) => (from === to ? from : `${from} → ${to}`);

function searchBox(csrf: string, query = ''): SafeHtml {
  return html`<form method="post" action="/agent/search" class="search">
  ${hiddenCsrf(csrf)}
  <input name="q" value="${query}" placeholder="Tracking number, order reference or customer e-mail" required maxlength="254" autofocus aria-label="Search">
  <button type="submit">Find</button>
</form>`;
}

/** The search page: the box, then what it found (a list when several parcels match) or why nothing. */
export function searchPage(options: { actor: Actor; csrf: string; query?: string; results?: readonly Shipment[]; message?: HtmlValue }): string {
  const rows = options.results?.map(
    (shipment) => html`<tr><td><a href="/agent/shipments/${shipment.id}">${shipment.trackingNumber}</a></td><td>${shipment.carrier}</td><td>${shipment.orderRef ?? ''}</td><td>${statusText(shipment)}</td><td>${shipment.verdict ?? ''}</td><td>${when(shipment.lastCheckedAt)}</td></tr>`,
  );
  const body = html`${searchBox(options.csrf, options.query)}
${options.message ? notice('problem', options.message) : null}
${rows?.length ? html`<table><thead><tr><th>Tracking number</th><th>Carrier</th><th>Order</th><th>Status</th><th>Verdict</th><th>Checked</th></tr></thead><tbody>${rows}</tbody></table>` : null}`;
  return page({ title: 'Find a parcel', actor: options.actor, csrf: options.csrf, body }).markup;
}

function facts(detail: ShipmentDetail, csrf: string): SafeHtml {
  const { shipment, verdict, promise, freshness, contacts } = detail;
  return html`<dl class="facts">
  <dt>Tracking number</dt><dd>${shipment.trackingNumber}</dd>
  <dt>Carrier</dt><dd>${shipment.carrier}${shipment.product ? ` (${shipment.product})` : ''}</dd>
  <dt>Order</dt><dd>${shipment.orderRef ?? '—'}${shipment.channel ? ` · ${shipment.channel}` : ''}</dd>
  <dt>Status</dt><dd class="status status-${shipment.status}">${statusText(shipment)}</dd>
  ${shipment.anomaly ? html`<dt>Anomaly</dt><dd class="anomaly">${shipment.anomaly}: the carrier's latest read contradicts what was stored</dd>` : null}
  <dt>Verdict</dt><dd class="verdict">${verdict?.verdict ?? 'not judged yet'}</dd>
  ${verdict?.reasons.length ? html`<dt>Why</dt><dd class="verdict-reasons">${verdict.reasons.join(' ')}</dd>` : null}
  <dt>Promised</dt><dd>${promise.promised ? span(promise.promised.from, promise.promised.to) : '—'}</dd>
  <dt>Carrier's estimate</dt><dd>${promise.estimated ? span(when(promise.estimated.from), when(promise.estimated.to)) : '—'}</dd>
  ${promise.deliveredAt ? html`<dt>Delivered</dt><dd>${when(promise.deliveredAt)}</dd>` : null}
  <dt>Checked</dt><dd class="freshness">${freshness.checkedAt ? html`${when(freshness.checkedAt)} <span class="age">(${age(freshness.ageSeconds ?? 0)} ago)</span>` : 'never'}
    <form method="post" action="/agent/shipments/${shipment.id}/refresh" class="inline">${hiddenCsrf(csrf)}<button type="submit">Refresh now</button></form></dd>
  <dt>Contacts</dt><dd class="contacts">${contacts.count} look-up${contacts.count === 1 ? '' : 's'} of this parcel</dd>
</dl>`;
}

function suggestedAnswer(detail: ShipmentDetail): SafeHtml {
  const other = detail.answer.lang === 'fr' ? 'en' : 'fr';
  return html`<section class="answer">
  <h2>Suggested answer (${detail.answer.lang})</h2>
  <textarea id="answer-text" readonly rows="3">${detail.answer.text}</textarea>
  <button type="button" class="copy" data-copy="answer-text">Copy</button>
  <details><summary>In ${other}</summary><p>${detail.answer[other]}</p></details>
</section>`;
}

function timeline(detail: ShipmentDetail): SafeHtml {
  const rows = detail.timeline.map(
    (event) => html`<tr><td>${event.at}</td><td>${event.code}</td><td>${event.status}</td><td class="label">${event.label}</td><td>${event.location ?? ''}</td></tr>`,
  );
  return html`<section><h2>Timeline <small>(newest first, carrier's local time)</small></h2>
${rows.length ? html`<table class="timeline"><thead><tr><th>At</th><th>Code</th><th>Status</th><th>Carrier's label</th><th>Place</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">No event yet.</p>`}</section>`;
}

function evidence(detail: ShipmentDetail, actor: Actor): SafeHtml | null {
  if (detail.evidence.length === 0) return null;
  const canOpen = roleAllows(actor.role, 'manager');
  const rows = detail.evidence.map(
    (exception) =>
      html`<tr><td>${canOpen ? html`<a href="/manager/exceptions/${exception.id}">#${exception.id}</a>` : `#${exception.id}`}</td><td>${when(exception.openedAt)}</td><td>${exception.code}</td><td>${exception.message}</td><td>${exception.resolution ?? 'open'}</td></tr>`,
  );
  return html`<section><h2>Evidence</h2><table><thead><tr><th>Exception</th><th>Opened</th><th>Code</th><th>Message</th><th>State</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** One case, as an agent answers from it. */
export function shipmentPage(options: { actor: Actor; csrf: string; detail: ShipmentDetail; message?: HtmlValue }): string {
  const { detail } = options;
  const body = html`${searchBox(options.csrf)}
${options.message ? notice('problem', options.message) : null}
<div class="case">${facts(detail, options.csrf)}${suggestedAnswer(detail)}</div>
${timeline(detail)}
${followUpsSection(detail)}
${claimsAndDocumentsSection(detail, options.actor)}
${evidence(detail, options.actor)}`;
  return page({ title: `Parcel ${detail.shipment.trackingNumber}`, actor: options.actor, csrf: options.csrf, body }).markup;
}
