import type { TrackingEvent } from '../../domain/tracking-event.ts';
import type { QueuedException } from '../../store/exception-queue.ts';
import type { Actor } from '../access.ts';
import { EXCEPTION_ACTIONS, type ExceptionAction } from '../exception-actions.ts';
import { type SafeHtml, html } from './html.ts';
import { hiddenCsrf, page, when } from './layout.ts';
import { followUpOf } from './queue-page.ts';

/**
 * A portal page the robot saw, shown without letting it act: in an iframe with an empty
 * `sandbox` (no script, no form, no same-origin access) from `srcdoc`, under this page's CSP.
 */
function capturedPage(markup: string): SafeHtml {
  return html`<iframe class="captured" sandbox="" referrerpolicy="no-referrer" title="Page HTML as the robot saw it" srcdoc="${markup}"></iframe>`;
}

function evidenceSection(exception: QueuedException): SafeHtml {
  const evidence = exception.evidence;
  if (!evidence) return html`<p class="empty">The robot kept no evidence.</p>`;
  return html`<dl class="facts">
  ${evidence.step ? html`<dt>Failed step</dt><dd>${evidence.step}</dd>` : null}
  ${evidence.request ? html`<dt>Request</dt><dd><code>${evidence.request.method} ${evidence.request.url}</code></dd>` : null}
  ${evidence.status ? html`<dt>HTTP status</dt><dd>${evidence.status}</dd>` : null}
</dl>
${evidence.screenshot ? html`<h3>Screenshot</h3><img class="screenshot" alt="Screenshot of the page when the robot failed" src="/manager/exceptions/${exception.id}/screenshot.png">` : null}
${evidence.html ? html`<h3>Page HTML</h3>${capturedPage(evidence.html)}` : null}
${evidence.body ? html`<h3>Payload</h3><pre class="payload">${evidence.body}</pre>` : null}`;
}

/** Approve and reject decide the follow-up an exception names: offered only while that one awaits approval. */
function actionsFor(exception: QueuedException): readonly ExceptionAction[] {
  const decidable = exception.followUp?.state === 'awaiting_approval';
  return EXCEPTION_ACTIONS.filter((action) => decidable || (action !== 'approve' && action !== 'reject'));
}

/** One exception: what failed, the evidence, the parcel's timeline, and the actions. */
export function exceptionPage(options: { actor: Actor; csrf: string; exception: QueuedException; timeline: readonly TrackingEvent[] }): string {
  const { exception } = options;
  const actions = exception.resolvedAt
    ? html`<p>Closed (${exception.resolution}) by ${exception.resolvedBy} at ${when(exception.resolvedAt)}${exception.resolutionNote ? html`: ${exception.resolutionNote}` : null}.</p>`
    : html`<form method="post" action="/manager/exceptions/bulk" class="bulk">${hiddenCsrf(options.csrf)}<input type="hidden" name="ids" value="${exception.id}">
  <input name="reason" placeholder="note or reason (required to reject)" maxlength="2000" aria-label="Note">
  ${actionsFor(exception).map((action) => html`<button type="submit" name="action" value="${action}">${action}</button> `)}</form>`;
  const rows = options.timeline.map((event) => html`<tr><td>${event.at}</td><td>${event.code}</td><td>${event.status}</td><td class="label">${event.label}</td></tr>`);
  const body = html`<dl class="facts">
  <dt>Parcel</dt><dd>${exception.shipmentId ? html`<a href="/agent/shipments/${exception.shipmentId}">${exception.trackingNumber}</a>` : exception.trackingNumber} (${exception.carrier})</dd>
  <dt>Opened</dt><dd>${when(exception.openedAt)}</dd>
  <dt>Code</dt><dd>${exception.code}</dd>
  <dt>Message</dt><dd>${exception.message}</dd>
  <dt>Job</dt><dd><code>${exception.jobId}</code></dd>
  ${exception.followUpId ? html`<dt>Follow-up</dt><dd>${exception.shipmentId ? html`<a href="/agent/shipments/${exception.shipmentId}">${exception.followUpId}</a>` : exception.followUpId} (${followUpOf(exception)})</dd>` : null}
</dl>
${actions}
<section><h2>Evidence</h2>${evidenceSection(exception)}</section>
<section><h2>Timeline</h2>${rows.length ? html`<table class="timeline"><tbody>${rows}</tbody></table>` : html`<p class="empty">No event stored.</p>`}</section>`;
  return page({ title: `Exception #${exception.id}`, actor: options.actor, csrf: options.csrf, body }).markup;
}
