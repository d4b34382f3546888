import { z } from 'zod';
import { CLAIM_TYPES, type ClaimRequest, type ClaimType } from '../../domain/claim.ts';
import type { Shipment } from '../../domain/shipment.ts';
import type { TrackingEvent } from '../../domain/tracking-event.ts';
import type { Robot } from '../../robot-kit/define-robot.ts';
import { type NewClaim, OPEN_CLAIM_STATUSES, type StoredClaim, type StoredClaimStatus } from '../../store/claim-repository.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import type { DocumentSink } from '../document-sink.ts';
import { FollowUpDeferral } from '../follow-up-errors.ts';
import type { ExecutionResult, ExecutorContext, FollowUp, FollowUpExecutor } from '../follow-up-executor.ts';
import { stableJson } from '../follow-up-id.ts';
import { type ClaimAmount, claimAmountOf, describeAmount, money } from './claim-amount.ts';
import { type ClaimWindow, claimWindowOf } from './claim-window.ts';
import { type ClaimWindows, compensationCapOf, whereToFile } from './claim-windows.ts';
import { checkDeliveryAwaited } from './delivery-wait.ts';
import { evidenceFileName, evidencePackPdf } from './evidence-pack.ts';

/**
 * The code of the exception row that asks an agent to file a claim by hand. A task, not a
 * failure: it is not in the error-code registry, and every task code starts with `TASK_`.
 */
export const FILE_CLAIM_TASK = 'TASK_FILE_CLAIM';

export interface CarrierClaimDeps {
  documents: DocumentSink;
  windows: ClaimWindows;
}

/** A rule's parameters for a claim; others it wrote are left for the audit trail. */
const paramsSchema = z.looseObject({
  type: z.enum(CLAIM_TYPES, { error: `expected one of ${CLAIM_TYPES.join(', ')}` }),
  verdict: z.string().optional(),
  reason: z.string().optional(),
  amount: z.number({ error: 'expected an amount such as 49.9' }).positive({ error: 'expected an amount above 0' }).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter ISO 4217 code such as EUR' }).optional(),
});
type ClaimParams = z.output<typeof paramsSchema>;

interface Prepared {
  params: ClaimParams;
  /** Undefined when neither the rule nor the order gives a value. */
  amount?: ClaimAmount;
  currency: string;
  window: ClaimWindow;
  pdf: Buffer;
  fileName: string;
  documentId: string;
}

/** What a claim counts as while the carrier (or an agent) may still act on it: one at a time per parcel and carrier. */
const OPEN_STATUSES: ReadonlySet<StoredClaimStatus> = new Set(['to_file', ...OPEN_CLAIM_STATUSES]);

/**
 * `carrier_claim`: an evidence pack (PDF) for every claim, kept as a document; then the claim is
 * filed by the carrier's robot when it has `fileClaim` (its reference stored in `claims`), or
 * left to an agent: a `to_file` claim and a TASK_FILE_CLAIM exception saying where and by when.
 *
 * Before anything is filed, unless this follow-up already got as far as filing (see `underway`):
 * - a loss claim of a parcel delivered since it was decided (a claim put off until its window
 *   opened, say) files nothing;
 * - one open claim per parcel and carrier: when another claim of the parcel is open (`to_file`,
 *   submitted, under investigation, accepted), nothing is filed and the follow-up is done saying
 *   which claim is open (a loss claim after a late-delivery claim already filed, or the reverse);
 * - the claim window: before it opens, the follow-up is put off until the day it opens
 *   (FollowUpDeferral); once it has closed, nothing is filed and the follow-up fails with
 *   FOLLOW_UP_INVALID saying when it closed (an exception in the manager queue); a window counted
 *   from the delivery alone (damage) waits for the delivery (delivery-wait.ts);
 * - a loss claim about to be filed supersedes the parcel's late-delivery claims not started yet
 *   (proposed, or awaiting approval): they are cancelled, audited `superseded`.
 * These checks and the filing run while no other claim follow-up of the parcel runs: claim-guard.ts
 * starts one at a time per parcel, so two claims started together cannot both find none open.
 *
 * The amount claimed is the rule's `amount`, else the declared value, at most the carrier's
 * compensation cap from the windows file (claim-amount.ts); the evidence pack and the agent's task
 * say which, and why.
 */
