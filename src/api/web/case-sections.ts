import type { AuditEntry } from '../../store/follow-up-repository.ts';
import type { Actor } from '../access.ts';
import { roleAllows } from '../roles.ts';
import type { CaseFollowUp, ShipmentDetail } from '../shipment-views.ts';
import { type SafeHtml, html } from './html.ts';
import { when } from './layout.ts';

const words = (value: string) => value.replace(/_/g, ' ');
const money = (value: number | undefined, currency: string | undefined) => (value === undefined ? '—' : `${value.toFixed(2)} ${currency ?? ''}`.trim());

/** What an audit line says besides its event: the sentence a person wrote or the runtime gave. */
function note(entry: AuditEntry): string | undefined {
  const details = entry.details ?? {};
  const sentence = [details.reason, details.why, details.summary, details.message].find((value) => typeof value === 'string');
  return sentence as string | undefined;
}

function auditTrail(followUp: CaseFollowUp): SafeHtml {
  const lines = followUp.audit.map((entry) => {
    const move = entry.fromState !== entry.toState && entry.toState ? html` <span class="move">(${entry.fromState ? `${words(entry.fromState)} → ` : ''}${words(entry.toState)})</span>` : null;
    const said = note(entry);
    return html`<li><time>${when(entry.at)}</time> <span class="actor">${entry.actor}</span> <span class="event">${words(entry.event)}</span>${move}${said ? html`: <q>${said}</q>` : null}</li>`;
  });
  return html`<details class="audit"><summary>Audit trail (${lines.length})</summary><ol>${lines}</ol></details>`;
}

/** The case's follow-ups, each with its audit trail: who proposed, approved, rejected or ran it. */
export function followUpsSection(detail: ShipmentDetail): SafeHtml {
  const rows = detail.followUps.map(
    (followUp) => html`<tr data-follow-up="${followUp.id}"><td>${words(followUp.kind)}</td><td class="state">${followUp.state}</td><td class="reason">${followUp.reason}</td>
  <td class="number">${money(followUp.valueAtStake, followUp.currency)}</td><td>${when(followUp.dueAt)}</td><td class="result">${followUp.result?.summary ?? followUp.lastError?.message ?? ''}</td></tr>
<tr class="trail"><td colspan="6">${auditTrail(followUp)}</td></tr>`,
  );
  return html`<section><h2>Follow-ups</h2>${rows.length ? html`<table class="follow-ups"><thead><tr><th>Kind</th><th>State</th><th>Why</th><th>At stake</th><th>Due</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">None.</p>`}</section>`;
}

/** Carrier claims (reference and status) and the documents follow-ups made; managers download the documents. */
export function claimsAndDocumentsSection(detail: ShipmentDetail, actor: Actor): SafeHtml | null {
  if (detail.claims.length === 0 && detail.documents.length === 0) return null;
  const canDownload = roleAllows(actor.role, 'manager');
  const claims = detail.claims.map(
    (claim) => html`<tr><td>${claim.type}</td><td class="reference">${claim.reference ?? 'not filed yet'}</td><td class="claim-status">${words(claim.status)}${claim.statusNote ? html` (${claim.statusNote})` : null}</td>
  <td>${claim.filedVia === 'portal' ? 'by the portal robot' : 'by an agent'}</td><td class="number">${money(claim.amountClaimed, claim.currency)}</td><td>${when(claim.windowClosesAt)}</td></tr>`,
  );
  const documents = detail.documents.map(
    (document) =>
      html`<li>${canDownload ? html`<a href="/api/documents/${document.id}" download>${document.fileName}</a>` : document.fileName} <span class="age">(${document.contentType}, ${Math.ceil(document.size / 1024)} KB, ${when(document.createdAt)})</span></li>`,
  );
  return html`<section><h2>Claims and documents</h2>
${claims.length ? html`<table class="claims"><thead><tr><th>Claim</th><th>Reference</th><th>Status</th><th>Filed</th><th>Claimed</th><th>Window closes</th></tr></thead><tbody>${claims}</tbody></table>` : null}
${documents.length ? html`<ul class="documents">${documents}</ul>` : null}</section>`;
}