export function createCarrierClaimExecutor(deps: CarrierClaimDeps): FollowUpExecutor {
  return {
    kind: 'carrier_claim',
    async execute(followUp, context) {
      const params = paramsOf(followUp);
      const { shipment, store } = context;
      const events = await store.tracking.events(shipment.id);
      const window = claimWindowOf(deps.windows, shipment.carrier, params.type, { delivered: shipment.deliveredAt, promised: shipment.promisedTo, last_event: events[0]?.at });
      let superseded: string[] = [];
      if (!(await underway(followUp, context))) {
        if (params.type === 'lost' && shipment.status === 'delivered') return deliveredSince(shipment);
        const open = await otherOpenClaim(followUp, context);
        if (open) return alreadyOpen(params.type, context, open);
        checkWindow(params.type, context, deps.windows, window);
        if (params.type === 'lost') superseded = await supersedeLateClaims(followUp, context);
      }
      const prepared = await prepare(followUp, context, deps, params, events, window);
      const robot = context.robot(shipment.carrier);
      const result = robot.fileClaim ? await fileThroughRobot(followUp, context, robot, prepared) : await leaveToAgent(followUp, context, deps.windows, prepared);
      return superseded.length === 0 ? result : { ...result, summary: `${result.summary}; superseded the late-delivery claim follow-up ${superseded.join(', ')}` };
    },
  };
}

function paramsOf(followUp: FollowUp): ClaimParams {
  const parsed = paramsSchema.safeParse(followUp.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RobotError('FOLLOW_UP_PARAMS_INVALID', `carrier_claim follow-up ${followUp.id}: ${issue?.path.join('.') || 'params'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The ledger key of the filing through a robot. */
const claimKey = (followUp: FollowUp) => `${followUp.id}:claim`;

/**
 * Whether this follow-up already got as far as filing: its claim is recorded, or its filing
 * through a robot was started (a worker stopped, or it failed after the call). Then it goes on
 * without the checks, which may answer otherwise by now (the window closed, a new scan moved its
 * opening, its own claim is open), so that the ledger reconciles and the claim is recorded: a
 * retry never files twice, nor leaves a claim filed unrecorded.
 */
async function underway(followUp: FollowUp, { store }: ExecutorContext): Promise<boolean> {
  if (await store.claims.findByFollowUp(followUp.id)) return true;
  const effect = await store.effects.get(claimKey(followUp));
  return effect !== undefined && effect.state !== 'failed';
}

/** Another claim of this parcel with its carrier that is still open, the oldest. */
async function otherOpenClaim(followUp: FollowUp, { shipment, store }: ExecutorContext): Promise<StoredClaim | undefined> {
  const claims = await store.claims.listForShipment(shipment.id);
  return claims.find((claim) => claim.followUpId !== followUp.id && claim.carrier === shipment.carrier && OPEN_STATUSES.has(claim.status));
}

/** Nothing filed: a loss claim decided (or put off until its window opened) before the parcel was delivered after all. */
function deliveredSince(shipment: Shipment): ExecutionResult {
  return { summary: `No lost claim filed with ${shipment.carrier}: parcel ${shipment.trackingNumber} has been delivered since the claim was decided` };
}

/** Nothing filed: the parcel's open claim stands (a carrier investigates a parcel once; the claim's evidence pack shows its timeline). */
function alreadyOpen(type: ClaimType, { shipment }: ExecutorContext, open: StoredClaim): ExecutionResult {
  const which = open.reference ? `${open.reference} (claim #${open.id}, ${open.status.replace(/_/g, ' ')})` : `#${open.id} (to be filed by an agent)`;
  return {
    summary: `No ${type} claim filed with ${shipment.carrier}: the ${open.type} claim ${which} is already open for parcel ${shipment.trackingNumber}, and a parcel has one open claim with its carrier at a time`,
    references: { openClaimId: String(open.id), ...(open.reference ? { openClaimReference: open.reference } : {}) },
  };
}

/** Throws when the claim cannot be filed now: FollowUpDeferral before the window opens, FOLLOW_UP_INVALID once it has closed. */
function checkWindow(type: ClaimType, { shipment, clock }: ExecutorContext, windows: ClaimWindows, window: ClaimWindow): void {
  const now = clock.now().getTime();
  const { time_zone: timeZone } = windows.calendar;
  if (window.closesAt !== undefined && now >= Date.parse(window.closesAt)) {
    throw new RobotError(
      'FOLLOW_UP_INVALID',
      `the ${type} claim window for parcel ${shipment.trackingNumber} with ${shipment.carrier} closed on ${window.lastDay} (end of day, ${timeZone}): no claim was filed; a manager decides whether to ask the carrier anyway (window: ${window.rule.source})`,
      { evidence: { step: 'claim window', body: stableJson({ type, carrier: shipment.carrier, opensOn: window.opensOn ?? null, lastDay: window.lastDay, closesAt: window.closesAt, source: window.rule.source }) } },
    );
  }
  checkDeliveryAwaited(type, shipment, window.rule, windows, clock.now());
  if (window.opensAt !== undefined && now < Date.parse(window.opensAt)) {
    throw new FollowUpDeferral(new Date(window.opensAt), `the ${type} claim window with ${shipment.carrier} opens on ${window.opensOn} (${timeZone}): ${window.rule.source}`);
  }
}

/** A loss claim is about to be filed: the parcel's late-delivery claims that have not started are cancelled, their ids returned. */
async function supersedeLateClaims(followUp: FollowUp, { shipment, store, clock }: ExecutorContext): Promise<string[]> {
  const pending = (await store.followUps.list({ shipmentId: shipment.id, kind: 'carrier_claim' })).filter(
    (other) => other.id !== followUp.id && other.params.type === 'late' && (other.state === 'proposed' || other.state === 'awaiting_approval'),
  );
  const cancelled: string[] = [];
  for (const late of pending) {
    const details = { by: followUp.id, reason: `the parcel looks lost: the loss claim ${followUp.id} is filed instead, one open claim per parcel with its carrier` };
    const done = await store.followUps.transition(late.id, { from: ['proposed', 'awaiting_approval'], to: 'cancelled', audit: { actor: 'system', event: 'superseded', details } }, clock.now());
    if (done) cancelled.push(late.id);
  }
  return cancelled;
}

async function prepare(followUp: FollowUp, context: ExecutorContext, deps: CarrierClaimDeps, params: ClaimParams, events: readonly TrackingEvent[], window: ClaimWindow): Promise<Prepared> {
  const { shipment, store } = context;
  // What carriers answered when robots failed on this parcel; tasks (such as this claim's) are no answers.
  const answers = (await store.exceptions.listForShipment(shipment.id)).filter((exception) => exception.evidence !== undefined && !exception.code.startsWith('TASK_'));
  const currency = params.currency ?? shipment.currency ?? 'EUR';
  const asked = params.amount ?? shipment.declaredValue;
  const cap = compensationCapOf(deps.windows, shipment.carrier, shipment.product);
  const amount = asked === undefined ? undefined : claimAmountOf(asked, params.amount === undefined ? 'declared value' : 'amount at stake', currency, shipment.carrier, cap);
  const pdf = await evidencePackPdf({
    shipment,
    type: params.type,
    ...(params.verdict ? { verdict: params.verdict } : {}),
    ...(params.reason ? { reason: params.reason } : {}),
    ruleId: followUp.ruleId,
    ...(amount === undefined ? {} : { amount }),
    window,
    events,
    answers,
    generatedAt: context.clock.now(),
  });
  const fileName = evidenceFileName(shipment.trackingNumber, params.type);
  const documentId = await deps.documents.save({ fileName, contentType: 'application/pdf', bytes: pdf }, { kind: 'evidence_pack', shipmentId: shipment.id, followUpId: followUp.id });
  return { params, ...(amount === undefined ? {} : { amount }), currency, window, pdf, fileName, documentId };
}

/**
 * Through the carrier's portal robot. `fileClaim` answers the claim already open for the
 * parcel and type instead of filing another (define-robot.ts), so after a crash between the
 * filing and its record the ledger may run it again as `reconcile`: it finds the claim filed.
 */
async function fileThroughRobot(followUp: FollowUp, context: ExecutorContext, robot: Robot, prepared: Prepared): Promise<ExecutionResult> {
  const { shipment, store, clock } = context;
  const { params, amount, currency } = prepared;
  if (amount === undefined) {
    throw new RobotError('ORDER_DATA_MISSING', `shipment ${shipment.id} has no declared value, which a claim states: add declared_value to the order, or an amount to the rule`);
  }
  const request: ClaimRequest = {
    type: params.type,
    trackingNumber: shipment.trackingNumber,
    // The value of the goods, as the form asks: the carrier applies its own cap (the description
    // says what is claimed when the cap lowers it; the claim record keeps the amount claimed).
    declaredValue: amount.asked,
    currency,
    description: describeClaim(shipment.trackingNumber, params, shipment.orderRef, amount),
    evidencePdf: { fileName: prepared.fileName, content: prepared.pdf },
  };
  const fileClaim = () => robot.fileClaim!(request);
  const receipt = await context.effects.once(claimKey(followUp), { target: shipment.carrier, call: fileClaim, reconcile: fileClaim });
  const now = clock.now();
  const claim = await store.claims.record({ ...claimOf(followUp, shipment, prepared), filedVia: 'portal', status: receipt.status, reference: receipt.reference, filedAt: now }, now);
  return {
    summary: `Filed a ${params.type} claim with ${shipment.carrier}: reference ${receipt.reference}, for ${describeAmount(amount)}`,
    references: { claimReference: receipt.reference, claimId: String(claim.id), evidenceDocumentId: prepared.documentId },
  };
}

/** No robot can file with this carrier: the claim waits for an agent, who is told where and by when. */
async function leaveToAgent(followUp: FollowUp, context: ExecutorContext, windows: ClaimWindows, prepared: Prepared): Promise<ExecutionResult> {
  const { shipment, store, clock } = context;
  const { params, window, amount } = prepared;
  const now = clock.now();
  const claim = await store.claims.record({ ...claimOf(followUp, shipment, prepared), filedVia: 'agent', status: 'to_file' }, now);
  const deadline = window.lastDay ? ` by ${window.lastDay} (end of day, ${windows.calendar.time_zone})` : ' as soon as possible (no date the window counts from is known)';
  const notBefore = window.opensOn ? `, not before ${window.opensOn}` : '';
  await store.exceptions.open({
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    code: FILE_CLAIM_TASK,
    message: `File a ${params.type} claim for parcel ${shipment.trackingNumber} with ${shipment.carrier}${deadline}${notBefore}, at ${whereToFile(windows, shipment.carrier)}; claim ${amount ? describeAmount(amount) : "the order's value (parcelbot has none)"}; attach the evidence pack ${prepared.fileName} (document ${prepared.documentId}); claim #${claim.id}`,
    evidence: { step: 'carrier claim' },
    jobId: `followup:${followUp.id}`,
    openedAt: now,
  });
  return {
    summary: `Prepared the evidence pack for a ${params.type} claim with ${shipment.carrier}; an agent files it${deadline}`,
    references: { claimId: String(claim.id), evidenceDocumentId: prepared.documentId },
  };
}

/** What a claim row holds whoever files it. */
function claimOf(followUp: FollowUp, shipment: Shipment, prepared: Prepared): Omit<NewClaim, 'filedVia' | 'status'> {
  return {
    followUpId: followUp.id,
    shipmentId: shipment.id,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    type: prepared.params.type,
    ...(prepared.amount === undefined ? {} : { amountClaimed: prepared.amount.amount }),
    currency: prepared.currency,
    evidenceDocumentId: prepared.documentId,
    ...(prepared.window.closesAt ? { windowClosesAt: prepared.window.closesAt } : {}),
  };
}

/** What the carrier reads in the claim's description: the facts, never the customer's identity. */
function describeClaim(trackingNumber: string, params: ClaimParams, orderRef: string | undefined, amount: ClaimAmount): string {
  const what: Record<ClaimType, string> = { lost: 'was lost', late: 'was delivered late', damaged: 'arrived damaged' };
  const why = [params.verdict && `verdict ${params.verdict}`, params.reason].filter(Boolean).join('; ');
  // The carrier reads what was asked too when its cap lowered the amount claimed.
  const capped = amount.cap?.outcome === 'capped' ? ` Amount claimed: ${money(amount.amount, amount.currency)}, the cap of your terms (${amount.askedFrom} ${money(amount.asked, amount.currency)}).` : '';
  return `Parcel ${trackingNumber}${orderRef ? ` (order ${orderRef})` : ''} ${what[params.type]}${why ? ` (${why})` : ''}.${capped} Tracking timeline and carrier answers in the attached evidence pack.`;
}
